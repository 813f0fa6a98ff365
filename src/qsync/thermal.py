"""Thermal (Gibbs) states of uncoupled oscillators H0 = Σ_j ω_j (n_j + ½).

Vectorized over any leading axes of the energy or inverse temperature; the last axis of
``omegas`` runs over modes.
"""

from __future__ import annotations

import numpy as np
from scipy.special import xlogy

__all__ = [
    "bose_occupation",
    "thermal_energy",
    "beta_from_energy",
    "gibbs_entropy",
    "log_partition",
    "classical_gibbs_beta",
]


def bose_occupation(beta, omega) -> np.ndarray:
    """n̄(ω) = 1/(e^{βω} − 1); zero at β = ∞."""
    with np.errstate(over="ignore", divide="ignore"):
        return 1.0 / np.expm1(np.asarray(beta, dtype=float) * np.asarray(omega, dtype=float))


def thermal_energy(beta, omegas) -> np.ndarray:
    """E(β) = Σ_j (ω_j/2) coth(β ω_j/2), zero point included."""
    beta = np.asarray(beta, dtype=float)[..., None]
    omegas = np.asarray(omegas, dtype=float)
    return (omegas * (bose_occupation(beta, omegas) + 0.5)).sum(axis=-1)


def _excitation(beta, omegas):
    """ε(β) = Σ ω n̄(βω) and dε/dβ, with a trailing mode axis on omegas."""
    x = beta[..., None] * omegas
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        nbar = 1.0 / np.expm1(x)
        eps = (omegas * nbar).sum(axis=-1)
        deps = -(omegas**2 * nbar * (nbar + 1.0)).sum(axis=-1)
    return eps, deps


def beta_from_energy(energy, omegas, rtol: float = 1e-13, max_iter: int = 200) -> np.ndarray:
    """Inverse temperature β_E of the Gibbs state with energy E (vectorized).

    Solves Σ_j (ω_j/2) coth(β ω_j/2) = E. The root is bracketed by
    N/E ≤ β_E ≤ N/(E − E0) (from ω/2 + 1/β ≥ (ω/2) coth(βω/2) ≥ 1/β). The start
    β = ln(1 + N ω̄/ε)/ω̄ (ε = E − E0 the excitation energy, ω̄ the mean frequency) is exact
    for equal frequencies; Newton's method on ln ε(β), nearly linear in β at low temperature
    and in ln β at high temperature, then converges in a few steps, falling back to bisection
    in ln β whenever a step leaves the bracket. Only unconverged entries are iterated.
    Energies at or below the ground energy E0 give β = ∞.
    """
    omegas = np.asarray(omegas, dtype=float)
    if omegas.ndim != 1 or np.any(omegas <= 0):
        raise ValueError("omegas must be a 1-D array of positive frequencies")
    energy = np.asarray(energy, dtype=float)
    n = omegas.size
    e0 = 0.5 * omegas.sum()
    target = (energy - e0).ravel()
    result = np.full(target.shape, np.inf)
    active = np.flatnonzero(target > 0)
    eps_t = target[active]
    lo = n / (eps_t + e0)
    hi = n / eps_t
    wbar = omegas.mean()
    beta = np.clip(np.log1p(n * wbar / eps_t) / wbar, lo, hi)
    log_target = np.log(eps_t)
    for _ in range(max_iter):
        if active.size == 0:
            break
        eps, deps = _excitation(beta, omegas)
        with np.errstate(divide="ignore"):  # ε underflows to 0 far above the root
            h = np.log(eps) - log_target
        # ε decreases with β: h > 0 means β is too small
        lo = np.where(h > 0, beta, lo)
        hi = np.where(h <= 0, beta, hi)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = beta - h * eps / deps
        ok = np.isfinite(newton) & (newton >= lo) & (newton <= hi)
        new = np.where(ok, newton, np.sqrt(lo * hi))
        done = (np.abs(new - beta) <= rtol * beta) | (h == 0)
        result[active[done]] = new[done]
        keep = ~done
        active, beta, lo, hi, log_target = (
            active[keep], new[keep], lo[keep], hi[keep], log_target[keep])
    else:  # pragma: no cover - the bracket halves every step, so this needs > 1000 bits
        raise RuntimeError("beta_from_energy did not converge")
    return result.reshape(energy.shape)


def gibbs_entropy(beta, omegas) -> np.ndarray:
    """S_G(β) = Σ_j g(n̄_j + ½) = Σ_j [(n̄_j+1) ln(n̄_j+1) − n̄_j ln n̄_j]; zero at β = ∞."""
    nbar = bose_occupation(np.asarray(beta, dtype=float)[..., None], np.asarray(omegas, float))
    return (xlogy(nbar + 1.0, nbar + 1.0) - xlogy(nbar, nbar)).sum(axis=-1)


def log_partition(beta, omegas) -> np.ndarray:
    """ln Z(β) = −Σ_j ln(2 sinh(β ω_j / 2)) for H0 with zero-point energy."""
    x = 0.5 * np.asarray(beta, dtype=float)[..., None] * np.asarray(omegas, dtype=float)
    # ln(2 sinh x) = x + ln(1 − e^{−2x}), stable for large x
    return -(x + np.log(-np.expm1(-2.0 * x))).sum(axis=-1)


def classical_gibbs_beta(energy, n: int) -> np.ndarray:
    """Equipartition: the classical Gibbs density ∝ e^{−βH0} with energy E has β = N/E."""
    return n / np.asarray(energy, dtype=float)
