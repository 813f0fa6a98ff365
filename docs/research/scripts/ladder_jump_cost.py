"""What the jump method would cost to meet issue 12's ladder criterion on the default rungs.

Reads the default run's results/ladder.nc and the Snakemake benchmark records of its jump jobs.
For every (k, F) where the exact solver converged at all output times, it measures how far the
larger population (walkers[1] per band, all replicas) is from the exact values in units of its
own standard error (z; an unbiased estimator stays mostly within |z| <= 3), and the
population factor r by which the walkers would have to grow, if the errors fall like
1/sqrt(walkers) and no bias appears, so that

* <n1 + n2> lies within 2 % of the exact value at all 20 times t > 0 with at least 95 %
  probability (0.02 N >= 3.2 sigma_N at every time; Bonferroni), and
* the bias bound |D(M) - D(M/4)| + combined sigma <= 0.01 holds at M / 4 (sqrt(5) sigma_D <=
  0.0075, leaving 0.0025 for the difference),

and the CPU that costs: r times the measured CPU of the walkers[1] jobs, plus a quarter of that
for the bias check's smaller population.

Run from the repository root after `make reproduce`:
    python docs/research/scripts/ladder_jump_cost.py
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import xarray as xr

from qsync.config import load_config

Z_ALL_TIMES = 3.2   # 20 times x P(|Z| > 3.2) = 2.7 %: all 20 within, with >= 95 % probability


def _cpu(pattern: str) -> float:
    total = 0.0
    for record in Path("results/benchmarks/ladder/jumps").glob(pattern):
        header, *rows = record.read_text().strip().splitlines()
        total += float(dict(zip(header.split("\t"), rows[-1].split("\t"), strict=True))["cpu_time"])
    return total


def main() -> None:
    lad = xr.open_dataset("results/ladder.nc")
    big = load_config("config/config.yaml")["ladder"]["jumps"]["walkers"][-1]
    print("| k | F | N(10) | max \\|z_D\\| | max \\|z_N\\| (at t) | max σ_N/N | max σ_D | r | "
          "CPU now (s) | CPU needed (core-h) |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    total = 0.0
    per_k: dict[float, list[float]] = {}
    for F in lad["F"].values:
        for k in lad["k"].values:
            point = lad.sel(F=F, k=k)
            exact = point.sel({"method": "exact"})
            jumps = point.sel({"method": "jump_trajectories"})
            if not bool(exact["converged"].all()):
                continue
            late = point["time"] > 0
            e, j = exact.where(late, drop=True), jumps.where(late, drop=True)
            z_d = np.abs(j["D"] - e["D"]) / j["D_stderr"]
            z_n = np.abs(j["n_total"] - e["n_total"]) / j["n_total_stderr"]
            rel_n = j["n_total_stderr"] / e["n_total"]
            r_n = float(((Z_ALL_TIMES * rel_n / 0.02) ** 2).max())
            r_d = float(((np.sqrt(5.0) * j["D_stderr"] / 0.0075) ** 2).max())
            r = max(r_n, r_d, 1.0)
            cpu = _cpu(f"F_{F:g}/k_{k:g}/walkers_{big}/*.tsv")
            need = r * cpu * 1.25
            total += need
            per_k.setdefault(float(k), []).append(need)
            print(f"| {k:g} | {F:g} | {float(e['n_total'][-1]):.1f} | {float(z_d.max()):.1f} | "
                  f"{float(z_n.max()):.1f} ({float(z_n['time'][int(np.argmax(z_n.values))]):g}) | "
                  f"{float(rel_n.max()):.3f} | "
                  f"{float(j['D_stderr'].max()):.4f} | {r:.0f} | {cpu:.0f} | {need / 3600:.1f} |")
    print(f"\ntotal for these points: {total / 3600:.1f} core-hours")
    cheapest = sum(sum(sorted(needs)[:2]) for needs in per_k.values())
    print(f"the cheapest two rungs per k: {cheapest / 3600:.1f} core-hours")


if __name__ == "__main__":
    main()
