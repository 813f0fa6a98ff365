"""NetCDF input and output that never leaves a half-written file behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import xarray as xr

from .provenance import provenance_attrs

__all__ = ["QsyncDataError", "write_netcdf", "open_netcdf"]


class QsyncDataError(RuntimeError):
    """A data file is missing, unreadable or not what the pipeline expects."""


def write_netcdf(ds: xr.Dataset, path: str | Path, params: dict | None = None,
                 repo: str | Path = ".") -> Path:
    """Write ``ds`` with provenance attributes, atomically.

    The file is written to a temporary name in the target directory and renamed into place,
    so a crash or a SIGKILL leaves either the previous file or no file, never a partial one.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in path.parent.glob(f".{path.name}.*.part"):  # left by a killed writer
        stale.unlink(missing_ok=True)
    ds = ds.copy()
    ds.attrs = {**ds.attrs, **provenance_attrs(params or {}, repo=repo)}
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file the usual permissions
    try:
        ds.to_netcdf(tmp, engine="netcdf4", format="NETCDF4")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def open_netcdf(path: str | Path, required: tuple[str, ...] = ()) -> xr.Dataset:
    """Load a NetCDF file fully into memory, with errors that name the file.

    Parameters
    ----------
    required
        Variable names that must be present.
    """
    path = Path(path)
    if not path.exists():
        raise QsyncDataError(f"input file {path} does not exist")
    try:
        with xr.open_dataset(path, engine="netcdf4") as ds:
            ds = ds.load()
    except Exception as exc:  # netCDF4/HDF5 raise a zoo of types for corrupt files
        raise QsyncDataError(f"cannot read NetCDF file {path}: {exc}") from exc
    missing = [v for v in required if v not in ds.variables]
    if missing:
        raise QsyncDataError(f"{path} lacks variables {missing}")
    return ds
