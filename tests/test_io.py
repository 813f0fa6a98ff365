"""NetCDF writing is atomic and carries provenance; bad files give errors naming them."""

import numpy as np
import pytest
import xarray as xr

from qsync.io import QsyncDataError, open_netcdf, write_netcdf


def _ds():
    return xr.Dataset({"D": ("state", np.linspace(0, 1, 5))})


def test_roundtrip_and_provenance(tmp_path):
    path = write_netcdf(_ds(), tmp_path / "a.nc", params={"seed": 3, "omega": [1.0, 2.0],
                                                           "nested": {"k": 0.5}})
    back = open_netcdf(path, required=("D",))
    np.testing.assert_array_equal(back["D"], _ds()["D"])
    for key in ("qsync_version", "git_revision", "numpy_version", "scipy_version",
                "qutip_version", "xarray_version", "parameters_json"):
        assert key in back.attrs, key
    assert back.attrs["param.seed"] == 3
    assert back.attrs["param.nested.k"] == 0.5
    np.testing.assert_array_equal(back.attrs["param.omega"], [1.0, 2.0])
    assert list(tmp_path.iterdir()) == [path], "no temporary files left behind"


def test_rewrite_is_byte_identical(tmp_path):
    a = write_netcdf(_ds(), tmp_path / "a.nc", params={"x": 1}).read_bytes()
    b = write_netcdf(_ds(), tmp_path / "a.nc", params={"x": 1}).read_bytes()
    assert a == b


def test_failed_write_leaves_nothing(tmp_path, monkeypatch):
    def boom(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(xr.Dataset, "to_netcdf", boom)
    with pytest.raises(RuntimeError, match="disk full"):
        write_netcdf(_ds(), tmp_path / "a.nc")
    assert list(tmp_path.iterdir()) == []


def test_missing_and_corrupt_files_are_named(tmp_path):
    with pytest.raises(QsyncDataError, match="nope.nc"):
        open_netcdf(tmp_path / "nope.nc")
    bad = tmp_path / "corrupt.nc"
    bad.write_bytes(b"\x89HDF\r\n\x1a\n" + b"garbage" * 100)
    with pytest.raises(QsyncDataError, match="corrupt.nc"):
        open_netcdf(bad)
    good = write_netcdf(_ds(), tmp_path / "g.nc")
    with pytest.raises(QsyncDataError, match="lacks variables"):
        open_netcdf(good, required=("chi",))
