"""The speed-limit rules (issue 14) through the real Snakemake CLI: config/test.yaml's tiny run
(γ × 3000, k = 3 and −1, n1 + n2 ≤ 8, t ≤ 0.5, 51 times), read from the shared test-config run."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import PAPER_MODEL
from qsync.io import open_netcdf

pytestmark = pytest.mark.workflow


def test_tiny_speed_limit_run_and_figure(workflow_run):
    wd = workflow_run
    ds = open_netcdf(wd / "results/speed_limit/tiny.nc",
                     required=("L", "Ldot_eq22_symmetrized", "Ldot_eq22_printed",
                               "Ldot_numeric", "bound_eq23_printed", "bound_eq23_rs",
                               "sigma0", "truncation_weight"))
    assert ds["L"].dims == ("k", "time")
    np.testing.assert_allclose(ds["k"], [3.0, -1.0])
    assert ds.sizes["time"] == 51
    np.testing.assert_allclose(ds.attrs["gamma1"], [PAPER_MODEL["gamma1"] * 3000], rtol=1e-12)
    assert ds.attrs["param.n_max"] == 8
    # Eq. 22 (symmetrized) and the centred difference agree away from the one-sided ends
    inner = ds.isel(time=slice(5, -1))
    assert float(abs(inner["Ldot_eq22_symmetrized"] - inner["Ldot_numeric"]).max()) < 0.05
    for suffix in ("pdf", "png", "provenance.json"):
        assert (wd / f"figures/speed_limit.{suffix}").stat().st_size > 0
