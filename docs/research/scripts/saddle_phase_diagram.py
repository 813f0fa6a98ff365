"""Exploratory (issue 13, not the workflow): the large-N saddle's D(t = 10) over a coarse
(k, Δω) grid at the paper's γ, β and ω1 = 2π, to see where the quantum dimer synchronizes
relative to the classical boundary k = |Δω|. Points without a divergence time before t = 10
(no macroscopic state) are printed as '-'; the exact solver converges there.

    python saddle_phase_diagram.py  (the k ≤ 1 rows took ≈ 6 min of CPU on a shared machine;
    the k = 2 row had not finished after 12 min: cost per point grows with k, unmeasured)
"""
import time

import numpy as np

from qsync.dimer.model import DimerParams
from qsync.dimer.saddle import SaddleFailure, solve_saddle, undamped_divergence_time

times = np.arange(0.0, 10.0 + 1e-9, 0.5)
ks = [0.5, 1.0, 2.0, 3.0, 4.0, 5.0]
dws = [-4.0, -3.0, -2.0, -1.0, 0.5, 1.0, 2.0, 3.0, 4.0]
print("| k \\ Δω | " + " | ".join(f"{d:g}" for d in dws) + " |")
print("|---" * (len(dws) + 1) + "|")
t0 = time.process_time()
for k in ks:
    cells = []
    for dw in dws:
        p = DimerParams(omega1=2 * np.pi, omega2=2 * np.pi + dw, gamma1=0.00087, gamma2=0.0016,
                        beta=0.05, k=k)
        if not np.isfinite(undamped_divergence_time(p, 10.0)):
            cells.append("-")
            continue
        try:
            ds = solve_saddle(p, times)
            cells.append(f"{float(ds['D'][-1]):.3f}")
        except SaddleFailure:
            cells.append("fail")
    print(f"| {k:g} | " + " | ".join(cells) + " |", flush=True)
print(f"CPU {time.process_time() - t0:.0f} s")
