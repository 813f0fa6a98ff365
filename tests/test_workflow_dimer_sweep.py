"""The real pipeline for Figs. 2 and 3 on the small test config: files, contents, physics."""

from __future__ import annotations

import numpy as np
import pytest

from qsync.bounds import chi_min_quantum_two_mode
from qsync.dimer.saddle import SaddleSettings
from qsync.grid import grid_axes
from qsync.io import open_netcdf
from qsync.phase_diagram.classical import classical_d_final
from qsync.phase_diagram.large_n import large_n_point
from workflow_tools import merged_config

pytestmark = pytest.mark.workflow


@pytest.fixture(scope="module")
def cfg():
    return merged_config("config/test.yaml")


def test_dimer_runs(workflow_run, cfg):
    kap = 2 / 3
    for k in cfg["dimer"]["k_values"]:
        ds = open_netcdf(workflow_run / f"results/dimer/exact/k_{k:g}.nc")
        assert ds["D"].dims == ("time",)
        assert ds.sizes["time"] == cfg["dimer"]["n_times"]
        for var in ("n1", "n2", "c_real", "c_imag", "chi", "chi_gaussian", "L",
                    "truncation_weight"):
            assert var in ds, var
        assert ds.attrs["param.n_max"] == cfg["dimer"]["n_max"]
        assert ds.attrs["param.k"] == k
        # Eq. 12 holds at every trajectory point (the exact χ and its Gaussian lower bound);
        # a run that broke down in double precision is NaN from then on, and says when
        ok = np.isfinite(ds["D"].values)
        assert ok.all() or np.isfinite(ds.attrs["breakdown_time"])
        assert ok.sum() > 1
        d, chi, chi_g = (ds[v].values[ok] for v in ("D", "chi", "chi_gaussian"))
        bound = chi_min_quantum_two_mode(d, kap)
        assert np.all(chi >= bound - 1e-9)
        assert np.all(chi_g >= bound - 1e-9)
        assert np.all(chi >= chi_g - 1e-9)
    # the exact k -> -k symmetry survives the whole pipeline
    plus = open_netcdf(workflow_run / "results/dimer/exact/k_1.nc")
    minus = open_netcdf(workflow_run / "results/dimer/exact/k_-1.nc")
    np.testing.assert_allclose(plus["D"] ** 2 + minus["D"] ** 2, 2.0, atol=1e-9)
    np.testing.assert_allclose(plus["chi"], minus["chi"], atol=1e-9)


def test_convergence_study(workflow_run, cfg):
    study = open_netcdf(workflow_run / "results/dimer/convergence.nc")
    conv = cfg["dimer"]["convergence"]
    assert study["D"].dims == ("n_max", "k", "time")
    np.testing.assert_array_equal(study["n_max"], conv["n_max"])
    np.testing.assert_array_equal(study["k"], conv["k_values"])
    # the default cutoff's runs are reused, not recomputed differently
    main = open_netcdf(workflow_run / "results/dimer/exact/k_1.nc")
    np.testing.assert_array_equal(study["D"].sel(n_max=cfg["dimer"]["n_max"], k=1), main["D"])
    for ext in ("pdf", "png"):
        assert (workflow_run / f"figures/dimer_convergence.{ext}").stat().st_size > 5000
        assert (workflow_run / f"figures/fig2.{ext}").stat().st_size > 5000


def test_sweeps(workflow_run, cfg):
    s = cfg["sweep"]
    k, dw = grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"], s["delta_omega"]["min"],
                      s["delta_omega"]["max"], s["delta_omega"]["n"])
    q = open_netcdf(workflow_run / "results/sweep/quantum.nc")
    c = open_netcdf(workflow_run / "results/sweep/classical.nc")
    stride = s["quantum"]["stride"]
    assert stride > 1  # the default's every-2nd-point quantum panel
    for ds, step in ((q, stride), (c, 1)):
        assert ds["D"].dims == ("k", "delta_omega")
        np.testing.assert_array_equal(ds["k"], k[::step])
        np.testing.assert_array_equal(ds["delta_omega"], dw[::step])
    assert np.all(np.isfinite(c["D"]))
    # a quantum point has a value or a recorded failure (breakdown), never silent garbage
    assert np.all(np.isfinite(q["D"]) | np.isfinite(q["failure_time"]))
    assert "truncation_weight" in q and "n_traj" in c
    # the large-N sweep (the default) records per point which method produced it, and fills
    # -k from +k by the exact symmetry D(-k)^2 = 2 - D(k)^2: check its corners against
    # points solved independently at both signs (these calls do not use the symmetry)
    qs = s["quantum"]
    assert q.attrs["method"] == qs["method"] == "large_n"
    assert set(np.unique(q["method_used"])) == {0, 1}  # exact at k = 0, the saddle elsewhere
    settings = SaddleSettings(**{key: cfg["dimer"]["large_n"][key]
                                 for key in ("error_coefficient", "bvp_tol")})
    for kv in (k.min(), k.max()):
        for w in (dw[0], dw[-1]):
            point = {**cfg["model"], "omega2": cfg["model"]["omega1"] + float(w)}
            res = large_n_point(point, float(kv), s["t_final"], n_max=qs["n_max"],
                                n_max_check=qs["n_max_check"], settings=settings,
                                n_times=qs["n_times"], truncation=qs["truncation"],
                                n_top=qs["n_top"], propagator=qs["propagator"])
            assert int(q["method_used"].sel(k=kv, delta_omega=w)) == res["method_used"] == 1
            assert float(q["D"].sel(k=kv, delta_omega=w)) == pytest.approx(res["D"], abs=1e-6)
    assert abs(float(q["D"].sel(k=k.max(), delta_omega=dw[0])) - 1.0) > 0.01
    # chunked classical sweep equals one sweep of the whole grid, bit for bit
    m = cfg["model"]
    whole = classical_d_final(
        k, dw, omega1=m["omega1"], gamma1=m["gamma1"], gamma2=m["gamma2"], beta=m["beta"],
        n_traj=s["classical"]["n_traj"], dt=s["classical"]["dt"], seed=s["classical"]["seed"],
        t_final=s["t_final"], noise=s["classical"]["noise"])
    np.testing.assert_array_equal(c["D"].values, whole["D"].values)
    for ext in ("pdf", "png"):
        assert (workflow_run / f"figures/fig3.{ext}").stat().st_size > 5000
