"""The large-N phase diagram (qsync.phase_diagram.large_n): method choice, symmetry, chunking,
and its points against the exact solver where that converges."""

import numpy as np
import pytest
import xarray as xr

from qsync.dimer.convergence import unconverged_points
from qsync.dimer.model import dimer_params
from qsync.dimer.quantum import solve_exact
from qsync.dimer.saddle import SaddleSettings, undamped_divergence_time
from qsync.io import open_netcdf, write_netcdf
from qsync.phase_diagram.gather import gather_chunks
from qsync.phase_diagram.large_n import (
    METHOD_EXACT,
    METHOD_NONE,
    METHOD_SADDLE,
    large_n_d_final,
    large_n_point,
)
from qsync.phase_diagram.quantum import quantum_d_final

MODEL = dict(omega1=2 * np.pi, gamma1=0.00087, gamma2=0.0016, beta=0.05, beta0=None)
SETTINGS = SaddleSettings()


def _point(dw: float, factor: float = 1.0) -> dict:
    return {**MODEL, "omega2": MODEL["omega1"] + dw, "gamma1": MODEL["gamma1"] * factor,
            "gamma2": MODEL["gamma2"] * factor}


@pytest.fixture(scope="module")
def grid():
    """|k| rows 0.5 and 2 at three Δω, t_final = 1: at k = 0.5 t* > 1 for Δω = 3 (exact) and
    t* < 1 for Δω = −1 (saddle); at k = 2 the saddle everywhere."""
    return large_n_d_final([0.5, 2.0], [-2.0, -0.5, 0.5, 2.0], [-1.0, 0.5, 3.0], MODEL, 1.0,
                           n_max=12, n_max_check=10, settings=SETTINGS)


def test_method_follows_the_divergence_time(grid):
    for k in grid["k"].values:
        for dw in grid["delta_omega"].values:
            t_star = undamped_divergence_time(dimer_params(_point(dw), abs(k)), 1.0)
            method = int(grid["method_used"].sel(k=k, delta_omega=dw))
            assert method == (METHOD_SADDLE if t_star < 1.0 else METHOD_EXACT), (k, dw, t_star)
    assert (grid["method_used"] == METHOD_EXACT).any() and (grid["method_used"] == 1).any()
    assert not (grid["method_used"] == METHOD_NONE).any()
    saddle = (grid["method_used"].values == METHOD_SADDLE) & (grid["k"].values > 0)[:, None]
    # a saddle point's error estimate is c/N; its state holds hundreds of photons or more
    np.testing.assert_allclose(grid["D_error"].values[saddle],
                               SETTINGS.error_coefficient / grid["n_total"].values[saddle])
    assert np.all(grid["n_total"].values[saddle] > 300)


def test_exact_points_are_the_exact_sweep(grid):
    """At t* ≥ t_final the point is the exact solver's: the exact sweep's D and cutoff change."""
    exact = quantum_d_final([0.5], [-0.5, 0.5], [3.0], MODEL, 1.0, "exact", 12,
                            n_max_check=10)
    for k in (-0.5, 0.5):
        assert int(grid["method_used"].sel(k=k, delta_omega=3.0)) == METHOD_EXACT
        assert float(grid["D"].sel(k=k, delta_omega=3.0)) == pytest.approx(
            float(exact["D"].sel(k=k, delta_omega=3.0)), abs=1e-12)
    assert float(grid["D_error"].sel(k=0.5, delta_omega=3.0)) == pytest.approx(
        float(exact["cutoff_change"].sel(k=0.5, delta_omega=3.0)), abs=1e-12)


def test_negative_k_against_independent_runs(grid):
    """The sweep fills −k by D(−k)² = 2 − D(k)²; points solved at −k directly agree."""
    for k, dw in ((-2.0, -1.0), (-0.5, -1.0), (-0.5, 3.0)):
        direct = large_n_point(_point(dw), k, 1.0, n_max=12, n_max_check=10,
                               settings=SETTINGS)
        assert direct["method_used"] == int(grid["method_used"].sel(k=k, delta_omega=dw))
        assert float(grid["D"].sel(k=k, delta_omega=dw)) == pytest.approx(direct["D"],
                                                                          abs=1e-6)
        if direct["method_used"] == METHOD_SADDLE:
            # the error carried over by the symmetry (D dD is invariant) is the tighter one:
            # D(k) c/N / D(−k), against the generic c/N of the direct run
            d_plus = float(grid["D"].sel(k=-k, delta_omega=dw))
            err_plus = float(grid["D_error"].sel(k=-k, delta_omega=dw))
            err = float(grid["D_error"].sel(k=k, delta_omega=dw))
            assert err == pytest.approx(d_plus * err_plus / direct["D"], rel=1e-6)
            assert err <= direct["D_error"] == pytest.approx(err_plus, rel=1e-6)


