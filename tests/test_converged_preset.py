"""Issue 6: the converged preset, config/presets/converged.yaml.

The preset scales γ1 and γ2 of the paper by one factor and raises the Fock cutoffs; everything
else is the paper's. These tests check that it is a valid overlay that changes only that, that
its Fig. 2 cutoff is converged against the larger cutoff of its study, and that a tiny version
of it runs end to end into its own folders.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import PAPER_MODEL, copy_workflow, run_snakemake
from qsync.dimer.runs import run_dimer
from qsync.grid import time_grid
from qsync.io import open_netcdf
from workflow_tools import dry_run, merged_config

PRESET = "config/presets/converged.yaml"
PAPER_GAMMA = {name: PAPER_MODEL[name] for name in ("gamma1", "gamma2")}


@pytest.fixture(scope="module")
def preset():
    return merged_config(PRESET)


def test_preset_is_valid_and_scales_only_gamma(preset):
    paper = merged_config()
    # its own folders, disjoint from the paper run's
    for key in ("results", "figures"):
        assert preset["output"][key] != paper["output"][key]
        assert preset["output"][key].startswith(paper["output"][key] + "/")
    # one common factor on both two-photon couplings, nothing else in the model changes
    factor = preset["model"]["gamma1"] / PAPER_GAMMA["gamma1"]
    assert factor > 1
    assert preset["model"]["gamma2"] / PAPER_GAMMA["gamma2"] == pytest.approx(factor, rel=1e-9)
    for key in ("omega1", "omega2", "beta", "beta0"):
        assert preset["model"][key] == paper["model"][key], key
    # the same k list, times and Fig. 3 grid; the classical panel uses the same (scaled) model
    assert preset["dimer"]["k_values"] == paper["dimer"]["k_values"]
    assert preset["dimer"]["t_final"] == paper["dimer"]["t_final"]
    for key in ("k", "delta_omega", "t_final", "classical"):
        assert preset["sweep"][key] == paper["sweep"][key], key
    # the cutoff study brackets the chosen cutoff with a larger one
    study = preset["dimer"]["convergence"]["n_max"]
    assert preset["dimer"]["n_max"] in study
    assert max(study) > preset["dimer"]["n_max"]
    assert set(preset["dimer"]["convergence"]["k_values"]) >= {5, 1}


# Over the full t in [0, 10] this comparison costs ~5 min on one core (k = 1 at n_max = 60:
# ~140 s with the Krylov propagator) and is made by the workflow's own cutoff study, whose
# numbers are in the README table (the largest differences there are at late times, where the
# slow growth of chi accumulates). CI time allows the shorter window t in [0, 0.5], which holds
# the transient of D (90 % of its drop is done by t = 0.25 for every k); the assertion is the
# issue's 1e-3 on both D and chi, plus the truncation-weight tolerance at the chosen cutoff.
T_WINDOW = 0.5


@pytest.mark.slow
@pytest.mark.parametrize("k", [5.0, 1.0])
def test_preset_cutoff_is_converged(preset, k):
    d = preset["dimer"]
    larger = min(n for n in d["convergence"]["n_max"] if n > d["n_max"])
    times = time_grid(T_WINDOW, 11)
    runs = [run_dimer("exact", preset["model"], k, times, n_max=n, n_top=d["n_top"],
                      truncation=d["truncation"], propagator=d["propagator"])
            for n in (d["n_max"], larger)]
    for run in runs:
        assert np.all(np.isfinite(run["D"])) and np.isnan(run.attrs["breakdown_time"])
        assert float(run["truncation_weight"].max()) <= d["truncation_tolerance"]
    chosen, big = runs
    assert np.max(np.abs(chosen["D"].values - big["D"].values)) <= 1e-3
    assert np.max(np.abs(chosen["chi"].values - big["chi"].values)) <= 1e-3
    # the window is not trivial: D falls to its plateau and chi rises within it
    assert float(chosen["D"][-1]) < float(chosen["D"][0]) - 0.05
    assert float(chosen["chi"][-1]) > 0.02


TINY = """# the preset's model and folders with the test config's small cutoffs and grid
dimer: {n_max: 8, convergence: {n_max: [6, 8]}}
sweep: {quantum: {n_max: 6, n_max_check: 5}}
"""


@pytest.mark.workflow
def test_preset_runs_end_to_end_into_its_own_folders(tmp_path):
    wd = copy_workflow(tmp_path / "wf")
    (wd / "config" / "tiny_converged.yaml").write_text(TINY)
    files = ("config/test.yaml", PRESET, "config/tiny_converged.yaml")
    cfg = merged_config(*files, root=wd)
    results, figures = cfg["output"]["results"], cfg["output"]["figures"]
    run_snakemake(wd, "--cores", "2", configfiles=files)
    for name in ("fig1", "fig2", "fig3", "dimer_convergence", "extensive"):
        for ext in ("pdf", "png"):
            assert (wd / figures / f"{name}.{ext}").stat().st_size > 5000, name
    # nothing lands in the paper run's folders, only in the preset's sub-folders
    for top, own in (("results", results), ("figures", figures)):
        assert [p.relative_to(wd).as_posix() for p in (wd / top).iterdir()] == [own]
    # the runs were made with the preset's scaled couplings (quantum and classical)
    for k in cfg["dimer"]["k_values"]:
        run = open_netcdf(wd / results / "dimer" / "exact" / f"k_{k:g}.nc")
        assert run.attrs["gamma1"] == cfg["model"]["gamma1"]
        assert run.attrs["gamma2"] == cfg["model"]["gamma2"]
    for kind in ("quantum", "classical"):
        chunk = open_netcdf(wd / results / "sweep" / kind / "chunk_0.nc")
        model = json.loads(chunk.attrs["parameters_json"])["model"]
        assert model["gamma1"] == cfg["model"]["gamma1"], kind
    # the quantum sweep carries its point-by-point cutoff check, made with the Krylov propagator
    quantum = open_netcdf(wd / results / "sweep" / "quantum.nc")
    assert quantum.attrs["n_max_check"] == 5 and quantum.attrs["propagator"] == "krylov"
    change = quantum["cutoff_change"].values
    assert np.all(np.isfinite(change)) and change.max() > 0
    # and the paper-parameter run of the same checkout still has all of its own work to do,
    # in its own folders: the preset's outputs neither satisfy nor overwrite it
    jobs, outputs = dry_run(wd, configfiles=("config/test.yaml",))
    assert jobs.get("dimer_run") == len(merged_config("config/test.yaml")["dimer"]["k_values"])
    assert jobs.get("fig3") == 1 and jobs.get("fig2") == 1
    assert outputs and not any("converged" in path for path in outputs)
