"""Combining the chunk files of a phase diagram (Fig. 3) into one grid."""

from __future__ import annotations

import numpy as np
import xarray as xr

__all__ = ["gather_chunks"]


def gather_chunks(chunks: list[xr.Dataset], k_expected: np.ndarray) -> xr.Dataset:
    """Concatenate chunk datasets along ``k`` (sorted) and check they tile the grid exactly.

    The chunks' provenance attributes (``param.*``, ``parameters_json``) are left out: they name
    each chunk's rows, so what survived the merge would depend on the split (a single chunk
    keeps its rows), and the gathered file records its own parameters when written. The
    solver's attributes that all chunks share (method, cutoffs, t_final) are kept.
    """
    ds = xr.concat(chunks, dim="k", combine_attrs="drop_conflicts").sortby("k")
    if not np.array_equal(ds["k"].values, k_expected):
        raise ValueError("the chunks do not tile the k axis of the grid; rerun the sweep")
    ds.attrs = {key: value for key, value in ds.attrs.items()
                if not (key.startswith("param.") or key == "parameters_json")}
    return ds
