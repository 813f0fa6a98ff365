"""Weighted jump trajectories (qsync.dimer.jump_trajectories) against the exact block solver.

Independent routes (SPEC §8): the exact truncated-Fock solution of Eq. 8
(:func:`qsync.dimer.solve_exact`, complete photon-number sectors, cutoff checked converged
here through its top-level population) where both converge; the exact symmetry k → −k
(SPEC §5: D(−k)² = 2 − D(k)²) between independent runs; the O(1/M) population-control bias at
two walker numbers; bit-identical results for any split of the replicas.
"""

from __future__ import annotations

import numpy as np
import pytest

from conftest import PAPER_MODEL, paper_params
from qsync.dimer.jump_trajectories import (
    JumpSettings,
    band_priors,
    combine_replicas,
    concat_replicas,
    extrapolate_walkers,
    run_replicas,
    solve_jumps,
)
from qsync.dimer.model import DimerParams
from qsync.dimer.quantum import solve_exact


def scaled(k: float, factor: float) -> DimerParams:
    """The paper's parameters (config/config.yaml) with both γ scaled by ``factor``."""
    return paper_params(k=k, gamma1=PAPER_MODEL["gamma1"] * factor,
                        gamma2=PAPER_MODEL["gamma2"] * factor)


EDGES = (0, 6, 12, 20, 30, 44)

# (γ factor, k, output times, exact cutoff on n1 + n2, time the bands are merged)
CASES = [
    (3000.0, 5.0, np.array([0.0, 0.15, 0.3, 0.45]), 40, None),
    (300.0, 1.0, np.array([0.0, 0.3, 0.6, 0.9]), 40, 0.3),
    (1000.0, 5.0, np.array([0.0, 0.1, 0.2, 0.3]), 50, None),
]


def _exact(params, times, n_max):
    ex = solve_exact(params, n_max, times, n_top=1, truncation="total", propagator="krylov")
    # the reference must itself be converged: no population near the cutoff
    assert float(ex.attrs["max_truncation_weight"]) < 1e-4
    return ex


@pytest.mark.parametrize("factor,k,times,n_max,merge_time", CASES)
def test_agrees_with_exact_solver(factor, k, times, n_max, merge_time):
    """D and ⟨n1 + n2⟩ within 3σ of the exact solution at every output time t > 0."""
    params = scaled(k, factor)
    ex = _exact(params, times, n_max)
    settings = JumpSettings(walkers=40, band_edges=EDGES, merge_time=merge_time)
    js = solve_jumps(params, times, settings, replicas=8, seed=12)
    n_exact = (ex["n1"] + ex["n2"]).values
    # t = 0: the stratified thermal start (exact prior per band)
    assert js["D"].values[0] == pytest.approx(1.0, abs=1e-12)
    assert js["n_total"].values[0] == pytest.approx(n_exact[0], rel=5e-3)
    for name, ref in (("D", ex["D"].values), ("n_total", n_exact),
                      ("log_trace", ex["log_trace"].values)):
        err = js[name + "_stderr"].values[1:]
        assert np.all(err > 0)
        dev = np.abs(js[name].values[1:] - ref[1:])
        assert np.all(dev <= 3 * err), (name, dev / err)
    # the estimate is not trivially wide: the errors are small against the signal
    assert np.all(js["D_stderr"].values[1:] < 0.03)


def test_population_control_bias_below_error():
    """Two walker numbers (M = 16, 64) agree within their combined error (O(1/M) bias)."""
    params = scaled(5.0, 300.0)
    times = np.array([0.0, 0.15, 0.3])
    runs = [solve_jumps(params, times, JumpSettings(walkers=m, band_edges=EDGES), replicas=8,
                        seed=5) for m in (16, 64)]
    for name in ("D", "n_total"):
        diff = np.abs(runs[0][name].values[1:] - runs[1][name].values[1:])
        comb = np.hypot(runs[0][name + "_stderr"].values[1:], runs[1][name + "_stderr"].values[1:])
        assert np.all(diff <= 3 * comb), (name, diff / comb)


def test_k_mirror_symmetry_independent_runs():
    """D(−k)² = 2 − D(k)² (SPEC §5) between independently seeded runs, within errors."""
    times = np.array([0.0, 0.2, 0.4])
    settings = JumpSettings(walkers=32, band_edges=EDGES)
    plus = solve_jumps(scaled(5.0, 3000.0), times, settings, replicas=8, seed=1)
    minus = solve_jumps(scaled(-5.0, 3000.0), times, settings, replicas=8, seed=2)
    d_p, d_m = plus["D"].values[1:], minus["D"].values[1:]
    assert np.all(d_p < 0.9) and np.all(d_m > 1.1)  # synchronizing vs anti-synchronizing
    s = d_p**2 + d_m**2 - 2.0
    err = np.hypot(2 * d_p * plus["D_stderr"].values[1:], 2 * d_m * minus["D_stderr"].values[1:])
    assert np.all(np.abs(s) <= 3 * err), s / err
    # the photon number does not depend on the sign of k
    diff = np.abs(plus["n_total"].values[1:] - minus["n_total"].values[1:])
    comb = np.hypot(plus["n_total_stderr"].values[1:], minus["n_total_stderr"].values[1:])
    assert np.all(diff <= 3 * comb)


