"""Issue 7 library: N-mode samples, D (Eq. 6), χ, and the N-oscillator bounds (Eqs. 11–21).

Independent routes: Eq. 11 against Eq. 12 and against a closed form of χ_min − χ_min^∞;
the N-mode D against Eq. 2 and against the pairwise identity of SPEC §2; χ of thermal states
of collective modes against a closed form in their eigenvalues; the wishart covariance against
a complex eigendecomposition of (i/2) coth(iΩH) Ω.

The paper's Eq. 11 is *not* weakened here. It fails for N ≥ 3 with the D of Eq. 6: random
samples fall below it for N ≥ 4 (strict xfail below, with the numbers) and explicit states (thermal
states of the collective modes, and the product Gibbs state for N ≥ 4) do too; see the README.
"""

from __future__ import annotations

import numpy as np
import pytest

from qsync.bounds import (
    chi_inf_classical_equal,
    chi_min_asymptotic_classical,
    chi_min_asymptotic_quantum,
    chi_min_quantum,
    chi_min_quantum_two_mode,
    gibbs_distance,
)
from qsync.ergotropy import chi_classical, chi_quantum
from qsync.extensive import (
    BOUND_TOL,
    block_seed,
    frequencies,
    hull_dataset,
    measures_and_candidates,
    regenerate_states,
    state_measures,
)
from qsync.gaussian import entropy_function, is_physical, symplectic_form, sync_distance
from qsync.hull import interpolate_hull
from qsync.sampling import sample_broad, sample_wishart

SEED = 20240709
N_TEST = 20_000  # states per N in the sample checks


@pytest.fixture(scope="module")
def samples():
    """(measures, states) for N = 2…8 at the default seed, cached for the module."""
    cache = {}

    def get(n):
        if n not in cache:
            cache[n] = measures_and_candidates(n, N_TEST, SEED)
        return cache[n]

    return get


# --- Eq. 11 and its limits -------------------------------------------------------------------

D_GRID = np.linspace(0.01, np.sqrt(2.0), 50)


@pytest.mark.parametrize("kap", [1.0, 2 / 3, 0.25])
def test_eq11_at_two_oscillators_is_eq12(kap):
    np.testing.assert_allclose(chi_min_quantum(D_GRID, 2, kap),
                               chi_min_quantum_two_mode(D_GRID, kap), rtol=1e-13, atol=1e-13)


@pytest.mark.parametrize("kap", [1.0, 0.5])
@pytest.mark.parametrize("n", [2, 3, 8, 100, 10**4, 10**6])
def test_eq11_minus_asymptote_closed_form(n, kap):
    """χ_min − χ_min^∞ = 2 ln(D/(2√2)) − 2 − N ln N + (N−1) ln(N−1), independent of κ
    (expanding the logarithm of Eq. 11 by hand)."""
    d = D_GRID
    expected = 2 * np.log(d / (2 * np.sqrt(2))) - 2 - n * np.log(n) + (n - 1) * np.log(n - 1)
    got = chi_min_quantum(d, n, kap) - chi_min_asymptotic_quantum(d, n, kap)
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9 * n)


@pytest.mark.parametrize("d", [0.1, 0.3, 0.5, 1.0])
def test_eq20_ratio_tends_to_one(d):
    ns = np.array([2, 10, 10**2, 10**3, 10**4, 10**5, 10**6])
    ratio = np.array([chi_min_quantum(d, n, 1.0) / chi_min_asymptotic_quantum(d, n, 1.0)
                      for n in ns])
    gap = np.abs(ratio - 1)
    assert np.all(np.diff(gap[1:]) < 0)
    assert gap[-1] < 1e-5
    # the approach is ~ (ln N + 3 + 3 ln 2 − 2 ln D) / χ∞: slow, as in the figure
    lead = (np.log(ns[-1]) + 3 + 3 * np.log(2) - 2 * np.log(d)) / (-np.log(d**2 / 8))
    np.testing.assert_allclose(gap[-1] * ns[-1], lead, rtol=1e-4)


