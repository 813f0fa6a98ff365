"""Can the exact-comparison test fail? Break the method (no Hc weight / no resampling) and compare."""
# ruff: noqa: E501  (provenance scripts: long report lines)

import numpy as np

from qsync.dimer import jump_trajectories as jt
from qsync.dimer.model import DimerParams
from qsync.dimer.quantum import solve_exact

p = DimerParams(
    omega1=2 * np.pi,
    omega2=3 * np.pi,
    gamma1=0.00087 * 1000,
    gamma2=0.0016 * 1000,
    beta=1 / 20,
    k=5.0,
    beta0=None,
)
times = np.array([0, 0.1, 0.2, 0.3])
ex = solve_exact(p, 50, times, truncation="total", propagator="krylov")
S = jt.JumpSettings(walkers=40, band_edges=(0, 6, 12, 20, 30, 44))
orig = jt._Walkers.coherent


def no_weight(self, h):
    lw = self.log_w.copy()
    orig(self, h)
    self.log_w[:] = lw


def half_dt(self, h):  # a wrong coupling strength: weight from k/2 only  (state still at k)
    lw = self.log_w.copy()
    orig(self, h)
    self.log_w[:] = lw + 0.9 * (self.log_w - lw)


for name, fn in (("correct", orig), ("no Hc weight", no_weight), ("weight x0.9", half_dt)):
    jt._Walkers.coherent = fn
    js = jt.solve_jumps(p, times, S, replicas=8, seed=12)
    zD = (js.D.values[1:] - ex.D.values[1:]) / js.D_stderr.values[1:]
    Ne = (ex.n1 + ex.n2).values
    zN = (js.n_total.values[1:] - Ne[1:]) / js.n_total_stderr.values[1:]
    print(
        f"{name:14s} D={np.round(js.D.values[1:], 4)} exact={np.round(ex.D.values[1:], 4)} zD={np.round(zD, 1)} zN={np.round(zN, 1)}"
    )
