"""Random Gaussian states for Fig. 1 (and the N-mode extension), seeded and vectorized.

Two ensembles (SPEC §4):

``wishart`` (default)
    X a 2N×2N matrix of iid N(0, 1), H = s XᵀX; the quantum state ρ ∝ exp(−rᵀHr) has
    covariance σ = (i/2) coth(iΩH) Ω, the classical density ∝ exp(−rᵀHr) has σ_cl = (2H)⁻¹.
    Both have zero mean. This follows the first author's public Fig. 1 code.
``broad`` (Choice)
    Bloch–Messiah σ = O1 Z O2 diag(ν) O2ᵀ Z O1ᵀ with Haar-random passive O1, O2, single-mode
    squeezing r_j ~ U[−r_max, r_max], thermal occupations log-uniform in [n_min, n_max], and
    Gaussian displacements; the classical sample reuses σ and the displacement.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .gaussian import symplectic_form

__all__ = [
    "GaussianSample",
    "thermal_covariance_of_quadratic",
    "thermal_covariance_from_factor",
    "sample_wishart",
    "sample_broad",
    "haar_passive",
    "SAMPLERS",
]


@dataclass(frozen=True)
class GaussianSample:
    """Covariances (state, 2N, 2N) and means (state, 2N), quantum and classical."""

    cov_quantum: np.ndarray
    mean_quantum: np.ndarray
    cov_classical: np.ndarray
    mean_classical: np.ndarray


def thermal_covariance_of_quadratic(h: np.ndarray) -> np.ndarray:
    """Covariance of ρ ∝ exp(−rᵀHr) for positive definite H (batched): (i/2) coth(iΩH) Ω.

    See :func:`thermal_covariance_from_factor`; here the factor is the Cholesky factor of H.
    """
    return thermal_covariance_from_factor(np.linalg.cholesky(np.asarray(h, dtype=float)))[0]


def thermal_covariance_from_factor(f: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Quantum and classical covariances of exp(−rᵀHr) for H = F Fᵀ (batched, F invertible).

    Returns ``(σ, σ_cl)`` with σ = (i/2) coth(iΩH) Ω and σ_cl = (2H)⁻¹ = ½ F⁻ᵀF⁻¹.

    Working from a factor instead of H keeps nearly singular H (a Wishart matrix s XᵀX with
    a small singular value of X, condition numbers up to 10¹⁶) exact to the accuracy of F⁻¹.
    With K = FᵀΩF (real antisymmetric), ΩH = F⁻ᵀ K Fᵀ and FᵀΩ = K F⁻¹, so
    (i/2) coth(iΩH) Ω = F⁻ᵀ [(i/2) coth(iK) K] F⁻¹ = ½ F⁻ᵀ φ(−K²) F⁻¹ with
    φ(x) = √x coth √x; the eigenvalues of −K² are the squared symplectic eigenvalues λ_j² of
    H. As λ → 0, φ → 1 and σ → σ_cl, the classical limit.

    Two modes: −K² has only two distinct eigenvalues a1 ≥ a2 (each twice), so
    φ(−K²) = α I + β (−K²) with the secant β = (φ(a1) − φ(a2))/(a1 − a2),
    α = φ(a2) − β a2. Since F⁻ᵀ(−K²)F⁻¹ = ΩᵀHΩ, σ = α σ_cl + (β/2) ΩᵀHΩ: a sum of two
    positive matrices with α ≥ 1, β > 0 (φ is increasing and concave), so nothing cancels.
    More modes diagonalize −K² (one real ``eigh``).
    """
    f = np.asarray(f, dtype=float)
    n = f.shape[-1] // 2
    omega = symplectic_form(n)
    ft = np.swapaxes(f, -1, -2)
    f_inv = np.linalg.inv(f)
    f_inv_t = np.swapaxes(f_inv, -1, -2)
    sigma_cl = 0.5 * f_inv_t @ f_inv
    sigma_cl = 0.5 * (sigma_cl + np.swapaxes(sigma_cl, -1, -2))
    k = ft @ omega @ f
    if n == 2:
        h = f @ ft
        b = -(k @ k)  # eigenvalues a1, a1, a2, a2
        half = 0.25 * np.trace(b, axis1=-2, axis2=-1)  # (a1 + a2)/2
        centred = b - half[..., None, None] * np.eye(4)  # eigenvalues ±(a1 − a2)/2, twice each
        gap = np.sqrt(np.clip(np.einsum("...ij,...ji->...", centred, centred), 0, None))
        a1 = half + 0.5 * gap
        a2 = np.linalg.det(f) ** 2 / a1  # a1 a2 = Pf(K)² = det H, without cancellation
        f1, f2 = _phi(a1), _phi(a2)
        with np.errstate(invalid="ignore", divide="ignore"):
            secant = (f1 - f2) / (a1 - a2)
        close = ~(a1 - a2 > 1e-9 * a1)
        beta = np.where(close, _dphi(0.5 * (a1 + a2)), secant)
        alpha = f2 - beta * a2
        cov = alpha[..., None, None] * sigma_cl + (0.5 * beta)[..., None, None] * (
            omega.T @ h @ omega)
    else:
        lam2, v = np.linalg.eigh(-(k @ k))
        w = f_inv_t @ v
        cov = 0.5 * (w * _phi(lam2)[..., None, :]) @ np.swapaxes(w, -1, -2)
    return 0.5 * (cov + np.swapaxes(cov, -1, -2)), sigma_cl


