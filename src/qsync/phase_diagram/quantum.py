"""Quantum D(t_final) over the (k, Δω) plane (Fig. 3a), one chunk of k rows at a time.

The exact symmetry k → −k (a1 → −a1 flips Hc and c, SPEC §5) gives
D(−k)² = 2 − D(k)² with identical populations, so each |k| is solved once and both signs
are filled from it.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from ..dimer.runs import run_dimer
from ..grid import time_grid

__all__ = ["quantum_d_final", "signed_d"]


def quantum_d_final(abs_k: np.ndarray, k_grid: np.ndarray, delta_omega: np.ndarray, model: dict,
                  t_final: float, method: str, n_max: int | None, n_top: int = 1,
                  truncation: str = "total", n_times: int = 11,
                  progress: Callable[[int, int], None] | None = None,
                  propagator: str = "taylor", n_max_check: int | None = None) -> xr.Dataset:
    """D(t_final) at every (±|k|, Δω) of the grid for the given |k| rows.

    The run is checked at ``n_times`` evenly spaced times (the exact solver's positivity
    check runs there). Returns a dataset with dims (k, delta_omega): ``D``,
    ``truncation_weight`` (largest over the run; NaN where the run broke down),
    ``failure_time`` (closure blow-up or exact-solver breakdown in double precision; NaN if
    none) and coordinate ``omega2``. Rows are the grid's k values whose modulus is in
    ``abs_k``. ``propagator`` selects the exact solver's propagator (see ``solve_exact``).

    ``n_max_check`` (exact solver only): every point is solved a second time at this cutoff,
    and ``cutoff_change`` = |D(n_max) − D(n_max_check)| is returned: a direct convergence
    measure at every grid point, not only a tail weight.
    """
    abs_k = np.asarray(abs_k, dtype=float)
    k_grid = np.asarray(k_grid, dtype=float)
    dw = np.asarray(delta_omega, dtype=float)
    rows = np.array([k for k in k_grid if np.abs(k) in set(abs_k.tolist())])
    if n_max_check is not None and method != "exact":
        raise ValueError("n_max_check needs the exact solver")
    shape = (len(rows), len(dw))
    d = np.full(shape, np.nan)
    change = np.full(shape, np.nan)
    trunc = np.full(shape, np.nan)
    blowup = np.full(shape, np.nan)
    times = time_grid(t_final, n_times)
    n_total, done = len(abs_k) * len(dw), 0
    for ak in abs_k:
        for j, w in enumerate(dw):
            point = {**model, "omega2": model["omega1"] + float(w)}
            run = run_dimer(method, point, ak, times, n_max=n_max, n_top=n_top,
                            truncation=truncation, propagator=propagator)
            d_final = float(run["D"].values[-1])
            d_check = np.nan
            if n_max_check is not None:
                check = run_dimer(method, point, ak, times, n_max=n_max_check, n_top=n_top,
                                  truncation=truncation, propagator=propagator)
                d_check = float(check["D"].values[-1])
            failed = run.attrs.get("blowup_time", run.attrs.get("breakdown_time", np.nan))
            bt = float(failed) if failed is not None else np.nan
            # a run that broke down has no trustworthy truncation weight either
            tw = (float(run["truncation_weight"].max())
                  if method == "exact" and np.isfinite(d_final) else np.nan)
            for i, k in enumerate(rows):
                if abs(k) != ak:
                    continue
                # D(−k)² = 2 − D(k)²: the same populations with c → −c
                d[i, j] = signed_d(d_final, k)
                change[i, j] = abs(d[i, j] - signed_d(d_check, k))
                trunc[i, j], blowup[i, j] = tw, bt
            done += 1
            if progress is not None:
                progress(done, n_total)
    dims = ("k", "delta_omega")
    extra = {}
    if n_max_check is not None:
        extra["cutoff_change"] = (dims, change, {
            "long_name": f"|D(n_max={n_max}) - D(n_max={n_max_check})| at t = {t_final:g}"})
    return xr.Dataset(
        {
            **extra,
            "D": (dims, d, {"long_name": f"synchronization distance D at t = {t_final:g}"}),
            "truncation_weight": (dims, trunc, {
                "long_name": "largest population in the top Fock levels during the run"}),
            "failure_time": (dims, blowup, {
                "long_name": "closure blow-up or exact-solver breakdown time (NaN: none)"}),
        },
        coords={"k": ("k", rows), "delta_omega": ("delta_omega", dw),
                "omega2": ("delta_omega", model["omega1"] + dw)},
        attrs={"method": method, "n_max": -1 if n_max is None else int(n_max),
               "n_top": int(n_top), "truncation": truncation, "t_final": float(t_final),
               "propagator": propagator,
               "n_max_check": -1 if n_max_check is None else int(n_max_check)},
    )


def signed_d(d_plus: float, k: float) -> float:
    """D at coupling k from D at |k|: D(−k)² = 2 − D(k)² (a1 → −a1)."""
    return d_plus if k >= 0 else float(np.sqrt(max(2.0 - d_plus**2, 0.0)))
