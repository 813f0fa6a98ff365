"""Gaussian-state formulas of the foundation library against an independent route (SPEC §8).

States are built in a truncated two-mode Fock space with QuTiP (thermal states, single- and
two-mode squeezers, beam splitters, displacements and combinations of them). From the Fock
density matrix the tests compute directly: the quadrature moments, D from the operator
expression of Eq. 2, the von Neumann entropy from the eigenvalues of ρ, the energy tr(ρ H0),
and χ by numerical minimization over β of the relative entropy S(ρ‖ρ_G(β)) (Gibbs state in
the same truncated space). The covariance and mean extracted from the Fock state are then
fed to the library and the two routes are compared.

Photon numbers are kept small (≲ 0.7 per mode) and a guard asserts that the population of
the top Fock levels is negligible, so that truncation errors are far below the tolerances.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
import qutip as qt
import scipy.sparse as sp
from scipy.linalg import expm
from scipy.optimize import minimize_scalar
from scipy.sparse.linalg import expm_multiply
from scipy.special import logsumexp

from qsync.ergotropy import chi_quantum, relative_entropy_to_thermal
from qsync.gaussian import (
    energy,
    is_physical,
    purity,
    second_moments,
    symplectic_eigenvalues,
    symplectic_form,
    sync_distance,
    von_neumann_entropy,
)

CUTOFF = 24  # Fock levels per mode
OMEGA_SETS = [(1.0, 1.0), (1.0, 1.7)]

# ---------------------------------------------------------------------------------------------
# Fock-space construction
# ---------------------------------------------------------------------------------------------


@functools.cache
def _ops():
    """Dense two-mode operators: annihilators a, b, quadratures (x1, p1, x2, p2), levels."""
    a = qt.tensor(qt.destroy(CUTOFF), qt.qeye(CUTOFF))
    b = qt.tensor(qt.qeye(CUTOFF), qt.destroy(CUTOFF))
    quads = []
    for op in (a, b):
        quads.append((op + op.dag()) / np.sqrt(2.0))
        quads.append((op - op.dag()) / (1j * np.sqrt(2.0)))
    n1, n2 = np.meshgrid(np.arange(CUTOFF), np.arange(CUTOFF), indexing="ij")
    return a, b, [q.full() for q in quads], n1.ravel(), n2.ravel()


@functools.cache
def _quad_products():
    """Sparse quadratures r_i and products r_i r_j of the truncated quadrature matrices."""
    quads = [sp.csr_matrix(q) for q in _ops()[2]]
    return quads, [[(qi @ qj).tocsr() for qj in quads] for qi in quads]


def expect(rho: np.ndarray, op) -> float:
    """Re tr(ρ A) for a sparse A, without forming the product."""
    return float(np.real(sp.csr_matrix(op).multiply(rho.T).sum()))


def _conjugate(rho: np.ndarray, gen: qt.Qobj) -> np.ndarray:
    """U ρ U† with U = exp(G), G anti-Hermitian, by sparse exp-multiply (no dense expm)."""
    g = sp.csr_matrix(gen.full())
    x = expm_multiply(g, rho)  # U ρ
    return expm_multiply(g, x.conj().T)  # U (U ρ)† = U ρ U†


def _apply(rho: np.ndarray, step: tuple) -> np.ndarray:
    a, b, _, _, _ = _ops()
    kind, *par = step
    if kind in ("sq1", "sq2"):  # single-mode squeezer exp((z* a² − z a†²)/2) (QuTiP convention)
        op = a if kind == "sq1" else b
        z = par[0]
        gen = 0.5 * (np.conj(z) * op * op - z * op.dag() * op.dag())
    elif kind == "tms":  # two-mode squeezer exp(z* a b − z a† b†)
        z = par[0]
        gen = np.conj(z) * a * b - z * a.dag() * b.dag()
    elif kind == "bs":  # beam splitter exp(θ (e^{iφ} a† b − e^{−iφ} a b†))
        theta, phi = par
        gen = theta * (np.exp(1j * phi) * a.dag() * b - np.exp(-1j * phi) * a * b.dag())
    elif kind == "disp":  # displacement exp(α a† − α* a) on each mode
        gen = (par[0] * a.dag() - np.conj(par[0]) * a) + (par[1] * b.dag() - np.conj(par[1]) * b)
    else:  # pragma: no cover
        raise ValueError(kind)
    return _conjugate(rho, gen)


@functools.cache
def fock_state(recipe: tuple) -> np.ndarray:
    """Dense density matrix: product thermal state (n1, n2), then the listed unitaries."""
    (_, n1, n2), *steps = recipe
    rho = qt.tensor(qt.thermal_dm(CUTOFF, n1), qt.thermal_dm(CUTOFF, n2)).full()
    for step in steps:
        rho = _apply(rho, step)
    return 0.5 * (rho + rho.conj().T)


RECIPES = {
    "vacuum": (("th", 0.0, 0.0),),
    "thermal": (("th", 0.15, 0.3),),
    "squeezed1": (("th", 0.0, 0.1), ("sq1", 0.25 * np.exp(0.4j))),
    "squeezed_both": (("th", 0.05, 0.0), ("sq1", 0.2), ("sq2", -0.2j)),
    "two_mode_sq": (("th", 0.0, 0.0), ("tms", 0.3)),
    "two_mode_sq_thermal": (("th", 0.1, 0.2), ("tms", 0.25 * np.exp(0.7j))),
    "beam_split_sq": (("th", 0.0, 0.0), ("sq1", 0.25), ("bs", np.pi / 4, 0.3)),
    "beam_split_thermal": (("th", 0.5, 0.0), ("bs", np.pi / 4, 0.0)),
    "displaced_thermal": (("th", 0.05, 0.1), ("disp", 0.4 + 0.2j, -0.3j)),
    "combo": (
        ("th", 0.05, 0.1),
        ("sq1", 0.15),
        ("tms", 0.12 * np.exp(0.5j)),
        ("bs", 0.7, 1.1),
        ("disp", 0.25 - 0.15j, 0.2 + 0.1j),
    ),
    "combo_anti": (
        ("th", 0.15, 0.05),
        ("sq2", 0.15 * np.exp(1.3j)),
        ("bs", 0.4, 2.0),
        ("tms", -0.12),
        ("disp", 0.25j, -0.25j),
    ),
}


def top_population(rho: np.ndarray, levels: int = 3) -> float:
    """Population with n1 or n2 in the top ``levels`` Fock levels (truncation guard)."""
    _, _, _, n1, n2 = _ops()
    top = (n1 >= CUTOFF - levels) | (n2 >= CUTOFF - levels)
    return float(np.real(np.diag(rho))[top].sum())


def fock_moments(rho: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean d, symmetrized second moments M_ij = Re⟨r_i r_j⟩ and covariance σ = M − d dᵀ."""
    quads, prods = _quad_products()
    mean = np.array([expect(rho, q) for q in quads])
    m = np.array([[expect(rho, prods[i][j]) for j in range(4)] for i in range(4)])
    return mean, m, m - np.outer(mean, mean)


