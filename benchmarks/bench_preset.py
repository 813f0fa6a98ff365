"""Measurements behind the converged preset (config/presets/converged.yaml, issue 6).

The preset keeps the paper's ω1, ω2, β, k list and grid and scales γ1, γ2 by one factor F. This
script prints the numbers that choose F and the cutoffs (README, "Converged preset"):

1. the no-jump sector diagnostic (SPEC §5) per F: the share of the no-jump weight in sectors
   50 < N ≤ 100 (of all N ≤ 100) at its worst time in [0, 10], and the sector where it peaks,
   for k = 5 and 1;
2. per F (k = 5 and 1, Δω = π, t ∈ [0, 10]): D, χ, ⟨n1 + n2⟩ at t = 10, the largest
   truncation weight and the largest |ΔD|, |Δχ| over t between successive total-number
   cutoffs N;
3. the two propagators of the exact solver on one preset run (k = 5, F = 3000): CPU time and
   the largest difference of D.

Run:  python benchmarks/bench_preset.py [--quick] [--json out]
One process, one core (BLAS threads pinned to 1); full run ≈ 15 min of CPU, --quick ≈ 2 min.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402

import numpy as np  # noqa: E402
from scipy.special import logsumexp  # noqa: E402

# the sibling script: the paper's dimer (from config/config.yaml), wall and CPU time of a call
from bench_dimer import PAPER, timed  # noqa: E402
from qsync.dimer.diagnostics import no_jump_sector_weights  # noqa: E402
from qsync.dimer.model import DimerParams  # noqa: E402
from qsync.dimer.quantum import solve_exact  # noqa: E402

TIMES = np.linspace(0.0, 10.0, 51)


def scaled(factor: float, k: float) -> DimerParams:
    return dataclasses.replace(PAPER, gamma1=PAPER.gamma1 * factor,
                               gamma2=PAPER.gamma2 * factor, k=k)


def no_jump(factor: float, k: float, beyond: int = 50) -> dict:
    sectors = np.arange(0, 2 * beyond + 1)
    lw = no_jump_sector_weights(scaled(factor, k), sectors, TIMES[::5]).log_weight.values
    share = max(float(np.exp(logsumexp(row[beyond + 1:]) - logsumexp(row))) for row in lw)
    return {"factor": factor, "k": k, f"share_beyond_{beyond}": share,
            "peak_sector": int(sectors[np.argmax(lw.max(axis=0))])}


def cutoff_series(factor: float, k: float, cutoffs) -> list[dict]:
    rows, prev = [], None
    for n in cutoffs:
        ds, _, t_cpu = timed(solve_exact, scaled(factor, k), n, TIMES, truncation="total",
                        propagator="krylov")
        row = {"factor": factor, "k": k, "n_max": n, "cpu_s": t_cpu,
               "D_t10": float(ds.D[-1]), "chi_t10": float(ds.chi[-1]),
               "photons_t10": float(ds.n1[-1] + ds.n2[-1]),
               "max_truncation_weight": float(ds.truncation_weight.max()),
               "breakdown_time": float(ds.attrs["breakdown_time"])}
        if prev is not None:
            row["max_dD_vs_previous"] = float(np.nanmax(np.abs(ds.D - prev.D)))
            row["max_dchi_vs_previous"] = float(np.nanmax(np.abs(ds.chi - prev.chi)))
        rows.append(row)
        print("  " + "  ".join(f"{key}={val:.3g}" if isinstance(val, float) else f"{key}={val}"
                               for key, val in row.items()), flush=True)
        prev = ds
    return rows


def propagators(n_max: int) -> dict:
    params = scaled(3000.0, 5.0)
    times = np.linspace(0.0, 10.0, 11)
    taylor, _, t_taylor = timed(solve_exact, params, n_max, times, truncation="total",
                           propagator="taylor")
    krylov, _, t_krylov = timed(solve_exact, params, n_max, times, truncation="total",
                           propagator="krylov")
    out = {"n_max": n_max, "taylor_cpu_s": t_taylor, "krylov_cpu_s": t_krylov,
           "speedup": t_taylor / t_krylov,
           "max_dD": float(np.abs(taylor.D - krylov.D).max())}
    print(f"  n_max={n_max}: Taylor {t_taylor:.1f} s, Krylov {t_krylov:.1f} s "
          f"({out['speedup']:.1f}x), max |dD| {out['max_dD']:.1e}", flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer factors and cutoffs")
    ap.add_argument("--json", help="write all numbers to this file")
    args = ap.parse_args()
    factors = [1000.0, 3000.0] if args.quick else [300.0, 1000.0, 3000.0]
    cutoffs = [30, 40] if args.quick else [30, 40, 50, 60]
    report = {"no_jump": [], "cutoffs": [], "propagators": []}
    print("1. no-jump sector weights (SPEC §5)")
    for f in [1.0, 30.0, *factors]:
        for k in (5.0, 1.0):
            row = no_jump(f, k)
            report["no_jump"].append(row)
            print(f"  F={f:g} k={k:g}: share beyond N=50 {row['share_beyond_50']:.2e}, "
                  f"peak sector {row['peak_sector']}", flush=True)
    print("2. cutoff series, Krylov propagator, 51 output times")
    for f in factors:
        for k in (5.0, 1.0):
            report["cutoffs"] += cutoff_series(f, k, cutoffs)
    print("3. Taylor against Krylov at F = 3000, k = 5")
    for n in [30] if args.quick else [30, 40]:
        report["propagators"].append(propagators(n))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
