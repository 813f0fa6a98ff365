"""Which exact-solver results count as converged: the criteria the figures mark and the run
summaries count, in one place so that both always agree.

A truncated-Fock result is trusted only where the population of the top photon-number sectors
stays below a tolerance, the run did not break down in double precision, and (where a second
cutoff was solved) D moved by less than a tolerance between the two cutoffs (SPEC §5). The
large-N phase diagram carries an error estimate per point instead (issue 13).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .method_flags import METHOD_EXACT

__all__ = ["failed_points", "unconverged_times", "unconverged_points"]


def unconverged_times(run: xr.Dataset, truncation_tolerance: float) -> np.ndarray:
    """Output times of one dimer run (Fig. 2) not to be trusted: truncation weight above the
    tolerance, or no value (breakdown). The closure has weight 0 and never trips the first."""
    weight = run["truncation_weight"].values
    return ~(weight <= truncation_tolerance) | ~np.isfinite(run["D"].values)


def failed_points(grid: xr.Dataset) -> np.ndarray:
    """Grid points with no value or a recorded failure (closure blow-up, exact-solver
    breakdown in double precision)."""
    return np.isfinite(grid["failure_time"].values) | ~np.isfinite(grid["D"].values)


def unconverged_points(grid: xr.Dataset, truncation_tolerance: float,
                       cutoff_tolerance: float, error_tolerance: float = 0.02) -> np.ndarray:
    """Grid points of the quantum phase diagram (Fig. 3a) not to be trusted: no value or a
    recorded failure (closure blow-up, exact-solver breakdown); for the exact solver also a
    truncation weight above ``truncation_tolerance`` or, with a second cutoff, a change of D
    above ``cutoff_tolerance``. For the large-N sweep (:mod:`qsync.phase_diagram.large_n`) an
    error estimate ``D_error`` above ``error_tolerance`` (saddle: c/N; exact: the change
    between the cutoffs), or, at its exact points, a truncation weight above
    ``truncation_tolerance``."""
    failed = failed_points(grid)
    method = grid.attrs.get("method")
    if method == "closure":
        return failed
    if method == "large_n":
        exact = grid["method_used"].values == METHOD_EXACT
        return (failed | ~(grid["D_error"].values <= error_tolerance)
                | (exact & ~(grid["truncation_weight"].values <= truncation_tolerance)))
    bad = failed | ~(grid["truncation_weight"].values <= truncation_tolerance)
    if "cutoff_change" in grid:
        bad |= ~(grid["cutoff_change"].values <= cutoff_tolerance)
    return bad