def fock_sync_distance(rho: np.ndarray) -> float:
    """Eq. 2 from operators: D² = ⟨(x2 − x1)² + (p2 − p1)²⟩ / ⟨x1² + p1² + x2² + p2²⟩."""
    num, den = _eq2_operators()
    return float(np.sqrt(expect(rho, num) / expect(rho, den)))


@functools.cache
def _eq2_operators():
    x1, p1, x2, p2 = _quad_products()[0]
    dx, dp = x2 - x1, p2 - p1
    return (dx @ dx + dp @ dp).tocsr(), (x1 @ x1 + p1 @ p1 + x2 @ x2 + p2 @ p2).tocsr()


def fock_entropy(rho: np.ndarray) -> float:
    """−Σ λ ln λ over the eigenvalues of ρ (rounding-level negative eigenvalues dropped)."""
    lam = np.linalg.eigvalsh(rho)
    assert lam.min() > -1e-13
    lam = lam[lam > 0]
    return float(-np.sum(lam * np.log(lam)))


def fock_levels(omegas) -> np.ndarray:
    """Diagonal of H0 = Σ_j ω_j (n_j + ½) in the truncated Fock basis."""
    _, _, _, n1, n2 = _ops()
    return omegas[0] * (n1 + 0.5) + omegas[1] * (n2 + 0.5)


