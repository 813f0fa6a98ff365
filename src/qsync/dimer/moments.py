"""Second moments of the phase-covariant dimer state and the shared output Dataset.

Both solvers report the same variables on a ``time`` dimension; the measures computed from the
covariance (D of Eq. 2, the Gaussian χ of Eq. 10) use :mod:`qsync.gaussian` and
:mod:`qsync.ergotropy`.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..ergotropy import chi_from_entropy, chi_quantum, relative_entropy_to_thermal
from ..gaussian import sync_distance, von_neumann_entropy
from .model import DimerParams

__all__ = ["covariance_from_moments", "energy_from_occupations", "moments_dataset"]


def covariance_from_moments(n1, n2, c) -> np.ndarray:
    """σ of a zero-mean phase-covariant two-mode state from n_j = ⟨a_j†a_j⟩, c = ⟨a1†a2⟩.

    SPEC §5: σ_xjxj = σ_pjpj = n_j + ½, σ_x1x2 = σ_p1p2 = Re c, σ_x1p2 = Im c,
    σ_p1x2 = −Im c (ordering x1, p1, x2, p2); ⟨a_j⟩ = ⟨a_i a_j⟩ = 0 by phase covariance.
    """
    n1, n2, c = np.broadcast_arrays(np.asarray(n1, float), np.asarray(n2, float),
                                    np.asarray(c, complex))
    cov = np.zeros(n1.shape + (4, 4))
    cov[..., 0, 0] = cov[..., 1, 1] = n1 + 0.5
    cov[..., 2, 2] = cov[..., 3, 3] = n2 + 0.5
    cov[..., 0, 2] = cov[..., 2, 0] = c.real
    cov[..., 1, 3] = cov[..., 3, 1] = c.real
    cov[..., 0, 3] = cov[..., 3, 0] = c.imag
    cov[..., 1, 2] = cov[..., 2, 1] = -c.imag
    return cov


def energy_from_occupations(n1, n2, omegas) -> np.ndarray:
    """E = ⟨H0⟩ = ω1 (n1 + ½) + ω2 (n2 + ½) (zero-point energy included, SPEC §1)."""
    return omegas[0] * (np.asarray(n1) + 0.5) + omegas[1] * (np.asarray(n2) + 0.5)


#: What ``truncation_weight`` measures, by the exact solver's truncation.
_TRUNCATION_WEIGHT = {
    "total": "population of the top n_top photon-number sectors, N > n_max - n_top",
    "mode": "population with n1 or n2 in the top n_top Fock levels of its mode",
}


def moments_dataset(
    params: DimerParams,
    times: np.ndarray,
    n1: np.ndarray,
    n2: np.ndarray,
    c: np.ndarray,
    entropy: np.ndarray | None,
    truncation_weight: np.ndarray,
    log_trace: np.ndarray,
    attrs: dict,
    extra: dict | None = None,
) -> xr.Dataset:
    """The common output layout of the dimer solvers.

    ``entropy`` is S(ρ) of the true state (exact solver); ``None`` means the state is taken to
    be Gaussian (closure) and S is that of the covariance. Rows where n1 is NaN stay NaN.
    """
    omegas = params.omegas
    c = np.asarray(c, complex)
    cov = covariance_from_moments(n1, n2, c)
    ok = np.isfinite(n1) & np.isfinite(n2) & np.isfinite(c)
    safe_cov = np.where(ok[:, None, None], cov, 0.5 * np.eye(4))  # keep the linear algebra quiet
    energy = energy_from_occupations(n1, n2, omegas)
    safe_energy = np.where(ok, energy, omegas.sum() / 2 + 1.0)
    # χ of the Gaussian state with the same covariance: a lower bound on the true χ (SPEC §2)
    chi_g = np.where(ok, chi_quantum(safe_cov, None, omegas), np.nan)
    d = np.where(ok, sync_distance(safe_cov), np.nan)
    if entropy is None:
        entropy = np.where(ok, von_neumann_entropy(safe_cov), np.nan)
        chi = chi_g
    else:
        chi = np.where(ok, chi_from_entropy(np.where(ok, entropy, 0.0), safe_energy, omegas),
                       np.nan)
    big_l = relative_entropy_to_thermal(entropy, energy, params.beta0, omegas)
    data = {
        "n1": n1,
        "n2": n2,
        "c_real": c.real,
        "c_imag": c.imag,
        "D": d,
        "chi": chi,
        "chi_gaussian": chi_g,
        "L": big_l,
        "truncation_weight": truncation_weight,
        "entropy": entropy,
        "energy": energy,
        "log_trace": log_trace,
    }
    if extra:
        data.update(extra)
    descriptions = {
        "n1": "<a1^dag a1>",
        "n2": "<a2^dag a2>",
        "c_real": "Re <a1^dag a2>",
        "c_imag": "Im <a1^dag a2>",
        "D": "synchronization distance from the covariance, Eq. 2",
        "chi": "ergotropy of synchronization S(rho_G(E)) - S(rho), Eq. 10",
        "chi_gaussian": "chi of the Gaussian state with the same covariance (lower bound)",
        "L": "relative entropy S(rho||rho0) to the initial thermal state, Eq. 14",
        "truncation_weight": _TRUNCATION_WEIGHT.get(attrs.get("truncation"),
                                                    "0: no Fock truncation (closure)"),
        "entropy": "von Neumann entropy S(rho) (nats)",
        "energy": "<H0> including zero-point energy",
        "log_trace": "ln tr(rho~) of the linear equation = integral of 2<Hc> dt",
        "min_eigenvalue": "most negative eigenvalue of rho (numerical positivity check)",
    }
    ds = xr.Dataset(
        {name: ("time", np.asarray(val, dtype=float),
                {"description": descriptions.get(name, name)}) for name, val in data.items()},
        coords={"time": np.asarray(times, dtype=float)},
    )
    ds.attrs.update(params.to_attrs())
    ds.attrs.update(attrs)
    return ds
