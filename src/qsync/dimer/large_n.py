"""Fig. 2 at the paper's parameters: the exact solver before t*, the large-N saddle after.

Before the undamped divergence time t* (SPEC §5b) the state holds O(1) photons and the exact
block-Fock solver converges; after it the state holds N ~ k/γ photons (hundreds to ~10⁴) and
the leading-order saddle of :mod:`.saddle` applies, with error ~c/N. Each output time takes one
of the two (``method_used``): the exact solver at t ≤ t*, the saddle at t > t*. The exact
solver's truncation check cannot vouch for t > t*: the state's weight then sits at photon
numbers far above the cutoff, and a truncated state need not show it in its top sector (the
weight it lacks was never propagated). A point counts as converged where its own check passes:
truncation weight ≤ ``truncation_tolerance`` (exact) or the error estimate ``D_error`` ≤
``max_error`` (saddle). For |k| below the divergence threshold (t* = ∞) every time is the
exact solver's.
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .method_flags import FLAG_ATTRS, METHOD_EXACT, METHOD_SADDLE
from .model import DimerParams
from .quantum import solve_exact
from .saddle import SaddleSettings, solve_saddle, undamped_divergence_time

__all__ = ["solve_large_n"]


_SHARED = ("n1", "n2", "c_real", "c_imag", "D", "chi", "chi_gaussian", "energy",
           "truncation_weight")


def solve_large_n(params: DimerParams, times, *, n_max: int, truncation_tolerance: float,
                  max_error: float, settings: SaddleSettings | None = None,
                  n_top: int = 1, truncation: str = "total", propagator: str = "taylor",
                  progress=None) -> xr.Dataset:
    """D, χ and the moments of the dimer at every output time, by the method that applies.

    Parameters
    ----------
    params : DimerParams
        Model parameters.
    times : array_like
        Non-decreasing output times ≥ 0.
    n_max, n_top, truncation, propagator
        The exact solver's cutoff and options (:func:`.quantum.solve_exact`), used at t ≤ t*.
    truncation_tolerance : float
        Exact points with a larger truncation weight are not converged.
    max_error : float
        Saddle points with a larger error estimate of D are not converged.
    settings : SaddleSettings, optional
        The saddle's numerical controls and error coefficient.

    Returns
    -------
    xarray.Dataset
        On ``time``: n1, n2, c_real, c_imag, D, chi (exact points only; NaN at saddle points),
        chi_gaussian (χ of the Gaussian state with the same covariance: a lower bound on χ),
        energy, truncation_weight (exact points; 0 at saddle points), n_total, D_error (saddle
        points: c/N; NaN at exact points), method_used (0 exact, 1 saddle) and converged.
        Attributes: the parameters, ``divergence_time`` and the saddle's diagnostics.
    """
    settings = settings or SaddleSettings()
    times = np.asarray(times, dtype=float)
    t_star = undamped_divergence_time(params, float(times[-1]))
    early = times <= t_star
    saddle = solve_saddle(params, times, settings, progress=progress)
    out = {name: saddle[name].values.copy() for name in _SHARED}
    out["D_error"] = saddle["D_error"].values.copy()
    if early.any():
        exact = solve_exact(params, int(n_max), times[early], n_top=int(n_top),
                            truncation=truncation, propagator=propagator)
        for name in _SHARED:
            out[name][early] = exact[name].values
        out["D_error"][early] = np.nan
    method = np.where(early, METHOD_EXACT, METHOD_SADDLE)
    converged = np.where(early, out["truncation_weight"] <= truncation_tolerance,
                         out["D_error"] <= max_error) & np.isfinite(out["D"])
    descriptions = {
        "chi": "ergotropy of synchronization, Eq. 10 (exact points; NaN at saddle points)",
        "chi_gaussian": "chi of the Gaussian state with the same covariance (lower bound on chi)",
        "D": "synchronization distance, Eq. 2 (saddle points: leading order in 1/N)",
        "D_error": "error estimate of D at saddle points (error_coefficient / N); NaN at exact",
        "truncation_weight": "exact points: top-sector population; saddle points: 0",
    }
    ds = xr.Dataset(
        {name: ("time", np.asarray(val, dtype=float),
                {"description": descriptions.get(name, saddle[name].attrs.get("description",
                                                                              name))})
         for name, val in out.items()},
        coords={"time": times},
    )
    ds["n_total"] = ds["n1"] + ds["n2"]
    ds["n_total"].attrs["description"] = "<n1 + n2>"
    ds["method_used"] = ("time", method.astype(np.int8),
                         FLAG_ATTRS)
    ds["converged"] = ("time", converged,
                       {"description": "exact: truncation weight <= truncation_tolerance; "
                                       "saddle: D_error <= max_error"})
    ds.attrs.update(params.to_attrs())
    ds.attrs.update({key: value for key, value in saddle.attrs.items()
                     if key not in ds.attrs})
    ds.attrs.update(method="exact+saddle", n_max=int(n_max), n_top=int(n_top),
                    truncation=truncation, propagator=propagator,
                    truncation_tolerance=float(truncation_tolerance),
                    max_error=float(max_error))
    return ds
