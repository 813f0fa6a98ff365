"""One dimer run from workflow parameters, and stacking runs into studies.

The workflow passes plain dictionaries (config sections); this module turns them into
:class:`DimerParams` and dispatches to the exact solver or the closure.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from .closure import solve_closure
from .model import dimer_params
from .quantum import solve_exact

__all__ = ["METHODS", "run_dimer", "stack_runs"]

METHODS = ("exact", "closure")


def run_dimer(method: str, model: dict, k: float, times, n_max: int | None = None,
              n_top: int = 1, truncation: str = "total",
              progress: Callable[[int, int], None] | None = None,
              propagator: str = "taylor", gamma_factor: float = 1.0) -> xr.Dataset:
    """Solve the dimer at coupling ``k`` with ``method`` ('exact' needs ``n_max``); both γ
    multiplied by ``gamma_factor``.

    ``truncation`` (exact solver): 'total' keeps n1 + n2 ≤ n_max (whole photon-number
    sectors), 'mode' keeps n1, n2 ≤ n_max; cut sectors of the latter lose the anti-PT
    protection and grow spuriously at the paper's parameters (see ``solve_exact``).
    ``propagator`` (exact solver): 'taylor' or 'krylov' (see ``solve_exact``).
    """
    params = dimer_params(model, k, gamma_factor)
    if method == "exact":
        if n_max is None:
            raise ValueError("the exact solver needs a Fock cutoff n_max")
        return solve_exact(params, int(n_max), times, n_top=int(n_top), progress=progress,
                           truncation=truncation, propagator=propagator)
    if method == "closure":
        return solve_closure(params, times)
    raise ValueError(f"unknown method {method!r}; choose one of {METHODS}")


def stack_runs(runs: list[xr.Dataset], dim: str, values) -> xr.Dataset:
    """Stack runs along a new dimension (e.g. ``k`` or ``n_max``), keeping common attributes."""
    return xr.concat(runs, dim=xr.DataArray(np.asarray(values), dims=dim, name=dim),
                     combine_attrs="drop_conflicts")
