"""Lower convex hull (the χ̃_min curve of Fig. 1) against brute-force checks and an
independent monotone-chain construction."""

from __future__ import annotations

import numpy as np
import pytest

from qsync.hull import interpolate_hull, lower_convex_hull


def monotone_chain_lower(x, y):
    """Andrew's monotone chain, lower part, collinear points dropped (independent route)."""
    pts = sorted(set(zip(x.tolist(), y.tolist(), strict=True)))
    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2:
            (ox, oy), (ax, ay) = lower[-2], lower[-1]
            if (ax - ox) * (p[1] - oy) - (ay - oy) * (p[0] - ox) <= 0:
                lower.pop()
            else:
                break
        lower.append(p)
    return np.array(lower)


def assert_valid_lower_hull(x, y, hx, hy, strict=True):
    """Brute-force properties of a lower convex hull of the cloud (x, y)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    ok = np.isfinite(x) & np.isfinite(y)
    x, y = x[ok], y[ok]
    # vertices are sample points
    pts = set(zip(x.tolist(), y.tolist(), strict=True))
    assert all((a, b) in pts for a, b in zip(hx.tolist(), hy.tolist(), strict=True))
    # x strictly increasing, from the leftmost to the rightmost point
    assert np.all(np.diff(hx) > 0)
    assert hx[0] == x.min() and hx[-1] == x.max()
    assert hy[0] == y[x == x.min()].min() and hy[-1] == y[x == x.max()].min()
    # convex: slopes increasing
    slopes = np.diff(hy) / np.diff(hx)
    assert np.all(np.diff(slopes) > 0) if strict else np.all(np.diff(slopes) >= -1e-12)
    # every point lies on or above the line of every hull segment (supporting lines)
    scale = 1e-12 * (1 + np.abs(y).max())
    for i in range(len(hx) - 1):
        line = hy[i] + slopes[i] * (x - hx[i])
        assert np.all(y >= line - scale), f"segment {i}: point below by {np.max(line - y)}"


@pytest.mark.parametrize("n,seed", [(5, 0), (50, 1), (1000, 2), (100_000, 3)])
def test_random_clouds(n, seed):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, np.sqrt(2), n)
    y = 3 * (x - 0.7) ** 2 + rng.exponential(0.5, n) - 1.0
    hx, hy = lower_convex_hull(x, y)
    assert_valid_lower_hull(x, y, hx, hy)
    ref = monotone_chain_lower(x, y)
    np.testing.assert_array_equal(hx, ref[:, 0])
    np.testing.assert_array_equal(hy, ref[:, 1])


@pytest.mark.parametrize("seed", range(5))
def test_gaussian_clouds(seed):
    rng = np.random.default_rng(100 + seed)
    x, y = rng.standard_normal((2, 3000))
    hx, hy = lower_convex_hull(x, y)
    assert_valid_lower_hull(x, y, hx, hy)
    ref = monotone_chain_lower(x, y)
    np.testing.assert_array_equal(np.column_stack([hx, hy]), ref)


def test_parabola_plus_points_above():
    """Points on a strictly convex parabola are all hull vertices; points above are not."""
    rng = np.random.default_rng(7)
    xp = np.linspace(-1, 2, 41)
    yp = xp**2
    xa = rng.uniform(-1, 2, 500)
    ya = xa**2 + rng.uniform(1e-6, 3, 500)
    x, y = np.concatenate([xa, xp]), np.concatenate([ya, yp])
    perm = rng.permutation(x.size)
    hx, hy = lower_convex_hull(x[perm], y[perm])
    np.testing.assert_array_equal(hx, xp)
    np.testing.assert_array_equal(hy, yp)
    assert_valid_lower_hull(x, y, hx, hy)


def test_non_finite_points_ignored():
    rng = np.random.default_rng(8)
    x, y = rng.uniform(size=(2, 200))
    xb, yb = x.copy(), y.copy()
    xb[[3, 50]] = np.nan
    yb[[7, 90]] = -np.inf
    yb[11] = np.inf
    hx, hy = lower_convex_hull(xb, yb)
    keep = np.isfinite(xb) & np.isfinite(yb)
    ref = monotone_chain_lower(x[keep], y[keep])
    np.testing.assert_array_equal(np.column_stack([hx, hy]), ref)


def test_vertical_left_edge_takes_lowest_point():
    x = np.array([0.0, 0.0, 0.0, 1.0, 2.0, 2.0, 0.5])
    y = np.array([3.0, 1.0, 2.0, 0.0, 1.0, 5.0, 4.0])
    hx, hy = lower_convex_hull(x, y)
    np.testing.assert_array_equal(hx, [0.0, 1.0, 2.0])
    np.testing.assert_array_equal(hy, [1.0, 0.0, 1.0])


def test_collinear_lattice_is_still_a_valid_hull():
    """Integer lattice (many collinear points): the hull is valid; slopes non-decreasing."""
    gx, gy = np.meshgrid(np.arange(8.0), np.arange(5.0))
    x, y = gx.ravel(), (gy + 0.25 * (gx - 3.5) ** 2).ravel()
    hx, hy = lower_convex_hull(x, y)
    assert_valid_lower_hull(x, y, hx, hy, strict=False)


def test_too_few_points_and_shape_mismatch():
    with pytest.raises(ValueError):
        lower_convex_hull([0.0, 1.0], [0.0, 1.0])
    with pytest.raises(ValueError):
        lower_convex_hull([0.0, 1.0, np.nan], [0.0, 1.0, 2.0])
    with pytest.raises(ValueError):
        lower_convex_hull([0.0, 1.0, 2.0], [0.0, 1.0])


def test_interpolate_hull():
    hx, hy = np.array([0.0, 1.0, 3.0]), np.array([2.0, 0.0, 1.0])
    got = interpolate_hull(hx, hy, np.array([-0.1, 0.0, 0.5, 1.0, 2.0, 3.0, 3.1]))
    np.testing.assert_allclose(got[1:-1], [2.0, 1.0, 0.0, 0.5, 1.0])
    assert np.isnan(got[0]) and np.isnan(got[-1])