@pytest.mark.parametrize("d", [0.1, 0.5, 1.0])
def test_classical_infimum_per_mode_tends_to_eq21(d):
    """At κ = 1 the exact classical infimum / N → −ln(D²/2) (Eq. 21 / N)."""
    n = 10**7
    np.testing.assert_allclose(chi_inf_classical_equal(d, n) / n,
                               chi_min_asymptotic_classical(d, 1, 1.0), rtol=1e-5)


# --- D (Eq. 6) -------------------------------------------------------------------------------

def test_n_mode_distance_reduces_to_eq2():
    """Eq. 6 at N = 2 against Eq. 2 written out: ⟨(r2 − r1)²⟩ / ⟨r²⟩ from the moments."""
    s = sample_broad(500, n_modes=2, seed=11)
    for cov, mean in ((s.cov_quantum, s.mean_quantum), (sample_wishart(500, 2, seed=3)
                                                          .cov_quantum, None)):
        m = cov if mean is None else cov + mean[:, :, None] * mean[:, None, :]
        diff = (m[:, 0, 0] + m[:, 2, 2] - 2 * m[:, 0, 2]) + (m[:, 1, 1] + m[:, 3, 3]
                                                              - 2 * m[:, 1, 3])
        eq2 = np.sqrt(diff / np.trace(m, axis1=1, axis2=2))
        np.testing.assert_allclose(sync_distance(cov, mean), eq2, rtol=1e-12)


@pytest.mark.parametrize("n", [3, 5, 8])
def test_n_mode_distance_pairwise_identity(n):
    """Σ_{i<j} ⟨|r_i − r_j|²⟩ = (N/2) D² ⟨r²⟩ (SPEC §2), with displacements."""
    s = sample_broad(200, n_modes=n, seed=n)
    m = s.cov_quantum + s.mean_quantum[:, :, None] * s.mean_quantum[:, None, :]
    pair = np.zeros(len(m))
    for i in range(n):
        for j in range(i + 1, n):
            for q in (0, 1):
                a, b = 2 * i + q, 2 * j + q
                pair += m[:, a, a] + m[:, b, b] - 2 * m[:, a, b]
    d = sync_distance(s.cov_quantum, s.mean_quantum)
    np.testing.assert_allclose(pair, 0.5 * n * d**2 * np.trace(m, axis1=1, axis2=2),
                               rtol=1e-11)


@pytest.mark.parametrize("n", [2, 3, 8])
def test_product_gibbs_state(n):
    """Product Gibbs state at one temperature: χ = 0 (quantum and classical), D² = 2(1 − 1/N)."""
    om = np.ones(n)
    cov = 1.7 * np.eye(2 * n)
    assert abs(chi_quantum(cov, None, om)) < 1e-12
    assert abs(chi_classical(cov, None, om)) < 1e-12
    np.testing.assert_allclose(sync_distance(cov), gibbs_distance(n), rtol=1e-14)


# --- the N-mode sample -----------------------------------------------------------------------

@pytest.mark.parametrize("n", [3, 5])
def test_wishart_covariance_independent_route(n):
    """σ = (i/2) coth(iΩH) Ω by a complex eigendecomposition of ΩH, against the sampler."""
    rng = np.random.default_rng(n)
    x = rng.standard_normal((2 * n, 2 * n))
    h = 10.0 * x.T @ x
    w, v = np.linalg.eig(symplectic_form(n) @ h)
    f = v @ np.diag(1j / 2 / np.tanh(1j * w)) @ np.linalg.inv(v)
    ref = (f @ symplectic_form(n)).real
    from qsync.sampling import thermal_covariance_of_quadratic
    np.testing.assert_allclose(thermal_covariance_of_quadratic(h[None])[0], ref, rtol=1e-9,
                               atol=1e-12)