def fock_energy(rho: np.ndarray, omegas) -> float:
    return float(np.real(np.diag(rho)) @ fock_levels(omegas))


def fock_chi(rho: np.ndarray, omegas, entropy: float) -> tuple[float, float]:
    """χ = min_β S(ρ‖ρ_G(β)) by numerical minimization over ln β (Eq. 10).

    ρ_G(β) = e^{−βH0}/Z is the Gibbs state in the same truncated space; it is diagonal in the
    Fock basis, so ln ρ_G = −βH0 − ln Z exactly and tr(ρ ln ρ_G) needs only diag(ρ).
    Returns (χ, β at the minimum).
    """
    levels = fock_levels(omegas)
    pops = np.real(np.diag(rho))
    tr_rho_ln_rho = -entropy

    def rel_ent(log_beta: float) -> float:
        beta = np.exp(log_beta)
        ln_rho_g = -beta * levels - logsumexp(-beta * levels)
        return tr_rho_ln_rho - pops @ ln_rho_g

    lo, hi = np.log(0.3), np.log(80.0)
    res = minimize_scalar(rel_ent, bounds=(lo, hi), method="bounded",
                          options={"xatol": 1e-11, "maxiter": 500})
    assert res.success
    assert lo + 0.05 < res.x < hi - 0.05, "minimum on the edge of the β window"
    beta = float(np.exp(res.x))
    gibbs = np.exp(-beta * levels - logsumexp(-beta * levels))
    assert top_population(np.diag(gibbs)) < 1e-10, "Gibbs state does not fit the cutoff"
    return float(res.fun), beta


# ---------------------------------------------------------------------------------------------
# Fock route vs Gaussian formulas
# ---------------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=sorted(RECIPES))
def state(request):
    rho = fock_state(RECIPES[request.param])
    assert abs(np.trace(rho).real - 1.0) < 1e-12
    assert top_population(rho) < 1e-12, f"{request.param}: truncation not negligible"
    mean, m, cov = fock_moments(rho)
    return request.param, rho, mean, m, cov, fock_entropy(rho)


def test_moments_consistent_and_physical(state):
    _, rho, mean, m, cov, _ = state
    np.testing.assert_allclose(second_moments(cov, mean), m, atol=1e-12)
    assert is_physical(cov)
    # purity tr ρ² from the Fock state vs 1/(4 √det σ)
    np.testing.assert_allclose(purity(cov), np.real(np.trace(rho @ rho)), rtol=1e-8)


def test_sync_distance_vs_operator_eq2(state):
    _, rho, mean, _, cov, _ = state
    np.testing.assert_allclose(sync_distance(cov, mean), fock_sync_distance(rho), rtol=1e-11)


def test_entropy_vs_fock_eigenvalues(state):
    name, _, _, _, cov, s_fock = state
    np.testing.assert_allclose(von_neumann_entropy(cov), s_fock, atol=1e-10)
    if name in ("vacuum", "two_mode_sq", "beam_split_sq"):  # pure states
        assert abs(s_fock) < 1e-9
        np.testing.assert_allclose(von_neumann_entropy(cov), 0.0, atol=1e-8)


@pytest.mark.parametrize("name", ["thermal", "beam_split_thermal"])
def test_phase_covariant_sync_distance(name):
    """SPEC §2: zero-mean phase-covariant states, D² = 1 − 2 Re⟨a1†a2⟩ / (n1 + n2 + 1)."""
    a, b, _, _, _ = _ops()
    rho = fock_state(RECIPES[name])
    c = expect(rho, (a.dag() * b).full())
    n1, n2 = expect(rho, (a.dag() * a).full()), expect(rho, (b.dag() * b).full())
    mean, _, cov = fock_moments(rho)
    np.testing.assert_allclose(mean, 0.0, atol=1e-14)
    expected = 1 - 2 * c / (n1 + n2 + 1)
    assert sync_distance(cov, mean) ** 2 == pytest.approx(expected, rel=1e-11)
    if name == "beam_split_thermal":  # 50:50 splitter of thermal n̄ = 0.5 and vacuum
        # (truncating the geometric distribution at 24 levels lowers n̄ by ~24·3⁻²⁴ ≈ 1e-10)
        assert abs(c) == pytest.approx(0.25, rel=1e-9)


