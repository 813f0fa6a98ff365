"""Lower convex hull of a two-dimensional point cloud (the χ̃_min curve of Fig. 1)."""

from __future__ import annotations

import numpy as np
from scipy.spatial import ConvexHull

__all__ = ["lower_convex_hull", "interpolate_hull"]


def lower_convex_hull(x, y) -> tuple[np.ndarray, np.ndarray]:
    """Vertices of the lower convex hull of the points (x, y), ordered by increasing x.

    Uses Qhull (scipy.spatial.ConvexHull). A facet belongs to the lower hull when its outward
    normal points down (negative y component); the chain runs from the leftmost to the
    rightmost point. Non-finite points are ignored.

    Returns
    -------
    hx, hy : ndarray
        Hull vertices, strictly increasing in ``hx``.
    """
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y, dtype=float).ravel()
    if x.shape != y.shape:
        raise ValueError("x and y must have the same number of points")
    ok = np.isfinite(x) & np.isfinite(y)
    pts = np.column_stack([x[ok], y[ok]])
    if len(pts) < 3:
        raise ValueError(f"need at least 3 finite points for a hull, got {len(pts)}")
    hull = ConvexHull(pts)
    lower = hull.equations[:, 1] < 0
    idx = np.unique(hull.simplices[lower].ravel())
    hx, hy = pts[idx, 0], pts[idx, 1]
    order = np.argsort(hx, kind="stable")
    return hx[order], hy[order]


def interpolate_hull(hx, hy, x) -> np.ndarray:
    """Piecewise-linear hull value at x (NaN outside the hull's x range)."""
    return np.interp(x, hx, hy, left=np.nan, right=np.nan)
