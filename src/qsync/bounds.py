"""Lower bounds on the ergotropy of synchronization χ and the minimal work.

Eq. 11 (quantum, N oscillators), Eq. 12 (N = 2), Eq. 13 (classical, N = 2), the asymptotic
work costs Eqs. 19 and 21, and the exact classical infima derived for this project (SPEC §3).
All functions are vectorized over D.
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "kappa",
    "chi_min_quantum",
    "chi_min_quantum_two_mode",
    "chi_min_classical_two_mode",
    "chi_min_asymptotic_quantum",
    "chi_min_asymptotic_classical",
    "chi_inf_classical_equal",
    "chi_inf_classical_two_mode",
    "gibbs_distance",
]


def kappa(omegas) -> float:
    """κ = ω_min/ω_max."""
    omegas = np.asarray(omegas, dtype=float)
    return float(omegas.min() / omegas.max())


def chi_min_quantum(d, n: int, kappa_: float) -> np.ndarray:
    """Eq. 11: χ_min = −2(N−1) ln( ½ e^{1/(N−1)} √((N/κ)^{N/(N−1)} / (2(N−1))) D )."""
    if n < 2:
        raise ValueError("Eq. 11 needs N >= 2 oscillators")
    m = n - 1
    pref = 0.5 * np.exp(1.0 / m) * np.sqrt((n / kappa_) ** (n / m) / (2.0 * m))
    with np.errstate(divide="ignore"):
        return -2.0 * m * np.log(pref * np.asarray(d, dtype=float))


def chi_min_quantum_two_mode(d, kappa_: float) -> np.ndarray:
    """Eq. 12: χ ≥ −2 ln(e D / (√2 κ))."""
    with np.errstate(divide="ignore"):
        return -2.0 * np.log(np.e * np.asarray(d, dtype=float) / (np.sqrt(2.0) * kappa_))


def chi_min_classical_two_mode(d, kappa_: float) -> np.ndarray:
    """Eq. 13: χ_cl ≥ −2 ln(√2 D / κ)."""
    with np.errstate(divide="ignore"):
        return -2.0 * np.log(np.sqrt(2.0) * np.asarray(d, dtype=float) / kappa_)


def chi_min_asymptotic_quantum(d, n, kappa_: float) -> np.ndarray:
    """Eq. 19: χ_min^∞ = −N ln(D² / (8κ)) (also the minimal work W_min^∞ in units of 1/β)."""
    with np.errstate(divide="ignore"):
        return -np.asarray(n, float) * np.log(np.asarray(d, float) ** 2 / (8.0 * kappa_))


def chi_min_asymptotic_classical(d, n, kappa_: float) -> np.ndarray:
    """Eq. 21: χ_min^(cl)∞ = −N ln(D² / (2κ))."""
    with np.errstate(divide="ignore"):
        return -np.asarray(n, float) * np.log(np.asarray(d, float) ** 2 / (2.0 * kappa_))


def chi_inf_classical_equal(d, n: int) -> np.ndarray:
    """Exact classical infimum for N equal-frequency oscillators (derived, SPEC §3).

    χ_cl ≥ −ln[ N (1 − D²/2) (N D² / (2(N−1)))^{N−1} ]; for N = 2, −ln[D²(2 − D²)].
    """
    d2 = np.asarray(d, dtype=float) ** 2
    # in logs: the power underflows for large N (N ≳ 140 at D = 0.1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return -(np.log(n) + np.log1p(-d2 / 2.0) + (n - 1) * np.log(n * d2 / (2.0 * (n - 1))))


def chi_inf_classical_two_mode(d, omega1: float, omega2: float) -> np.ndarray:
    """Exact classical infimum for two oscillators of frequencies ω1, ω2 (derived, SPEC §3).

    SPEC §3 states it as the minimum over u ∈ (−u_max, u_max) of
    f(u) = 2 ln(ω1(1+u) + ω2(1−u)) − ln(4ω1ω2) − ln(c − u²), c = 1 − (1 − D²)² = D²(2 − D²).
    f'(u) = 0 is linear in u, u* = −(ω1 − ω2) c / (ω1 + ω2), and f → ∞ at both ends, so
    χ_cl ≥ ln[(a² − b² c) / (4 ω1 ω2 c)] with a = ω1 + ω2, b = ω1 − ω2. For ω1 = ω2 this is
    −ln[D²(2 − D²)], the N = 2 case of :func:`chi_inf_classical_equal`.
    """
    d2 = np.asarray(d, dtype=float) ** 2
    c = d2 * (2.0 - d2)
    a, b = omega1 + omega2, omega1 - omega2
    with np.errstate(divide="ignore"):
        return np.log((a * a - b * b * c) / (4.0 * omega1 * omega2 * c))


def gibbs_distance(n) -> np.ndarray:
    """D of any product of zero-mean single-mode states, e.g. the Gibbs state of H0 (χ = 0) at
    any frequencies: ⟨|Σ_j r_j|²⟩ = ⟨r²⟩, so D² = 2(1 − 1/N)."""
    return np.sqrt(2.0 * (1.0 - 1.0 / np.asarray(n, dtype=float)))
