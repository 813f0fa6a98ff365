"""Fig. 1 data stages as xarray datasets: sampled states → measures → lower hull.

Dimensions: ``state`` (the random states), ``row``/``col`` (quadrature indices x1, p1, x2, p2),
``vertex`` (hull vertices ordered by D).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .bounds import kappa
from .ergotropy import chi_classical, chi_quantum
from .gaussian import photon_number, purity, sync_distance
from .hull import lower_convex_hull
from .sampling import SAMPLERS, GaussianSample

__all__ = ["sample_dataset", "measures_dataset", "hull_dataset"]

QUADRATURES = ["x1", "p1", "x2", "p2"]


def sample_dataset(sampler: str, n_states: int, seed: int, **options) -> xr.Dataset:
    """Draw ``n_states`` random two-mode states with the named sampler (SPEC §4)."""
    if sampler not in SAMPLERS:
        raise ValueError(f"unknown sampler {sampler!r}; choose one of {sorted(SAMPLERS)}")
    s: GaussianSample = SAMPLERS[sampler](n_states, n_modes=2, seed=seed, **options)
    quad = QUADRATURES
    return xr.Dataset(
        {
            "cov_quantum": (("state", "row", "col"), s.cov_quantum),
            "cov_classical": (("state", "row", "col"), s.cov_classical),
            "mean_quantum": (("state", "row"), s.mean_quantum),
            "mean_classical": (("state", "row"), s.mean_classical),
        },
        coords={"row": quad, "col": quad},
        attrs={"sampler": sampler, "n_states": n_states, "seed": seed,
               "description": "random two-mode Gaussian states (quantum and classical)"},
    )


def measures_dataset(states: xr.Dataset, omega) -> xr.Dataset:
    """D (Eq. 2) and χ (Eq. 10; quantum and classical) of every state at frequencies ω."""
    omega = np.asarray(omega, dtype=float)
    cq, mq = states["cov_quantum"].values, states["mean_quantum"].values
    cc, mc = states["cov_classical"].values, states["mean_classical"].values
    ds = xr.Dataset(
        {
            "D_quantum": ("state", sync_distance(cq, mq)),
            "chi_quantum": ("state", chi_quantum(cq, mq, omega)),
            "D_classical": ("state", sync_distance(cc, mc)),
            "chi_classical": ("state", chi_classical(cc, mc, omega)),
            "purity": ("state", purity(cq)),
            "photon_number": ("state", photon_number(cq, mq)),
        },
        attrs={"omega": omega.tolist(), "kappa": kappa(omega)},
    )
    ds["D_quantum"].attrs["long_name"] = "synchronization distance D (Eq. 2), quantum state"
    ds["chi_quantum"].attrs["long_name"] = "ergotropy of synchronization χ (Eq. 10), quantum"
    ds["D_classical"].attrs["long_name"] = "synchronization distance D (Eq. 2), classical density"
    ds["chi_classical"].attrs["long_name"] = "classical χ against the classical Gibbs density"
    ds["purity"].attrs["long_name"] = "purity tr ρ² of the quantum state"
    ds["photon_number"].attrs["long_name"] = "total photon number ⟨n1 + n2⟩ of the quantum state"
    return ds


def hull_dataset(measures: xr.Dataset) -> xr.Dataset:
    """Lower convex hulls χ̃_min(D) of the quantum and classical (D, χ) clouds."""
    data = {}
    for kind in ("quantum", "classical"):
        hx, hy = lower_convex_hull(measures[f"D_{kind}"].values, measures[f"chi_{kind}"].values)
        data[f"D_{kind}"] = (f"vertex_{kind}", hx)
        data[f"chi_{kind}"] = (f"vertex_{kind}", hy)
    ds = xr.Dataset(data, attrs={k: measures.attrs[k] for k in ("omega", "kappa")})
    ds.attrs["n_states"] = measures.sizes["state"]
    ds.attrs["description"] = "lower convex hull of the (D, χ) sample, vertices ordered by D"
    return ds