@pytest.mark.parametrize("n", [2, 3, 8])
def test_samples_physical_and_finite(n):
    s = regenerate_states(n, 3000, SEED, 10.0, np.arange(0, 3000, 7), block_size=1000)
    assert np.all(is_physical(s.cov_quantum))
    assert np.all(np.linalg.eigvalsh(s.cov_classical) > 0)
    m = state_measures(s, frequencies(n))
    for v in m.values():
        assert np.all(np.isfinite(v))
    assert np.all((m["D_quantum"] >= 0) & (m["D_quantum"] <= np.sqrt(2) + 1e-12))


def test_seeding_blocks_and_appending():
    """Block seeds differ per N and per block; more states only append; regenerating a state
    from (seed, N, index) gives its stored measures exactly."""
    seeds = {block_seed(SEED, n, b) for n in (2, 3, 4) for b in range(3)}
    assert len(seeds) == 9
    m12, _ = measures_and_candidates(3, 1200, SEED, block_size=500)
    m15, _ = measures_and_candidates(3, 1500, SEED, block_size=500)
    for v in m12.data_vars:
        np.testing.assert_array_equal(m15[v].values[:1200], m12[v].values)
    idx = np.array([0, 499, 500, 1234, 1499])
    s = regenerate_states(3, 1500, SEED, 10.0, idx, block_size=500)
    again = state_measures(s, frequencies(3))
    for k, v in again.items():
        np.testing.assert_array_equal(v, m15[k].values[idx])


def test_frequency_spread():
    np.testing.assert_array_equal(frequencies(3), [1.0, 1.0, 1.0])
    om = frequencies(5, 0.4)
    assert om[0] == 0.4 and om[-1] == 1.0
    np.testing.assert_allclose(np.diff(om), 0.15)
    m, _ = measures_and_candidates(4, 500, SEED, kappa=0.4)
    assert m.attrs["kappa"] == 0.4
    m1, _ = measures_and_candidates(4, 500, SEED)
    np.testing.assert_array_equal(m["D_quantum"], m1["D_quantum"])  # D ignores ω
    assert np.all(m["chi_quantum"].values != m1["chi_quantum"].values)


@pytest.mark.parametrize("n", [2, 3, 5])
def test_hull_vertices_carry_their_states(samples, n):
    m, st = samples(n)
    h = hull_dataset(m, st)
    assert set(h["state_quantum"].values) <= set(st["state_index"].values)
    omega = np.asarray(h.attrs["omega"])
    for kind in ("quantum", "classical"):
        cov = h[f"cov_{kind}"].values
        d = sync_distance(cov)
        chi = (chi_quantum if kind == "quantum" else chi_classical)(cov, None, omega)
        np.testing.assert_allclose(d, h[f"D_{kind}"].values, rtol=1e-13)
        np.testing.assert_allclose(chi, h[f"chi_{kind}"].values, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(h[f"chi_per_mode_{kind}"], h[f"chi_{kind}"] / n)
        below = m[f"chi_{kind}"].values - interpolate_hull(h[f"D_{kind}"].values,
                                                           h[f"chi_{kind}"].values,
                                                           m[f"D_{kind}"].values)
        assert np.nanmin(below) >= -1e-9


# --- the bounds on every sample --------------------------------------------------------------

@pytest.mark.parametrize("n", [2, 3, 4, 5, 6, 8])
def test_samples_respect_classical_infimum(samples, n):
    """SPEC §3 infimum (equal frequencies): proven for classical densities; the quantum
    samples satisfy it too (checked, not proven)."""
    m, _ = samples(n)
    for kind in ("classical", "quantum"):
        margin = m[f"chi_{kind}"].values - chi_inf_classical_equal(m[f"D_{kind}"].values, n)
        assert margin.min() >= -BOUND_TOL, (kind, margin.min())


# Measured with the default seed (README): smallest χ − Eq. 11 over the quantum samples.
EQ11_VIOLATED = {
    5: "20 000 states: 25 below Eq. 11, by up to 0.42 (2·10⁵ states: 239, up to 0.93)",
    6: "20 000 states: 169 below Eq. 11, by up to 1.17 (2·10⁵ states: 1644, up to 1.29)",
    8: "20 000 states: 1167 below Eq. 11, by up to 2.13 (2·10⁵ states: 11603, up to 2.71)",
}


@pytest.mark.parametrize("n", [
    2, 3, 4,
    *[pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=f"Eq. 11 fails at N = {n}: "
                                              + why)) for n, why in EQ11_VIOLATED.items()],
])
def test_samples_respect_eq11(samples, n):
    """Every quantum sample above the paper's Eq. 11 (tolerance 1e-9). Holds for N ≤ 4 at this
    sample size (smallest margin 0.15 at N = 4; at 2·10⁵ states N = 4 has 2 violations, by up
    to 0.036); fails for N ≥ 5 (strict xfail: if it ever passes, the finding must be revisited)."""
    m, _ = samples(n)
    margin = m["chi_quantum"].values - chi_min_quantum(m["D_quantum"].values, n, 1.0)
    assert margin.min() >= -BOUND_TOL, f"{np.sum(margin < -BOUND_TOL)} states, min {margin.min()}"