def _phi(x):
    """φ(x) = √x coth √x, with its Taylor series 1 + x/3 near 0."""
    x = np.clip(np.asarray(x, dtype=float), 0.0, None)
    r = np.sqrt(x)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(r > 1e-6, r / np.tanh(r), 1.0 + x / 3.0)


def _dphi(x):
    """φ'(x) = (coth r − r / sinh² r) / (2r), r = √x; 1/3 at x = 0."""
    x = np.clip(np.asarray(x, dtype=float), 0.0, None)
    r = np.sqrt(x)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        val = (1.0 / np.tanh(r) - r / np.sinh(r) ** 2) / (2.0 * r)
    return np.where(r > 1e-3, val, 1.0 / 3.0 - 2.0 * x / 45.0)


def sample_wishart(n_states: int, n_modes: int = 2, scale: float = 10.0,
                   seed: int = 0) -> GaussianSample:
    """The default ensemble: thermal states of random quadratic Hamiltonians H = s XᵀX."""
    _check_counts(n_states, n_modes)
    rng = np.random.default_rng(seed)
    dim = 2 * n_modes
    x = rng.standard_normal((n_states, dim, dim))
    # H = s XᵀX = F Fᵀ with F = √s Xᵀ; the factor keeps nearly singular H accurate
    cov_q, cov_c = thermal_covariance_from_factor(np.sqrt(scale) * np.swapaxes(x, -1, -2))
    zeros = np.zeros((n_states, dim))
    return GaussianSample(cov_q, zeros, cov_c, zeros.copy())


def haar_passive(rng: np.random.Generator, n_states: int, n_modes: int) -> np.ndarray:
    """Haar-random passive (orthogonal symplectic) transformations, (state, 2N, 2N).

    A Haar unitary U (QR of a complex Ginibre matrix with the phases of R's diagonal fixed)
    acts on (x, p) as [[Re U, −Im U], [Im U, Re U]], reordered to (x1, p1, x2, p2, ...).
    """
    z = (rng.standard_normal((n_states, n_modes, n_modes))
         + 1j * rng.standard_normal((n_states, n_modes, n_modes))) / np.sqrt(2.0)
    q, r = np.linalg.qr(z)
    d = np.diagonal(r, axis1=-2, axis2=-1)
    q = q * (d / np.abs(d))[..., None, :]
    block = np.block([[q.real, -q.imag], [q.imag, q.real]])
    perm = np.ravel(np.column_stack([np.arange(n_modes), np.arange(n_modes) + n_modes]))
    return block[..., perm, :][..., :, perm]


def sample_broad(n_states: int, n_modes: int = 2, squeezing_max: float = 2.0,
                 nbar_min: float = 1e-3, nbar_max: float = 1e2, displacement_scale: float = 1.0,
                 seed: int = 0) -> GaussianSample:
    """The ``broad`` ensemble (Choice, SPEC §4): a denser cover of the small-D region."""
    _check_counts(n_states, n_modes)
    if not 0 < nbar_min < nbar_max:
        raise ValueError("need 0 < nbar_min < nbar_max")
    rng = np.random.default_rng(seed)
    o1 = haar_passive(rng, n_states, n_modes)
    o2 = haar_passive(rng, n_states, n_modes)
    r = rng.uniform(-squeezing_max, squeezing_max, (n_states, n_modes))
    nbar = np.exp(rng.uniform(np.log(nbar_min), np.log(nbar_max), (n_states, n_modes)))
    z = np.exp(np.stack([r, -r], axis=-1).reshape(n_states, 2 * n_modes))
    nu = np.repeat(nbar + 0.5, 2, axis=-1)
    s = o1 * z[..., None, :] @ o2
    cov = (s * nu[..., None, :]) @ np.swapaxes(s, -1, -2)
    cov = 0.5 * (cov + np.swapaxes(cov, -1, -2))
    mean = displacement_scale * rng.standard_normal((n_states, 2 * n_modes))
    return GaussianSample(cov, mean, cov.copy(), mean.copy())


def _check_counts(n_states: int, n_modes: int) -> None:
    if int(n_states) != n_states or n_states < 1:
        raise ValueError(f"n_states must be a positive integer, got {n_states!r}")
    if int(n_modes) != n_modes or n_modes < 1:
        raise ValueError(f"n_modes must be a positive integer, got {n_modes!r}")


SAMPLERS = {"wishart": sample_wishart, "broad": sample_broad}