@pytest.mark.parametrize("omegas", OMEGA_SETS, ids=["w=1,1", "w=1,1.7"])
def test_energy_vs_fock(state, omegas):
    _, rho, mean, _, cov, _ = state
    np.testing.assert_allclose(energy(cov, mean, omegas), fock_energy(rho, omegas), rtol=1e-10)


@pytest.mark.parametrize("omegas", OMEGA_SETS, ids=["w=1,1", "w=1,1.7"])
def test_chi_vs_fock_minimized_relative_entropy(state, omegas):
    name, rho, mean, _, cov, s_fock = state
    chi_lib = chi_quantum(cov, mean, omegas)
    if name == "vacuum":  # ground state: β_E = ∞; S(ρ‖ρ_G(β)) = ln Z + β E0 → 0 as β → ∞
        levels = fock_levels(omegas)
        beta = 60.0
        rel_ent = -s_fock + beta * fock_energy(rho, omegas) + logsumexp(-beta * levels)
        assert abs(rel_ent) < 1e-12
        assert chi_lib == pytest.approx(0.0, abs=1e-12)
        return
    chi_num, beta_num = fock_chi(rho, omegas, s_fock)
    np.testing.assert_allclose(chi_lib, chi_num, atol=1e-9)
    assert chi_num > -1e-9
    # SPEC §2: the minimizing Gibbs state has the energy of ρ
    levels = fock_levels(omegas)
    gibbs = np.exp(-beta_num * levels - logsumexp(-beta_num * levels))
    np.testing.assert_allclose(gibbs @ levels, fock_energy(rho, omegas), rtol=1e-6)


def test_chi_vacuum_is_zero():
    cov = np.eye(4) / 2
    for omegas in OMEGA_SETS:
        assert chi_quantum(cov, None, omegas) == pytest.approx(0.0, abs=1e-14)


@pytest.mark.parametrize("beta0", [1.5, 3.0])
@pytest.mark.parametrize("omegas", OMEGA_SETS, ids=["w=1,1", "w=1,1.7"])
def test_relative_entropy_to_thermal_vs_fock(state, omegas, beta0):
    """L = S(ρ‖ρ0) (Eq. 14) vs tr ρ (ln ρ − ln ρ0), ρ0 the truncated product thermal state.

    ρ0 (QuTiP's thermal_dm) is diagonal in the Fock basis, so ln ρ0 is the log of its diagonal.
    """
    _, rho, mean, _, cov, s_fock = state
    nbar = [1.0 / np.expm1(beta0 * w) for w in omegas]
    rho0 = qt.tensor(qt.thermal_dm(CUTOFF, nbar[0]), qt.thermal_dm(CUTOFF, nbar[1]))
    rho0 = rho0.full()
    assert top_population(rho0) < 1e-11
    diag0 = np.real(np.diag(rho0))
    assert np.array_equal(rho0, np.diag(diag0))
    l_fock = -s_fock - np.real(np.diag(rho)) @ np.log(diag0)
    l_lib = relative_entropy_to_thermal(von_neumann_entropy(cov), energy(cov, mean, omegas),
                                        beta0, omegas)
    np.testing.assert_allclose(l_lib, l_fock, atol=1e-9)


# ---------------------------------------------------------------------------------------------
# Special cases
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("omegas", [(1.0, 1.0), (1.0, 1.7), (2 * np.pi, 3 * np.pi)])
@pytest.mark.parametrize("beta", [0.05, 0.7, 3.0])
def test_product_gibbs_state_at_one_temperature(omegas, beta):
    nbar = 1.0 / np.expm1(beta * np.asarray(omegas))
    cov = np.diag(np.repeat(nbar + 0.5, 2))
    assert chi_quantum(cov, None, omegas) == pytest.approx(0.0, abs=1e-11)
    assert sync_distance(cov) == pytest.approx(1.0, abs=1e-14)


