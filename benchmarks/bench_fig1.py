"""Benchmark of the Fig. 1 stages (issue 2, §5). Not a test: run it and read the numbers.

    python benchmarks/bench_fig1.py [--states 1000000] [--loop-states 10000]

Times, on ``--states`` states: sampling (wishart), the measures for one frequency set
(D and χ, quantum and classical) and the two lower hulls; then a straightforward per-state
loop (one state at a time with numpy/scipy matrix functions and scipy's brentq) for the
same quantum χ on ``--loop-states`` states, and prints the speed-up per state and the peak
memory (resident set size) of the three stages.
"""

from __future__ import annotations

import argparse
import resource
import time

import numpy as np
from scipy.optimize import brentq

from qsync.ergotropy import chi_classical, chi_quantum
from qsync.gaussian import symplectic_form, sync_distance
from qsync.hull import lower_convex_hull
from qsync.sampling import sample_wishart


def chi_loop(cov: np.ndarray, omega: np.ndarray) -> np.ndarray:
    """χ one state at a time, the way one would write it without vectorization."""
    om = symplectic_form(2)
    out = np.empty(len(cov))
    for i, s in enumerate(cov):
        nu = np.sort(np.abs(np.linalg.eigvals(1j * om @ s)))[::2]
        nu = np.maximum(nu, 0.5)
        ent = sum((v + 0.5) * np.log(v + 0.5) - ((v - 0.5) * np.log(v - 0.5) if v > 0.5 else 0)
                  for v in nu)
        e = 0.5 * (omega[0] * (s[0, 0] + s[1, 1]) + omega[1] * (s[2, 2] + s[3, 3]))

        def excess(beta, e=e):
            return np.sum(omega / 2 / np.tanh(beta * omega / 2)) - e

        beta = brentq(excess, 2 / e, 2 / (e - omega.sum() / 2), xtol=1e-14, rtol=1e-13)
        nbar = 1 / np.expm1(beta * omega)
        sg = np.sum((nbar + 1) * np.log(nbar + 1) - np.where(nbar > 0, nbar * np.log(nbar), 0))
        out[i] = sg - ent
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--states", type=int, default=1_000_000)
    ap.add_argument("--loop-states", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=20240709)
    args = ap.parse_args()
    omega = np.array([1.0, 1.0])

    t0 = time.perf_counter()
    s = sample_wishart(args.states, seed=args.seed)
    t_sample = time.perf_counter() - t0

    t0 = time.perf_counter()
    dq, cq = sync_distance(s.cov_quantum), chi_quantum(s.cov_quantum, s.mean_quantum, omega)
    dc = sync_distance(s.cov_classical)
    cc = chi_classical(s.cov_classical, s.mean_classical, omega)
    t_measures = time.perf_counter() - t0

    t0 = time.perf_counter()
    lower_convex_hull(dq, cq)
    lower_convex_hull(dc, cc)
    t_hull = time.perf_counter() - t0
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # like for like: the quantum χ alone, vectorized over all states, against the loop
    t0 = time.perf_counter()
    chi_all = chi_quantum(s.cov_quantum, s.mean_quantum, omega)
    t_chi = time.perf_counter() - t0
    n_loop = min(args.loop_states, args.states)
    t0 = time.perf_counter()
    chi_ref = chi_loop(s.cov_quantum[:n_loop], omega)
    t_loop = time.perf_counter() - t0
    agree = np.max(np.abs(chi_ref - chi_all[:n_loop]))

    total = t_sample + t_measures + t_hull
    per_state_loop = t_loop / n_loop
    per_state_vec = t_chi / args.states
    print(f"states                     : {args.states:,}")
    print(f"sampling (wishart)         : {t_sample:7.2f} s")
    print(f"measures (D, chi; q and cl): {t_measures:7.2f} s")
    print(f"lower hulls (q and cl)     : {t_hull:7.2f} s")
    print(f"total                      : {total:7.2f} s   (target < 10 s)")
    print(f"peak memory (RSS)          : {peak_mb:7.0f} MB  (target < 2048 MB)")
    print(f"per-state loop, quantum chi: {per_state_loop * 1e6:7.1f} us/state on {n_loop:,}")
    print(f"vectorized quantum chi     : {per_state_vec * 1e6:7.2f} us/state on {args.states:,}")
    print(f"speed-up                   : {per_state_loop / per_state_vec:7.0f}x (target >= 100x)")
    print(f"max |chi_loop - chi_vectorized| on the loop states: {agree:.1e}")


if __name__ == "__main__":
    main()
