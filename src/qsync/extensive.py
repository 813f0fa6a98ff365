"""N-oscillator data stages (issue 7): random N-mode states → measures → lower hull.

The extensive work cost of synchronizing N oscillators (Eqs. 11, 18–21) is probed with the
``wishart`` ensemble of SPEC §4 generalized to N modes: X a 2N×2N matrix of iid N(0, 1),
H = s XᵀX, quantum state ρ ∝ exp(−rᵀHr) and classical density ∝ exp(−rᵀHr)
(:func:`qsync.sampling.sample_wishart`).

Reproducibility and memory
    The states are drawn in fixed blocks of :data:`BLOCK_SIZE`; block b of the sample for N
    modes is seeded with ``SeedSequence([seed, N, b])``. So the data for one N do not depend
    on which other N are computed, a larger ``n_states`` only appends states, and the memory
    does not grow with ``n_states``. Any state can be regenerated from (seed, N, index)
    with :func:`regenerate_states`.

What is stored
    Covariances of all states would take ~2 GB at the default size (2·10⁵ states, N ≤ 8), so
    the measures file holds D and χ of every state, and the states file holds the
    covariances of the *hull candidates* only: the states on the lower convex hull of their
    own block (quantum or classical). Every vertex of the global lower hull is one of them
    (a point extreme in the whole sample is extreme in its block), so the hull file can
    carry the full covariance matrix of each state that defines the hull.

Frequencies (Choice)
    ω_j = ω_max (κ + (1 − κ)(j − 1)/(N − 1)), j = 1…N, evenly spaced between κ ω_max and
    ω_max with ω_max = 1 (only ratios matter), mode j of the sample getting ω_j. The ensemble
    is invariant under permutations of the modes (X → XP has the same law for a permutation
    P), so this assignment changes which state has which χ but not the distribution of
    (D, χ). κ = 1 (equal frequencies) is the default.

Dimensions: ``state``; ``candidate`` (hull candidates); ``vertex_quantum`` /
``vertex_classical`` (hull vertices ordered by D); ``row``/``col`` (x1, p1, …, xN, pN).
"""

from __future__ import annotations

import numpy as np
import xarray as xr

from .bounds import chi_inf_classical_equal, chi_min_quantum
from .bounds import kappa as kappa_of
from .ergotropy import chi_classical, chi_quantum
from .gaussian import photon_number, sync_distance
from .hull import lower_convex_hull
from .sampling import GaussianSample, sample_wishart

__all__ = [
    "BLOCK_SIZE",
    "KINDS",
    "frequencies",
    "quadrature_labels",
    "block_seed",
    "sample_block",
    "regenerate_states",
    "state_measures",
    "lower_hull_indices",
    "measures_and_candidates",
    "bound_margins",
    "hull_dataset",
]

BLOCK_SIZE = 10_000
KINDS = ("quantum", "classical")
#: absolute tolerance for "a sample violates a bound": rounding of χ is ~1e-12 here
BOUND_TOL = 1e-9


def frequencies(n_modes: int, kappa: float = 1.0) -> np.ndarray:
    """ω_j evenly spaced between κ and 1 (mode 1 the slowest); all ones for κ = 1."""
    if n_modes < 2:
        raise ValueError("need at least two oscillators")
    if not 0 < kappa <= 1:
        raise ValueError(f"kappa must be in (0, 1], got {kappa}")
    return np.linspace(kappa, 1.0, n_modes)  # endpoints exact: κ(ω) == kappa


def quadrature_labels(n_modes: int) -> list[str]:
    return [f"{q}{j}" for j in range(1, n_modes + 1) for q in ("x", "p")]


def block_seed(seed: int, n_modes: int, block: int) -> int:
    """The integer seed of block ``block`` of the N-mode sample: SeedSequence([seed, N, b])."""
    ss = np.random.SeedSequence([int(seed), int(n_modes), int(block)])
    return int(ss.generate_state(1, dtype=np.uint64)[0])


def _blocks(n_states: int, block_size: int):
    for b, start in enumerate(range(0, n_states, block_size)):
        yield b, start, min(start + block_size, n_states)


def sample_block(n_modes: int, seed: int, block: int, size: int, scale: float) -> GaussianSample:
    """Block ``block`` (``size`` states) of the N-mode wishart sample."""
    return sample_wishart(size, n_modes=n_modes, scale=scale,
                          seed=block_seed(seed, n_modes, block))


