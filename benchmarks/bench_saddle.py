"""Cost and precision of the large-photon-number saddle at the paper's parameters (issue 12).

Per k of config/config.yaml's dimer.k_values with a divergence time before t = 10: CPU seconds
of one ``solve_saddle`` call on Fig. 2's time grid (201 times in [0, 10]), the saddle's photon
number and D at t = 10 with its error estimate c/N, and the numerical error of D, measured as
the largest change over the grid when the collocation tolerance is tightened (``--check``:
100-fold, or 10-fold where the 100-fold mesh exceeds its limit). This is the figure of merit
issue 12 asks for: core-seconds per k at F = 1 and the error reached (target ±0.01 within
10⁴ core-seconds per k).

Run:  python benchmarks/bench_saddle.py [--quick] [--check] [--json out]
One process, one core (BLAS threads pinned to 1). Full run ≈ 5 min of CPU (10 with --check);
--quick uses 21 output times.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402

from bench_dimer import PAPER, timed  # noqa: E402
from qsync.config import load_config  # noqa: E402
from qsync.dimer.saddle import SaddleFailure, SaddleSettings, solve_saddle  # noqa: E402

CONFIG = load_config(os.path.join(os.path.dirname(__file__), "..", "config", "config.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="21 output times")
    parser.add_argument("--check", action="store_true", help="also solve at bvp_tol / 100")
    parser.add_argument("--json", help="write the rows to this file")
    args = parser.parse_args()
    times = np.linspace(0.0, 10.0, 21 if args.quick else 201)
    base = SaddleSettings(bvp_tol=CONFIG["dimer"]["large_n"]["bvp_tol"],
                          error_coefficient=CONFIG["dimer"]["large_n"]["error_coefficient"])
    rows = []
    print("| k | CPU s | t* | N(10) | D(10) | c/N (10) | max |ΔD| at a tighter bvp_tol |")
    print("|---|---|---|---|---|---|---|")
    for k in CONFIG["dimer"]["k_values"]:
        params = PAPER.with_k(k)
        ds, _, cpu = timed(solve_saddle, params, times, base)
        if not ds["saddle"].any():
            print(f"| {k:g} | {cpu:.1f} | none | | | | |")
            continue
        row = {"k": k, "cpu_s": cpu, "t_star": ds.attrs["divergence_time"],
               "N_10": float(ds["n_total"][-1]), "D_10": float(ds["D"][-1]),
               "D_error_10": float(ds["D_error"][-1])}
        if args.check:
            for factor in (100, 10):
                tight = SaddleSettings(bvp_tol=base.bvp_tol / factor,
                                       error_coefficient=base.error_coefficient)
                try:
                    ref = solve_saddle(params, times, tight)
                except SaddleFailure:
                    continue
                row["numerical_dD"] = float(np.nanmax(np.abs(ref["D"].values
                                                             - ds["D"].values)))
                row["check_factor"] = factor
                break
        rows.append(row)
        check = (f"{row['numerical_dD']:.1e} (tol/{row['check_factor']})"
                 if "numerical_dD" in row else "")
        print(f"| {k:g} | {cpu:.1f} | {row['t_star']:.3f} | {row['N_10']:.0f} | "
              f"{row['D_10']:.4f} | {row['D_error_10']:.1e} | {check} |", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
