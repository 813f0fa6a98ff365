"""The large-photon-number saddle (qsync.dimer.saddle) against independent routes.

- its bifurcation against the closed-form divergence time of the undamped dynamics (SPEC §5b);
- the scaling α → α/√F under γ → Fγ (D unchanged, N ∝ 1/F) between independent runs;
- the exact symmetry k → −k between independent runs;
- the envelope theorem: d(max Σ)/dt = H(α*, 0) = 2k Re(α1*α2), against the collocated Σ;
- the exact block-Fock solver on the γ-ladder: the difference is O(1/N) with the coefficient
  the error estimate assumes, and shrinks as N grows.
"""

import numpy as np
import pytest

from qsync.dimer.model import dimer_params
from qsync.dimer.quantum import solve_exact
from qsync.dimer.saddle import SaddleSettings, solve_saddle, undamped_divergence_time

MODEL = dict(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087, gamma2=0.0016, beta=0.05,
             beta0=None)


@pytest.fixture(scope="module")
def k1_runs():
    times = np.array([0.0, 0.42, 0.45, 0.5, 0.6, 0.61, 1.0, 2.0, 3.0, 5.0])
    return times, {(k, f): solve_saddle(dimer_params(MODEL, k, f), times)
                   for k, f in ((1.0, 1.0), (1.0, 100.0), (-1.0, 1.0))}


@pytest.fixture(scope="module")
def k3_run():
    return solve_saddle(dimer_params(MODEL, 3.0, 1000.0), [0.0, 1.0, 2.0])


def test_divergence_time_matches_spec():
    # SPEC §5b (computed there by another script): 0.077, 0.129, 0.412; none for |k| < 0.596
    for k, expected in ((5, 0.077), (3, 0.129), (1, 0.412), (-1, 0.412)):
        t_star = undamped_divergence_time(dimer_params(MODEL, k), 10.0)
        assert t_star == pytest.approx(expected, abs=6e-4)
    assert undamped_divergence_time(dimer_params(MODEL, 0.58), 10.0) == np.inf
    assert np.isfinite(undamped_divergence_time(dimer_params(MODEL, 0.62), 10.0))


def test_saddle_bifurcates_at_the_divergence_time(k1_runs):
    times, runs = k1_runs
    ds = runs[(1.0, 1.0)]
    t_star = ds.attrs["divergence_time"]
    assert 0.41 < t_star < 0.42
    assert not ds["saddle"].sel(time=0.0) and np.isnan(float(ds["D"].sel(time=0.0)))
    assert bool(ds["saddle"].sel(time=0.42))  # 0.008 after t*
    n = ds["n_total"]
    # the maximum leaves α = 0 continuously: N grows from ~0 at t* to its plateau (~2100)
    assert float(n.sel(time=0.42)) < 0.1 * float(n.sel(time=5.0))
    assert np.all(np.diff(n.sel(time=[0.42, 0.45, 0.5, 0.6, 1.0]).values) > 0)
    assert float(n.sel(time=5.0)) == pytest.approx(2129, rel=0.01)  # research notes' WKB probe
    assert float(ds["D"].sel(time=5.0)) == pytest.approx(0.5542, abs=2e-4)


def test_k_below_threshold_has_no_saddle():
    ds = solve_saddle(dimer_params(MODEL, 0.5), [0.0, 5.0, 10.0])
    assert not ds["saddle"].any()
    assert np.isnan(ds["D"]).all() and ds.attrs["divergence_time"] == np.inf


def test_gamma_scaling(k1_runs):
    _, runs = k1_runs
    a, b = runs[(1.0, 1.0)], runs[(1.0, 100.0)]
    ok = a["saddle"].values
    assert ok.sum() >= 8 and np.array_equal(ok, b["saddle"].values)
    np.testing.assert_allclose(a["D"].values[ok], b["D"].values[ok], rtol=0, atol=2e-6)
    np.testing.assert_allclose(a["n_total"].values[ok], 100 * b["n_total"].values[ok], rtol=2e-5)
    np.testing.assert_allclose(a["log_trace"].values[ok], 100 * b["log_trace"].values[ok],
                               rtol=1e-4, atol=1e-3)


