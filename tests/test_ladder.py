"""The γ-ladder's bookkeeping (issue 12): scaled models, convergence flags, agreement.

The flags decide what the ladder figure and the README call converged, so each criterion is
checked on both sides of its threshold with runs whose differences are set by hand; the
scaling of the model is checked against DimerParams built directly.
"""

from __future__ import annotations

import numpy as np
import pytest
import xarray as xr

from conftest import PAPER_MODEL
from qsync.dimer.ladder import LADDER_METHODS, LadderCriteria, exact_rung, gather_ladder, jump_rung
from qsync.dimer.model import DimerParams, dimer_params
from qsync.dimer.runs import run_dimer

TIMES = np.array([0.0, 0.5, 1.0])
CRIT = LadderCriteria()


def _exact(n_max, d, n, top=0.0):
    """A stand-in for a solve_exact output: D, n1 + n2 split evenly, top-sector weight."""
    d, n = np.broadcast_to(d, TIMES.shape), np.broadcast_to(n, TIMES.shape)
    ds = xr.Dataset({"D": ("time", d), "n1": ("time", n / 2), "n2": ("time", n / 2),
                     "chi": ("time", d + 1), "chi_gaussian": ("time", d + 0.5),
                     "truncation_weight": ("time", np.broadcast_to(top, TIMES.shape))},
                    coords={"time": TIMES})
    ds.attrs["n_max"] = n_max
    return ds


def _jumps(walkers, seed, d, d_err, n, n_err):
    """A stand-in for a combine_replicas output."""
    b = lambda x: np.broadcast_to(np.asarray(x, float), TIMES.shape)  # noqa: E731
    ds = xr.Dataset({"D": ("time", b(d)), "D_stderr": ("time", b(d_err)),
                     "n_total": ("time", b(n)), "n_total_stderr": ("time", b(n_err)),
                     "chi_gaussian": ("time", b(0.2)), "chi_gaussian_stderr": ("time", b(0.01))},
                    coords={"time": TIMES})
    ds.attrs.update(walkers=walkers, seed=seed, replicas=8)
    return ds


def test_dimer_params_scale_both_gammas_only():
    scaled = dimer_params(PAPER_MODEL, 3.0, gamma_factor=300)
    direct = DimerParams(**{**PAPER_MODEL, "k": 3.0, "gamma1": PAPER_MODEL["gamma1"] * 300,
                            "gamma2": PAPER_MODEL["gamma2"] * 300})
    assert scaled == direct
    with pytest.raises(ValueError, match="positive"):
        dimer_params(PAPER_MODEL, 1.0, gamma_factor=0)


def test_run_dimer_gamma_factor_is_the_scaled_model():
    times = np.array([0.0, 0.2])
    a = run_dimer("exact", PAPER_MODEL, 1.0, times, n_max=6, gamma_factor=1000)
    b = run_dimer("exact", {**PAPER_MODEL, "gamma1": PAPER_MODEL["gamma1"] * 1000,
                            "gamma2": PAPER_MODEL["gamma2"] * 1000}, 1.0, times, n_max=6)
    np.testing.assert_array_equal(a["D"].values, b["D"].values)
    c = run_dimer("exact", PAPER_MODEL, 1.0, times, n_max=6)
    assert abs(float(a["D"][-1] - c["D"][-1])) > 1e-3  # the factor matters at all


def test_exact_rung_converged_only_where_cutoffs_agree_and_top_is_empty():
    lower = _exact(30, [0.9, 0.8, 0.7], [4.0, 5.0, 6.0])
    upper = _exact(40, [0.9, 0.8 + 0.002, 0.7 + 0.004], [4.0, 5.0, 6.0], top=[0, 0, 0])
    r = exact_rung(lower, upper, CRIT)
    np.testing.assert_array_equal(r["converged"], [True, True, False])  # 0.004 > 0.003
    np.testing.assert_array_equal(r["D"], upper["D"])
    np.testing.assert_array_equal(r["D_check"], lower["D"])
    # the photon number: 0.4 % passes, 0.6 % does not
    upper2 = _exact(40, [0.9, 0.8, 0.7], [4.0 * 1.004, 5.0 * 1.006, 6.0])
    np.testing.assert_array_equal(exact_rung(lower, upper2, CRIT)["converged"],
                                  [True, False, True])
    # a populated top sector
    upper3 = _exact(40, [0.9, 0.8, 0.7], [4.0, 5.0, 6.0], top=[0, 2e-3, np.nan])
    np.testing.assert_array_equal(exact_rung(lower, upper3, CRIT)["converged"],
                                  [True, False, False])
    with pytest.raises(ValueError, match="larger cutoff"):
        exact_rung(upper, lower, CRIT)


