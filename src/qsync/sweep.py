"""The (k, Δω) grid of Fig. 3 (SPEC §7), its split into chunks, and the gather step.

Grid values come from one function so that every chunk and the gather see bit-identical
coordinates (the classical random streams are keyed by the parameter values).
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

__all__ = ["grid_axes", "n_chunks", "chunk_k", "gather"]


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


def gather(chunks: list[xr.Dataset], k_expected: np.ndarray) -> xr.Dataset:
    """Concatenate chunk datasets along ``k`` (sorted) and check they tile the grid exactly."""
    ds = xr.concat(chunks, dim="k", combine_attrs="drop_conflicts").sortby("k")
    if not np.array_equal(ds["k"].values, k_expected):
        raise ValueError("the chunks do not tile the k axis of the grid; rerun the sweep")
    return ds