# --- explicit states below Eq. 11 ------------------------------------------------------------

def _collective_thermal(n, d, lam_perp):
    """σ = A ⊗ I₂, A with eigenvalue λ₁ on (1, …, 1)/√N and λ⊥ on its complement: the thermal
    state of a quadratic Hamiltonian in the collective modes (physical for λ ≥ ½). D fixes
    λ₁ = λ⊥ (N − 1)(2/D² − 1). Returns (σ, χ by the closed form N g(trA/N) − Σ g(λ))."""
    lam1 = lam_perp * (n - 1) * (2 / d**2 - 1)
    a = lam_perp * np.eye(n) + (lam1 - lam_perp) * np.ones((n, n)) / n
    tr = lam1 + (n - 1) * lam_perp
    chi = (n * entropy_function(tr / n) - entropy_function(lam1)
           - (n - 1) * entropy_function(lam_perp))
    return np.kron(a, np.eye(2)), chi


@pytest.mark.parametrize("n", [2, 3, 4, 8])
@pytest.mark.parametrize("d", [0.1, 0.3, 0.5, 1.0])
@pytest.mark.parametrize("lam_perp", [0.5, 2.0, 1e3])
def test_collective_thermal_states_against_eq11(n, d, lam_perp):
    """Library χ, D equal the closed forms; as λ⊥ → ∞ χ → the classical infimum, which lies
    below Eq. 11 for every N ≥ 3 (so Eq. 11 fails there) and above Eq. 12 for N = 2."""
    cov, chi_closed = _collective_thermal(n, d, lam_perp)
    om = np.ones(n)
    assert is_physical(cov)
    np.testing.assert_allclose(sync_distance(cov), d, rtol=1e-12)
    chi = chi_quantum(cov, None, om)
    np.testing.assert_allclose(chi, chi_closed, rtol=1e-9, atol=1e-10)
    clinf = chi_inf_classical_equal(d, n)
    assert chi >= clinf - 1e-9
    if lam_perp == 1e3:
        np.testing.assert_allclose(chi, clinf, atol=1e-5)
        if n == 2:
            assert chi > chi_min_quantum(d, 2, 1.0)
        else:
            assert chi < chi_min_quantum(d, n, 1.0) - 0.07


def test_eq11_positive_at_the_gibbs_state():
    """The product Gibbs state (χ = 0) sits at D² = 2(1 − 1/N); Eq. 11 there is < 0 for
    N ≤ 3 and > 0 for N ≥ 4: the equilibrium state itself violates it."""
    at_gibbs = np.array([chi_min_quantum(gibbs_distance(n), n, 1.0) for n in range(2, 13)])
    assert np.all(at_gibbs[:2] < 0) and np.all(at_gibbs[2:] > 0)
    np.testing.assert_allclose(at_gibbs[[2, 6]], [0.7726, 5.6246], atol=1e-4)  # N = 4, 8
