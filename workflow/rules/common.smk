# Validation, paths and helpers shared by every rule file.
import os
from pathlib import Path

from snakemake.exceptions import WorkflowError

# Only light modules here (stdlib, NumPy, jsonschema): planning must not load QuTiP or xarray
# (tests/test_code_inputs.py checks it).
from qsync.code_inputs import import_closure
from qsync.config import ConfigError, validate_config
from qsync.grid import abs_k_rows, chunk_k, format_k, grid_axes, n_chunks

try:
    _checked = validate_config(
        config, Path(workflow.current_basedir) / ".." / "schemas" / "config.schema.yaml"
    )
except ConfigError as exc:
    raise WorkflowError(f"config/config.yaml (and any --configfile overlays): {exc}")
config.clear()
config.update(_checked)

R = config["output"]["results"]
F = config["output"]["figures"]
DOCS = config["output"]["docs"]
#: the speed-limit analysis (issue 14) runs where figure_runs names runs (not in the preset)
SPEED_LIMIT = bool(config["speed_limit"]["figure_runs"])
#: the γ-ladder (issue 12) runs where rungs are configured (not in the preset: its γ are scaled)
LADDER = bool(config["ladder"]["rungs"])
#: Fig. 2 from the exact solver before t* and the large-N saddle after (issue 12; off in the
#: preset: at γ x 3000 the saddle holds less than one photon)
LARGE_N = bool(config["dimer"]["large_n"]["enabled"])
#: figures whose PNG the README shows, copied with the run's summary to DOCS
PUBLISHED_FIGURES = ("fig1", "fig2", "fig3", "dimer_convergence", "extensive") + (
    ("speed_limit",) if SPEED_LIMIT else ()) + (("ladder",) if LADDER else ()) + (
    ("fig2_large_n",) if LARGE_N else ())
ENV = "../../environment.yml"
SRC = Path(workflow.basedir) / "src"
SCRIPTS = Path(workflow.basedir) / "workflow" / "scripts"

wildcard_constraints:
    fset="[A-Za-z0-9_]+",
    k=r"-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?",
    kind="quantum|classical",
    i="[0-9]+",
    method="exact|closure",
    n_max="[0-9]+",


def code_for(script):
    """The library files that workflow/scripts/<script>.py imports, directly or indirectly.

    Snakemake tracks a rule's script but not src/, so every rule that runs a script declares
    these as inputs: editing any module a script imports reruns exactly the rules using it.
    Paths are relative to the working directory, so a moved or copied checkout keeps its
    metadata.
    """
    return [os.path.relpath(f) for f in import_closure(SCRIPTS / f"{script}.py", SRC)]


def sampler_params():
    """Only the active sampler's options, so changing the other sampler reruns nothing."""
    s = config["sampling"]
    return {"sampler": s["sampler"], "n_states": s["n_states"], "seed": s["seed"],
            "options": s[s["sampler"]]}


def figure(name):
    return [f"{F}/{name}.pdf", f"{F}/{name}.png", f"{F}/{name}.provenance.json"]


def all_targets():
    hulls = [f"{R}/hull/{name}.nc" for name in config["frequency_sets"]]
    return (figure("fig1") + hulls + figure("extensive") + figure("fig2")
            + figure("dimer_convergence") + figure("fig3") + [f"{R}/summary.json"]
            + (figure("speed_limit") if SPEED_LIMIT else [])
            + (figure("ladder") if LADDER else [])
            + (figure("fig2_large_n") if LARGE_N else [])
            + [f"{DOCS}/{name}.png" for name in PUBLISHED_FIGURES] + [f"{DOCS}/summary.json"])


# --- helpers of dimer.smk: paths and params of the quantum dimer runs ---
def dimer_run_params(method, n_max=None):
    """Exactly what one run depends on: model, time grid and (exact solver) cutoff."""
    d = config["dimer"]
    p = {"method": method, "model": config["model"], "t_final": d["t_final"],
         "n_times": d["n_times"]}
    if method == "exact":
        p.update(n_max=d["n_max"] if n_max is None else int(n_max), n_top=d["n_top"],
                 truncation=d["truncation"], propagator=d["propagator"])
    return p


def large_n_params():
    """What one large-N run depends on: model, time grid, the exact solver's cutoff (used up
    to t*) and the saddle's settings."""
    d = config["dimer"]
    return {"model": config["model"], "t_final": d["t_final"], "n_times": d["n_times"],
            "n_max": d["n_max"], "n_top": d["n_top"], "truncation": d["truncation"],
            "propagator": d["propagator"], "truncation_tolerance": d["truncation_tolerance"],
            **{key: d["large_n"][key] for key in ("max_error", "error_coefficient", "bvp_tol")}}