def test_chunks_give_the_whole_grid_bit_for_bit(grid):
    parts = [large_n_d_final([ak], [-2.0, -0.5, 0.5, 2.0], [-1.0, 0.5, 3.0], MODEL, 1.0,
                             n_max=12, n_max_check=10, settings=SETTINGS)
             for ak in (2.0, 0.5)]
    whole = xr.concat(parts, dim="k", combine_attrs="drop_conflicts").sortby("k")
    for name in grid.data_vars:
        np.testing.assert_array_equal(whole[name].values, grid[name].values, err_msg=name)


@pytest.mark.parametrize("dw", [-2.0, 2.0])
def test_saddle_points_against_the_exact_solver(dw):
    """Away from Δω = π (where tests/test_dimer_saddle.py checks the ladder) the saddle agrees
    with the converged exact solver within three error estimates at γ × 1000 (N ≈ 7-15 there,
    so c/N is large: this checks the leading order's sign and size, not its precision; the
    c measured there, (D_exact − D_saddle)·N_saddle = 4.5 and 2.6, are of the order of the
    error coefficient, as at Δω = π)."""
    point = _point(dw, 1000.0)
    saddle = large_n_point(point, 3.0, 1.5, n_max=10, n_max_check=8, settings=SETTINGS)
    assert saddle["method_used"] == METHOD_SADDLE
    exact = solve_exact(dimer_params(point, 3.0), 40, np.linspace(0.0, 1.5, 11),
                        propagator="krylov")
    assert float(exact["truncation_weight"].max()) < 2e-3
    diff = abs(float(exact["D"].values[-1]) - saddle["D"])
    assert diff <= 3 * saddle["D_error"]
    assert 1.0 < diff * saddle["n_total"] < SETTINGS.error_coefficient


def test_unconverged_points_of_the_large_n_sweep():
    d_error = np.array([[0.001, 0.03, np.nan, 0.001]])
    weight = np.array([[np.nan, np.nan, 0.0005, 0.01]])
    ds = xr.Dataset(
        {"D": (("k", "delta_omega"), [[0.2, 0.3, np.nan, 0.9]]),
         "D_error": (("k", "delta_omega"), d_error),
         "truncation_weight": (("k", "delta_omega"), weight),
         "failure_time": (("k", "delta_omega"), np.full((1, 4), np.nan)),
         "method_used": (("k", "delta_omega"), [[1, 1, -1, 0]])},
        attrs={"method": "large_n"})
    bad = unconverged_points(ds, truncation_tolerance=1e-3, cutoff_tolerance=1e-3,
                             error_tolerance=0.02)
    # saddle within tolerance; saddle above it; no solution; exact with a heavy top sector
    np.testing.assert_array_equal(bad, [[False, True, True, True]])


def test_gathered_grid_does_not_depend_on_the_split(grid, tmp_path):
    """One chunk or one per |k| row: the gathered file is the same, bit for bit (the chunks'
    own provenance, which names their rows, does not leak into it)."""
    rows = {0.5: [-0.5, 0.5], 2.0: [-2.0, 2.0]}

    def gathered(split: list[list[float]], name: str) -> bytes:
        chunks = []
        for i, part in enumerate(split):
            k = [x for r in part for x in rows[r]]
            path = tmp_path / f"{name}_{i}.nc"
            write_netcdf(grid.sel(k=sorted(k)), path, params={"rows": part})
            chunks.append(open_netcdf(path))
        out = tmp_path / f"{name}.nc"
        write_netcdf(gather_chunks(chunks, grid["k"].values), out, params={"kind": "quantum"})
        return out.read_bytes()

    assert gathered([[0.5, 2.0]], "one") == gathered([[0.5], [2.0]], "two")
