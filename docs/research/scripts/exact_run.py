# ruff: noqa: E501
import sys
import time

import numpy as np

from qsync.dimer.model import DimerParams
from qsync.dimer.quantum import solve_exact

F = float(sys.argv[1])
k = float(sys.argv[2])
nmax = int(sys.argv[3])
tmax = float(sys.argv[4]) if len(sys.argv) > 4 else 10.0
p = DimerParams(
    omega1=2 * np.pi,
    omega2=3 * np.pi,
    gamma1=0.00087 * F,
    gamma2=0.0016 * F,
    beta=1 / 20,
    k=k,
    beta0=None,
)
times = np.linspace(0, tmax, int(round(tmax / 0.5)) + 1)
t0 = time.process_time()
ex = solve_exact(p, nmax, times, n_top=1, truncation="total", propagator="krylov")
cpu = time.process_time() - t0
ex.attrs["cpu_seconds"] = cpu
ex.to_netcdf(f"results/research/exact_F{F:g}_k{k:g}_n{nmax}_t{tmax:g}.nc")
N = (ex.n1 + ex.n2).values
print(
    f"exact F={F:g} k={k:g} nmax={nmax}: cpu {cpu:.1f}s  maxtrunc {ex.attrs['max_truncation_weight']:.1e} breakdown {ex.attrs['breakdown_time']}"
)
for i in range(0, len(times), max(1, len(times) // 10)):
    print(
        f"  t={times[i]:5.2f} D={float(ex.D[i]):.4f} N={N[i]:.3f} lntr={float(ex.log_trace[i]):.3f} top={float(ex.truncation_weight[i]):.1e}"
    )
i = -1
print(
    f"  t={times[i]:5.2f} D={float(ex.D[i]):.4f} N={N[i]:.3f} lntr={float(ex.log_trace[i]):.3f} top={float(ex.truncation_weight[i]):.1e} chi={float(ex.chi[i]):.3f} chiG={float(ex.chi_gaussian[i]):.3f}"
)
