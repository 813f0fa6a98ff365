"""The γ-ladder rules (issue 12) through the real Snakemake CLI, on config/test.yaml's tiny
ladder: every number in results/ladder.nc is recomputed here by calling the library directly,
with the jump replicas in one call instead of the workflow's jobs of two (a different split)."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import REPO
from qsync.config import load_config
from qsync.dimer.jump_trajectories import JumpSettings, combine_replicas, run_replicas
from qsync.dimer.model import DimerParams
from qsync.dimer.quantum import solve_exact
from qsync.grid import time_grid
from qsync.io import open_netcdf

pytestmark = pytest.mark.workflow

CONFIG = load_config(REPO / "config/config.yaml", overlays=(REPO / "config/test.yaml",))
LADDER = CONFIG["ladder"]


def _params(factor, k):
    m = CONFIG["model"]
    return DimerParams(omega1=m["omega1"], omega2=m["omega2"], gamma1=m["gamma1"] * factor,
                       gamma2=m["gamma2"] * factor, beta=m["beta"], beta0=m["beta0"], k=k)


@pytest.fixture(scope="module")
def ladder(workflow_run):
    return open_netcdf(workflow_run / "results/ladder.nc",
                       required=("D", "D_stderr", "n_total", "converged", "agree"))


def test_ladder_file_layout_and_provenance(ladder, workflow_run):
    assert ladder["D"].dims == ("F", "k", "method", "time")
    np.testing.assert_allclose(ladder["F"], [r["F"] for r in LADDER["rungs"]])
    np.testing.assert_allclose(ladder["k"], LADDER["k_values"])
    np.testing.assert_allclose(ladder["time"], time_grid(LADDER["t_final"], LADDER["n_times"]))
    assert "git_revision" in ladder.attrs and "qsync_version" in ladder.attrs
    for suffix in ("pdf", "png", "provenance.json"):
        assert (workflow_run / f"figures/ladder.{suffix}").stat().st_size > 0


def test_ladder_exact_values_are_the_scaled_model(ladder):
    times = ladder["time"].values
    for rung in LADDER["rungs"]:
        for k in LADDER["k_values"]:
            got = ladder.sel({"F": rung["F"], "k": k, "method": "exact"})
            if not rung["n_max"]:
                assert np.isnan(got["D"]).all() and not got["converged"].any()
                continue
            ref = solve_exact(_params(rung["F"], k), rung["n_max"][-1], times,
                              truncation="total", propagator="krylov")
            np.testing.assert_allclose(got["D"], ref["D"], rtol=1e-9, atol=1e-12)
            np.testing.assert_allclose(got["n_total"], ref["n1"] + ref["n2"], rtol=1e-9)
            np.testing.assert_allclose(got["chi"], ref["chi"], rtol=1e-8, atol=1e-10)


def test_ladder_jump_values_do_not_depend_on_the_job_split(ladder):
    """The workflow ran the replicas in jobs of replicas_per_job; one call here."""
    j = LADDER["jumps"]
    assert j["replicas_per_job"] < j["replicas"]  # the test needs a real split
    times = ladder["time"].values
    for rung in LADDER["rungs"]:
        for k in LADDER["k_values"]:
            settings = JumpSettings(walkers=j["walkers"][-1], band_edges=tuple(rung["band_edges"]),
                                    dt_max=j["dt_max"], merge_time=rung.get("merge_time"),
                                    resample_ess=j["resample_ess"])
            params = _params(rung["F"], k)
            raw = run_replicas(params, times, settings, j["seed"] + 1, range(j["replicas"]))
            ref = combine_replicas(raw, params)
            got = ladder.sel({"F": rung["F"], "k": k, "method": "jump_trajectories"})
            for name in ("D", "D_stderr", "n_total", "chi_gaussian"):
                np.testing.assert_array_equal(got[name].values, ref[name].values)
            assert np.isnan(got["chi"]).all()