def regenerate_states(n_modes: int, n_states: int, seed: int, scale: float, indices,
                      block_size: int = BLOCK_SIZE) -> GaussianSample:
    """Covariances and means of the states with the given indices, redrawn from the seed.

    Only the blocks that contain the requested states are drawn.
    """
    indices = np.asarray(indices, dtype=int)
    if indices.size and (indices.min() < 0 or indices.max() >= n_states):
        raise IndexError(f"state indices must be in [0, {n_states})")
    dim = 2 * n_modes
    out = {k: np.empty((indices.size, dim, dim)) for k in ("cq", "cc")}
    means = {k: np.empty((indices.size, dim)) for k in ("mq", "mc")}
    for b, start, stop in _blocks(n_states, block_size):
        pick = np.flatnonzero((indices >= start) & (indices < stop))
        if not pick.size:
            continue
        s = sample_block(n_modes, seed, b, stop - start, scale)
        local = indices[pick] - start
        out["cq"][pick], out["cc"][pick] = s.cov_quantum[local], s.cov_classical[local]
        means["mq"][pick], means["mc"][pick] = s.mean_quantum[local], s.mean_classical[local]
    return GaussianSample(out["cq"], means["mq"], out["cc"], means["mc"])


def state_measures(sample: GaussianSample, omega) -> dict[str, np.ndarray]:
    """D (Eq. 6) and χ (Eq. 10), quantum and classical, and the photon number."""
    return {
        "D_quantum": sync_distance(sample.cov_quantum, sample.mean_quantum),
        "chi_quantum": chi_quantum(sample.cov_quantum, sample.mean_quantum, omega),
        "D_classical": sync_distance(sample.cov_classical, sample.mean_classical),
        "chi_classical": chi_classical(sample.cov_classical, sample.mean_classical, omega),
        "photon_number": photon_number(sample.cov_quantum, sample.mean_quantum),
    }


def lower_hull_indices(d, chi) -> np.ndarray:
    """Indices of the points on the lower convex hull of (d, χ), ordered by increasing d.

    Fewer than three finite points: all finite points.
    """
    d, chi = np.asarray(d, float), np.asarray(chi, float)
    finite = np.flatnonzero(np.isfinite(d) & np.isfinite(chi))
    if finite.size < 3:
        return finite[np.argsort(d[finite], kind="stable")]
    hx, hy = lower_convex_hull(d, chi)
    return np.array([np.flatnonzero((d == x) & (chi == y))[0] for x, y in zip(hx, hy,
                                                                             strict=True)])


def measures_and_candidates(n_modes: int, n_states: int, seed: int, scale: float = 10.0,
                            kappa: float = 1.0, block_size: int = BLOCK_SIZE,
                            progress=None) -> tuple[xr.Dataset, xr.Dataset]:
    """Sample ``n_states`` N-mode wishart states block by block; return (measures, states).

    ``measures`` has D and χ (quantum, classical) and the photon number of every state;
    ``states`` the covariances of the hull candidates (module docstring). ``progress`` is
    called as ``progress(done, total)`` after each block.
    """
    if int(n_states) != n_states or n_states < 3:
        raise ValueError(f"n_states must be an integer >= 3, got {n_states!r}")
    omega = frequencies(n_modes, kappa)
    cols = {k: np.empty(n_states) for k in ("D_quantum", "chi_quantum", "D_classical",
                                            "chi_classical", "photon_number")}
    cand_idx, cand_cq, cand_cc = [], [], []
    for b, start, stop in _blocks(n_states, block_size):
        s = sample_block(n_modes, seed, b, stop - start, scale)
        m = state_measures(s, omega)
        for k, v in m.items():
            cols[k][start:stop] = v
        local = np.union1d(lower_hull_indices(m["D_quantum"], m["chi_quantum"]),
                           lower_hull_indices(m["D_classical"], m["chi_classical"]))
        cand_idx.append(local + start)
        cand_cq.append(s.cov_quantum[local])
        cand_cc.append(s.cov_classical[local])
        if progress is not None:
            progress(stop, n_states)
    attrs = {"n_modes": int(n_modes), "n_states": int(n_states), "seed": int(seed),
             "sampler": "wishart", "scale": float(scale), "kappa": kappa_of(omega),
             "omega": omega.tolist(), "block_size": int(block_size),
             "seeding": "block b of the states: numpy SeedSequence([seed, n_modes, b])",
             "frequency_assignment": "mode j has omega_j = kappa + (1 - kappa)(j - 1)/(N - 1)"}
    measures = xr.Dataset({k: ("state", v) for k, v in cols.items()},
                          coords={"state": np.arange(n_states)},
                          attrs={**attrs, "description":
                                 f"D and chi of {n_states} random {n_modes}-mode Gaussian states"})
    long = {
        "D_quantum": "synchronization distance D (Eq. 6), quantum state",
        "chi_quantum": "ergotropy of synchronization chi (Eq. 10), quantum",
        "D_classical": "synchronization distance D (Eq. 6), classical density",
        "chi_classical": "classical chi against the classical Gibbs density",
        "photon_number": "total photon number of the quantum state",
    }
    for k, v in long.items():
        measures[k].attrs["long_name"] = v
    quad = quadrature_labels(n_modes)
    states = xr.Dataset(
        {"state_index": ("candidate", np.concatenate(cand_idx)),
         "cov_quantum": (("candidate", "row", "col"), np.concatenate(cand_cq)),
         "cov_classical": (("candidate", "row", "col"), np.concatenate(cand_cc))},
        coords={"row": quad, "col": quad},
        attrs={**attrs, "description": "covariances (zero mean) of the hull candidates: the "
               "states on the lower convex hull of their block, quantum or classical; any "
               "other state is redrawn from the seed with qsync.extensive.regenerate_states"},
    )
    return measures, states