def test_k_mirror_symmetry(k1_runs):
    _, runs = k1_runs
    plus, minus = runs[(1.0, 1.0)], runs[(-1.0, 1.0)]
    ok = plus["saddle"].values
    np.testing.assert_allclose(minus["D"].values[ok] ** 2, 2 - plus["D"].values[ok] ** 2,
                               atol=5e-6)
    np.testing.assert_allclose(minus["n_total"].values[ok], plus["n_total"].values[ok],
                               rtol=1e-5)


def test_growth_of_the_maximum_is_two_hc(k1_runs):
    _, runs = k1_runs
    ds = runs[(1.0, 1.0)]
    # envelope theorem for ∂_tΣ = H: d(max Σ)/dt = H(α*, 0) = 2k Re(α1* α2)
    slope = float(ds["log_trace"].sel(time=0.61) - ds["log_trace"].sel(time=0.6)) / 0.01
    growth = 2 * 1.0 * float(ds["c_real"].sel(time=0.6) + ds["c_real"].sel(time=0.61)) / 2
    assert slope == pytest.approx(growth, rel=2e-3)


@pytest.mark.parametrize("k, n_max", [(1.0, 30), (3.0, 40)])
def test_against_the_exact_solver_on_the_ladder(k, n_max, k1_runs, k3_run):
    # k = 1 from the F = 1 run and k = 3 from F = 1000, rescaled: N ∝ 1/F (tested above)
    saddle, f_run = (k1_runs[1][(1.0, 1.0)], 1.0) if k == 1 else (k3_run, 1000.0)
    d_s = float(saddle["D"].sel(time=2.0))
    coefficient = []
    for factor in (3000.0, 1000.0):
        ex = solve_exact(dimer_params(MODEL, k, factor), n_max, [0.0, 2.0], propagator="krylov")
        assert float(ex["truncation_weight"].max()) < 1e-3
        d_e, n_e = float(ex["D"][-1]), float(ex["n1"][-1] + ex["n2"][-1])
        n_s = float(saddle["n_total"].sel(time=2.0)) * f_run / factor
        # the O(1/N) corrections: within the error estimate, and of its assumed form
        assert abs(d_e - d_s) <= SaddleSettings().error_coefficient / n_e
        assert 2.5 < n_e - n_s < SaddleSettings().error_coefficient
        coefficient.append((d_e - d_s) * n_e)
    # (D_exact − D_saddle)·N roughly constant as N doubles: the leading order is the limit
    assert coefficient[0] > 0 and coefficient[1] > 0
    assert abs(coefficient[1] - coefficient[0]) < 0.2 * coefficient[0]


def test_continuation_path_does_not_change_the_result():
    """Fig. 3's output times are 1.0 apart (a continuation step that size lost the saddle at
    k = 2, Δω = −4); the continuation refines them to steps of ``t_step`` and starts each solve
    from the previous solution thinned to ``guess_nodes`` nodes. Other steps and another
    thinning reach the same D and N to the collocation's accuracy (bvp_tol = 10⁻⁴ leaves
    ~10⁻⁶ in D, benchmarks/bench_saddle.py; another branch or a lost saddle differs by 10⁻²)."""
    params = dimer_params({**MODEL, "omega2": 2 * np.pi - 4.0}, 2.0)
    coarse = solve_saddle(params, np.linspace(0.0, 10.0, 11))
    other = solve_saddle(params, np.linspace(0.0, 10.0, 11),
                         SaddleSettings(t_step=0.1, guess_nodes=500))
    assert coarse["saddle"].values[1:].all()
    assert np.all(coarse["n_total"].values[1:] > 8000)  # a developed state, not the bifurcation
    np.testing.assert_allclose(other["D"].values[1:], coarse["D"].values[1:], rtol=0, atol=1e-5)
    # N to 10⁻⁴ (~1 photon of ~9000; the error estimate is 5 photons)
    np.testing.assert_allclose(other["n_total"].values[1:], coarse["n_total"].values[1:],
                               rtol=1e-4)
