"""Issue 13: the cluster preset, config/presets/cluster.yaml: the paper's run with Fig. 3(a) at
cluster precision, through the SLURM profile."""

from __future__ import annotations

import math

import pytest

from conftest import copy_workflow
from qsync.grid import abs_k_rows, grid_axes
from workflow_tools import dry_run, merged_config

PRESET = "config/presets/cluster.yaml"


@pytest.fixture(scope="module")
def preset():
    return merged_config(PRESET)


def test_preset_is_the_paper_run_at_cluster_precision(preset):
    paper = merged_config()
    for key in ("results", "figures", "docs"):
        assert preset["output"][key] != paper["output"][key]
    # the paper's model, couplings and the full Fig. 3 grid
    assert preset["model"] == paper["model"]
    assert preset["dimer"]["k_values"] == paper["dimer"]["k_values"]
    for key in ("k", "delta_omega", "t_final"):
        assert preset["sweep"][key] == paper["sweep"][key], key
    assert (preset["sweep"]["k"]["n"], preset["sweep"]["delta_omega"]["n"]) == (41, 33)
    q, qp = preset["sweep"]["quantum"], paper["sweep"]["quantum"]
    assert q["method"] == "large_n" and q["stride"] == 1 and qp["stride"] > 1
    # tighter where compute helps, and hatching at sigma <= 0.01
    assert preset["dimer"]["large_n"]["bvp_tol"] < paper["dimer"]["large_n"]["bvp_tol"]
    assert q["n_max"] > qp["n_max"] and q["n_max_check"] > qp["n_max_check"]
    assert preset["fig3"]["error_tolerance"] <= 0.01


@pytest.mark.workflow
def test_dry_run_through_the_slurm_profile_plans_the_full_grid(preset, tmp_path):
    """One quantum job per rows_per_chunk |k| rows, the classical grid in its own jobs."""
    wd = copy_workflow(tmp_path / "wf")
    jobs, outputs = dry_run(wd, "--profile", "workflow/profiles/slurm", "--workflow-profile",
                            "none", "--slurm-no-account", configfiles=(PRESET,))
    s = preset["sweep"]
    k, _ = grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"], s["delta_omega"]["min"],
                     s["delta_omega"]["max"], s["delta_omega"]["n"])
    n_quantum = math.ceil(len(abs_k_rows(k)) / s["quantum"]["rows_per_chunk"])
    n_classical = math.ceil(len(k) / s["classical"]["rows_per_chunk"])
    assert (n_quantum, n_classical) == (21, 3)
    assert jobs["sweep_chunk"] == n_quantum + n_classical
    assert jobs["fig3"] == 1 and jobs["sweep_gather"] == 2
    quantum = {p for p in outputs if "/sweep/quantum/chunk_" in p}
    assert len(quantum) == n_quantum
    assert all(p.startswith(preset["output"]["results"] + "/") for p in quantum)
