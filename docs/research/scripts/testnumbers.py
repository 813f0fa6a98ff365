"""Print the numbers behind tests/test_dimer_jumps.py (same settings and seeds)."""
# ruff: noqa: E501  (provenance scripts: long report lines)

import sys
import time

sys.path.insert(0, "tests")
import numpy as np
from test_dimer_jumps import CASES, EDGES, _exact, paper_params

from qsync.dimer.jump_trajectories import JumpSettings, solve_jumps

for factor, k, times, n_max, merge in CASES:
    p = paper_params(k, factor)
    ex = _exact(p, times, n_max)
    t0 = time.process_time()
    js = solve_jumps(
        p, times, JumpSettings(walkers=40, band_edges=EDGES, merge_time=merge), replicas=8, seed=12
    )
    cpu = time.process_time() - t0
    ne = (ex.n1 + ex.n2).values
    print(f"F={factor:g} k={k:g} n_max={n_max} cpu_jumps={cpu:.1f}s")
    for i, t in enumerate(times):
        print(
            f"  t={t:.2f} D_ex={float(ex.D[i]):.4f} D_j={float(js.D[i]):.4f}±{float(js.D_stderr[i]):.4f}"
            f" N_ex={ne[i]:.3f} N_j={float(js.n_total[i]):.3f}±{float(js.n_total_stderr[i]):.3f}"
            f" lntr_ex={float(ex.log_trace[i]):.3f} lntr_j={float(js.log_trace[i]):.3f}±{float(js.log_trace_stderr[i]):.3f}"
        )
p = paper_params(5.0, 300.0)
times = np.array([0.0, 0.15, 0.3])
for m in (16, 64):
    js = solve_jumps(p, times, JumpSettings(walkers=m, band_edges=EDGES), replicas=8, seed=5)
    print(
        f"bias M={m}: D={np.round(js.D.values[1:], 4)}±{np.round(js.D_stderr.values[1:], 4)} N={np.round(js.n_total.values[1:], 3)}±{np.round(js.n_total_stderr.values[1:], 3)}"
    )
times = np.array([0.0, 0.2, 0.4])
S = JumpSettings(walkers=32, band_edges=EDGES)
a = solve_jumps(paper_params(5.0, 3000.0), times, S, replicas=8, seed=1)
b = solve_jumps(paper_params(-5.0, 3000.0), times, S, replicas=8, seed=2)
s = a.D.values[1:] ** 2 + b.D.values[1:] ** 2 - 2
e = np.hypot(2 * a.D.values[1:] * a.D_stderr.values[1:], 2 * b.D.values[1:] * b.D_stderr.values[1:])
print(
    f"mirror: D(+5)={np.round(a.D.values[1:], 4)} D(-5)={np.round(b.D.values[1:], 4)} D+^2+D-^2-2={np.round(s, 4)}±{np.round(e, 4)}"
)
