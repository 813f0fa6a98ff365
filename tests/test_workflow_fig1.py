"""The real Snakemake pipeline, end to end, on the small test config (Fig. 1 stages)."""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from conftest import copy_workflow, run_snakemake
from qsync.bounds import chi_inf_classical_two_mode, chi_min_quantum_two_mode
from qsync.io import open_netcdf

pytestmark = pytest.mark.workflow


def test_fig1_outputs(workflow_run):
    wd = workflow_run
    states = open_netcdf(wd / "results/states.nc")
    assert states["cov_quantum"].dims == ("state", "row", "col")
    assert states["mean_classical"].dims == ("state", "row")
    assert states.sizes["state"] == 20000
    assert states.attrs["param.sampling.seed"] == 7
    assert states.attrs["git_revision"] == "unknown"  # the copy is not a git checkout
    for key in ("qsync_version", "numpy_version", "scipy_version", "qutip_version",
                "xarray_version"):
        assert states.attrs[key]

    m = open_netcdf(wd / "results/measures/fig1.nc")
    assert set(m.data_vars) >= {"D_quantum", "chi_quantum", "D_classical", "chi_classical"}
    np.testing.assert_allclose(m.attrs["omega"], [1.0, 1.0])
    assert m["D_quantum"].min() >= 0 and m["D_quantum"].max() <= np.sqrt(2) + 1e-12
    assert np.all(m["chi_quantum"] >= chi_min_quantum_two_mode(m["D_quantum"], 1.0))

    dimer = open_netcdf(wd / "results/measures/dimer.nc")
    np.testing.assert_allclose(dimer.attrs["kappa"], 2 / 3)
    # D does not depend on the frequencies, χ does
    np.testing.assert_array_equal(dimer["D_quantum"], m["D_quantum"])
    assert not np.allclose(dimer["chi_quantum"], m["chi_quantum"])

    h = open_netcdf(wd / "results/hull/fig1.nc")
    for kind in ("quantum", "classical"):
        hx, hy = h[f"D_{kind}"].values, h[f"chi_{kind}"].values
        assert np.all(np.diff(hx) > 0)
        # every sample lies on or above the piecewise-linear hull
        d, chi = m[f"D_{kind}"].values, m[f"chi_{kind}"].values
        assert np.all(chi >= np.interp(d, hx, hy) - 1e-9)
        # the hull of the sample respects the derived classical infimum
        assert np.all(hy >= chi_inf_classical_two_mode(hx, 1.0, 1.0) - 1e-9)

    for ext in ("pdf", "png"):
        assert (wd / f"figures/fig1.{ext}").stat().st_size > 10_000
    prov = yaml.safe_load((wd / "figures/fig1.provenance.json").read_text())
    assert set(prov["sources"]) == {"results/measures/fig1.nc", "results/hull/fig1.nc"}


def test_nothing_to_do_after_full_run(workflow_run):
    proc = run_snakemake(workflow_run, "-n", "--cores", "1")
    assert "Nothing to be done" in proc.stdout + proc.stderr


def test_determinism_across_cores(workflow_run, tmp_path):
    """Same config, one core instead of two: every NetCDF file is bit-identical."""
    wd = copy_workflow(tmp_path / "one_core")
    run_snakemake(wd, "--cores", "1")
    files = sorted(p.relative_to(workflow_run) for p in (workflow_run / "results").rglob("*.nc"))
    assert len(files) > 20
    for rel in files:
        assert (wd / rel).read_bytes() == (workflow_run / rel).read_bytes(), rel


@pytest.mark.parametrize(
    ("overlay", "needle"),
    [
        ("sampling: {n_states: lots}", "sampling.n_states"),
        ("sampling: {n_states: -10}", "sampling.n_states"),
        ("sampling: {seeed: 3}", "sampling.seeed"),
        ("fig1: {n_plot: 2.5}", "fig1.n_plot"),
    ],
)
def test_bad_config_stops_before_any_job(tmp_path, overlay, needle):
    wd = copy_workflow(tmp_path / "bad")
    (wd / "config" / "bad.yaml").write_text(overlay + "\n")
    proc = run_snakemake(wd, "--cores", "1", configfiles=("config/test.yaml", "config/bad.yaml"),
                         check=False)
    assert proc.returncode != 0
    assert needle in proc.stdout + proc.stderr
    assert not (wd / "results" / "states.nc").exists()
