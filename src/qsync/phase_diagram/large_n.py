"""Quantum D(t_final) over the (k, Δω) plane (Fig. 3a) at large photon number.

At each grid point the undamped divergence time t* (SPEC §5b, closed form) decides the method,
as for Fig. 2 at the paper's parameters (:mod:`qsync.dimer.large_n`):

* t* < t_final: the state at t_final holds N ~ k/γ photons and the leading-order saddle
  (:func:`qsync.dimer.saddle.solve_saddle`) gives D with the error estimate c/N. The exact
  solver is not used there even where its checks pass: its cutoff holds none of the weight
  that the amplification carries to large N.
* t* ≥ t_final (|k| below the divergence threshold of this Δω): the exact block-Fock solver at
  two cutoffs; the error estimate is |D(n_max) − D(n_max_check)|, to be trusted only where the
  top sector's weight (``truncation_weight``) is small too: Fig. 3 and the summary judge both
  (:func:`qsync.dimer.convergence.unconverged_points`).

Each |k| is solved once and D(−k)² = 2 − D(k)² (a1 → −a1, SPEC §5) fills the other sign, with
the error carried as |dD(−k)| = D(k)|dD(k)|/D(−k).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from ..dimer.method_flags import FLAG_ATTRS, METHOD_EXACT, METHOD_NONE, METHOD_SADDLE
from ..dimer.model import dimer_params
from ..dimer.quantum import solve_exact
from ..dimer.saddle import SaddleFailure, SaddleSettings, solve_saddle, undamped_divergence_time
from ..grid import time_grid
from .quantum import signed_d

__all__ = ["large_n_point", "large_n_d_final"]

_FIELDS = ("D", "D_error", "n_total", "divergence_time", "truncation_weight", "cutoff_change",
           "failure_time")


def large_n_point(model: dict, k: float, t_final: float, *, n_max: int, n_max_check: int,
                  settings: SaddleSettings, n_times: int = 11,
                  truncation: str = "total", n_top: int = 1,
                  propagator: str = "taylor") -> dict:
    """D(t_final) at one point (``model`` with coupling ``k``) by the method that applies.

    Returns a dict with ``method_used`` (:data:`METHOD_SADDLE`, :data:`METHOD_EXACT` or
    :data:`METHOD_NONE` if the saddle failed) and the floats ``D``, ``D_error`` (saddle:
    error_coefficient/N; exact: the change of D between the two cutoffs; NaN where an exact
    run broke down), ``n_total`` (⟨n1 + n2⟩ at t_final), ``divergence_time`` (t*, inf if none
    before t_final), ``truncation_weight`` and ``cutoff_change`` (exact; NaN at saddle points)
    and ``failure_time`` (exact-solver breakdown; NaN if none). The saddle is solved on
    ``n_times`` output times (its continuation in t; ``settings.t_step`` refines it).
    """
    params = dimer_params(model, k)
    t_star = undamped_divergence_time(params, float(t_final))
    out = dict.fromkeys(_FIELDS, np.nan) | {"divergence_time": t_star,
                                             "method_used": METHOD_NONE}
    times = time_grid(t_final, n_times)
    if t_star < t_final:
        try:
            ds = solve_saddle(params, times, settings)
        except SaddleFailure:
            return out
        out.update(D=float(ds["D"].values[-1]), D_error=float(ds["D_error"].values[-1]),
                   n_total=float(ds["n_total"].values[-1]), method_used=METHOD_SADDLE)
        return out
    main, check = (solve_exact(params, int(n), times, n_top=int(n_top), truncation=truncation,
                               propagator=propagator) for n in (n_max, n_max_check))
    d, d_check = float(main["D"].values[-1]), float(check["D"].values[-1])
    broke = main.attrs.get("breakdown_time")
    weight = float(main["truncation_weight"].max()) if np.isfinite(d) else np.nan
    change = abs(d - d_check)
    out.update(D=d, D_error=change,
               n_total=float(main["n1"].values[-1] + main["n2"].values[-1]),
               truncation_weight=weight, cutoff_change=change,
               failure_time=float(broke) if broke is not None else np.nan,
               method_used=METHOD_EXACT)
    return out


def large_n_d_final(abs_k: np.ndarray, k_grid: np.ndarray, delta_omega: np.ndarray,
                    model: dict, t_final: float, *, n_max: int, n_max_check: int,
                    settings: SaddleSettings | None = None,
                    n_times: int = 11, truncation: str = "total", n_top: int = 1,
                    propagator: str = "taylor",
                    progress: Callable[[int, int], None] | None = None) -> xr.Dataset:
    """D(t_final) with its error estimate at every (±|k|, Δω) of the grid for the |k| rows
    ``abs_k`` (see :func:`large_n_point` and the module docstring).

    Returns a dataset with dims (k, delta_omega): ``D``, ``D_error``, ``method_used``,
    ``n_total``, ``divergence_time``, ``truncation_weight``, ``cutoff_change``,
    ``failure_time``, coordinate ``omega2``; attributes method='large_n' and the settings.
    """
    settings = settings or SaddleSettings()
    if n_max_check is None:
        raise ValueError("the large-N sweep needs n_max_check: the exact points' error "
                         "estimate is the change of D between the two cutoffs")
    abs_k = np.asarray(abs_k, dtype=float)
    dw = np.asarray(delta_omega, dtype=float)
    rows = np.array([k for k in np.asarray(k_grid, dtype=float) if abs(k) in set(abs_k.tolist())])
    shape = (len(rows), len(dw))
    fields = {name: np.full(shape, np.nan) for name in _FIELDS}
    method = np.full(shape, METHOD_NONE, dtype=np.int8)
    n_total, done = len(abs_k) * len(dw), 0
    for ak in abs_k:
        for j, w in enumerate(dw):
            point = {**model, "omega2": model["omega1"] + float(w)}
            res = large_n_point(point, float(ak), t_final, n_max=n_max, n_max_check=n_max_check,
                                settings=settings, n_times=n_times, truncation=truncation,
                                n_top=n_top, propagator=propagator)
            for i, k in enumerate(rows):
                if abs(k) != ak:
                    continue
                for name in _FIELDS:
                    fields[name][i, j] = res[name]
                d_k = signed_d(res["D"], k)
                fields["D"][i, j] = d_k
                if k < 0:  # |dD(−k)| = D(k)|dD(k)|/D(−k)
                    fields["D_error"][i, j] = res["D"] * res["D_error"] / d_k
                method[i, j] = res["method_used"]
            done += 1
            if progress is not None:
                progress(done, n_total)
    dims = ("k", "delta_omega")
    text = {
        "D": f"synchronization distance D at t = {t_final:g} (saddle: leading order in 1/N)",
        "D_error": "error estimate of D: saddle error_coefficient/N; exact |D(n_max) - "
                   "D(n_max_check)| (NaN: breakdown)",
        "n_total": f"<n1 + n2> at t = {t_final:g}",
        "divergence_time": "undamped divergence time t* (inf: none before t_final)",
        "truncation_weight": "exact points: largest top-sector population (NaN at saddle points)",
        "cutoff_change": "exact points: |D(n_max) - D(n_max_check)| (NaN at saddle points)",
        "failure_time": "exact-solver breakdown time (NaN: none)",
    }
    data = {name: (dims, fields[name], {"long_name": text[name]}) for name in _FIELDS}
    data["method_used"] = (dims, method, FLAG_ATTRS)
    return xr.Dataset(
        data,
        coords={"k": ("k", rows), "delta_omega": ("delta_omega", dw),
                "omega2": ("delta_omega", model["omega1"] + dw)},
        attrs={"method": "large_n", "n_max": int(n_max), "n_max_check": int(n_max_check),
               "n_top": int(n_top), "truncation": truncation, "t_final": float(t_final),
               "propagator": propagator, "n_times": int(n_times),
               "bvp_tol": settings.bvp_tol, "t_step": settings.t_step,
               "error_coefficient": settings.error_coefficient},
    )
