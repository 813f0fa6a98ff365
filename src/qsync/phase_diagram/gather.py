"""Combining the chunk files of a phase diagram (Fig. 3) into one grid."""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["gather_chunks"]


def gather_chunks(chunks: list[xr.Dataset], k_expected: np.ndarray) -> xr.Dataset:
    """Concatenate chunk datasets along ``k`` (sorted) and check they tile the grid exactly."""
    ds = xr.concat(chunks, dim="k", combine_attrs="drop_conflicts").sortby("k")
    if not np.array_equal(ds["k"].values, k_expected):
        raise ValueError("the chunks do not tile the k axis of the grid; rerun the sweep")
    return ds