def large_n_path(k):
    return f"{R}/dimer/large_n/k_{format_k(k)}.nc"


def dimer_run_path(k, method=None):
    method = method or config["dimer"]["method"]
    return f"{R}/dimer/{method}/k_{format_k(k)}.nc"


def convergence_path(n_max, k):
    """The default-cutoff run is reused; other cutoffs get their own files."""
    d = config["dimer"]
    if d["method"] == "exact" and int(n_max) == d["n_max"]:
        return dimer_run_path(k, "exact")
    return f"{R}/dimer/convergence/nmax_{n_max}/k_{format_k(k)}.nc"


# --- helpers of sweep.smk: the Fig. 3 grid and its chunks ---


def sweep_axes(kind="classical"):
    """The (k, Δω) axes of a kind's panel (quantum: every sweep.quantum.stride-th point)."""
    s = config["sweep"]
    k, dw = grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"], s["delta_omega"]["min"],
                      s["delta_omega"]["max"], s["delta_omega"]["n"])
    step = s["quantum"]["stride"] if kind == "quantum" else 1
    return k[::step], dw[::step]


def sweep_rows(kind):
    """The k rows a kind's chunks iterate over (quantum: each |k| once, by symmetry)."""
    k, _ = sweep_axes(kind)
    return abs_k_rows(k) if kind == "quantum" else k


def sweep_rows_per_chunk(kind):
    return config["sweep"][kind]["rows_per_chunk"] or config["sweep"]["rows_per_chunk"]


def sweep_chunk_paths(kind):
    n = n_chunks(len(sweep_rows(kind)), sweep_rows_per_chunk(kind))
    return [f"{R}/sweep/{kind}/chunk_{i}.nc" for i in range(n)]


def sweep_chunk_params(wc):
    """Only what this chunk's numbers depend on (its rows, the axis, the model, the method)."""
    s = config["sweep"]
    k, dw = sweep_axes(wc.kind)
    rows = chunk_k(sweep_rows(wc.kind), sweep_rows_per_chunk(wc.kind), int(wc.i)).tolist()
    model = config["model"]
    p = {"kind": wc.kind, "rows": rows, "delta_omega": dw.tolist(), "t_final": s["t_final"]}
    if wc.kind == "classical":
        p.update(model={key: model[key] for key in ("omega1", "gamma1", "gamma2", "beta")},
                 **_without_split(s["classical"]))
    else:
        p.update(model={key: model[key] for key in ("omega1", "gamma1", "gamma2", "beta",
                                                   "beta0")},
                 k_grid=[x for x in k.tolist() if abs(x) in rows],
                 **_without_split(s["quantum"]))
        if s["quantum"]["method"] == "large_n":  # the saddle's controls, shared with Fig. 2
            p["saddle"] = {key: config["dimer"]["large_n"][key]
                           for key in ("error_coefficient", "bvp_tol")}
    return p


def _without_split(section):
    """A sweep kind's settings without its job size (the results do not depend on it)."""
    return {key: value for key, value in section.items() if key != "rows_per_chunk"}


# --- helpers of summary.smk ---
def summary_inputs(wc):
    fset1 = config["fig1"]["frequency_set"]
    d = config["dimer"]
    inputs = {
        "measures": f"{R}/measures/{fset1}.nc",
        "hull": f"{R}/hull/{fset1}.nc",
        "runs": [dimer_run_path(k) for k in d["k_values"]],
        "quantum": f"{R}/sweep/quantum.nc",
        "classical": f"{R}/sweep/classical.nc",
        "extensive": expand(f"{R}/extensive/hull_N{{n}}.nc", n=config["extensive"]["n_modes"]),
        "code": code_for("summary"),
    }
    if d["method"] == "exact":
        inputs["study"] = f"{R}/dimer/convergence.nc"
    if config["sweep"]["classical_dt_check"] is not None:
        inputs["dt_check"] = f"{R}/sweep/classical_dt_check.nc"
    if LADDER:
        inputs["ladder"] = f"{R}/ladder.nc"
    if LARGE_N:
        inputs["large_n"] = [large_n_path(k) for k in d["k_values"]]
    if SPEED_LIMIT:
        inputs["speed_limit"] = [f"{R}/speed_limit/{name}.nc"
                                 for name in config["speed_limit"]["figure_runs"]]
    return inputs
