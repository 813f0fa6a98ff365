"""Gaussian states of N bosonic modes, vectorized over a leading batch axis.

Conventions (SPEC §1): quadratures ``r = (x1, p1, x2, p2, ...)`` with ``x = (a + a†)/√2``,
``p = (a − a†)/(i√2)``; covariance ``σ_ij = ½⟨{Δr_i, Δr_j}⟩`` (vacuum ``σ = I/2``);
second moments ``M = σ + d dᵀ``. Every function accepts arrays of shape ``(..., 2N, 2N)``
(and means ``(..., 2N)``) and broadcasts over the leading axes.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

__all__ = [
    "symplectic_form",
    "n_modes",
    "second_moments",
    "sync_distance",
    "symplectic_eigenvalues",
    "entropy_function",
    "von_neumann_entropy",
    "energy",
    "purity",
    "photon_number",
    "is_physical",
]


def symplectic_form(n: int) -> np.ndarray:
    """Ω = ⊕_j [[0, 1], [−1, 0]] for ``n`` modes (ordering x1, p1, x2, p2, ...)."""
    return np.kron(np.eye(n), np.array([[0.0, 1.0], [-1.0, 0.0]]))


def n_modes(cov: np.ndarray) -> int:
    """Number of modes of a (batched) covariance matrix."""
    dim = np.shape(cov)[-1]
    if dim % 2 or np.shape(cov)[-2] != dim:
        raise ValueError(f"covariance must be (..., 2N, 2N); got shape {np.shape(cov)}")
    return dim // 2


def second_moments(cov: np.ndarray, mean: np.ndarray | None = None) -> np.ndarray:
    """M = σ + d dᵀ, the symmetrized second moments ``½⟨{r_i, r_j}⟩``."""
    cov = np.asarray(cov, dtype=float)
    if mean is None:
        return cov
    mean = np.asarray(mean, dtype=float)
    return cov + mean[..., :, None] * mean[..., None, :]


def sync_distance(cov: np.ndarray, mean: np.ndarray | None = None) -> np.ndarray:
    """Synchronization distance D (Eq. 2 for two modes, Eq. 6 for N modes).

    D² = 2 (1 − ⟨|Σ_j r_j|²⟩ / (N ⟨r²⟩)), with r_j = (x_j, p_j). For N = 2 this is
    D² = ⟨(r2 − r1)²⟩/⟨r²⟩ = 1 − 2 (M_x1x2 + M_p1p2) / tr M (Eq. 2). The printed Eq. 6 divides
    ⟨r²⟩ by N²; only ⟨r²⟩/N reduces it to Eq. 2 at N = 2 (SPEC §2), which is what is used here.
    """
    m = second_moments(cov, mean)
    n = n_modes(m)
    total = np.trace(m, axis1=-2, axis2=-1)
    # ⟨|Σ r_j|²⟩ = Σ_ij (M_{x_i x_j} + M_{p_i p_j})
    summed = m[..., 0::2, 0::2].sum(axis=(-2, -1)) + m[..., 1::2, 1::2].sum(axis=(-2, -1))
    d2 = 2.0 * (1.0 - summed / (n * total))
    # rounding can push D² a hair below 0 for perfectly synchronized states
    return np.sqrt(np.clip(d2, 0.0, None))


def symplectic_eigenvalues(cov: np.ndarray) -> np.ndarray:
    """Symplectic eigenvalues ν_k (ascending), the moduli of the eigenvalues of iΩσ.

    Two modes use the closed form of SPEC §2: Δ = det A + det B + 2 det C,
    ν₊² = (Δ + √(Δ² − 4 det σ))/2 and ν₋ = √det σ / ν₊, with the discriminant evaluated
    without cancellation (see the code). N modes use σ = L Lᵀ (Cholesky): LᵀΩL is
    antisymmetric and similar to Ωσ, so the ν_k are the positive eigenvalues of the
    Hermitian matrix i LᵀΩL.
    """
    cov = np.asarray(cov, dtype=float)
    n = n_modes(cov)
    if n == 1:
        det = cov[..., 0, 0] * cov[..., 1, 1] - cov[..., 0, 1] * cov[..., 1, 0]
        return np.sqrt(det)[..., None]
    if n == 2:
        a, b, c = cov[..., :2, :2], cov[..., 2:, 2:], cov[..., :2, 2:]
        delta = _det2(a) + _det2(b) + 2.0 * _det2(c)
        det = np.linalg.det(cov)
        # Δ² − 4 det σ = (ν₊² − ν₋²)² cancels catastrophically when ν₊ ≈ ν₋ (errors ~ √eps).
        # (Ωσ)² has eigenvalues −ν±² (each twice), so M = (Ωσ)² + (Δ/2) I has ±(ν₊² − ν₋²)/2
        # and tr(M²) gives the discriminant with absolute, not square-root, rounding errors.
        a_mat = cov[..., [1, 0, 3, 2], :] * _OMEGA_SIGNS  # Ωσ without a matrix product
        m = a_mat @ a_mat
        m[..., _DIAG, _DIAG] += 0.5 * delta[..., None]
        disc = np.einsum("...ij,...ji->...", m, m)
        nu_plus = np.sqrt((delta + np.sqrt(np.clip(disc, 0.0, None))) / 2.0)
        nu_minus = np.sqrt(np.clip(det, 0.0, None)) / nu_plus
        return np.stack([nu_minus, nu_plus], axis=-1)
    chol = np.linalg.cholesky(cov)
    omega = symplectic_form(n)
    k = np.swapaxes(chol, -1, -2) @ omega @ chol
    eig = np.linalg.eigvalsh(1j * k)  # ascending, ±ν pairs
    return eig[..., n:]


_OMEGA_SIGNS = np.array([1.0, -1.0, 1.0, -1.0])[:, None]
_DIAG = np.arange(4)


def _det2(m: np.ndarray) -> np.ndarray:
    return m[..., 0, 0] * m[..., 1, 1] - m[..., 0, 1] * m[..., 1, 0]


def entropy_function(nu: np.ndarray) -> np.ndarray:
    """g(ν) = (ν+½) ln(ν+½) − (ν−½) ln(ν−½), the entropy of a thermal mode with σ = ν I.

    Values of ν below ½ by rounding (pure states) are treated as ½, where g = 0.
    """
    nu = np.maximum(np.asarray(nu, dtype=float), 0.5)
    return xlogy(nu + 0.5, nu + 0.5) - xlogy(nu - 0.5, nu - 0.5)


def von_neumann_entropy(cov: np.ndarray) -> np.ndarray:
    """S(σ) = Σ_k g(ν_k) (nats). Displacements do not change the entropy."""
    return entropy_function(symplectic_eigenvalues(cov)).sum(axis=-1)


def energy(cov: np.ndarray, mean: np.ndarray | None, omegas) -> np.ndarray:
    """E = ⟨H0⟩ = Σ_j ω_j (M_xjxj + M_pjpj)/2, zero-point energy and displacements included.

    For a classical phase-space density the same expression is the classical energy.
    """
    m = second_moments(cov, mean)
    omegas = np.asarray(omegas, dtype=float)
    if omegas.shape[-1] != n_modes(m):
        raise ValueError(f"{omegas.shape[-1]} frequencies for {n_modes(m)} modes")
    diag = np.diagonal(m, axis1=-2, axis2=-1)
    return 0.5 * ((diag[..., 0::2] + diag[..., 1::2]) * omegas).sum(axis=-1)


def photon_number(cov: np.ndarray, mean: np.ndarray | None = None) -> np.ndarray:
    """Total photon number Σ_j ⟨n_j⟩ = (tr M − N)/2."""
    m = second_moments(cov, mean)
    return 0.5 * (np.trace(m, axis1=-2, axis2=-1) - n_modes(m))


def purity(cov: np.ndarray) -> np.ndarray:
    """tr ρ² = 1 / (2^N √det σ) of a quantum Gaussian state."""
    n = n_modes(cov)
    return 1.0 / (2.0**n * np.sqrt(np.linalg.det(cov)))


def is_physical(cov: np.ndarray, tol: float = 1e-10) -> np.ndarray:
    """True where σ + iΩ/2 ≥ 0, i.e. the smallest symplectic eigenvalue is ≥ ½ within rounding.

    The criterion is ν_min ≥ ½ − tol − 64 ε cond(σ) ν_min (ε the double-precision epsilon).
    The last term is the rounding floor of σ itself: the random ensembles contain nearly pure,
    strongly squeezed states with cond(σ) ~ 10¹¹, whose stored entries fix ν_min only to
    ~10⁻⁶, whatever algorithm then computes it.
    """
    cov = np.asarray(cov, dtype=float)
    sym = np.all(np.isclose(cov, np.swapaxes(cov, -1, -2), rtol=1e-12, atol=0), axis=(-2, -1))
    eig = np.linalg.eigvalsh(cov)
    posdef = eig[..., 0] > 0
    cond = np.where(posdef, eig[..., -1] / np.where(posdef, eig[..., 0], 1.0), np.inf)
    safe = np.where(posdef[..., None, None], cov, np.eye(cov.shape[-1]) / 2)
    nu_min = symplectic_eigenvalues(safe)[..., 0]
    floor = 64 * np.finfo(float).eps * cond * nu_min
    return sym & posdef & (nu_min >= 0.5 - tol - floor)
