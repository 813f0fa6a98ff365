"""The real Snakemake pipeline for the issue-7 figure (extensive cost, N oscillators), on the
small test config (N = 2, 3, 4; 3000 states each), in a throw-away copy of the workflow."""

from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import copy_workflow, run_snakemake
from qsync.bounds import chi_inf_classical_equal, chi_min_quantum
from qsync.ergotropy import chi_classical, chi_quantum
from qsync.extensive import regenerate_states, state_measures
from qsync.gaussian import sync_distance
from qsync.io import open_netcdf
from workflow_tools import clone_run, overlay, planned_jobs, snapshot

pytestmark = pytest.mark.workflow

TARGET = "figures/extensive.pdf"
NS = (2, 3, 4)


@pytest.fixture(scope="module")
def ext_run(tmp_path_factory):
    wd = copy_workflow(tmp_path_factory.mktemp("wf_extensive"))
    run_snakemake(wd, "--cores", "2", TARGET)
    return wd


def test_outputs_provenance_and_bounds(ext_run):
    wd = ext_run
    for n in NS:
        m = open_netcdf(wd / f"results/extensive/measures_N{n}.nc")
        assert m.sizes["state"] == 3000
        assert m.attrs["param.n_modes"] == n and m.attrs["n_modes"] == n
        assert m.attrs["param.seed"] == 20240709 and m.attrs["param.kappa"] == 1.0
        assert m.attrs["git_revision"] == "unknown"  # the copy is not a git checkout
        for key in ("qsync_version", "numpy_version", "scipy_version", "xarray_version"):
            assert m.attrs[key]
        # every sample: Eq. 11 (holds for N <= 4 at this size) and the classical infimum
        dq, cq = m["D_quantum"].values, m["chi_quantum"].values
        dc, cc = m["D_classical"].values, m["chi_classical"].values
        assert np.all(cq >= chi_min_quantum(dq, n, 1.0) - 1e-9)
        assert np.all(cc >= chi_inf_classical_equal(dc, n) - 1e-9)
        assert np.all(cq >= chi_inf_classical_equal(dq, n) - 1e-9)

        # the measures are those of the seeded states
        idx = np.array([0, 1234, 2999])
        s = regenerate_states(n, 3000, 20240709, 10.0, idx)
        for k, v in state_measures(s, np.ones(n)).items():
            np.testing.assert_array_equal(v, m[k].values[idx])

        h = open_netcdf(wd / f"results/extensive/hull_N{n}.nc")
        assert int(h["eq11_violations_quantum"]) == 0
        assert int(h["clinf_violations_classical"]) == 0
        for kind, chi_fn in (("quantum", chi_quantum), ("classical", chi_classical)):
            hx, hy = h[f"D_{kind}"].values, h[f"chi_{kind}"].values
            assert np.all(np.diff(hx) > 0)
            d, chi = m[f"D_{kind}"].values, m[f"chi_{kind}"].values
            assert np.all(chi >= np.interp(d, hx, hy) - 1e-9)
            # the stored covariance of each vertex state gives the vertex
            cov = h[f"cov_{kind}"].values
            np.testing.assert_allclose(sync_distance(cov), hx, rtol=1e-13)
            np.testing.assert_allclose(chi_fn(cov, None, np.ones(n)), hy, rtol=1e-12,
                                       atol=1e-12)
            np.testing.assert_allclose(h[f"chi_per_mode_{kind}"], hy / n)

    for ext in ("pdf", "png"):
        assert (wd / f"figures/extensive.{ext}").stat().st_size > 10_000
    prov = json.loads((wd / "figures/extensive.provenance.json").read_text())
    assert set(prov["sources"]) == {f"results/extensive/hull_N{n}.nc" for n in NS}
    assert prov["parameters"]["n_modes"] == list(NS)
    assert prov["parameters"]["d_values"] == [0.1, 0.3, 0.5]
    for rule in ("measures_N2", "hull_N3", "figure"):
        assert (wd / f"results/benchmarks/extensive/{rule}.tsv").exists()
    log = (wd / "results/logs/extensive/hull_N4.log").read_text()
    assert "Eq. 11: 0 of 3000 states below it" in log


def test_nothing_to_do_after_run(ext_run):
    assert planned_jobs(ext_run, TARGET) == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("extensive: {plot: {n_max: 1000, d_values: [0.2]}}\n", {"extensive_figure": 1}),
        ("extensive: {kappa: 0.5}\n",
         {"extensive_measures": 3, "extensive_hull": 3, "extensive_figure": 1}),
        ("sampling: {seed: 8}\n", {}),  # Fig. 1's sampler is not this stage's business
    ],
    ids=["plot_option", "kappa", "fig1_seed"],
)
def test_what_reruns(ext_run, tmp_path, text, expected):
    wd = clone_run(ext_run, tmp_path / "clone")
    assert planned_jobs(wd, TARGET, configfiles=overlay(wd, "change.yaml", text)) == expected


def test_library_change_reruns_the_stage(ext_run, tmp_path):
    wd = clone_run(ext_run, tmp_path / "lib")
    lib = wd / "src/qsync/extensive.py"  # a content change: a bare touch is not enough, since
    lib.write_text(lib.read_text() + "\n# edited\n")  # Snakemake checksums small inputs
    assert planned_jobs(wd, TARGET) == {"extensive_measures": 3, "extensive_hull": 3,
                                        "extensive_figure": 1}


def test_adding_an_n_runs_only_that_n(ext_run, tmp_path):
    """A new N runs its two jobs and redraws the figure; the other N's files are untouched,
    and a forced rerun of an existing N writes the same bytes."""
    wd = clone_run(ext_run, tmp_path / "add")
    cfg = overlay(wd, "add.yaml", "extensive: {n_modes: [2, 3, 4, 5]}\n")
    assert planned_jobs(wd, TARGET, configfiles=cfg) == {
        "extensive_measures": 1, "extensive_hull": 1, "extensive_figure": 1}
    before = snapshot(wd)
    old = (wd / "results/extensive/measures_N3.nc").read_bytes()
    run_snakemake(wd, "--cores", "2", TARGET, configfiles=cfg)
    after = snapshot(wd)
    touched = {f for f in after if after[f] != before.get(f)}
    assert touched == {"results/extensive/measures_N5.nc", "results/extensive/states_N5.nc",
                       "results/extensive/hull_N5.nc", "figures/extensive.pdf",
                       "figures/extensive.png", "figures/extensive.provenance.json"}
    run_snakemake(wd, "--cores", "1", "--force", "results/extensive/measures_N3.nc",
                  configfiles=cfg)
    rerun = snapshot(wd)["results/extensive/measures_N3.nc"]
    assert rerun != after["results/extensive/measures_N3.nc"]  # rewritten, to the same bytes
    assert (wd / "results/extensive/measures_N3.nc").read_bytes() == old
