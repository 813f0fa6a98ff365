"""Residual of Eq. 22 against the centred difference of L(t) as the output step is halved
(converged preset, the fast initial transient); docs/research/speed-limit.md."""
import numpy as np

from qsync.dimer.model import dimer_params
from qsync.dimer.speed_limit import speed_limit_run

MODEL = dict(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087, gamma2=0.0016, beta=0.05,
             beta0=None)
for k in (5.0, 0.5):
    p = dimer_params(MODEL, k, 3000.0)
    for h in (0.01, 0.005, 0.0025):
        ds = speed_limit_run(p, 50, np.arange(0.0, 0.6 + h / 2, h), truncation="total",
                             propagator="krylov")
        inner = ds.isel(time=slice(1, -1))
        d = np.abs(inner["Ldot_numeric"] - inner["Ldot_eq22_symmetrized"]).values
        i = int(np.argmax(d))
        scale = float(np.abs(ds["Ldot_eq22_symmetrized"]).max())
        print(f"k={k:g} h={h:g}: max|numeric - Eq.22 sym| = {d[i]:.3g} at t={float(inner.time[i]):.3g}"
              f" ({d[i] / scale:.2g} of max|Ldot| = {scale:.3g})", flush=True)
