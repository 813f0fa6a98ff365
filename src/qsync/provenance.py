"""Provenance attributes attached to every NetCDF file the pipeline writes.

No wall-clock timestamps: the same inputs must give byte-identical files.
"""

from __future__ import annotations

import json
import subprocess
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np

from . import __version__

__all__ = [
    "git_revision", "software_versions", "provenance_attrs", "flatten_params", "to_plain",
]

_TRACKED_PACKAGES = ("numpy", "scipy", "qutip", "xarray", "netCDF4", "matplotlib")


def git_revision(path: str | Path = ".") -> str:
    """The commit hash of the repository containing ``path`` ("-dirty" if it has changes to
    tracked files), or "unknown" outside git."""
    try:
        rev = subprocess.run(["git", "-C", str(path), "rev-parse", "HEAD"],
                             capture_output=True, text=True, check=True, timeout=10).stdout
        dirty = subprocess.run(["git", "-C", str(path), "status", "--porcelain",
                                "--untracked-files=no"],
                               capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return rev.strip() + ("-dirty" if dirty.strip() else "")


def software_versions() -> dict[str, str]:
    """Versions of qsync and of the numerical packages that can change results."""
    out = {"qsync_version": __version__}
    for pkg in _TRACKED_PACKAGES:
        try:
            out[f"{pkg.lower()}_version"] = version(pkg)
        except PackageNotFoundError:
            out[f"{pkg.lower()}_version"] = "not installed"
    return out


def flatten_params(params: dict, prefix: str = "") -> dict:
    """Flatten nested parameters into NetCDF-storable attributes ``a.b.c -> value``.

    Lists of numbers stay lists (NetCDF stores them as arrays); anything else is JSON.
    """
    flat = {}
    for key, value in params.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten_params(value, prefix=f"{name}."))
        elif isinstance(value, bool):
            flat[name] = int(value)
        elif isinstance(value, (int, float, str)):
            flat[name] = value
        elif isinstance(value, (list, tuple)) and value and all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            flat[name] = [float(v) for v in value]
        else:
            flat[name] = json.dumps(value, sort_keys=True)
    return flat


def to_plain(obj):
    """Recursively turn numpy scalars/arrays and tuples into plain Python for JSON/NetCDF."""
    if isinstance(obj, dict):
        return {str(k): to_plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_plain(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return to_plain(obj.tolist())
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def provenance_attrs(params: dict, repo: str | Path = ".") -> dict:
    """Attributes for a data file: its parameters (flat and as JSON), versions, git revision."""
    params = to_plain(params)
    attrs = {f"param.{k}": v for k, v in flatten_params(params).items()}
    attrs["parameters_json"] = json.dumps(params, sort_keys=True, default=str)
    attrs.update(software_versions())
    attrs["git_revision"] = git_revision(repo)
    attrs["source"] = "qsync: Aifer, Thingna, Deffner, PRL 133, 020401 (2024)"
    return attrs
