"""Random Gaussian-state samplers (SPEC §4, §8) against independent routes.

* The Wishart-ensemble covariance (i/2) coth(iΩH) Ω is compared with the covariance of
  ρ ∝ exp(−rᵀHr) built and measured in a truncated two-mode Fock space (QuTiP operators,
  exponentiated by a Hermitian eigendecomposition).
* Physicality of 10⁵ samples of each ensemble is checked by two routes that do not use the
  library: σ + iΩ/2 ≥ 0 (Hermitian eigenvalues) and brute-force symplectic eigenvalues.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import qutip as qt
import scipy.sparse as sp
from scipy.linalg import expm

from qsync.gaussian import is_physical, symplectic_form
from qsync.sampling import (
    SAMPLERS,
    haar_passive,
    sample_broad,
    sample_wishart,
    thermal_covariance_from_factor,
    thermal_covariance_of_quadratic,
)

CUTOFF = 24
N_PHYS = 100_000

# ---------------------------------------------------------------------------------------------
# Fock-space route for ρ ∝ exp(−rᵀHr)
# ---------------------------------------------------------------------------------------------


@functools.cache
def _quads():
    """Sparse truncated quadratures (x1, p1, x2, p2) and their products r_i r_j."""
    a = qt.tensor(qt.destroy(CUTOFF), qt.qeye(CUTOFF))
    b = qt.tensor(qt.qeye(CUTOFF), qt.destroy(CUTOFF))
    quads = []
    for op in (a, b):
        quads.append(sp.csr_matrix((op + op.dag()).full() / np.sqrt(2.0)))
        quads.append(sp.csr_matrix((op - op.dag()).full() / (1j * np.sqrt(2.0))))
    prods = [[(qi @ qj).tocsr() for qj in quads] for qi in quads]
    return quads, prods


def expect(rho: np.ndarray, op: sp.csr_matrix) -> float:
    """Re tr(ρ A) for a sparse A."""
    return float(np.real(op.multiply(rho.T).sum()))


def fock_gibbs_of_quadratic(h: np.ndarray) -> np.ndarray:
    """ρ = exp(−rᵀHr)/Z with rᵀHr built from the truncated quadrature matrices."""
    prods = _quads()[1]
    op = sum(h[i, j] * prods[i][j] for i in range(4) for j in range(4)).toarray()
    op = 0.5 * (op + op.conj().T)
    lam, vec = np.linalg.eigh(op)
    w = np.exp(-(lam - lam[0]))
    rho = (vec * w) @ vec.conj().T
    return rho / np.trace(rho).real


def fock_covariance(rho: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    quads, prods = _quads()
    mean = np.array([expect(rho, q) for q in quads])
    m = np.array([[expect(rho, prods[i][j]) for j in range(4)] for i in range(4)])
    return mean, m - np.outer(mean, mean)


def top_population(rho: np.ndarray, levels: int = 3) -> float:
    n1, n2 = np.meshgrid(np.arange(CUTOFF), np.arange(CUTOFF), indexing="ij")
    top = ((n1 >= CUTOFF - levels) | (n2 >= CUTOFF - levels)).ravel()
    return float(np.real(np.diag(rho))[top].sum())


def random_positive(rng, lo, hi, dim=4):
    q, _ = np.linalg.qr(rng.standard_normal((dim, dim)))
    return q @ np.diag(rng.uniform(lo, hi, dim)) @ q.T


@pytest.mark.parametrize("seed", [2, 3, 5])
def test_thermal_covariance_of_quadratic_vs_fock(seed):
    rng = np.random.default_rng(seed)
    h = random_positive(rng, 0.5, 3.0)
    rho = fock_gibbs_of_quadratic(h)
    assert top_population(rho) < 1e-12, "state does not fit the Fock cutoff"
    mean, cov = fock_covariance(rho)
    np.testing.assert_allclose(mean, 0.0, atol=1e-13)
    np.testing.assert_allclose(thermal_covariance_of_quadratic(h), cov, atol=1e-11)


def test_wishart_samples_vs_fock():
    """Wishart samples: the quantum covariance is that of exp(−rᵀHr) with the H for which
    the classical covariance is (2H)⁻¹ (the same H drives both). Low-energy samples fit."""
    s = sample_wishart(3000, scale=1.0, seed=5)
    n_photons = np.trace(s.cov_quantum, axis1=-2, axis2=-1) / 2 - 1
    for i in np.argsort(n_photons)[:2]:
        h = np.linalg.inv(2.0 * s.cov_classical[i])
        rho = fock_gibbs_of_quadratic(0.5 * (h + h.T))
        assert top_population(rho) < 1e-12
        mean, cov = fock_covariance(rho)
        np.testing.assert_allclose(s.cov_quantum[i], cov, atol=1e-11)
        np.testing.assert_allclose(s.mean_quantum[i], 0.0)
        np.testing.assert_allclose(s.mean_classical[i], 0.0)


def test_one_mode_closed_form():
    """One mode, H = h I: rᵀHr = 2h(n + ½), a thermal state with σ = ½ coth(h) I."""
    for h in (1e-3, 0.3, 2.0, 30.0):
        np.testing.assert_allclose(thermal_covariance_of_quadratic(h * np.eye(2)),
                                   0.5 / np.tanh(h) * np.eye(2), rtol=1e-13)


@pytest.mark.parametrize("eps", [1e-3, 1e-6, 1e-9, 1e-12])
def test_high_temperature_expansion(eps):
    """coth z = 1/z + z/3 + O(z³) gives σ(εH) = (2εH)⁻¹ − ε ΩHΩ/6 + O(ε³) (classical limit);
    the small-ε branch of the implementation must join smoothly."""
    rng = np.random.default_rng(7)
    h = random_positive(rng, 0.5, 2.0)
    omega = symplectic_form(2)
    expected = np.linalg.inv(2 * eps * h) - eps * omega @ h @ omega / 6
    got = thermal_covariance_of_quadratic(eps * h)
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=50 * eps**3 + 1e-16 / eps)


def random_symplectic(rng, n, scale):
    """S = exp(ΩG), G random symmetric (ΩG is Hamiltonian, so S is symplectic)."""
    g = rng.standard_normal((2 * n, 2 * n)) * scale
    return expm(symplectic_form(n) @ (g + g.T) / 2)


@pytest.mark.parametrize("n", [2, 3])
@pytest.mark.parametrize("case", ["generic", "degenerate", "near_degenerate", "squeezed",
                                  "cold", "hot"])
def test_williamson_form(n, case):
    """H = Sᵀ D S with S symplectic, D = ⊕ λ_j I: r' = S r are canonical quadratures, so
    exp(−rᵀHr) is a product of thermal states in r' and σ = S⁻¹ ⊕_j (½ coth λ_j I) S⁻ᵀ;
    the classical covariance is (2H)⁻¹ = ½ S⁻¹ D⁻¹ S⁻ᵀ."""
    rng = np.random.default_rng([n, len(case)])
    scale = {"squeezed": 1.2}.get(case, 0.4)
    lam = {
        "generic": rng.uniform(0.2, 3.0, n),
        "degenerate": np.full(n, 0.8),
        "near_degenerate": 0.8 + np.arange(n) * 1e-10,
        "squeezed": rng.uniform(0.2, 3.0, n),
        "cold": rng.uniform(20.0, 40.0, n),
        "hot": rng.uniform(1e-7, 1e-5, n),
    }[case]
    for _ in range(5):
        s = random_symplectic(rng, n, scale)
        s_inv = np.linalg.inv(s)
        h = s.T @ np.diag(np.repeat(lam, 2)) @ s
        h = 0.5 * (h + h.T)
        expected = s_inv @ np.diag(np.repeat(0.5 / np.tanh(lam), 2)) @ s_inv.T
        expected_cl = 0.5 * s_inv @ np.diag(np.repeat(1 / lam, 2)) @ s_inv.T
        f = np.linalg.cholesky(h)
        cov_q, cov_cl = thermal_covariance_from_factor(f)
        cond = np.linalg.cond(h)
        rtol = 2e-14 * cond  # measured worst case: 3e-16 cond
        scale_q = np.abs(expected).max()
        np.testing.assert_allclose(cov_q, expected, atol=rtol * scale_q)
        np.testing.assert_allclose(cov_cl, expected_cl, atol=rtol * np.abs(expected_cl).max())
        np.testing.assert_allclose(thermal_covariance_of_quadratic(h), expected,
                                   atol=rtol * scale_q)


def test_batched_equals_loop():
    rng = np.random.default_rng(9)
    hs = np.array([random_positive(rng, 0.1, 5.0) for _ in range(5)])
    batched = thermal_covariance_of_quadratic(hs)
    for h, c in zip(hs, batched, strict=True):
        np.testing.assert_allclose(thermal_covariance_of_quadratic(h), c, rtol=1e-14)


# ---------------------------------------------------------------------------------------------
# Physicality of large ensembles
# ---------------------------------------------------------------------------------------------


def brute_force_nu(cov: np.ndarray) -> np.ndarray:
    n = cov.shape[-1] // 2
    ev = np.sort(np.abs(np.linalg.eigvals(1j * symplectic_form(n) @ cov)), axis=-1)
    return 0.5 * (ev[..., 0::2] + ev[..., 1::2])


def assert_physical(cov: np.ndarray) -> None:
    assert np.all(is_physical(cov))
    # route 1: σ + iΩ/2 ≥ 0 within rounding of σ
    n = cov.shape[-1] // 2
    herm_min = np.linalg.eigvalsh(cov + 0.5j * symplectic_form(n))[..., 0]
    norm = np.linalg.norm(cov, 2, axis=(-2, -1))
    assert np.all(herm_min >= -1e-12 * np.maximum(1.0, norm))
    # route 2: brute-force symplectic eigenvalues
    nu = brute_force_nu(cov)
    assert np.all(nu[..., 0] >= 0.5 - 1e-10 * np.maximum(1.0, nu[..., -1]))


@pytest.fixture(scope="module")
def wishart():
    return sample_wishart(N_PHYS, seed=2024)


@pytest.fixture(scope="module")
def broad():
    return sample_broad(N_PHYS, seed=2024)


def test_wishart_physical(wishart):
    assert wishart.cov_quantum.shape == (N_PHYS, 4, 4)
    assert_physical(wishart.cov_quantum)
    np.testing.assert_array_equal(wishart.cov_quantum, np.swapaxes(wishart.cov_quantum, -1, -2))
    # classical covariances: symmetric positive definite
    assert np.all(np.linalg.eigvalsh(wishart.cov_classical)[:, 0] > 0)


def test_broad_physical(broad):
    assert_physical(broad.cov_quantum)
    np.testing.assert_array_equal(broad.cov_quantum, broad.cov_classical)
    np.testing.assert_array_equal(broad.mean_quantum, broad.mean_classical)


def test_wishart_three_modes_physical():
    s = sample_wishart(10_000, n_modes=3, seed=3)
    assert s.cov_quantum.shape == (10_000, 6, 6)
    assert_physical(s.cov_quantum)


def test_wishart_classical_is_inverse_of_2h_and_statistics(wishart):
    """σ_cl = (2H)⁻¹ with H = s XᵀX: E[H] = s·2N·I for 2N×2N iid standard normal X, and the
    quantum covariance belongs to the same H (well-conditioned samples)."""
    h = np.linalg.inv(2.0 * wishart.cov_classical)
    h = 0.5 * (h + np.swapaxes(h, -1, -2))
    mean_h = h[:20_000].mean(axis=0)
    # diagonal of XᵀX: χ²_4 (mean 4, sd √8); off-diagonal mean 0, sd 2
    se = 10.0 * np.sqrt(8.0 / 20_000)
    np.testing.assert_allclose(np.diag(mean_h), 40.0, atol=6 * se)
    off = mean_h[~np.eye(4, dtype=bool)]
    np.testing.assert_allclose(off, 0.0, atol=6 * 10.0 * 2.0 / np.sqrt(20_000))
    good = np.linalg.cond(h) < 1e3
    assert good.sum() > 100
    np.testing.assert_allclose(thermal_covariance_of_quadratic(h[good]),
                               wishart.cov_quantum[good], rtol=1e-9, atol=1e-12)


def test_wishart_scale_parameter():
    """H → λH: the classical covariance scales as 1/λ exactly (same seed, same X)."""
    a = sample_wishart(200, scale=10.0, seed=8)
    b = sample_wishart(200, scale=2.5, seed=8)
    np.testing.assert_allclose(b.cov_classical, 4.0 * a.cov_classical, rtol=1e-9)


# ---------------------------------------------------------------------------------------------
# Determinism and parameters
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SAMPLERS))
def test_determinism(name):
    sampler = SAMPLERS[name]
    a, b, c = sampler(500, seed=11), sampler(500, seed=11), sampler(500, seed=12)
    for field in ("cov_quantum", "mean_quantum", "cov_classical", "mean_classical"):
        np.testing.assert_array_equal(getattr(a, field), getattr(b, field))
    assert not np.allclose(a.cov_quantum, c.cov_quantum)
    assert not np.allclose(a.cov_classical, c.cov_classical)
    if name == "broad":
        assert not np.allclose(a.mean_quantum, c.mean_quantum)


def test_broad_default_purity_range(broad):
    """Purity 1/(2^N √det σ) = Π_j 1/(2n̄_j + 1) with n̄_j ∈ [1e-3, 1e2]."""
    pur = 1.0 / (4.0 * np.sqrt(np.linalg.det(broad.cov_quantum)))
    lo, hi = 1.0 / (2 * 100 + 1) ** 2, 1.0 / (2 * 1e-3 + 1) ** 2
    assert np.all((pur >= lo * (1 - 1e-8)) & (pur <= hi * (1 + 1e-8)))
    assert pur.min() < 3 * lo and pur.max() > 0.99 * hi


def test_broad_parameters_respected():
    n_min, n_max, r_max, disp = 0.1, 1.0, 0.5, 0.3
    s = sample_broad(20_000, squeezing_max=r_max, nbar_min=n_min, nbar_max=n_max,
                     displacement_scale=disp, seed=4)
    nu = brute_force_nu(s.cov_quantum)
    assert np.all(nu >= 0.5 + n_min - 1e-9) and np.all(nu <= 0.5 + n_max + 1e-9)
    assert nu.min() < 0.5 + 1.02 * n_min and nu.max() > 0.5 + 0.98 * n_max
    # log-uniform occupations: E[ln n̄] = (ln n_min + ln n_max)/2, sd (ln n_max/n_min)/√12
    ln_n = np.log(nu - 0.5).ravel()
    se = np.log(n_max / n_min) / np.sqrt(12 * ln_n.size)
    assert abs(ln_n.mean() - 0.5 * np.log(n_min * n_max)) < 6 * se
    # squeezing: σ = S diag(ν) Sᵀ with ‖S‖ ≤ e^{r_max}, so eig(σ) ∈ [ν_min e^{−2r}, ν_max e^{2r}]
    eig = np.linalg.eigvalsh(s.cov_quantum)
    assert np.all(eig[:, 0] >= (0.5 + n_min) * np.exp(-2 * r_max) * (1 - 1e-9))
    assert np.all(eig[:, -1] <= (0.5 + n_max) * np.exp(2 * r_max) * (1 + 1e-9))
    # displacements: iid N(0, disp²)
    assert abs(s.mean_quantum.std() - disp) < 0.02 * disp
    assert abs(s.mean_quantum.mean()) < 6 * disp / np.sqrt(s.mean_quantum.size)


def test_broad_squeezing_reaches_bound():
    """Nearly pure samples: 2σ ≈ S Sᵀ, whose largest eigenvalue is e^{2 max|r_j|} ≤ e^{2 r_max}."""
    r_max = 1.3
    s = sample_broad(5000, squeezing_max=r_max, nbar_min=1e-9, nbar_max=2e-9, seed=6)
    lam = np.linalg.eigvalsh(2.0 * s.cov_quantum)
    assert lam[:, -1].max() <= np.exp(2 * r_max) * (1 + 1e-7)
    assert lam[:, -1].max() >= 0.97 * np.exp(2 * r_max)
    assert lam[:, 0].min() >= np.exp(-2 * r_max) * (1 - 1e-7)
    # pure: symplectic eigenvalues ½ (within 2e-9 + rounding)
    np.testing.assert_allclose(brute_force_nu(s.cov_quantum), 0.5, atol=1e-8)


def test_sampler_argument_validation():
    with pytest.raises(ValueError):
        sample_broad(10, nbar_min=1.0, nbar_max=0.5)
    with pytest.raises(ValueError):
        sample_wishart(0)
    with pytest.raises(ValueError):
        sample_broad(10, n_modes=0)


# ---------------------------------------------------------------------------------------------
# Haar-random passive transformations
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3])
def test_haar_passive_orthogonal_symplectic(n):
    o = haar_passive(np.random.default_rng(n), 2000, n)
    assert o.shape == (2000, 2 * n, 2 * n)
    eye = np.eye(2 * n)
    omega = symplectic_form(n)
    np.testing.assert_allclose(np.swapaxes(o, -1, -2) @ o, np.broadcast_to(eye, o.shape),
                               atol=1e-13)
    np.testing.assert_allclose(np.swapaxes(o, -1, -2) @ omega @ o,
                               np.broadcast_to(omega, o.shape), atol=1e-13)


@pytest.mark.parametrize("n", [2, 3])
def test_haar_passive_statistics(n):
    """U_11 = O[x1,x1] + i O[p1,x1]; for Haar U(N), |U_11|² ~ Beta(1, N−1) (mean 1/N,
    variance (N−1)/(N²(N+1))) and its phase is uniform."""
    m = 40_000
    o = haar_passive(np.random.default_rng(10 + n), m, n)
    u11 = o[:, 0, 0] + 1j * o[:, 1, 0]
    p = np.abs(u11) ** 2
    var = (n - 1) / (n**2 * (n + 1))
    assert abs(p.mean() - 1 / n) < 6 * np.sqrt(var / m)
    assert abs(p.var() - var) < 0.05 * var
    assert abs(np.mean(u11 / np.abs(u11))) < 6 / np.sqrt(m)