@pytest.mark.parametrize("extra", [{}, {"twist_time": 0.2, "twist_nmax": 20},
                                   {"twist_time": 0.2, "twist_nmax": 20, "twist_steps": 3},
                                   {"twist_kind": "number", "twist_slope": 0.1},
                                   {"guide_time": 0.1, "guide": "svd_undamped"}])
def test_replica_split_is_bit_identical(extra):
    """Replicas computed in one job or in two, in any order, combine to identical bits."""
    params = scaled(1.0, 300.0)
    times = np.array([0.0, 0.1, 0.2])
    settings = JumpSettings(walkers=8, band_edges=(0, 8, 20), **extra)
    one = combine_replicas(run_replicas(params, times, settings, 7, range(4)), params)
    parts = [run_replicas(params, times, settings, 7, r) for r in ([3, 1], [0, 2])]
    two = combine_replicas(concat_replicas(parts), params)
    for name in one.data_vars:
        assert np.array_equal(one[name].values, two[name].values), name
    other = combine_replicas(run_replicas(params, times, settings, 8, range(4)), params)
    assert not np.array_equal(one["D"].values[1:], other["D"].values[1:])


def test_band_priors_sum_to_one():
    """The strata's exact thermal masses add up to the thermal mass below the top edge."""
    params = scaled(1.0, 1.0)
    edges = (0, 3, 10, 40, 200)
    total = np.exp(band_priors(params, edges)).sum()
    x1, x2 = params.beta0 * params.omega1, params.beta0 * params.omega2
    n = np.arange(200)
    # P(N0 < 200) from the convolution of the two geometric distributions
    p1 = (1 - np.exp(-x1)) * np.exp(-x1 * n)
    p2 = (1 - np.exp(-x2)) * np.exp(-x2 * n)
    assert total == pytest.approx(np.convolve(p1, p2)[:200].sum(), rel=1e-12)


def test_walker_extrapolation_removes_one_over_m_bias():
    """Richardson in 1/M recovers X_∞ from X_M = X_∞ + b/M and propagates the errors."""
    import xarray as xr

    names = ("n1", "n2", "n_total", "c_real", "c_imag", "D", "chi_gaussian")
    truth = {name: np.array([0.5, 1.5]) for name in names}

    def fake(m, seed):
        data = {}
        for name in names:
            data[name] = ("time", truth[name] + 3.0 / m)
            data[name + "_stderr"] = ("time", np.array([0.1, 0.2]))
        return xr.Dataset(data, coords={"time": [0.0, 1.0]}, attrs={"walkers": m, "seed": seed})

    out = extrapolate_walkers(fake(10, 0), fake(40, 1))
    for name in names:
        assert np.allclose(out[name].values, truth[name])
        assert np.allclose(out[name + "_bias"].values, 3.0 / 40)
    assert np.allclose(out["D_stderr"].values, np.hypot(4 * np.array([0.1, 0.2]), [0.1, 0.2]) / 3)
    with pytest.raises(ValueError):
        extrapolate_walkers(fake(10, 0), fake(40, 0))


def test_twisted_resampling_removes_population_bias():
    """F = 100, k = 1: plain resampling is biased at M = 24 (too few photons); twisted is not.

    Twisted resampling (JumpSettings.twist_time) selects walkers ∝ W⟨ψ|Q(τ_h)|ψ⟩ with Q the
    adjoint evolution of the identity (docs/research/large-photon-solver.md, "Twisted
    resampling"); it is exact for any twist, so it must agree with the exact solver within 3σ
    where the plain method at the same population does not.
    """
    params = scaled(1.0, 100.0)
    times = np.array([0.0, 0.5, 1.0])
    ex = _exact(params, times, 75)  # n = 90 moves D(1) by 0.0017, N(1) by 0.18
    n_exact = (ex["n1"] + ex["n2"]).values
    edges = (0, 16, 32, 48, 64, 96)
    twisted = solve_jumps(params, times, JumpSettings(walkers=24, band_edges=edges,
                                                       twist_time=0.5, twist_nmax=40),
                          replicas=8, seed=3)
    for name, ref in (("D", ex["D"].values), ("n_total", n_exact)):
        dev = np.abs(twisted[name].values[1:] - ref[1:])
        assert np.all(dev <= 3 * twisted[name + "_stderr"].values[1:]), name
    plain = solve_jumps(params, times, JumpSettings(walkers=24, band_edges=edges), replicas=8,
                        seed=3)
    # the plain population misses the amplified histories at t = 1 (D too high by > 3σ)
    assert plain["D"].values[2] - ex["D"].values[2] > 3 * plain["D_stderr"].values[2]
