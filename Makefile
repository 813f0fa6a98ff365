# Two commands (see README): `make reproduce` and `make test`. Both create .venv with the
# exact versions of constraints.txt; only Python >= 3.11 with venv and pip is needed.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
CORES  ?= all
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: reproduce converged test test-fast readme lint bench clean lock

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install -c constraints.txt -e ".[test]"
	@touch $@

reproduce: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES)

# Issue 6: Figs. 2-3 at scaled two-photon couplings where the exact solver converges, into
# results/converged and figures/converged (config/presets/converged.yaml, README).
converged: $(VENV)/.installed
	$(BIN)/snakemake --cores $(CORES) --configfile config/presets/converged.yaml

# One BLAS thread per process: the workflow tests run two jobs at once on two cores, and
# oversubscribed OpenBLAS threads stall under load.
test: $(VENV)/.installed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest --durations=15

# The library's tests only (every workflow and SLURM test is marked slow): 1-3 minutes.
test-fast: $(VENV)/.installed
	OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 $(BIN)/python -m pytest -m "not slow"

# Re-render the README's run sections from docs/runs/<run>/summary.json (written by the
# workflow's summary and readme_copies rules: make reproduce, make converged).
readme: $(VENV)/.installed
	$(BIN)/python -m qsync.readme README.md

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests benchmarks workflow/scripts
	$(BIN)/snakemake --lint

bench: $(VENV)/.installed
	$(BIN)/python benchmarks/bench_fig1.py

lock: $(VENV)/.installed
	{ echo "# Exact versions every reproduction installs (pip -c). Regenerate with 'make lock'."; \
	  $(BIN)/python -m pip freeze --exclude-editable | grep -v '^qsync'; } > constraints.txt

clean:
	rm -rf results/* figures/* .snakemake
	touch results/.gitkeep figures/.gitkeep
