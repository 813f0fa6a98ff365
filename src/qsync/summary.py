"""The numbers a run's README section states, computed from the run's result files.

Each function takes the datasets a figure is drawn from and returns plain numbers (JSON-ready
dicts, NaN as ``None``), so that every number the README states about a run is traceable to a
rule's output (``results/summary.json``) and never typed in by hand. The convergence criteria
are those the figures mark (:mod:`qsync.dimer.convergence`).
"""

from __future__ import annotations

import math

import numpy as np
import xarray as xr

from .bounds import (
    chi_inf_classical_two_mode,
    chi_min_asymptotic_quantum,
    chi_min_classical_two_mode,
    chi_min_quantum,
    chi_min_quantum_two_mode,
    kappa,
)
from .dimer.convergence import failed_points, unconverged_points, unconverged_times
from .dimer.method_flags import METHOD_EXACT, METHOD_NONE, METHOD_SADDLE
from .dimer.speed_limit import summarize as summarize_speed_limit
from .hull import interpolate_hull

__all__ = ["dt_check_summary", "extensive_summary", "fig1_summary", "fig2_summary", "fig3_summary",
           "jsonable", "ladder_summary", "speed_limit_summary"]

#: D at which the README quotes the bounds and hulls of Fig. 1 (the paper's text uses D = 0.5).
D_QUOTE = 0.5


