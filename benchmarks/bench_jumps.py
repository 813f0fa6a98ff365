"""Cost of the weighted jump trajectories (qsync.dimer.jump_trajectories, issue 12).

For k ∈ {5, 1} and γ factors F ∈ {3000, 300, 30, 1} (the paper's γ1, γ2 times F; ω, β of the
paper, SPEC §5) this runs R replicas of M walkers per initial-photon-number band to time T and
prints, per case:

- core-seconds per walker per unit time (CPU time / (walkers × bands × replicas × T));
- the largest sector reached and the jumps per walker per unit time;
- D(T) ± σ (replica jackknife) and the cost-normalized error σ_D √(core-s): the σ of D one
  core-second buys (a Monte Carlo error falls like 1/√cost, so σ at cost C is this / √C).
  With few replicas the jackknife σ itself is uncertain by ~1/√(2(R − 1)). It says nothing
  about the finite-population bias, which dominates at F ≤ 100 (see the research notes);
- ``top``: weight share of the highest initial-photon band (near 1: strata too low).

Run:  python benchmarks/bench_jumps.py [--quick] [--json out] [--k 5 1] [--F 3000 300 30 1]
One process, one core (BLAS threads pinned to 1).
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import dataclasses  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

from bench_dimer import PAPER  # noqa: E402  (the paper's dimer, from config/config.yaml)
from qsync.dimer.jump_trajectories import (  # noqa: E402
    JumpSettings,
    combine_replicas,
    run_replicas,
)
from qsync.dimer.model import DimerParams  # noqa: E402

#: Strata of the initial photon number per γ factor: they must reach the initial sectors that
#: carry the state at time T (check ``top_band_weight`` in the output).
#: These are the strata of the ladder runs in docs/research/large-photon-solver.md; at F = 1,
#: k = 5 they are known to be too low (the cost is then underestimated).
BANDS = {
    3000.0: (0, 6, 12, 20, 30, 44),
    300.0: (0, 8, 16, 32, 48, 64, 96, 128),
    30.0: (0, 32, 64, 128, 192, 256, 384, 512, 768),
    1.0: (0, 64, 128, 256, 384, 512, 768, 1024, 1536, 2048, 3072),
}


def paper_params(k: float, factor: float) -> DimerParams:
    return dataclasses.replace(PAPER, gamma1=PAPER.gamma1 * factor,
                               gamma2=PAPER.gamma2 * factor, k=k)


def measure(k: float, factor: float, t_end: float, walkers: int, replicas: int,
            seed: int = 0) -> dict:
    params = paper_params(k, factor)
    settings = JumpSettings(walkers=walkers, band_edges=BANDS[factor])
    times = np.array([0.0, t_end])
    t0 = time.process_time()
    raw = run_replicas(params, times, settings, seed, range(replicas))
    cpu = time.process_time() - t0
    out = combine_replicas(raw, params)
    n_walk = walkers * (len(BANDS[factor]) - 1) * replicas
    sigma = float(out["D_stderr"][-1])
    return {
        "k": k, "F": factor, "T": t_end, "walkers_total": n_walk, "cpu_s": cpu,
        "core_s_per_walker_time": cpu / (n_walk * t_end),
        "jumps_per_walker_time": float(raw["jumps"].sum()) / (n_walk * t_end),
        "max_N": int(raw["max_N"].max()),
        "N_T": float(out["n_total"][-1]),
        "D_T": float(out["D"][-1]), "D_stderr": sigma,
        "sigma_D_sqrt_core_s": sigma * np.sqrt(cpu),
        "top_band_weight": float(out["top_band_weight"][-1]),
        "replica_ess": float(out["replica_ess"][-1]),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="T = 0.25, fewer walkers")
    parser.add_argument("--json", help="write the rows to this file")
    parser.add_argument("--k", type=float, nargs="+", default=[5.0, 1.0], help="couplings")
    parser.add_argument("--F", type=float, nargs="+", default=[3000.0, 300.0, 30.0, 1.0],
                        help="γ factors (keys of BANDS)")
    args = parser.parse_args(argv)
    t_end, walkers, replicas = (0.25, 8, 4) if args.quick else (1.0, 16, 6)
    rows = []
    header = (f"{'k':>4} {'F':>6} {'T':>5} {'walk':>5} {'cpu_s':>7} {'cs/w/t':>9} {'jumps/w/t':>9} "
              f"{'maxN':>5} {'<N>(T)':>8} {'D(T)':>7} {'sigma':>7} {'s*sqrt(cs)':>10} "
              f"{'top':>8} {'ess':>4}")
    print(header)
    for k in args.k:
        for factor in args.F:
            r = measure(k, factor, t_end, walkers, replicas)
            rows.append(r)
            print(f"{k:4g} {factor:6g} {t_end:5g} {r['walkers_total']:5d} {r['cpu_s']:7.1f} "
                  f"{r['core_s_per_walker_time']:9.2e} {r['jumps_per_walker_time']:9.1f} "
                  f"{r['max_N']:5d} {r['N_T']:8.1f} {r['D_T']:7.4f} {r['D_stderr']:7.4f} "
                  f"{r['sigma_D_sqrt_core_s']:10.4f} {r['top_band_weight']:8.1e} "
                  f"{r['replica_ess']:4.1f}", flush=True)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
