"""Cost model of the large-N Fig. 3(a) (issue 13): core-seconds per grid point against k and Δω.

Solves a sample of grid points (|k| rows × Δω columns of config/config.yaml's sweep grid) with
:func:`qsync.phase_diagram.large_n.large_n_point` at the config's settings (or the cluster
preset's, ``--preset``), one core, and prints per point the CPU seconds, the method used, D and
its error estimate. From the per-row means it estimates the cost of the whole grid (each |k|
solved once, −k by symmetry) and the job size for a given rows_per_chunk. ``--check`` also
solves every saddle point at a 100-fold tighter collocation tolerance: the numerical error of
D, which is what more compute buys; the error estimate c/N of the leading order is set by the
photon number, not by the compute.

Run:  python benchmarks/bench_sweep_large_n.py [--preset config/presets/cluster.yaml]
      [--check] [--json out]
Default sample: 8 rows × 5 columns, ≈ 2 min of CPU.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402

from qsync.config import load_config  # noqa: E402
from qsync.dimer.method_flags import METHOD_SADDLE  # noqa: E402
from qsync.dimer.saddle import SaddleSettings  # noqa: E402
from qsync.grid import abs_k_rows, grid_axes  # noqa: E402
from qsync.phase_diagram.large_n import large_n_point  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
ROWS = (0.0, 0.25, 0.5, 1.0, 2.0, 3.0, 4.0, 5.0)
COLUMNS = (-4.0, -2.0, 0.0, 2.0, 4.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--preset", help="a config overlay (e.g. config/presets/cluster.yaml)")
    parser.add_argument("--check", action="store_true", help="saddle at bvp_tol / 100 too")
    parser.add_argument("--json", help="write the rows and the estimate to this file")
    args = parser.parse_args()
    cfg = load_config(REPO / "config" / "config.yaml",
                      overlays=(args.preset,) if args.preset else ())
    s, q = cfg["sweep"], cfg["sweep"]["quantum"]
    large = cfg["dimer"]["large_n"]
    settings = SaddleSettings(bvp_tol=large["bvp_tol"],
                              error_coefficient=large["error_coefficient"])
    options = dict(n_max=q["n_max"], n_max_check=q["n_max_check"], n_times=q["n_times"],
                   truncation=q["truncation"], n_top=q["n_top"], propagator=q["propagator"])
    print(f"settings: bvp_tol {settings.bvp_tol:g}, n_max {q['n_max']}/{q['n_max_check']}, "
          f"{q['n_times']} times, t_final {s['t_final']:g}")
    print("| k | Δω | method | CPU s | D | error estimate | numerical ΔD |")
    print("|---|---|---|---|---|---|---|")
    rows = []
    for k in ROWS:
        for dw in COLUMNS:
            point = {**cfg["model"], "omega2": cfg["model"]["omega1"] + dw}
            t0 = time.process_time()
            res = large_n_point(point, k, s["t_final"], settings=settings, **options)
            cpu = time.process_time() - t0
            row = {"k": k, "delta_omega": dw, "cpu_s": cpu, **res}
            if args.check and res["method_used"] == METHOD_SADDLE:
                tight = SaddleSettings(bvp_tol=settings.bvp_tol / 100,
                                       error_coefficient=settings.error_coefficient)
                ref = large_n_point(point, k, s["t_final"], settings=tight, **options)
                row["numerical_dD"] = abs(ref["D"] - res["D"])
            rows.append(row)
            name = {-1: "none", 0: "exact", 1: "saddle"}[res["method_used"]]
            check = f"{row['numerical_dD']:.1e}" if "numerical_dD" in row else ""
            print(f"| {k:g} | {dw:g} | {name} | {cpu:.1f} | {res['D']:.4f} | "
                  f"{res['D_error']:.1e} | {check} |", flush=True)
    # cost model: the mean CPU time per point of each sampled row, interpolated in |k|
    per_row = np.array([np.mean([r["cpu_s"] for r in rows if r["k"] == k]) for k in ROWS])
    k_full, dw_full = grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"],
                                s["delta_omega"]["min"], s["delta_omega"]["max"],
                                s["delta_omega"]["n"])
    chunk = q["rows_per_chunk"] or s["rows_per_chunk"]
    print("\nmean CPU s per point by |k|: "
          + ", ".join(f"{k:g}: {c:.1f}" for k, c in zip(ROWS, per_row, strict=True)))
    estimate = {"per_row_mean_cpu_s": dict(zip(map(str, ROWS), per_row.tolist(), strict=True)),
                "rows_per_chunk": chunk, "grids": []}
    for stride in sorted({q["stride"], 1}, reverse=True):
        k_axis, dw_axis = k_full[::stride], dw_full[::stride]
        grid_rows = abs_k_rows(k_axis)
        row_cost = np.interp(grid_rows, ROWS, per_row) * len(dw_axis)
        jobs = [row_cost[i:i + chunk].sum() for i in range(0, len(grid_rows), chunk)]
        estimate["grids"].append({"stride": stride, "grid": [len(k_axis), len(dw_axis)],
                                  "abs_k_rows": len(grid_rows),
                                  "total_cpu_s": float(row_cost.sum()), "jobs": len(jobs),
                                  "job_cpu_s_min": float(min(jobs)),
                                  "job_cpu_s_max": float(max(jobs))})
        print(f"{len(k_axis)} x {len(dw_axis)} grid (stride {stride}, {len(grid_rows)} |k| rows "
              f"solved): ≈ {row_cost.sum():.0f} CPU s; {len(jobs)} jobs of {chunk} rows, "
              f"{min(jobs):.0f}-{max(jobs):.0f} CPU s each")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"rows": rows, "estimate": estimate}, fh, indent=1, default=float)


if __name__ == "__main__":
    main()
