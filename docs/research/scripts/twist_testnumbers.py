"""Numbers behind test_twisted_resampling_removes_population_bias (and two other seeds)."""
# ruff: noqa: E501

import time

import numpy as np

from qsync.dimer.jump_trajectories import JumpSettings, solve_jumps
from qsync.dimer.model import DimerParams
from qsync.dimer.quantum import solve_exact

F = 100.0
p = DimerParams(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087 * F, gamma2=0.0016 * F, beta=1 / 20, k=1.0)
times = np.array([0.0, 0.5, 1.0])
t0 = time.process_time()
ex = solve_exact(p, 75, times, n_top=1, truncation="total", propagator="krylov")
print(f"exact n=75 cpu {time.process_time() - t0:.1f}s top {float(ex.attrs['max_truncation_weight']):.1e}: D {ex.D.values[1:]} N {(ex.n1 + ex.n2).values[1:]}")
edges = (0, 16, 32, 48, 64, 96)
for seed in (3, 4, 5):
    for name, st in (("twisted", JumpSettings(walkers=24, band_edges=edges, twist_time=0.5, twist_nmax=40)),
                     ("plain", JumpSettings(walkers=24, band_edges=edges))):
        t0 = time.process_time()
        js = solve_jumps(p, times, st, replicas=8, seed=seed)
        cpu = time.process_time() - t0
        zd = (js.D.values[1:] - ex.D.values[1:]) / js.D_stderr.values[1:]
        nn = (ex.n1 + ex.n2).values[1:]
        zn = (js.n_total.values[1:] - nn) / js.n_total_stderr.values[1:]
        print(f"seed {seed} {name:8s} cpu {cpu:5.1f}s " + "  ".join(
            f"t={t}: D={d:.4f}±{e:.4f} (z {a:+.1f}) N={n:.2f}±{f:.2f} (z {b:+.1f})"
            for t, d, e, a, n, f, b in zip(times[1:], js.D.values[1:], js.D_stderr.values[1:], zd,
                                           js.n_total.values[1:], js.n_total_stderr.values[1:], zn, strict=True)))
