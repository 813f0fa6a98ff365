"""Benchmark of the exact block-Fock dimer solver (qsync.dimer, SPEC §5) at the paper's parameters.

Prints
1. the block solver against QuTiP ``mesolve`` on the full truncated (n_max + 1)⁴ Liouvillian of
   the same linear equation (renormalized between output times), per-mode cutoff n_max = 12
   and 20, k = 1 and 5, t ∈ [0, 10], 101 output times: wall and CPU time, speed-up, and the
   largest deviation of mesolve's n1, n2, c from the block solver (whose Taylor propagator
   works at unit roundoff);
2. the default cutoff: CPU time of one k = 5 run (the largest |k|, hence the largest generator
   norm, of Figs. 2–3) for increasing cutoffs, a power-law fit, and the largest cutoff under
   the budget (60 s), for the per-mode cutoff (n_max ≥ 40) and the total-number cutoff;
3. at t = 10 for k ∈ {5, 3, 1, 0.5}: truncation weight, n1 + n2, D, χ for the per-mode cutoff
   n_max = 30, 40 and the total-number cutoff N ≤ 40, 60 (with the numerical breakdown time);
4. (--diagnostic) the no-jump sector weights W_N(t) for k = 1 (SPEC §5).

Run:  python benchmarks/bench_dimer.py [--quick] [--skip-mesolve] [--diagnostic] [--json out]
One process, one core (BLAS threads pinned to 1). Full run ≈ 12 min of CPU, half of it mesolve
at n_max = 20; --quick ≈ 2 min. The machine may be shared: CPU time (time.process_time) is the
stable number.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from qsync.config import load_config  # noqa: E402
from qsync.dimer.diagnostics import no_jump_sector_weights  # noqa: E402
from qsync.dimer.model import DimerParams  # noqa: E402
from qsync.dimer.quantum import solve_exact  # noqa: E402
from qsync.dimer.reference import mesolve_linear  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
#: the paper's dimer, from config/config.yaml (the one place it is written)
PAPER = DimerParams(**load_config(REPO / "config" / "config.yaml")["model"], k=1.0)
TIMES = np.linspace(0.0, 10.0, 101)
BUDGET_S = 60.0


def timed(fn, *args, **kwargs):
    w0, c0 = time.perf_counter(), time.process_time()
    out = fn(*args, **kwargs)
    return out, time.perf_counter() - w0, time.process_time() - c0


def compare_mesolve(n_max: int, k: float, atol: float, rtol: float) -> dict:
    params = PAPER.with_k(k)
    ds, wall_b, cpu_b = timed(solve_exact, params, n_max, TIMES, truncation="mode")
    ref, wall_m, cpu_m = timed(mesolve_linear, params, n_max, TIMES, atol=atol, rtol=rtol,
                               truncation="mode")
    c_block = ds.c_real.values + 1j * ds.c_imag.values
    dev = max(np.abs(ds.n1.values - ref["n1"]).max(), np.abs(ds.n2.values - ref["n2"]).max(),
              np.abs(c_block - ref["c"]).max())
    scale = float(max(ds.n1.max(), ds.n2.max()))
    return {"n_max": n_max, "k": k, "block_wall_s": wall_b, "block_cpu_s": cpu_b,
            "mesolve_wall_s": wall_m, "mesolve_cpu_s": cpu_m, "mesolve_atol": atol,
            "mesolve_rtol": rtol, "speedup_cpu": cpu_m / cpu_b, "speedup_wall": wall_m / wall_b,
            "max_abs_deviation": float(dev), "max_rel_deviation": float(dev / scale),
            "log_trace_deviation": float(np.abs(ds.log_trace.values - ref["log_trace"]).max())}


def cutoff_search(n_values, k: float = 5.0, truncation: str = "mode",
                  n_min: int = 40) -> dict:
    rows = []
    for n in n_values:
        ds, wall, cpu = timed(solve_exact, PAPER.with_k(k), n, TIMES, truncation=truncation)
        rows.append({"n_max": n, "wall_s": wall, "cpu_s": cpu,
                     "truncation_weight_t10": float(ds.truncation_weight[-1]),
                     "breakdown_time": ds.attrs["breakdown_time"]})
        print(f"  {truncation} n_max={n:3d}: cpu {cpu:6.1f} s  wall {wall:6.1f} s  breakdown "
              f"t={rows[-1]['breakdown_time']}", flush=True)
        if cpu > BUDGET_S:
            break
    # a run that broke down stopped early: its time says nothing about the cost
    full = [r for r in rows if not np.isfinite(r["breakdown_time"])]
    slope = intercept = predicted = np.nan
    if len(full) >= 2:
        ns = np.array([r["n_max"] for r in full], float)
        cpus = np.array([r["cpu_s"] for r in full])
        slope, intercept = np.polyfit(np.log(ns), np.log(cpus), 1)
        predicted = float(np.exp((np.log(BUDGET_S) - intercept) / slope))
    under = [r for r in full if r["cpu_s"] <= BUDGET_S and r["n_max"] >= n_min]
    best = max(under, key=lambda r: r["n_max"]) if under else None
    return {"k": k, "truncation": truncation, "rows": rows, "power_law_exponent": float(slope),
            "n_max_at_budget_fit": float(predicted), "chosen": best}


def truncation_table(cases=(("mode", 30), ("mode", 40), ("total", 40), ("total", 60)),
                     ks=(5.0, 3.0, 1.0, 0.5)) -> list[dict]:
    rows = []
    for k in ks:
        for truncation, n in cases:
            ds, wall, cpu = timed(solve_exact, PAPER.with_k(k), n, TIMES, truncation=truncation)
            last = int(np.nonzero(np.isfinite(ds.n1.values))[0][-1])
            r = {"k": k, "truncation": truncation, "n_max": n, "cpu_s": cpu,
                 "breakdown_time": ds.attrs["breakdown_time"],
                 "t_last_valid": float(ds.time[last]),
                 "truncation_weight_t10": float(ds.truncation_weight[-1]),
                 "max_truncation_weight": ds.attrs["max_truncation_weight"],
                 "n_total_t10": float(ds.n1[-1] + ds.n2[-1]),
                 "D_t10": float(ds.D[-1]), "chi_t10": float(ds.chi[-1]),
                 "chi_gaussian_t10": float(ds.chi_gaussian[-1])}
            rows.append(r)
            print(f"  k={k:4.1f} {truncation:5s} n_max={n}: trunc(t=10)="
                  f"{r['truncation_weight_t10']:.3e} n1+n2={r['n_total_t10']:.2f} "
                  f"D={r['D_t10']:.4f} chi={r['chi_t10']:.4f} breakdown="
                  f"{r['breakdown_time']} (cpu {cpu:.1f} s)", flush=True)
    return rows


def sector_diagnostic(k: float = 1.0) -> dict:
    times = np.linspace(0.0, 3.0, 31)
    ds = no_jump_sector_weights(PAPER.with_k(k), np.arange(0, 401, 10), times)
    out = {"k": k, "growing_sectors": [int(n) for n in ds.N.values[ds.growth_rate.values > 0]]}
    for t in (1.0, 2.0, 3.0):
        row = ds.log_weight.sel(time=t, method="nearest").values
        j = int(np.argmax(row))
        inside = float(np.logaddexp.reduce(row[ds.N.values <= 60]))
        out[f"t={t}"] = {"argmax_N": int(ds.N[j]), "ln_W_max": float(row[j]),
                         "ln_W_sum_N<=60_sampled": inside}
        print(f"  k={k} t={t}: dominant sector N={int(ds.N[j])} (ln W={row[j]:.1f}); "
              f"sampled sectors N<=60: ln sum W={inside:.1f}", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip-mesolve", action="store_true")
    ap.add_argument("--diagnostic", action="store_true", help="W_N(t) for k = 1 (~45 s)")
    ap.add_argument("--json", help="write the results to this file")
    args = ap.parse_args()
    out = {"python": platform.python_version(), "machine": platform.machine(),
           "times": "linspace(0, 10, 101)", "params": PAPER.to_attrs()}

    if not args.skip_mesolve:
        print("1. block solver vs qutip.mesolve (full truncated Liouvillian), t in [0, 10]")
        cases = [(12, 1.0), (12, 5.0)] if args.quick else [(12, 1.0), (12, 5.0), (20, 1.0),
                                                            (20, 5.0)]
        out["mesolve"] = []
        for n, k in cases:
            r = compare_mesolve(n, k, atol=1e-10, rtol=1e-8)
            out["mesolve"].append(r)
            print(f"  n_max={n:2d} k={k}: block cpu {r['block_cpu_s']:.2f} s, mesolve cpu "
                  f"{r['mesolve_cpu_s']:.1f} s -> speed-up {r['speedup_cpu']:.0f}x (wall "
                  f"{r['speedup_wall']:.0f}x); max |dev| {r['max_abs_deviation']:.1e} "
                  f"(rel {r['max_rel_deviation']:.1e})", flush=True)

    print(f"2. default cutoff: one k = 5 run, 101 times, budget {BUDGET_S:.0f} s CPU")
    out["cutoff_search"] = []
    plans = [("mode", (40, 45, 50), 40), ("total", (50, 60), 40)] if args.quick else [
        ("mode", (40, 48, 56, 60, 64, 68), 40), ("total", (50, 60, 70, 80, 90), 40)]
    for truncation, n_values, n_min in plans:
        search = cutoff_search(n_values, truncation=truncation, n_min=n_min)
        out["cutoff_search"].append(search)
        chosen = search["chosen"]
        msg = f"{chosen['n_max']} ({chosen['cpu_s']:.1f} s)" if chosen else "none under budget"
        print(f"  {truncation}: cpu ~ n_max^{search['power_law_exponent']:.2f}; fit reaches the "
              f"budget at n_max ~ {search['n_max_at_budget_fit']:.0f}; chosen: {msg}")

    print("3. truncation weight and convergence at t = 10 (paper parameters)")
    out["truncation"] = truncation_table()
    if args.diagnostic:
        print("4. no-jump sector weights (lower bounds), k = 1")
        out["diagnostic"] = sector_diagnostic()
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=2)


if __name__ == "__main__":
    main()
