"""Ergotropy of synchronization χ (Eq. 10) and the relative entropy L (Eq. 14).

Minimizing S(ρ‖ρ_G,U) over U puts the minimum at the Gibbs state with the same energy
(SPEC §2), so χ = S(ρ_G(E)) − S(ρ) with E = ⟨H0⟩_ρ.
"""

from __future__ import annotations

import numpy as np

from .gaussian import energy, n_modes, von_neumann_entropy
from .thermal import beta_from_energy, gibbs_entropy, log_partition

__all__ = [
    "chi_from_entropy",
    "chi_quantum",
    "chi_classical",
    "relative_entropy_to_thermal",
]


def chi_from_entropy(entropy, energy_, omegas) -> np.ndarray:
    """χ = S_G(E) − S for any state (Gaussian or not) of entropy S and energy E (Eq. 10)."""
    return gibbs_entropy(beta_from_energy(energy_, omegas), omegas) - np.asarray(entropy, float)


def chi_quantum(cov, mean, omegas) -> np.ndarray:
    """χ of a quantum Gaussian state (Eq. 10): S_G(E) − Σ_k g(ν_k).

    For a non-Gaussian state with this covariance the true χ is larger (the Gaussian
    maximizes the entropy at fixed covariance), so this is then a lower bound.
    """
    return chi_from_entropy(von_neumann_entropy(cov), energy(cov, mean, omegas), omegas)


def chi_classical(cov, mean, omegas) -> np.ndarray:
    """Classical χ of a Gaussian phase-space density against the classical Gibbs density.

    The minimizing Gibbs density has β = N/E (equipartition), giving
    χ_cl = Σ_j ln(E/(N ω_j)) − ½ ln det σ (SPEC §2); invariant under σ → λσ, d → √λ d.
    """
    cov = np.asarray(cov, dtype=float)
    n = n_modes(cov)
    e = energy(cov, mean, omegas)
    _, logdet = np.linalg.slogdet(cov)
    omegas = np.asarray(omegas, dtype=float)
    return (np.log(e[..., None] / (n * omegas))).sum(axis=-1) - 0.5 * logdet


def relative_entropy_to_thermal(entropy, energy_, beta0, omegas) -> np.ndarray:
    """L = S(ρ‖ρ0) (Eq. 14) for ρ0 the product Gibbs state at β0, for any ρ.

    ln ρ0 = −β0 H0 − ln Z0, so L = −S(ρ) + β0 ⟨H0⟩ + ln Z0(β0).
    """
    return -np.asarray(entropy, float) + beta0 * np.asarray(energy_, float) + log_partition(
        beta0, omegas
    )
