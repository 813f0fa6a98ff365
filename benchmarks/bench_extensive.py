"""Benchmark of the issue-7 stages (N-mode states). Not a test: run it and read the numbers.

    python benchmarks/bench_extensive.py [--states 200000] [--modes 2 3 4 5 6 8]

For each N: sampling + measures of ``--states`` wishart states in blocks (the
extensive_measures job), then the lower hull with the vertex covariances and the bound
margins (extensive_hull); prints the times, the number of hull candidates kept and the peak
memory (resident set size) of the process.
"""

from __future__ import annotations

import argparse
import resource
import time

from qsync.extensive import hull_dataset, measures_and_candidates


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--states", type=int, default=200_000)
    ap.add_argument("--modes", type=int, nargs="+", default=[2, 3, 4, 5, 6, 8])
    ap.add_argument("--seed", type=int, default=20240709)
    args = ap.parse_args()
    total = 0.0
    print(f"{'N':>3} {'measures':>9} {'hull':>7} {'candidates':>10} {'us/state':>9}")
    for n in args.modes:
        t0 = time.perf_counter()
        measures, states = measures_and_candidates(n, args.states, args.seed)
        t1 = time.perf_counter()
        hull_dataset(measures, states)
        t2 = time.perf_counter()
        total += t2 - t0
        print(f"{n:>3} {t1 - t0:8.2f}s {t2 - t1:6.2f}s {states.sizes['candidate']:>10} "
              f"{(t1 - t0) / args.states * 1e6:9.1f}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"total {total:.1f} s on one core; peak memory (RSS) {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
