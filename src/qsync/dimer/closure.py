"""Gaussian moment closure of the dimer master equation (Eq. 8, SPEC §5).

With n_j = ⟨a_j†a_j⟩ and c = ⟨a1†a2⟩ (⟨a_j⟩ = ⟨a_i a_j⟩ = 0 by phase covariance):

    dn_j/dt = 2k (n_j + ½) Re c − 4γ_j⁻ n_j² + 4γ_j⁺ (n_j + 1)²
    dc/dt   = i(ω1 − ω2) c + k [n1 n2 + (n1 + n2)/2 + c²] − 2 Σ_j [γ_j⁻ n_j − γ_j⁺ (n_j + 1)] c

The H0 and Hc parts are exact on Gaussian states (the Hc part is a covariance of Hc with a
quadratic operator, a fourth moment); the two-photon dissipator terms use Wick's theorem, also
exact on Gaussian states. So the right-hand side equals the exact derivative of these moments
on any zero-mean phase-covariant Gaussian state; the closure is the approximation that the
state stays Gaussian, which the two-photon baths break at order γ.

The reweighting by e^{Hc t} drives the amplified mode to infinite temperature, and the quadratic
gain k c² makes the closure blow up in finite time for |k| large compared with the damping
(SPEC §5: t ≈ 0.077 at k = 5). Blow-up is detected and reported, never returned as numbers.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from scipy.integrate import solve_ivp

from ..gaussian import is_physical
from .model import DimerParams
from .moments import covariance_from_moments, moments_dataset

__all__ = ["closure_rhs", "solve_closure"]


def closure_rhs(params: DimerParams, n1, n2, c):
    """Right-hand side (dn1/dt, dn2/dt, dc/dt) of the moment closure (SPEC §5), vectorized.

    Parameters
    ----------
    params : DimerParams
        Model parameters.
    n1, n2 : array_like
        Occupations ⟨a_j†a_j⟩.
    c : array_like (complex)
        Correlation ⟨a1†a2⟩.
    """
    k = params.k
    gm, gp = params.gamma_minus, params.gamma_plus
    n1 = np.asarray(n1, dtype=float)
    n2 = np.asarray(n2, dtype=float)
    c = np.asarray(c, dtype=complex)
    dn1 = 2 * k * (n1 + 0.5) * c.real - 4 * gm[0] * n1**2 + 4 * gp[0] * (n1 + 1) ** 2
    dn2 = 2 * k * (n2 + 0.5) * c.real - 4 * gm[1] * n2**2 + 4 * gp[1] * (n2 + 1) ** 2
    damping = gm[0] * n1 - gp[0] * (n1 + 1) + gm[1] * n2 - gp[1] * (n2 + 1)
    dc = (1j * (params.omega1 - params.omega2) * c
          + k * (n1 * n2 + 0.5 * (n1 + n2) + c**2)
          - 2 * damping * c)
    return dn1, dn2, dc


def solve_closure(
    params: DimerParams,
    times,
    *,
    blowup_threshold: float = 1e12,
    rtol: float = 1e-10,
    atol: float = 1e-12,
) -> xr.Dataset:
    """Integrate the Gaussian moment closure from the thermal state at β0 (n_j = n̄(ω_j), c = 0).

    Parameters
    ----------
    params : DimerParams
        Model parameters.
    times : array_like
        Non-decreasing output times ≥ 0.
    blowup_threshold : float
        The closure is declared blown up when n1 + n2 reaches this value (near a finite-time
        singularity dn/dt ~ k n², so the recorded time is within ~1/(k · threshold) of it), or
        when the integrator fails.
    rtol, atol : float
        DOP853 tolerances.

    Returns
    -------
    xarray.Dataset
        The layout of :func:`.quantum.solve_exact` (without ``min_eigenvalue``): chi equals
        chi_gaussian (the closure state is Gaussian by construction), entropy is that of the
        covariance, ``truncation_weight`` is 0 (no Fock cutoff), ``log_trace`` = ∫ 2⟨Hc⟩ dt =
        ∫ 2k Re c dt. Every variable is NaN at times ≥ the blow-up time. Attributes: the
        parameters, method='closure', ``blowup_time`` (NaN if none) and
        ``first_unphysical_time`` (first output time whose covariance violates σ + iΩ/2 ≥ 0,
        NaN if none).
    """
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or len(times) == 0 or times[0] < 0 or np.any(np.diff(times) < 0):
        raise ValueError("times must be a non-empty, non-decreasing 1-D array of times >= 0")
    nbar = params.nbar0

    def rhs(_t, y):
        dn1, dn2, dc = closure_rhs(params, y[0], y[1], y[2] + 1j * y[3])
        return [dn1, dn2, dc.real, dc.imag, 2 * params.k * y[2]]

    def blowup(_t, y):
        return y[0] + y[1] - blowup_threshold

    blowup.terminal = True
    blowup.direction = 1
    y0 = [nbar[0], nbar[1], 0.0, 0.0, 0.0]
    sol = solve_ivp(rhs, (0.0, float(times[-1])), y0, method="DOP853", t_eval=times,
                    events=blowup, rtol=rtol, atol=atol)
    out = np.full((5, len(times)), np.nan)
    out[:, : sol.y.shape[1]] = sol.y
    if sol.status == 1:  # terminal event
        blowup_time = float(sol.t_events[0][0])
    elif sol.status == -1:  # integrator failure: only ever seen at a singularity
        blowup_time = float(sol.t[-1]) if len(sol.t) else 0.0
    else:
        blowup_time = np.nan
    if np.isfinite(blowup_time):
        out[:, times >= blowup_time] = np.nan
    n1, n2, cre, cim, log_trace = out
    c = cre + 1j * cim
    ok = np.isfinite(n1)
    cov = covariance_from_moments(np.where(ok, n1, 0), np.where(ok, n2, 0), np.where(ok, c, 0))
    unphysical = ok & ~is_physical(cov, tol=1e-9)
    first_bad = float(times[unphysical][0]) if unphysical.any() else np.nan
    trunc = np.where(ok, 0.0, np.nan)
    attrs = {
        "method": "closure",
        "blowup_time": blowup_time,
        "blowup_threshold": float(blowup_threshold),
        "first_unphysical_time": first_bad,
        "solver_message": str(sol.message),
    }
    return moments_dataset(params, times, n1, n2, c, None, trunc, log_trace, attrs)