@pytest.mark.parametrize("omegas", OMEGA_SETS, ids=["w=1,1", "w=1,1.7"])
def test_product_gibbs_state_in_fock_space(omegas):
    beta = 1.9
    nbar = [1.0 / np.expm1(beta * w) for w in omegas]
    rho = fock_state((("th", nbar[0], nbar[1]),))
    mean, _, cov = fock_moments(rho)
    chi_num, beta_num = fock_chi(rho, omegas, fock_entropy(rho))
    assert chi_num == pytest.approx(0.0, abs=1e-9)
    assert beta_num == pytest.approx(beta, rel=1e-5)
    assert chi_quantum(cov, mean, omegas) == pytest.approx(0.0, abs=1e-9)
    assert fock_sync_distance(rho) == pytest.approx(1.0, abs=1e-12)
    assert sync_distance(cov, mean) == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("alpha", [0.3, 0.8 - 0.5j, 1.2j])
def test_coherent_pair(alpha):
    """|α⟩|α⟩: D² = 1/(2|α|² + 1), from the Fock state and from the analytic moments."""
    expected = 1.0 / (2.0 * abs(alpha) ** 2 + 1.0)
    psi = qt.tensor(qt.coherent(CUTOFF, alpha), qt.coherent(CUTOFF, alpha))
    rho = (psi * psi.dag()).full()
    assert top_population(rho) < 1e-11
    mean, _, cov = fock_moments(rho)
    assert fock_sync_distance(rho) ** 2 == pytest.approx(expected, rel=1e-10)
    assert sync_distance(cov, mean) ** 2 == pytest.approx(expected, rel=1e-10)
    alpha = complex(alpha)
    d = np.sqrt(2.0) * np.array([alpha.real, alpha.imag] * 2)
    assert sync_distance(np.eye(4) / 2, d) ** 2 == pytest.approx(expected, rel=1e-13)


@pytest.mark.parametrize("n", [3, 4, 6])
def test_coherent_copies_n_modes(n):
    """N copies of |α⟩: ⟨|Σ r_j|²⟩ = 2N²|α|² + N, ⟨r²⟩ = N(2|α|² + 1), so by Eq. 6
    D² = 2(N − 1) / (N (2|α|² + 1))."""
    alpha = 0.6 + 0.45j
    d = np.sqrt(2.0) * np.tile([alpha.real, alpha.imag], n)
    expected = 2.0 * (n - 1) / (n * (2 * abs(alpha) ** 2 + 1))
    assert sync_distance(np.eye(2 * n) / 2, d) ** 2 == pytest.approx(expected, rel=1e-13)


# ---------------------------------------------------------------------------------------------
# N-mode synchronization distance (Eq. 6 with ⟨r²⟩/N)
# ---------------------------------------------------------------------------------------------


def random_symplectic(rng: np.random.Generator, n: int, scale: float) -> np.ndarray:
    """S = exp(ΩG) with G random symmetric: ΩG is Hamiltonian, so S is symplectic."""
    g = rng.standard_normal((2 * n, 2 * n)) * scale
    return expm(symplectic_form(n) @ (g + g.T) / 2)


def random_state(rng, n, scale=0.5, nu=None, disp=1.0):
    if nu is None:
        nu = 0.5 + rng.exponential(1.0, n)
    s = random_symplectic(rng, n, scale)
    cov = s @ np.diag(np.repeat(nu, 2)) @ s.T
    return 0.5 * (cov + cov.T), disp * rng.standard_normal(2 * n), np.asarray(nu)


def test_eq6_reduces_to_eq2_at_two_modes():
    rng = np.random.default_rng(11)
    for _ in range(50):
        cov, mean, _ = random_state(rng, 2)
        m = cov + np.outer(mean, mean)
        r1sq = m[0, 0] + m[1, 1]
        r2sq = m[2, 2] + m[3, 3]
        diff = r1sq + r2sq - 2 * (m[0, 2] + m[1, 3])  # ⟨(r2 − r1)²⟩
        np.testing.assert_allclose(sync_distance(cov, mean) ** 2, diff / (r1sq + r2sq),
                                   rtol=1e-12)