def jsonable(value):
    """Numbers as plain floats/ints, NaN and inf as ``None`` (JSON has neither)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, np.integer | int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, np.floating | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def fig1_summary(measures: xr.Dataset, hull: xr.Dataset) -> dict:
    """Fig. 1: smallest margins above Eqs. 12, 13 and the derived classical infimum (SPEC §3),
    and the bounds and hulls at D = 0.5."""
    omega = np.asarray(measures.attrs["omega"], dtype=float)
    kap = kappa(omega)
    out = {"n_states": measures.sizes["state"], "kappa": kap, "omega": omega.tolist()}
    eq = {"quantum": chi_min_quantum_two_mode, "classical": chi_min_classical_two_mode}
    for kind in ("quantum", "classical"):
        d, chi = measures[f"D_{kind}"].values, measures[f"chi_{kind}"].values
        out[f"margin_own_bound_{kind}"] = float(np.min(chi - eq[kind](d, kap)))
        out[f"margin_derived_{kind}"] = float(
            np.min(chi - chi_inf_classical_two_mode(d, omega[0], omega[1])))
        out[f"hull_at_quote_{kind}"] = float(interpolate_hull(
            hull[f"D_{kind}"].values, hull[f"chi_{kind}"].values, D_QUOTE))
    out["quote_D"] = D_QUOTE
    out["eq12_at_quote"] = float(chi_min_quantum_two_mode(D_QUOTE, kap))
    out["eq13_at_quote"] = float(chi_min_classical_two_mode(D_QUOTE, kap))
    out["derived_at_quote"] = float(chi_inf_classical_two_mode(D_QUOTE, omega[0], omega[1]))
    return out


def _last_finite_time(t: np.ndarray, y: np.ndarray) -> float:
    ok = np.isfinite(y)
    return float(t[ok][-1]) if ok.any() else math.nan


def fig2_summary(runs: xr.Dataset, study: xr.Dataset | None, truncation_tolerance: float,
                 drop_fraction: float = 0.9) -> dict:
    """Fig. 2 and its cutoff study, per k: how far the run got, its largest truncation weight,
    D, χ and n1 + n2 at the last time, the range of D, the smallest margin above Eq. 12, the
    time by which D covers ``drop_fraction`` of its change, and the largest changes of D and χ
    between the two largest cutoffs of the study (if given)."""
    t = runs["time"].values
    kap = kappa([runs.attrs["omega1"], runs.attrs["omega2"]])
    per_k, margins = {}, []
    for k in runs["k"].values:
        r = runs.sel(k=k)
        d, chi = r["D"].values, r["chi"].values
        bad = unconverged_times(r, truncation_tolerance)
        ok = np.isfinite(d) & np.isfinite(chi)
        margin = chi[ok] - chi_min_quantum_two_mode(d[ok], kap)
        margins.append((float(margin.min()) if margin.size else math.nan, float(k)))
        change = d - d[0]
        target = drop_fraction * change[-1]
        reached = np.nonzero(np.isfinite(change) & (np.abs(change) >= abs(target))
                             & (np.sign(change) == np.sign(target)))[0]
        weight = r["truncation_weight"].values
        entry = {
            "t_reached": _last_finite_time(t, d),
            "breakdown_time": float(r["breakdown_time"]) if "breakdown_time" in r
            else math.nan,
            "max_truncation_weight": float(np.nanmax(weight)) if np.isfinite(weight).any()
            else math.nan,
            "n_unconverged_times": int(bad.sum()),
            "D_final": float(d[-1]),
            "chi_final": float(chi[-1]),
            "n_total_final": float(r["n1"].values[-1] + r["n2"].values[-1]),
            "D_min": float(np.nanmin(d)) if ok.any() else math.nan,
            "D_max": float(np.nanmax(d)) if ok.any() else math.nan,
            "eq12_margin": margins[-1][0],
            "drop_time": float(t[reached[0]]) if reached.size and change[-1] != 0 else math.nan,
        }
        if study is not None and float(k) in study["k"].values:
            s = study.sel(k=k)
            hi, lo = sorted(study["n_max"].values)[-1], sorted(study["n_max"].values)[-2]
            for name in ("D", "chi"):
                diff = np.abs(s[name].sel(n_max=hi).values - s[name].sel(n_max=lo).values)
                entry[f"max_change_{name}"] = float(np.nanmax(diff)) if np.isfinite(
                    diff).any() else math.nan
            entry["cutoffs_compared"] = [int(lo), int(hi)]
            entry["max_truncation_weight_at_largest_cutoff"] = float(
                np.nanmax(s["truncation_weight"].sel(n_max=hi).values))
        per_k[f"{float(k):g}"] = entry
    worst = min(margins)
    return {
        "k": per_k,
        "k_order": [f"{float(k):g}" for k in runs["k"].values],
        "t_final": float(t[-1]),
        "n_times": len(t),
        "output_step": float(t[1] - t[0]) if len(t) > 1 else math.nan,
        "eq12_margin_min": worst[0],
        "eq12_margin_min_k": worst[1],
        "eq12_holds": bool(worst[0] >= 0),
        "truncation_tolerance": float(truncation_tolerance),
        "n_max": int(runs.attrs.get("n_max", -1)),
        "method": str(runs.attrs.get("method", "")),
    }


def _span(values: np.ndarray) -> dict:
    v = values[np.isfinite(values)]
    if not v.size:
        return {"n": 0, "min": math.nan, "median": math.nan, "max": math.nan}
    return {"n": int(v.size), "min": float(v.min()), "median": float(np.median(v)),
            "max": float(v.max())}


def fig3_summary(quantum: xr.Dataset, classical: xr.Dataset, truncation_tolerance: float,
                 cutoff_tolerance: float, error_tolerance: float = 0.02, threshold: float = 0.5,
                 quote_k: float = 5.0, quote_rows: tuple[float, ...] = (3.0,)) -> dict:
    """Fig. 3: how many quantum points are converged (by the figure's criterion), broke down or
    are converged inside the classically unsynchronized region |k| < |Δω| with D < ``threshold``;
    quantum against classical point by point (k > 0); the classical panel at k = ``quote_k``,
    Δω nearest π; the range of D over Δω at each k of ``quote_rows``. For the large-N sweep
    also: points per method, the largest error estimate among converged points, and quantum
    against classical with σ = √(σ_classical² + D_error²) over the whole grid and inside the
    boundary."""
    k = quantum["k"].values
    dw = quantum["delta_omega"].values
    kk, ww = np.meshgrid(k, dw, indexing="ij")
    # the quantum panel may take every n-th point of the classical grid (sweep.quantum.stride)
    full = classical
    classical = classical.sel(k=k, delta_omega=dw, method="nearest", tolerance=1e-9)
    dq, dc = quantum["D"].values, classical["D"].values
    se = classical["D_stderr"].values
    bad = unconverged_points(quantum, truncation_tolerance, cutoff_tolerance, error_tolerance)
    good = ~bad
    failed = failed_points(quantum)
    inside = np.abs(kk) < np.abs(ww)
    out = {
        "n_points": int(dq.size),
        "shape": [len(k), len(dw)],
        "n_converged": int(good.sum()),
        "n_failed": int(failed.sum()),
        "n_unconverged_other": int((bad & ~failed).sum()),
        "converged_abs_k_max": float(np.abs(kk[good]).max()) if good.any() else math.nan,
        "threshold": threshold,
        "n_converged_inside_below_threshold": int((good & inside & (dq < threshold)).sum()),
        "truncation_tolerance": float(truncation_tolerance),
        "cutoff_tolerance": float(cutoff_tolerance),
        "classical_stderr_max": float(np.nanmax(full["D_stderr"].values)),
        "classical_shape": [full.sizes["k"], full.sizes["delta_omega"]],
        "method": str(quantum.attrs.get("method", "")),
        "n_max": int(quantum.attrs.get("n_max", -1)),
    }
    if "cutoff_change" in quantum:
        change = quantum["cutoff_change"].values
        out["n_max_check"] = int(quantum.attrs["n_max_check"])
        out["cutoff_change_max"] = float(np.nanmax(change))
        out["n_cutoff_change_below_tolerance"] = int((change <= cutoff_tolerance).sum())
        out["n_cutoff_change_below_tenth"] = int((change <= cutoff_tolerance / 10).sum())
        out["hatched_k_min"] = float(kk[bad].min()) if bad.any() else math.nan
        out["hatched_delta_omega_max"] = float(ww[bad].max()) if bad.any() else math.nan
    # the classical panel against its deterministic locked state at one point
    i = int(np.argmin(np.abs(full["k"].values - quote_k)))
    j = int(np.argmin(np.abs(full["delta_omega"].values - np.pi)))
    kq, wq = float(full["k"].values[i]), float(full["delta_omega"].values[j])
    out["classical_quote"] = {
        "k": kq, "delta_omega": wq, "D": float(full["D"].values[i, j]),
        "D_stderr": float(full["D_stderr"].values[i, j]),
        "locked_state": math.sqrt(1 - math.sqrt(1 - (wq / kq) ** 2)) if abs(wq) <= abs(kq)
        else math.nan}
    out["rows"] = {}
    for kr in quote_rows:
        i = int(np.argmin(np.abs(k - kr)))
        out["rows"][f"{float(k[i]):g}"] = {"quantum": _span(np.where(good[i], dq[i], np.nan)),
                                           "classical": _span(dc[i])}
    # quantum against classical where the quantum point is converged, k > 0
    pos = good & (kk > 0)
    diff = dc - dq
    region = pos & inside
    out["inside_positive_k"] = {"quantum": _span(np.where(region, dq, np.nan)),
                                "classical_minus_quantum": _span(np.where(region, diff,
                                                                          np.nan))}
    out["positive_k"] = {"n_converged": int(pos.sum()),
                         "n_quantum_below_classical_3se": int((pos & (diff > 3 * se)).sum())}
    if quantum.attrs.get("method") == "large_n":
        out["large_n"] = _large_n_grid(quantum, good, inside, kk > 0, diff, se,
                                       error_tolerance, threshold)
    return out


def _large_n_grid(quantum, good, inside, positive, diff, se, error_tolerance,
                  threshold) -> dict:
    """The large-N sweep's methods, errors and its comparison with the classical panel;
    "inside": |k| < |Δω|, of which the synchronization question concerns k > 0 (for k < 0,
    D(−k)² = 2 − D(k)² turns synchronization into anti-synchronization)."""
    method, err, dq = (quantum[name].values for name in ("method_used", "D_error", "D"))
    sigma = np.sqrt(se**2 + err**2)
    lower = good & (diff > 3 * sigma)
    return {
        "error_tolerance": float(error_tolerance),
        "error_coefficient": float(quantum.attrs.get("error_coefficient", math.nan)),
        "n_saddle": int((method == METHOD_SADDLE).sum()),
        "n_exact": int((method == METHOD_EXACT).sum()),
        "n_no_solution": int((method == METHOD_NONE).sum()),
        "n_converged_saddle": int((good & (method == METHOD_SADDLE)).sum()),
        "n_converged_exact": int((good & (method == METHOD_EXACT)).sum()),
        "n_total_saddle": _span(np.where(method == METHOD_SADDLE, quantum["n_total"].values,
                                         np.nan)),
        "D_error_max_converged": float(err[good].max()) if good.any() else math.nan,
        "D_error_median_converged": float(np.median(err[good])) if good.any() else math.nan,
        "n_inside": int(inside.sum()),
        "n_inside_converged": int((good & inside).sum()),
        "n_inside_below_threshold": int((good & inside & (dq < threshold)).sum()),
        "n_inside_positive_k": int((inside & positive).sum()),
        "n_inside_positive_k_converged": int((good & inside & positive).sum()),
        "inside_positive_k_quantum": _span(np.where(good & inside & positive, dq, np.nan)),
        "n_quantum_below_classical_3sigma": int(lower.sum()),
        "n_quantum_above_classical_3sigma": int((good & (-diff > 3 * sigma)).sum()),
        "n_inside_quantum_below_classical_3sigma": int((lower & inside).sum()),
    }


def extensive_summary(hulls: list[xr.Dataset], d_values) -> dict:
    """The N-oscillator figure: per N, the states below Eq. 11 and below the derived classical
    infimum (counts and smallest margins, from the hull files), and the bound per oscillator
    χ_min/N against its N → ∞ limit −ln(D²/(8κ)) (Eqs. 11, 19) at ``d_values``."""
    per_n = {}
    for ds in hulls:
        n = int(ds.attrs["n_modes"])
        kap = float(ds.attrs["param.kappa"])
        entry = {"n_states": int(ds.attrs["param.n_states"]), "kappa": kap}
        for kind in ("quantum", "classical"):
            for bound in ("eq11", "clinf"):
                entry[f"{bound}_violations_{kind}"] = int(ds[f"{bound}_violations_{kind}"])
                entry[f"{bound}_min_margin_{kind}"] = float(ds[f"{bound}_min_margin_{kind}"])
        entry["chi_min_per_mode"] = {f"{d:g}": float(chi_min_quantum(d, n, kap)) / n
                                     for d in d_values}
        entry["chi_min_per_mode_asymptote"] = {
            f"{d:g}": float(chi_min_asymptotic_quantum(d, n, kap)) / n for d in d_values}
        per_n[str(n)] = entry
    return {"N": per_n, "d_values": [float(d) for d in d_values]}


def dt_check_summary(check: xr.Dataset) -> dict:
    """The classical time-step check: largest change of D between the two steps, absolute and
    in units of the combined standard error, over the checked points."""
    d, se = check["D"].values, check["D_stderr"].values
    diff = np.abs(d[0] - d[1])
    combined = np.sqrt(se[0] ** 2 + se[1] ** 2)
    return {"dt": [float(x) for x in check["dt"].values], "n_points": int(diff.size),
            "n_traj": int(check.attrs.get("param.n_traj", -1)),
            "k": [float(x) for x in check["k"].values],
            "delta_omega": [float(x) for x in check["delta_omega"].values],
            "max_change": float(diff.max()), "max_change_in_se": float((diff / combined).max())}


def speed_limit_summary(run: xr.Dataset, tolerance: float) -> dict:
    """Eqs. 22 and 23 along one speed-limit run (:func:`qsync.dimer.speed_limit.summarize`),
    per k and worst over k: the largest relative difference between Eq. 22 (both forms of the
    covariance) and the numerical derivative of L, and the smallest Eq. 23 margin (both forms
    of the commutator term) with the number of violations."""
    table = summarize_speed_limit(run, tolerance)
    per_k = {f"{float(k):g}": {name: table[name].sel(k=k).item() for name in table.data_vars}
             for k in table["k"].values}
    worst = {}
    for form in ("symmetrized", "printed"):
        for what in ("rel", "rel_richardson"):
            values = table[f"eq22_{form}_{what}"].values
            worst[f"eq22_{form}_{what}"] = (float(np.nanmax(values)) if np.isfinite(values).any()
                                            else math.nan)
    for form in ("printed", "rs"):
        margins = table[f"eq23_{form}_min_margin"].values
        # no converged point at all (every truncation weight above the tolerance): no verdict
        i = int(np.nanargmin(margins)) if np.isfinite(margins).any() else None
        worst[f"eq23_{form}_min_margin"] = float(margins[i]) if i is not None else math.nan
        worst[f"eq23_{form}_min_margin_k"] = (float(table["k"].values[i]) if i is not None
                                              else math.nan)
        worst[f"eq23_{form}_min_margin_t"] = (
            float(table[f"eq23_{form}_t_min_margin"].values[i]) if i is not None else math.nan)
        worst[f"eq23_{form}_violations"] = int(table[f"eq23_{form}_violations"].sum())
        worst[f"eq23_{form}_undefined"] = int(table[f"eq23_{form}_undefined"].sum())
    ok = np.isfinite(run["L"].values) & (run["truncation_weight"].values <= tolerance)
    worst["n_converged_points"] = int(ok.sum())
    entropy_term = np.where(ok, run["entropy_term"].values, np.nan)
    worst["max_entropy_term"] = (float(np.nanmax(entropy_term)) if ok.any() else math.nan)
    cancelled = table["mean_sigma0"].values / table["mean_2beta0_cov_symmetrized"].values
    worst["sigma0_share_of_drive"] = ([float(np.nanmin(cancelled)), float(np.nanmax(cancelled))]
                                      if np.isfinite(cancelled).any() else [math.nan, math.nan])
    return {"k": per_k, "k_order": list(per_k), "worst": worst,
            "n_max": int(run.attrs.get("param.n_max", -1)),
            "gamma_factor": float(run.attrs.get("gamma_factor", math.nan)),
            "n_times": int(run.sizes["time"]), "tolerance": float(tolerance)}


def ladder_summary(ladder: xr.Dataset) -> dict:
    """The γ-ladder (issue 12), per k and F: each method's D and ⟨n1 + n2⟩ at the last time
    with its error, at how many output times its own convergence check passes, and at how
    many times both methods are converged and agree (the issue's criterion); per k the rungs
    where they agree at every output time."""
    n_t = ladder.sizes["time"]
    out = {"k": {}, "k_order": [], "F": [float(f) for f in ladder["F"].values],
           "t_final": float(ladder["time"].values[-1]), "n_times": n_t,
           "criteria": {key.removeprefix("criterion_"): float(value)
                        for key, value in ladder.attrs.items() if key.startswith("criterion_")}}
    for k in ladder["k"].values:
        rungs = []
        for f in ladder["F"].values:
            point = ladder.sel({"F": f, "k": k})
            entry = {"F": float(f)}
            for method in ("exact", "jump_trajectories"):
                r = point.sel({"method": method})
                last = r.isel(time=-1)
                entry[method] = {
                    "D": float(last["D"]), "D_stderr": float(last["D_stderr"]),
                    "n_total": float(last["n_total"]),
                    "n_total_stderr": float(last["n_total_stderr"]),
                    "converged_final": bool(last["converged"]),
                    "n_converged_times": int(r["converged"].sum()),
                    "solved": bool(np.isfinite(r["D"].values).any()),
                }
            entry["n_agree_times"] = int(point["agree"].sum())
            entry["n_both_converged_times"] = int(point["both_converged"].sum())
            entry["agree_all_times"] = entry["n_agree_times"] == n_t
            rungs.append(entry)
        key = f"{float(k):g}"
        out["k"][key] = {"rungs": rungs,
                         "agreeing_rungs": [e["F"] for e in rungs if e["agree_all_times"]]}
        out["k_order"].append(key)
    return out


def large_n_summary(runs: xr.Dataset, settle: float = 0.01) -> dict:
    """Fig. 2 at large photon number (rules dimer_large_n, fig2_large_n; issue 12), per k:
    the divergence time t*, where each method is used and converged, D, its error estimate,
    ⟨n1 + n2⟩ and χ_G at the last time, the time from which D stays within ``settle`` of its
    last value (the synchronization time compared across k), the smallest margin of χ (exact
    points) or of its lower bound χ_G (saddle points) above Eq. 12, and the k → −k check
    |D(−k)² − (2 − D(k)²)| between the independent runs at ±k."""
    t = runs["time"].values
    kap = kappa([runs.attrs["omega1"], runs.attrs["omega2"]])
    out = {"k": {}, "k_order": [], "t_final": float(t[-1]), "n_times": len(t),
           "max_error": float(runs.attrs.get("max_error", math.nan)),
           "error_coefficient": float(runs.attrs.get("error_coefficient", math.nan)),
           "settle": settle}
    margins = []
    for k in runs["k"].values:
        r = runs.sel(k=k)
        d, err, conv = r["D"].values, r["D_error"].values, r["converged"].values
        saddle = r["method_used"].values == METHOD_SADDLE
        chi_shown = np.where(saddle, r["chi_gaussian"].values, r["chi"].values)
        ok = conv & np.isfinite(d) & np.isfinite(chi_shown)
        margin = chi_shown[ok] - chi_min_quantum_two_mode(d[ok], kap)
        margins.append(float(margin.min()) if margin.size else math.nan)
        far = np.flatnonzero(~(np.abs(d - d[-1]) <= settle))
        entry = {
            "divergence_time": float(r["divergence_time"]) if "divergence_time" in r
            else math.nan,
            "n_exact_times": int((~saddle).sum()),
            "n_saddle_times": int(saddle.sum()),
            "n_converged_times": int(conv.sum()),
            "first_converged_saddle_time": float(t[saddle & conv][0]) if (saddle & conv).any()
            else math.nan,
            "D_final": float(d[-1]),
            "D_error_final": float(err[-1]),
            "converged_final": bool(conv[-1]),
            "n_total_final": float(r["n_total"].values[-1]),
            "chi_gaussian_final": float(r["chi_gaussian"].values[-1]),
            "settle_time": float(t[far[-1] + 1]) if far.size and far[-1] + 1 < len(t)
            else (float(t[0]) if not far.size else math.nan),
            "eq12_margin": margins[-1],
        }
        mirror = -float(k)
        if mirror in runs["k"].values and float(k) > 0:
            m = runs.sel(k=mirror)
            both = conv & m["converged"].values
            gap = np.abs(m["D"].values ** 2 - (2 - d**2))[both]
            entry["mirror_max_gap"] = float(gap.max()) if gap.size else math.nan
            entry["mirror_times"] = int(both.sum())
        key = f"{float(k):g}"
        out["k"][key] = entry
        out["k_order"].append(key)
    finite = [m for m in margins if np.isfinite(m)]
    out["eq12_margin_min"] = min(finite) if finite else math.nan
    out["eq12_holds"] = bool(finite) and min(finite) >= 0
    # "larger k synchronizes faster": the settle times of the k > 0 runs, by increasing k
    positive = sorted((float(key), out["k"][key]) for key in out["k_order"] if float(key) > 0)
    settle = [e["settle_time"] for _, e in positive]
    out["positive_k"] = [f"{k:g}" for k, _ in positive]
    out["settle_decreases_with_k"] = bool(
        len(settle) > 1 and all(np.isfinite(settle))
        and all(b < a for a, b in zip(settle, settle[1:], strict=False)))
    out["D_final_decreases_with_k"] = bool(
        len(positive) > 1 and all(b["D_final"] < a["D_final"]
                                  for (_, a), (_, b) in zip(positive, positive[1:],
                                                            strict=False)))
    return out


def large_n_ladder_check(runs: xr.Dataset, ladder: xr.Dataset) -> dict:
    """The saddle against the exact solver on the γ-ladder, at the ladder's last time (if the
    large-N runs have it): for every k of
    both and every rung F where the exact solver is converged, c = (D_exact − D_saddle)·N_exact
    and ΔN = N_exact − N_saddle/F (the saddle's D does not depend on F and its N scales as 1/F;
    the large-N runs are at F = 1). The O(1/N) corrections make c and ΔN of order one and
    roughly constant along the ladder; the error estimate assumes |c|, |ΔN| ≤ the error
    coefficient."""
    t_last = float(ladder["time"].values[-1])
    out = {"k": {}, "k_order": [], "time": t_last}
    worst_c = worst_n = 0.0
    n_rungs = 0
    near = np.abs(runs["time"].values - t_last) <= 1e-9 * max(1.0, t_last)
    for k in ladder["k"].values:
        if float(k) not in runs["k"].values or not near.any():
            continue
        s = runs.sel(k=float(k)).isel(time=int(np.flatnonzero(near)[0]))
        if not bool(s["method_used"] == METHOD_SADDLE):
            continue
        d_s, n_s = float(s["D"]), float(s["n_total"])
        rungs = []
        for f in ladder["F"].values:
            e = ladder.sel({"F": f, "k": k, "method": "exact"}).isel(time=-1)
            if not bool(e["converged"]):
                continue
            d_e, n_e = float(e["D"]), float(e["n_total"])
            rungs.append({"F": float(f), "D_exact": d_e, "n_total_exact": n_e,
                          "c": (d_e - d_s) * n_e, "dN": n_e - n_s / float(f)})
            worst_c, worst_n = max(worst_c, abs(rungs[-1]["c"])), max(worst_n,
                                                                      abs(rungs[-1]["dN"]))
            n_rungs += 1
        key = f"{float(k):g}"
        out["k"][key] = {"D_saddle": d_s, "n_total_saddle": n_s, "rungs": rungs}
        out["k_order"].append(key)
    out["n_rungs"] = n_rungs
    out["max_abs_c"] = worst_c if n_rungs else math.nan
    out["max_abs_dN"] = worst_n if n_rungs else math.nan
    out["coefficient"] = float(runs.attrs.get("error_coefficient", math.nan))
    out["within_estimate"] = bool(n_rungs and worst_c <= out["coefficient"]
                                  and worst_n <= out["coefficient"])
    return out

