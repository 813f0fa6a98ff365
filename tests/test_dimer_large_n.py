"""The exact-then-saddle composite (qsync.dimer.large_n): which method each time takes, and
that its values are the two solvers' own."""

import numpy as np
import pytest

from qsync.dimer.large_n import solve_large_n
from qsync.dimer.method_flags import METHOD_EXACT, METHOD_SADDLE
from qsync.dimer.model import dimer_params
from qsync.dimer.quantum import solve_exact
from qsync.dimer.saddle import SaddleSettings, solve_saddle

MODEL = dict(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087, gamma2=0.0016, beta=0.05,
             beta0=None)
TIMES = np.array([0.0, 0.2, 0.4, 0.43, 0.5, 1.0])


@pytest.fixture(scope="module")
def k1():
    params = dimer_params(MODEL, 1.0)
    ds = solve_large_n(params, TIMES, n_max=20, truncation_tolerance=1e-3, max_error=0.02)
    return params, ds


def test_methods_split_at_the_divergence_time(k1):
    params, ds = k1
    t_star = ds.attrs["divergence_time"]
    early = TIMES <= t_star
    assert early.sum() == 3
    np.testing.assert_array_equal(ds["method_used"], np.where(early, METHOD_EXACT,
                                                              METHOD_SADDLE))
    exact = solve_exact(params, 20, TIMES[early])
    np.testing.assert_array_equal(ds["D"].values[early], exact["D"].values)
    np.testing.assert_array_equal(ds["chi"].values[early], exact["chi"].values)
    saddle = solve_saddle(params, TIMES)
    np.testing.assert_array_equal(ds["D"].values[~early], saddle["D"].values[~early])
    assert np.isnan(ds["chi"].values[~early]).all()  # only the Gaussian lower bound is known
    assert np.isfinite(ds["chi_gaussian"].values).all()


def test_converged_follows_each_methods_check(k1):
    _, ds = k1
    early = ds["method_used"].values == METHOD_EXACT
    expected = np.where(early, ds["truncation_weight"].values <= 1e-3,
                        ds["D_error"].values <= 0.02)
    np.testing.assert_array_equal(ds["converged"].values, expected)
    # 0.018 after t* the saddle holds ~200 photons (error estimate 5/N > 0.02): not converged;
    # at t = 1 it holds ~2000
    assert not ds["converged"].sel(time=0.43) and ds["converged"].sel(time=1.0)
    n = ds["n_total"].sel(time=1.0)
    assert float(ds["D_error"].sel(time=1.0)) == pytest.approx(
        SaddleSettings().error_coefficient / float(n))


def test_small_k_is_exact_throughout():
    ds = solve_large_n(dimer_params(MODEL, 0.5), [0.0, 1.0, 2.0], n_max=20,
                       truncation_tolerance=1e-3, max_error=0.02)
    assert (ds["method_used"] == METHOD_EXACT).all() and ds.attrs["divergence_time"] == np.inf
    assert np.isnan(ds["D_error"]).all()
