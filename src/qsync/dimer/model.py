"""Parameters of the anti-PT-symmetric quantum dimer (Eqs. 8 and 25, SPEC §5).

Two oscillators H0 = Σ_j ω_j (n_j + ½), non-Hermitian coupling iHc with
Hc = (k/2)(a1†a2 + a2†a1) (Eq. 25), and local two-photon baths with jump operators
F_{j−} = √γ_j⁻ a_j², F_{j+} = √γ_j⁺ a_j†², γ_j⁻ = γ_j (n̄(2ω_j) + 1), γ_j⁺ = γ_j n̄(2ω_j)
at the bath's inverse temperature β. The initial state is the product of thermal states at β0
(**Choice**, SPEC §5: β0 = β by default).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ..thermal import bose_occupation

__all__ = ["DimerParams", "dimer_params"]


@dataclass(frozen=True, kw_only=True)
class DimerParams:
    """Physical parameters of the dimer.

    Every value is given by the caller: the paper's parameters live in one place only, the
    ``model`` section of ``config/config.yaml`` (:func:`qsync.config.load_config`).

    Parameters
    ----------
    omega1, omega2 : float
        Mode frequencies ω_j (paper: 2π and 3π).
    gamma1, gamma2 : float
        Two-photon bath couplings γ_j (paper: 0.00087 and 0.0016).
    beta : float
        Inverse temperature of the baths (paper: 1/20).
    beta0 : float or None
        Inverse temperature of the initial product thermal state. **Choice** (SPEC §5):
        ``None`` means β0 = β, resolved at construction. Note that ``dataclasses.replace``
        of ``beta`` alone keeps the old (resolved) β0.
    k : float
        Non-Hermitian coupling strength of Eq. 25.
    """

    omega1: float
    omega2: float
    gamma1: float
    gamma2: float
    beta: float
    k: float
    beta0: float | None = None

    def __post_init__(self):
        if self.beta0 is None:
            object.__setattr__(self, "beta0", float(self.beta))
        for name in ("omega1", "omega2", "beta", "beta0"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("gamma1", "gamma2"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must be non-negative, got {getattr(self, name)}")

    # -- derived quantities -------------------------------------------------------------------
    @property
    def omegas(self) -> np.ndarray:
        """(ω1, ω2)."""
        return np.array([self.omega1, self.omega2], dtype=float)

    @property
    def gammas(self) -> np.ndarray:
        """(γ1, γ2)."""
        return np.array([self.gamma1, self.gamma2], dtype=float)

    @property
    def kappa(self) -> float:
        """κ = ω_min/ω_max, the frequency ratio entering Eqs. 11–13."""
        return float(min(self.omega1, self.omega2) / max(self.omega1, self.omega2))

    @property
    def delta_omega(self) -> float:
        """Δω = ω2 − ω1 (Fig. 3 axis)."""
        return float(self.omega2 - self.omega1)

    @property
    def nbar_bath2(self) -> np.ndarray:
        """n̄(2ω_j) at the bath temperature β: the two-photon transitions carry energy 2ω_j."""
        return bose_occupation(self.beta, 2.0 * self.omegas)

    @property
    def gamma_minus(self) -> np.ndarray:
        """γ_j⁻ = γ_j (n̄(2ω_j) + 1), rate prefactor of the jump a_j² (SPEC §5)."""
        return self.gammas * (self.nbar_bath2 + 1.0)

    @property
    def gamma_plus(self) -> np.ndarray:
        """γ_j⁺ = γ_j n̄(2ω_j), rate prefactor of the jump a_j†² (SPEC §5)."""
        return self.gammas * self.nbar_bath2

    @property
    def nbar0(self) -> np.ndarray:
        """Initial occupations n̄(ω_j) at β0 (the untruncated thermal state)."""
        return bose_occupation(self.beta0, self.omegas)

    # -- helpers ------------------------------------------------------------------------------
    def with_k(self, k: float) -> DimerParams:
        """Copy with another coupling strength (β0 is kept)."""
        return dataclasses.replace(self, k=float(k))

    def mirrored(self) -> DimerParams:
        """Parameters of the k → −k partner (SPEC §5: a1 → −a1 maps one onto the other)."""
        return self.with_k(-self.k)

    def to_attrs(self) -> dict[str, float]:
        """Flat dict of all parameters, for ``xarray`` attributes."""
        return {f.name: float(getattr(self, f.name)) for f in dataclasses.fields(self)}


def dimer_params(model: dict, k: float, gamma_factor: float = 1.0) -> DimerParams:
    """DimerParams from the config's ``model`` section (``beta0: null`` means β0 = β), with
    both two-photon rates multiplied by ``gamma_factor`` (the converged preset's and the
    γ-ladder's F, issue 12)."""
    if not gamma_factor > 0:
        raise ValueError(f"the γ factor must be positive, got {gamma_factor!r}")
    return DimerParams(omega1=model["omega1"], omega2=model["omega2"],
                       gamma1=model["gamma1"] * gamma_factor,
                       gamma2=model["gamma2"] * gamma_factor, beta=model["beta"],
                       beta0=model.get("beta0"), k=float(k))
