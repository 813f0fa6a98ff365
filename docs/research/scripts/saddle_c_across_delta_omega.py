"""The saddle's O(1/N) coefficient away from Δω = π (issue 13): c = (D_exact − D_saddle)·N.

The γ-ladder measured c at Δω = π only (README, "Fig. 2 at the paper's parameters"). Here, at
γ × F (F = 1000: N ≈ 5-20, where the exact solver converges at n1 + n2 ≤ 50), for k ∈ {3, 5}
and Δω across the Fig. 3 range: D_exact (cutoffs 40 and 50, Krylov) and D_saddle at
t_final = 2 (the saddle's D does not depend on F), and c with the exact and with the saddle's N.

Run:  python docs/research/scripts/saddle_c_across_delta_omega.py [F] > out.md   (~10 min CPU)
"""

import sys
import time

import numpy as np

from qsync.config import load_config
from qsync.dimer.model import dimer_params
from qsync.dimer.quantum import solve_exact
from qsync.dimer.saddle import SaddleSettings
from qsync.phase_diagram.large_n import large_n_point

F = float(sys.argv[1]) if len(sys.argv) > 1 else 1000.0
MODEL = load_config("config/config.yaml")["model"]
print(f"F = {F:g}; exact cutoffs 40, 50 (Krylov); t_final 2\n")
print("| k | Δω | D_saddle | N_saddle | D_exact(50) | |ΔD| 40→50 | weight | N_exact | c (N_exact) "
      "| c (N_saddle) | CPU s |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
t_final = 2.0
for k in (5.0, 3.0):
    for dw in (-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 4.0):
        t0 = time.process_time()
        point = {**MODEL, "omega2": MODEL["omega1"] + dw,
                 "gamma1": MODEL["gamma1"] * F, "gamma2": MODEL["gamma2"] * F}
        s = large_n_point(point, k, t_final, n_max=10, n_max_check=8,
                          settings=SaddleSettings())
        if s["method_used"] != 1:
            print(f"| {k:g} | {dw:g} | no saddle | | | | | | | | |")
            continue
        times = np.linspace(0.0, t_final, 11)
        runs = [solve_exact(dimer_params(point, k), n, times, propagator="krylov")
                for n in (40, 50)]
        d_low, d_high = (float(r["D"].values[-1]) for r in runs)
        n_ex = float(runs[1]["n1"].values[-1] + runs[1]["n2"].values[-1])
        w = float(runs[1]["truncation_weight"].max())
        diff = d_high - s["D"]
        print(f"| {k:g} | {dw:g} | {s['D']:.4f} | {s['n_total']:.1f} | {d_high:.4f} | "
              f"{abs(d_high - d_low):.1e} | {w:.1e} | {n_ex:.1f} | {diff * n_ex:.2f} | "
              f"{diff * s['n_total']:.2f} | {time.process_time() - t0:.0f} |", flush=True)
