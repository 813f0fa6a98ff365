"""Cutoff dependence of the speed-limit terms (docs/research/speed-limit.md, "Cutoff").

usage: python speed_limit_cutoff.py paper|converged
"""
import sys
import time

import numpy as np

from qsync.dimer.model import dimer_params
from qsync.dimer.speed_limit import speed_limit_run

MODEL = dict(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087, gamma2=0.0016, beta=0.05,
             beta0=None)
CASES = {
    # run: (gamma factor, k values, cutoffs (last = reference), propagator, output times)
    "paper": (1.0, [0.5], (60, 70, 80, 90, 100), "taylor", np.linspace(0, 10, 201)),
    "converged": (3000.0, [5.0, 1.0], (40, 50, 60), "krylov", np.linspace(0, 10, 101)),
}
factor, ks, cutoffs, prop, t = CASES[sys.argv[1]]
for k in ks:
    p = dimer_params(MODEL, k, factor)
    out = {}
    for n in cutoffs:
        t0 = time.perf_counter()
        out[n] = speed_limit_run(p, n, t, truncation="total", propagator=prop)
        print(k, n, "%.0f s" % (time.perf_counter() - t0), flush=True)
    ref = out[cutoffs[-1]]
    for n in cutoffs[:-1]:
        for v in ("L", "Ldot_eq22_symmetrized", "bound_eq23_rs", "sigma0", "margin_eq23_rs"):
            d = np.abs(out[n][v].values - ref[v].values)
            i = int(np.nanargmax(d))
            print(f"k={k:g} n_max {n} vs {cutoffs[-1]}: {v} max |diff| {d[i]:.3g} at t={t[i]:.3g}"
                  f" (scale {np.nanmax(np.abs(ref[v].values)):.3g})", flush=True)
