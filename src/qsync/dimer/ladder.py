"""The γ-ladder (issue 12): the dimer at scaled two-photon rates, solved by two methods.

The paper's model with both γ multiplied by a factor F (γ1 → Fγ1, γ2 → Fγ2) holds ≈ k/(Fγ)
photons after the undamped divergence time (SPEC §5b), so lowering F walks from the strongly
damped regime, where the exact block-Fock solver converges, towards the paper's F = 1. Each
rung (F, k) is solved by

- the exact solver (:func:`.quantum.solve_exact`) at two cutoffs: its values are those of the
  larger cutoff, trusted where the top sector is empty and the two cutoffs agree;
- weighted jump trajectories (:mod:`.jump_trajectories`) at two walker counts: values of the
  larger population, trusted where the change from the smaller one plus its combined
  statistical error (a one-σ upper estimate of the larger population's finite-population bias
  when the bias falls like M^{−1/2} and the walker ratio is 4) stays below a tolerance in D,
  ⟨n1 + n2⟩ is consistent between the two, and the error itself is small enough. A check that
  only asks for consistency within n_σ σ passes wherever the smaller population is noisy
  enough, e.g. at F = 100, k = 1 with 12 against 48 walkers although the larger run lies 8σ
  from the converged exact value (measured on the default ladder).

Where both are trusted the methods must agree: |ΔD| ≤ max(n_σ σ, tol_D) and
|Δ⟨n1 + n2⟩| ≤ tol_N ⟨n1 + n2⟩ (issue 12's criterion). Everything here is pure: the workflow
reads the runs and writes what :func:`gather_ladder` returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import xarray as xr

__all__ = [
    "LADDER_METHODS",
    "LadderCriteria",
    "exact_rung",
    "jump_rung",
    "gather_ladder",
]

#: the ``method`` coordinate of results/ladder.nc
LADDER_METHODS = ("exact", "jump_trajectories")
#: per-method variables of the gathered file
_VALUES = ("D", "n_total", "chi_gaussian")


@dataclass(frozen=True)
class LadderCriteria:
    """When a rung's numbers count as converged, and when the two methods agree.

    Parameters
    ----------
    cutoff_D, cutoff_n_total : float
        Largest change between the two exact cutoffs: in D (absolute) and in ⟨n1 + n2⟩
        (relative to the larger cutoff's value).
    truncation_tolerance : float
        Largest population of the exact solver's top sector (as for Fig. 2).
    n_sigma : float
        Walker-count check: ⟨n1 + n2⟩ of the two populations agree within n_σ times their
        combined standard error; agreement with the exact solver within n_σ σ in D.
    bias_D : float
        Walker-count check: |D(larger) − D(smaller)| + their combined standard error, the bias
        bound of the larger population, at most this.
    max_stderr : float
        A jump estimate of D whose standard error exceeds this is not counted as converged.
    agree_D, agree_n_total : float
        Agreement criterion of issue 12: |ΔD| ≤ max(n_σ σ, agree_D), relative
        |Δ⟨n1 + n2⟩| ≤ agree_n_total.
    """

    cutoff_D: float = 0.003
    cutoff_n_total: float = 0.005
    truncation_tolerance: float = 1e-3
    n_sigma: float = 3.0
    bias_D: float = 0.01
    max_stderr: float = 0.02
    agree_D: float = 0.01
    agree_n_total: float = 0.02

    def to_attrs(self) -> dict:
        return {f"criterion_{name}": float(value) for name, value in self.__dict__.items()}


def _nan(n: int) -> np.ndarray:
    return np.full(n, np.nan)


def exact_rung(lower: xr.Dataset, upper: xr.Dataset, criteria: LadderCriteria) -> xr.Dataset:
    """One rung by the exact solver: values at the larger cutoff, ``converged`` per time.

    Parameters
    ----------
    lower, upper : xarray.Dataset
        :func:`.quantum.solve_exact` outputs at two cutoffs on the same time grid; ``upper``
        has the larger ``n_max``.

    Returns
    -------
    xarray.Dataset
        Dimension ``time``: D, n_total, chi (exact S(ρ)), chi_gaussian, their ``_stderr``
        (zero: no sampling), ``D_check``/``n_total_check`` (the lower cutoff), truncation_weight
        and ``converged`` (top sector below tolerance, finite, cutoffs agree).
    """
    if int(upper.attrs["n_max"]) <= int(lower.attrs["n_max"]):
        raise ValueError("the second exact run must have the larger cutoff")
    if not np.array_equal(lower["time"].values, upper["time"].values):
        raise ValueError("the two cutoffs were solved on different time grids")
    n_hi = (upper["n1"] + upper["n2"]).values
    n_lo = (lower["n1"] + lower["n2"]).values
    d_hi, d_lo = upper["D"].values, lower["D"].values
    with np.errstate(invalid="ignore", divide="ignore"):
        converged = ((upper["truncation_weight"].values <= criteria.truncation_tolerance)
                     & (np.abs(d_hi - d_lo) <= criteria.cutoff_D)
                     & (np.abs(n_hi - n_lo) <= criteria.cutoff_n_total * n_hi))
    zero = np.zeros(len(d_hi))
    out = xr.Dataset(
        {
            "D": ("time", d_hi), "D_stderr": ("time", zero),
            "n_total": ("time", n_hi), "n_total_stderr": ("time", zero),
            "chi": ("time", upper["chi"].values),
            "chi_gaussian": ("time", upper["chi_gaussian"].values),
            "chi_gaussian_stderr": ("time", zero),
            "D_check": ("time", d_lo), "n_total_check": ("time", n_lo),
            "truncation_weight": ("time", upper["truncation_weight"].values),
            "converged": ("time", converged),
        },
        coords={"time": upper["time"].values},
    )
    out.attrs.update({"n_max": int(upper.attrs["n_max"]), "n_max_check": int(lower.attrs["n_max"])})
    return out


def jump_rung(small: xr.Dataset, large: xr.Dataset, criteria: LadderCriteria) -> xr.Dataset:
    """One rung by jump trajectories: values of the larger population, ``converged`` per time.

    Parameters
    ----------
    small, large : xarray.Dataset
        :func:`.jump_trajectories.combine_replicas` outputs of independent runs (different
        seeds) with fewer and more walkers per band, on the same time grid.

    Returns
    -------
    xarray.Dataset
        Dimension ``time``: D, n_total, chi_gaussian and their ``_stderr`` (replica jackknife)
        from ``large``; chi NaN (the method gives no entropy); ``D_check``/``n_total_check``
        from ``small``; truncation_weight NaN; ``converged``: the bias bound
        |D_large − D_small| + σ_comb ≤ ``bias_D``, ⟨n1 + n2⟩ consistent within n_σ σ_comb and
        σ_D ≤ ``max_stderr`` (the finite-population bias check of issue 12).
    """
    if not float(large.attrs["walkers"]) > float(small.attrs["walkers"]):
        raise ValueError("the second jump run must have more walkers per band")
    if small.attrs.get("seed") == large.attrs.get("seed"):
        raise ValueError("the two walker counts must be independent runs (different seeds)")
    if not np.array_equal(small["time"].values, large["time"].values):
        raise ValueError("the two walker counts were solved on different time grids")

    def change_and_sigma(name):
        return (np.abs(large[name].values - small[name].values),
                np.hypot(large[f"{name}_stderr"].values, small[f"{name}_stderr"].values))

    d_change, d_sigma = change_and_sigma("D")
    n_change, n_sigma = change_and_sigma("n_total")
    with np.errstate(invalid="ignore"):
        converged = ((d_change + d_sigma <= criteria.bias_D)
                     & (n_change <= criteria.n_sigma * n_sigma)
                     & (large["D_stderr"].values <= criteria.max_stderr))
    n = large.sizes["time"]
    data = {name: ("time", large[name].values) for name in _VALUES}
    data.update({f"{name}_stderr": ("time", large[f"{name}_stderr"].values)
                 for name in _VALUES})
    data.update({
        "chi": ("time", _nan(n)),
        "D_check": ("time", small["D"].values), "n_total_check": ("time", small["n_total"].values),
        "truncation_weight": ("time", _nan(n)),
        "converged": ("time", converged),
    })
    out = xr.Dataset(data, coords={"time": large["time"].values})
    out.attrs.update({"walkers": int(large.attrs["walkers"]),
                      "walkers_check": int(small.attrs["walkers"]),
                      "replicas": int(large.attrs["replicas"])})
    return out


def _blank(times: np.ndarray) -> xr.Dataset:
    """A rung a method did not solve: NaN values, never converged."""
    n = len(times)
    data = {name: ("time", _nan(n)) for name in
            ("D", "D_stderr", "n_total", "n_total_stderr", "chi", "chi_gaussian",
             "chi_gaussian_stderr", "D_check", "n_total_check", "truncation_weight")}
    data["converged"] = ("time", np.zeros(n, dtype=bool))
    return xr.Dataset(data, coords={"time": times})


def gather_ladder(rungs: Mapping[tuple[float, float, str], xr.Dataset], factors, k_values,
                  times, criteria: LadderCriteria) -> xr.Dataset:
    """The ladder file: every method on every rung, and where the methods agree.

    Parameters
    ----------
    rungs : mapping
        (F, k, method) → :func:`exact_rung` or :func:`jump_rung` output; a missing key means
        the method was not run on that rung (NaN, not converged).
    factors, k_values, times : sequence
        The axes F, k and time.
    criteria : LadderCriteria

    Returns
    -------
    xarray.Dataset
        Dimensions (F, k, method, time): D, n_total (⟨n1 + n2⟩), chi (exact only),
        chi_gaussian (Eq. 10 for the Gaussian state with the same covariance, a lower bound
        on χ), ``<name>_stderr``, ``D_check``/``n_total_check`` (the lower cutoff or the
        smaller population), truncation_weight, converged. Dimensions (F, k, time):
        ``both_converged`` and ``agree`` (both converged and within the criterion);
        ``D_difference`` = D(jumps) − D(exact), ``n_total_rel_difference``.
    """
    times = np.asarray(times, dtype=float)
    unknown = sorted({m for (_, _, m) in rungs} - set(LADDER_METHODS))
    if unknown:
        raise ValueError(f"unknown ladder methods {unknown}; use {LADDER_METHODS}")
    per_f = []
    for f in factors:
        per_k = []
        for k in k_values:
            per_m = []
            for method in LADDER_METHODS:
                ds = rungs.get((float(f), float(k), method))
                if ds is None:
                    ds = _blank(times)
                elif not np.array_equal(ds["time"].values, times):
                    raise ValueError(f"rung F = {f:g}, k = {k:g} ({method}) has another time grid")
                per_m.append(ds)
            per_k.append(xr.concat(per_m, dim=xr.DataArray(list(LADDER_METHODS), dims="method",
                                                           name="method"),
                                   combine_attrs="drop"))
        per_f.append(xr.concat(per_k, dim=xr.DataArray(np.asarray(k_values, float), dims="k",
                                                       name="k"), combine_attrs="drop"))
    out = xr.concat(per_f, dim=xr.DataArray(np.asarray(factors, float), dims="F", name="F"),
                    combine_attrs="drop")
    out = out.transpose("F", "k", "method", "time")
    out["converged"] = out["converged"].astype(bool)
    ex, ju = out.sel({"method": "exact"}), out.sel({"method": "jump_trajectories"})
    both = (ex["converged"] & ju["converged"]).values
    d_diff = (ju["D"] - ex["D"]).values
    n_rel = ((ju["n_total"] - ex["n_total"]) / ex["n_total"]).values
    with np.errstate(invalid="ignore"):
        agree = both & (np.abs(d_diff) <= np.maximum(criteria.n_sigma * ju["D_stderr"].values,
                                                     criteria.agree_D)) \
            & (np.abs(n_rel) <= criteria.agree_n_total)
    dims = ("F", "k", "time")
    out["both_converged"] = (dims, both)
    out["agree"] = (dims, agree)
    out["D_difference"] = (dims, d_diff)
    out["n_total_rel_difference"] = (dims, n_rel)
    out["F"].attrs["long_name"] = "factor on both two-photon rates gamma1, gamma2"
    out["n_total"].attrs["long_name"] = "<n1 + n2>"
    out["chi_gaussian"].attrs["long_name"] = ("chi of the Gaussian state with the same "
                                              "covariance (Eq. 10): a lower bound on chi")
    out.attrs.update(criteria.to_attrs())
    return out
