"""Bias at F = 100, k = 1, t = 0.5, 1 with many replicas: method M R seed.

method: plain | adj40 | adj90 (adjoint twist τ_h = 0.5, cutoff 40/90) | adj40g5 (horizon grid of 5
steps up to the next output) | num<s> (e^{sN} twist).
Bands (0, 16, 32, 48, 64, 96) as in the test. Reference: exact n = 90 (exact_run.py 100 1 90).
"""
# ruff: noqa: E501

import sys
import time

import numpy as np

from qsync.dimer.jump_trajectories import JumpSettings, combine_replicas, run_replicas
from qsync.dimer.model import DimerParams

method, M, R, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
F, k = (float(sys.argv[5]), float(sys.argv[6])) if len(sys.argv) > 6 else (100.0, 1.0)
p = DimerParams(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087 * F, gamma2=0.0016 * F, beta=1 / 20, k=k)
edges = (0, 16, 32, 48, 64, 96)
extra = {}
if method.startswith("adj") and "g" in method:  # adj40g5: horizon grid of 5 to the next output
    ng, steps = method[3:].split("g")
    extra = {"twist_time": 0.5, "twist_nmax": int(ng), "twist_steps": int(steps)}
elif method.startswith("adj"):
    extra = {"twist_time": 0.5, "twist_nmax": int(method[3:])}
elif method.startswith("num"):
    extra = {"twist_kind": "number", "twist_slope": float(method[3:])}
times = np.array([0.0, 0.5, 1.0])
ref = {0.5: (0.5921, 15.390), 1.0: (0.6065, 23.960)}  # exact n = 90
t0 = time.process_time()
raw = run_replicas(p, times, JumpSettings(walkers=M, band_edges=edges, **extra), seed, range(R))
cpu = time.process_time() - t0
js = combine_replicas(raw, p)
raw.to_netcdf(f"results/research/bias_{method}_M{M}_R{R}_s{seed}_F{F:g}_k{k:g}.nc")
line = f"{method:6s} M={M:4d} R={R} seed={seed} cpu {cpu:6.1f}s"
for i, t in enumerate(times[1:], start=1):
    d, sd, n, sn = (float(js.D[i]), float(js.D_stderr[i]), float(js.n_total[i]), float(js.n_total_stderr[i]))
    line += f" | t={t}: D={d:.4f}±{sd:.4f}"
    if F == 100 and k == 1:
        line += f" (z {(d - ref[t][0]) / sd:+.1f})"
    line += f" N={n:.2f}±{sn:.2f}"
    if F == 100 and k == 1:
        line += f" (z {(n - ref[t][1]) / sn:+.1f})"
    line += f" ress={float(js.replica_ess[i]):.1f}"
print(line)
