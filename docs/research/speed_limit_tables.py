"""Markdown tables of the speed-limit summary (docs/research/speed-limit.md)."""
import sys
import numpy as np
from qsync.io import open_netcdf
from qsync.dimer.speed_limit import summarize

tol = 1e-3
for path in sys.argv[1:]:
    ds = open_netcdf(path)
    s = summarize(ds, tol)
    print(f"\n### {path}  (n_max {ds.attrs['n_max']}, gamma1 {ds.attrs['gamma1']:g}, "
          f"{ds.sizes['time']} times, dt {float(ds.time[1] - ds.time[0]):g})\n")
    cols = [("max_truncation_weight", "max trunc. w.", "%.2g"),
            ("eq22_symmetrized_rel", "Eq22 sym: max|num−eq|/max|L̇|", "%.2g"),
            ("eq22_symmetrized_rel_richardson", "same, 4th-order num.", "%.2g"),
            ("eq22_symmetrized_pointwise", "pointwise rel. (|L̇|≥1%)", "%.2g"),
            ("eq22_printed_rel", "Eq22 printed: max|num−eq|/max|L̇|", "%.3g"),
            ("eq22_printed_pointwise", "printed pointwise", "%.3g")]
    print("| k | " + " | ".join(c[1] for c in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for k in s.k.values:
        r = s.sel(k=k)
        print(f"| {k:g} | " + " | ".join(c[2] % float(r[c[0]]) for c in cols) + " |")
    cols = [("eq23_rs_min_margin", "min margin (¼)", "%.4g"),
            ("eq23_rs_t_min_margin", "at t", "%.3g"),
            ("eq23_rs_min_margin_rel", "margin/bound", "%.3f"),
            ("eq23_rs_violations", "violations (¼)", "%d"),
            ("eq23_printed_min_margin", "min margin (½, printed)", "%.4g"),
            ("eq23_printed_t_min_margin", "at t", "%.3g"),
            ("eq23_printed_violations", "violations (½)", "%d"),
            ("eq23_printed_undefined", "√ of negative (½)", "%d")]
    print("\n| k | " + " | ".join(c[1] for c in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for k in s.k.values:
        r = s.sel(k=k)
        print(f"| {k:g} | " + " | ".join(c[2] % float(r[c[0]]) for c in cols) + " |")
    cols = [("max_Ldot", "max L̇", "%.3g"), ("t_max_Ldot", "at t", "%.3g"),
            ("t_half_L", "t(L = L(10)/2)", "%.3g"), ("L_final", "L(10)", "%.3g"),
            ("mean_entropy_term", "⟨2tr{(Hc−⟨Hc⟩)ρlnρ}⟩_t", "%.3g"),
            ("mean_2beta0_cov_symmetrized", "⟨2β0C⟩_t", "%.3g"),
            ("mean_sigma0", "⟨σ0⟩_t", "%.3g"),
            ("mean_Ldot_eq22_symmetrized", "⟨L̇⟩_t", "%.3g"),
            ("mean_bound_entropy_term", "⟨2Δ_C√(𝓔+S²_GE)⟩_t", "%.3g"),
            ("mean_bound_cov_term_rs", "⟨2β0√(…¼)⟩_t", "%.3g"),
            ("mean_bound_eq23_rs", "⟨bound⟩_t", "%.3g")]
    print("\n| k | " + " | ".join(c[1] for c in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for k in s.k.values:
        r = s.sel(k=k)
        print(f"| {k:g} | " + " | ".join(c[2] % float(r[c[0]]) for c in cols) + " |")
    # tightest Cauchy–Schwarz form, for information
    tight = ds["bound_entropy_term_tight"] + ds["bound_cov_term_rs"] - ds["sigma0"] \
        - ds["Ldot_eq22_symmetrized"]
    ok = ds["truncation_weight"] <= tol
    print("\nmin margin of the tightest form 2Δ_C√𝓔 + 2β0√(…¼) − σ0 (converged points): "
          + ", ".join(f"k={k:g}: {float(tight.sel(k=k).where(ok.sel(k=k)).min()):.3g}"
                      for k in ds.k.values))
    print("max clipped weight: " + ", ".join(
        f"k={k:g}: {float(ds.clipped_weight.sel(k=k).max()):.2g}" for k in ds.k.values)
        + "; min eigenvalue: " + ", ".join(
        f"k={k:g}: {float(ds.min_eigenvalue.sel(k=k).min()):.2g}" for k in ds.k.values))
    print("max |X(k) − X(−k)| over all terms, k>0 with a −k partner: " + ", ".join(
        f"{k:g}: {max(float(abs(ds[v].sel(k=k) - ds[v].sel(k=-k)).max()) for v in ('L', 'Ldot_eq22_symmetrized', 'bound_eq23_rs', 'sigma0')):.2g}"
        for k in ds.k.values if k > 0 and -k in ds.k.values))