@pytest.mark.parametrize("n", [3, 4])
def test_pairwise_identity_n_modes(n):
    """Σ_{i<j}⟨|r_i − r_j|²⟩ = (N/2) D² ⟨r²⟩ on random N-mode states (batched)."""
    rng = np.random.default_rng(100 + n)
    covs, means = zip(*[random_state(rng, n)[:2] for _ in range(40)], strict=True)
    covs, means = np.array(covs), np.array(means)
    d2 = sync_distance(covs, means) ** 2
    for cov, mean, d2_lib in zip(covs, means, d2, strict=True):
        m = cov + np.outer(mean, mean)
        pair_sum = 0.0
        for i in range(n):
            for j in range(i + 1, n):
                for q in (0, 1):  # x and p
                    a, b = 2 * i + q, 2 * j + q
                    pair_sum += m[a, a] + m[b, b] - 2 * m[a, b]
        r2 = np.trace(m)
        np.testing.assert_allclose(pair_sum, 0.5 * n * d2_lib * r2, rtol=1e-11)


@pytest.mark.parametrize("alpha", [0.5 + 0.3j, 40.0 - 25.0j])
def test_anti_phase_coherent_pair(alpha):
    """|α⟩|−α⟩: ⟨(r2 − r1)²⟩ = 2 + 8|α|², ⟨r²⟩ = 2 + 4|α|², so D² = (1 + 4|α|²)/(1 + 2|α|²) → 2."""
    expected = (1 + 4 * abs(alpha) ** 2) / (1 + 2 * abs(alpha) ** 2)
    d = np.sqrt(2.0) * np.array([alpha.real, alpha.imag, -alpha.real, -alpha.imag])
    assert sync_distance(np.eye(4) / 2, d) ** 2 == pytest.approx(expected, rel=1e-13)
    assert sync_distance(np.eye(4) / 2, d) <= np.sqrt(2.0)
    if abs(alpha) < 1:
        psi = qt.tensor(qt.coherent(CUTOFF, alpha), qt.coherent(CUTOFF, -alpha))
        rho = (psi * psi.dag()).full()
        assert fock_sync_distance(rho) ** 2 == pytest.approx(expected, rel=1e-10)


# ---------------------------------------------------------------------------------------------
# Symplectic eigenvalues: closed form / Cholesky route vs brute force
# ---------------------------------------------------------------------------------------------


def brute_force_nu(cov: np.ndarray) -> np.ndarray:
    """Moduli of the eigenvalues of iΩσ (each appears twice), ascending."""
    n = cov.shape[-1] // 2
    ev = np.sort(np.abs(np.linalg.eigvals(1j * symplectic_form(n) @ cov)), axis=-1)
    np.testing.assert_allclose(ev[..., 0::2], ev[..., 1::2], rtol=1e-6)
    return 0.5 * (ev[..., 0::2] + ev[..., 1::2])


def nu_tolerance(cov: np.ndarray, nu: np.ndarray) -> np.ndarray:
    """Rounding scale: ν is perturbed by ~ eps·cond(σ)·ν by rounding errors of σ."""
    return 50 * np.finfo(float).eps * np.linalg.cond(cov)[..., None] * nu


SEEDS = {"random": 1, "nearly_pure": 2, "squeezed": 3, "degenerate": 4, "pure_squeezed": 5}


