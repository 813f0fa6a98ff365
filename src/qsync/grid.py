"""Parameter grids and their labels: output times, the (k, Δω) axes of Fig. 3 (SPEC §7), their
split into jobs, and the k labels used in file names.

Grid values come from one function so that every chunk and the gather see bit-identical
coordinates (the classical random streams are keyed by the parameter values). NumPy only: the
workflow imports this module while it plans jobs.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["time_grid", "grid_axes", "n_chunks", "chunk_k", "abs_k_rows", "format_k"]


def time_grid(t_final: float, n_times: int) -> np.ndarray:
    """Output times 0 … t_final, evenly spaced (both ends included)."""
    return np.linspace(0.0, float(t_final), int(n_times))


def grid_axes(k_min: float, k_max: float, n_k: int, delta_omega_min: float,
              delta_omega_max: float, n_delta_omega: int) -> tuple[np.ndarray, np.ndarray]:
    """The k and Δω = ω2 − ω1 axes of the sweep (inclusive, evenly spaced)."""
    if n_k < 1 or n_delta_omega < 1:
        raise ValueError("the grid needs at least one point per axis")
    k = np.linspace(k_min, k_max, n_k)
    dw = np.linspace(delta_omega_min, delta_omega_max, n_delta_omega)
    return k, dw


def n_chunks(n_k: int, rows_per_chunk: int) -> int:
    """Number of jobs when each takes ``rows_per_chunk`` rows of k."""
    return math.ceil(n_k / rows_per_chunk)


def chunk_k(k: np.ndarray, rows_per_chunk: int, index: int) -> np.ndarray:
    """The k values of chunk ``index`` (0-based)."""
    if not 0 <= index < n_chunks(len(k), rows_per_chunk):
        raise IndexError(f"chunk {index} out of range for {len(k)} rows of {rows_per_chunk}")
    return k[index * rows_per_chunk:(index + 1) * rows_per_chunk]


def abs_k_rows(k: np.ndarray) -> np.ndarray:
    """The distinct |k| of the grid, ascending: the rows the quantum phase diagram solves
    (D(−k) follows from D(k) by the exact symmetry a1 → −a1, SPEC §5)."""
    return np.unique(np.abs(np.asarray(k, dtype=float)))


def format_k(k: float) -> str:
    """The k label used in file names: 5 -> '5', 0.5 -> '0.5', -3 -> '-3'."""
    return f"{float(k):g}"
