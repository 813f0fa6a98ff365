"""One replica group of a ladder point: F k tmax M R edges dt seed merge r0 r1 -> raw file."""
# ruff: noqa: E501  (provenance scripts: long report lines)

import sys
import time

import numpy as np

from qsync.dimer.jump_trajectories import JumpSettings, run_replicas
from qsync.dimer.model import DimerParams

F = float(sys.argv[1])
k = float(sys.argv[2])
tmax = float(sys.argv[3])
M = int(sys.argv[4])
R = int(sys.argv[5])
edges = tuple(int(x) for x in sys.argv[6].split(","))
dt = float(sys.argv[7])
seed = int(sys.argv[8])
merge = float(sys.argv[9])
r0 = int(sys.argv[10])
r1 = int(sys.argv[11])
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
raw = run_replicas(
    p,
    times,
    JumpSettings(walkers=M, band_edges=edges, dt_max=dt, merge_time=merge),
    seed,
    range(r0, r1),
)
cpu = time.process_time() - t0
raw.attrs["cpu_seconds"] = cpu
tag = f"F{F:g}_k{k:g}_t{tmax:g}_M{M}_dt{dt:g}_e{edges[-1]}_s{seed}_m{merge}_r{r0}-{r1}"
raw.to_netcdf(f"results/research/part_{tag}.nc")
nw = M * (len(edges) - 1) * (r1 - r0)
print(
    f"{tag}: cpu {cpu:.1f}s -> {cpu / (nw * tmax):.2e} core-s/walker/unit-time; jumps {int(raw.jumps.sum())} maxN {int(raw.max_N.max())}"
)