@pytest.mark.parametrize(
    "kind,n",
    [("random", 2), ("nearly_pure", 2), ("squeezed", 2), ("degenerate", 2),
     ("pure_squeezed", 2), ("random", 3), ("squeezed", 3), ("random", 1)],
)
def test_symplectic_eigenvalues_vs_brute_force(kind, n):
    rng = np.random.default_rng([SEEDS[kind], n])
    covs, nus = [], []
    for _ in range(200):
        if kind == "random":
            nu, scale = 0.5 + rng.exponential(2.0, n), 0.6
        elif kind == "nearly_pure":
            nu, scale = 0.5 + 10.0 ** rng.uniform(-12, -6, n), 0.6
        elif kind == "squeezed":
            nu, scale = 0.5 + rng.exponential(2.0, n), 2.5
        elif kind == "degenerate":
            nu0 = 0.5 + rng.exponential(2.0)
            nu, scale = nu0 + np.array([0.0, 10.0 ** rng.uniform(-12, -4)]), 0.8
        else:  # pure_squeezed
            nu, scale = 0.5 + 10.0 ** rng.uniform(-12, -8, n), 2.5
        cov, _, nu = random_state(rng, n, scale=scale, nu=nu)
        covs.append(cov)
        nus.append(np.sort(nu))
    covs, nus = np.array(covs), np.array(nus)
    lib = symplectic_eigenvalues(covs)
    brute = brute_force_nu(covs)
    tol = nu_tolerance(covs, nus) + 1e-13
    assert np.all(np.abs(lib - nus) <= tol), np.max(np.abs(lib - nus) / tol)
    assert np.all(np.abs(brute - nus) <= tol), np.max(np.abs(brute - nus) / tol)
    if kind in ("squeezed", "pure_squeezed"):
        assert np.median(np.linalg.cond(covs)) > 1e3  # the construction is really squeezed
    if kind != "pure_squeezed":  # see test_is_physical_pure_strongly_squeezed
        assert np.all(is_physical(covs))


def two_mode_squeezed_vacuum(r: float) -> np.ndarray:
    """Exact covariance of the two-mode squeezed vacuum: ½[[cosh 2r I, sinh 2r Z], [.., ..]]."""
    c, s = np.cosh(2 * r) / 2, np.sinh(2 * r) / 2
    z = np.diag([1.0, -1.0])
    return np.block([[c * np.eye(2), s * z], [s * z, c * np.eye(2)]])


def test_two_mode_squeezed_vacuum_nu_and_entropy():
    for r in (0.3, 1.0, 2.0):
        cov = two_mode_squeezed_vacuum(r)
        np.testing.assert_allclose(symplectic_eigenvalues(cov), [0.5, 0.5], atol=1e-13)
        assert von_neumann_entropy(cov) == pytest.approx(0.0, abs=1e-11)
        # reduced state of one mode: thermal with n̄ = sinh² r, S = g(cosh(2r)/2)
        nbar = np.sinh(r) ** 2
        s_th = (nbar + 1) * np.log(nbar + 1) - nbar * np.log(nbar)
        assert von_neumann_entropy(cov[:2, :2]) == pytest.approx(s_th, rel=1e-12)


@pytest.mark.parametrize("r", [1.0, 2.0, 3.0, 4.0, 5.0, 6.0])
def test_is_physical_pure_strongly_squeezed(r):
    """A pure two-mode squeezed vacuum (exact covariance) is physical at any squeezing.

    Independent check that it is: σ + iΩ/2 ≥ 0 within eps·‖σ‖ (Hermitian eigenvalues).
    """
    cov = two_mode_squeezed_vacuum(r)
    herm_min = np.linalg.eigvalsh(cov + 0.5j * symplectic_form(2))[0]
    assert herm_min >= -10 * np.finfo(float).eps * np.linalg.norm(cov, 2)
    assert is_physical(cov)


def test_is_physical_rejects_unphysical():
    assert not is_physical(0.49 * np.eye(4))
    cov = two_mode_squeezed_vacuum(0.5)
    assert not is_physical(0.999 * cov)  # ν = 0.4995
    assert is_physical(1.0001 * cov)
    # mildly unphysical but strongly squeezed (cond σ ~ 10⁷): still rejected
    assert not is_physical(0.999 * two_mode_squeezed_vacuum(4.0))
    assert not is_physical(0.9 * two_mode_squeezed_vacuum(6.0))
    asym = cov.copy()
    asym[0, 2] += 1e-3
    assert not is_physical(asym)
    assert not is_physical(-np.eye(4))