def bound_margins(measures: xr.Dataset) -> xr.Dataset:
    """How every sample stands against Eq. 11 and, for κ = 1, the classical infimum (SPEC §3).

    For each kind (quantum, classical) and bound: the smallest margin χ − bound(D) over all
    states, the D where it occurs, and the number of states below the bound by more than
    :data:`BOUND_TOL`. The classical infimum is for equal frequencies: NaN/−1 if κ ≠ 1.
    """
    n, kap = int(measures.attrs["n_modes"]), float(measures.attrs["kappa"])
    out = {}
    for kind in KINDS:
        d, chi = measures[f"D_{kind}"].values, measures[f"chi_{kind}"].values
        bounds = {"eq11": chi_min_quantum(d, n, kap)}
        bounds["clinf"] = (chi_inf_classical_equal(d, n) if kap == 1.0
                           else np.full_like(d, np.nan))
        for name, bound in bounds.items():
            margin = chi - bound
            if np.all(np.isnan(margin)):
                out[f"{name}_min_margin_{kind}"] = ((), np.nan)
                out[f"{name}_argmin_D_{kind}"] = ((), np.nan)
                out[f"{name}_violations_{kind}"] = ((), -1)
                continue
            i = int(np.nanargmin(margin))
            out[f"{name}_min_margin_{kind}"] = ((), float(margin[i]))
            out[f"{name}_argmin_D_{kind}"] = ((), float(d[i]))
            out[f"{name}_violations_{kind}"] = ((), int(np.sum(margin < -BOUND_TOL)))
    ds = xr.Dataset(out)
    for k in ds.data_vars:
        bound = ("Eq. 11" if k.startswith("eq11") else
                 "the classical infimum for equal frequencies (SPEC 3)")
        what = ("smallest chi - bound(D) over all states" if "min_margin" in k else
                "D of the state with the smallest margin" if "argmin" in k else
                f"number of states below the bound by more than {BOUND_TOL:g} "
                "(-1: not applicable)")
        ds[k].attrs["long_name"] = f"{what}; bound: {bound}"
    return ds


def hull_dataset(measures: xr.Dataset, states: xr.Dataset) -> xr.Dataset:
    """Lower convex hulls of the (D, χ) clouds, the covariances of their vertex states, and
    the bound margins of :func:`bound_margins`.

    The hull of (D, χ/N) has the same vertices; ``chi_per_mode_*`` is χ/N on them.
    """
    n = int(measures.attrs["n_modes"])
    cand = states["state_index"].values
    data = {}
    for kind in KINDS:
        d, chi = measures[f"D_{kind}"].values, measures[f"chi_{kind}"].values
        idx = lower_hull_indices(d, chi)
        pos = np.searchsorted(cand, idx)
        pos = np.minimum(pos, len(cand) - 1)
        found = cand[pos] == idx
        if not np.all(found):  # cannot happen for a true hull; redraw rather than fail
            extra = regenerate_states(n, int(measures.attrs["n_states"]),
                                      int(measures.attrs["seed"]),
                                      float(measures.attrs["scale"]), idx[~found],
                                      int(measures.attrs["block_size"]))
        cov = np.empty((idx.size, 2 * n, 2 * n))
        cov[found] = states[f"cov_{kind}"].values[pos[found]]
        if not np.all(found):
            cov[~found] = getattr(extra, f"cov_{kind}")
        v = f"vertex_{kind}"
        data[f"D_{kind}"] = (v, d[idx])
        data[f"chi_{kind}"] = (v, chi[idx])
        data[f"chi_per_mode_{kind}"] = (v, chi[idx] / n)
        data[f"state_{kind}"] = (v, idx)
        data[f"cov_{kind}"] = ((v, "row", "col"), cov)
    quad = quadrature_labels(n)
    ds = xr.Dataset(data, coords={"row": quad, "col": quad})
    ds = ds.merge(bound_margins(measures))
    keep = ("n_modes", "n_states", "seed", "sampler", "scale", "kappa", "omega", "block_size",
            "frequency_assignment")
    ds.attrs = {k: measures.attrs[k] for k in keep}
    ds.attrs["description"] = ("lower convex hull of the (D, chi) sample, vertices ordered by D, "
                               "with the covariance of each vertex state and the margins of all "
                               "states against Eq. 11 and the classical infimum")
    for kind in KINDS:
        ds[f"chi_per_mode_{kind}"].attrs["long_name"] = f"chi/N on the {kind} hull"
        ds[f"state_{kind}"].attrs["long_name"] = "index of the vertex state in the sample"
    return ds
