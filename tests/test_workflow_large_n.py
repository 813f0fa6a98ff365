"""Fig. 2 at large photon number (rules dimer_large_n, fig2_large_n; issue 12) through the real
Snakemake CLI on config/test.yaml: every run is recomputed here by calling the library directly,
and its summary entries from the files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import REPO
from qsync.config import load_config
from qsync.dimer.large_n import solve_large_n
from qsync.dimer.model import dimer_params
from qsync.dimer.saddle import SaddleSettings
from qsync.grid import format_k, time_grid
from qsync.io import open_netcdf

pytestmark = pytest.mark.workflow

CONFIG = load_config(REPO / "config/config.yaml", overlays=(REPO / "config/test.yaml",))
DIMER = CONFIG["dimer"]


def _run(workflow_run, k):
    return open_netcdf(workflow_run / f"results/dimer/large_n/k_{format_k(k)}.nc",
                       required=("D", "D_error", "method_used", "converged", "chi_gaussian"))


@pytest.mark.parametrize("k", [-1.0])
def test_large_n_run_is_the_library_call(workflow_run, k):
    ds = _run(workflow_run, k)
    times = time_grid(DIMER["t_final"], DIMER["n_times"])
    np.testing.assert_allclose(ds["time"], times)
    ln = DIMER["large_n"]
    direct = solve_large_n(
        dimer_params(CONFIG["model"], k), times, n_max=DIMER["n_max"], n_top=DIMER["n_top"],
        truncation=DIMER["truncation"], propagator=DIMER["propagator"],
        truncation_tolerance=DIMER["truncation_tolerance"], max_error=ln["max_error"],
        settings=SaddleSettings(error_coefficient=ln["error_coefficient"],
                                bvp_tol=ln["bvp_tol"]))
    for name in ("D", "D_error", "n_total", "chi", "chi_gaussian", "method_used", "converged"):
        np.testing.assert_array_equal(ds[name].values, direct[name].values, err_msg=name)
    assert ds.attrs["git_revision"] and ds.attrs["method"] == "exact+saddle"
    assert json.loads(ds.attrs["parameters_json"])["max_error"] == ln["max_error"]


def test_large_n_figure_and_summary(workflow_run):
    record = json.loads((workflow_run / "figures/fig2_large_n.provenance.json").read_text())
    sources = json.dumps(record)
    for k in DIMER["k_values"]:
        assert f"k_{format_k(k)}.nc" in sources
    summary = json.loads((workflow_run / "results/summary.json").read_text())["large_n"]
    assert summary["k_order"] == [f"{float(k):g}" for k in DIMER["k_values"]]
    for key, entry in summary["k"].items():
        ds = _run(workflow_run, float(key))
        assert entry["D_final"] == pytest.approx(float(ds["D"][-1]), rel=1e-12)
        assert entry["n_converged_times"] == int(ds["converged"].sum())
        assert entry["divergence_time"] == pytest.approx(ds.attrs["divergence_time"])
    # the independent runs at k = ±1 satisfy the exact symmetry D(−k)² = 2 − D(k)²
    assert summary["k"]["1"]["mirror_times"] > 5
    assert summary["k"]["1"]["mirror_max_gap"] < 1e-6
    assert summary["eq12_holds"]


def test_ladder_figure_draws_the_saddle_where_it_exists(workflow_run):
    # the tiny ladder ends at t = 0.3: after t* = 0.129 for k = 3, before t* = 0.412 for k = 1
    record = json.dumps(json.loads((workflow_run / "figures/ladder.provenance.json")
                                   .read_text()))
    assert "large_n/k_3.nc" in record and "large_n/k_1.nc" not in record