def test_jump_rung_bias_check():
    large = _jumps(96, 2, 0.50, 0.003, 20.0, 0.2)
    s_comb = np.hypot(0.003, 0.004)
    # bias bound |ΔD| + σ_comb = 0.004 + 0.005 ≤ 0.01: converged
    ok = jump_rung(_jumps(24, 1, 0.504, 0.004, 20.0, 0.2), large, CRIT)
    assert ok["converged"].all()
    assert ok.attrs["walkers"] == 96 and ok.attrs["walkers_check"] == 24
    # 0.006 + 0.005 > 0.01: the larger population's bias may exceed the tolerance
    bad_d = jump_rung(_jumps(24, 1, 0.506, 0.004, 20.0, 0.2), large, CRIT)
    assert not bad_d["converged"].any()
    assert 0.006 + s_comb > CRIT.bias_D >= 0.004 + s_comb
    # a noisy small population does not hide a large change (consistent within 3σ, yet
    # the bound 0.046 + 0.03 is far above 0.01: the F = 100, k = 1 case of the ladder)
    noisy_small = jump_rung(_jumps(24, 1, 0.546, 0.03, 20.0, 0.2), large, CRIT)
    assert abs(0.046) <= CRIT.n_sigma * np.hypot(0.003, 0.03)
    assert not noisy_small["converged"].any()
    # <n1 + n2> inconsistent beyond 3σ
    bad_n = jump_rung(_jumps(24, 1, 0.50, 0.004, 20.0 - 4 * 0.2 * np.sqrt(2), 0.2), large, CRIT)
    assert not bad_n["converged"].any()
    # consistent but too noisy to be a result
    noisy = jump_rung(_jumps(24, 1, 0.5, 0.03, 20.0, 0.2), _jumps(96, 2, 0.5, 0.03, 20.0, 0.2),
                      CRIT)
    assert not noisy["converged"].any()
    assert np.isnan(ok["chi"]).all()  # the method gives no entropy
    with pytest.raises(ValueError, match="different seeds"):
        jump_rung(_jumps(24, 2, 0.5, 0.005, 20.0, 0.2), large, CRIT)
    with pytest.raises(ValueError, match="more walkers"):
        jump_rung(large, _jumps(24, 1, 0.5, 0.005, 20.0, 0.2), CRIT)


def _ladder(d_jump, d_err, n_jump):
    ex = exact_rung(_exact(30, 0.60, 25.0), _exact(40, 0.60, 25.0), CRIT)
    ju = jump_rung(_jumps(24, 1, d_jump, d_err, n_jump, 0.1),
                   _jumps(96, 2, d_jump, d_err, n_jump, 0.1), CRIT)
    rungs = {(100.0, 1.0, "exact"): ex, (100.0, 1.0, "jump_trajectories"): ju,
             (30.0, 1.0, "jump_trajectories"): ju}
    return gather_ladder(rungs, [100.0, 30.0], [1.0], TIMES, CRIT)


@pytest.mark.parametrize("d_jump, d_err, n_jump, agree", [
    (0.609, 0.001, 25.0, True),    # within 0.01
    (0.612, 0.0045, 25.0, True),   # within 3σ = 0.0135
    (0.620, 0.0045, 25.0, False),  # 0.02 > max(0.0135, 0.01)
    (0.600, 0.001, 25.4, True),    # 1.6 % in <n1 + n2>
    (0.600, 0.001, 25.6, False),   # 2.4 %
])
def test_gather_agreement_criterion(d_jump, d_err, n_jump, agree):
    lad = _ladder(d_jump, d_err, n_jump)
    assert lad["D"].dims == ("F", "k", "method", "time")
    assert list(lad["method"].values) == list(LADDER_METHODS)
    point = lad.sel(F=100.0, k=1.0)
    assert point["both_converged"].all()
    assert bool(point["agree"].all()) is agree
    np.testing.assert_allclose(point["D_difference"], d_jump - 0.60, atol=1e-12)
    # the rung without an exact run: NaN, never converged, never agreeing
    other = lad.sel(F=30.0, k=1.0)
    exact_other = other.sel({"method": "exact"})
    assert np.isnan(exact_other["D"]).all() and not exact_other["converged"].any()
    assert not other["agree"].any()


def test_gather_refuses_unknown_methods_and_other_grids():
    ex = exact_rung(_exact(30, 0.6, 25.0), _exact(40, 0.6, 25.0), CRIT)
    with pytest.raises(ValueError, match="unknown ladder methods"):
        gather_ladder({(1.0, 1.0, "wigner"): ex}, [1.0], [1.0], TIMES, CRIT)
    with pytest.raises(ValueError, match="another time grid"):
        gather_ladder({(1.0, 1.0, "exact"): ex}, [1.0], [1.0], TIMES[:2], CRIT)
