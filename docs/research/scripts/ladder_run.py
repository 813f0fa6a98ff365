"""One ladder point by jump trajectories: F k tmax walkers replicas edges dt [seed [merge|none [guide]]]."""
# ruff: noqa: E501  (provenance scripts: long report lines)

import sys
import time

import numpy as np

from qsync.dimer.jump_trajectories import JumpSettings, combine_replicas, run_replicas
from qsync.dimer.model import DimerParams

F = float(sys.argv[1])
k = float(sys.argv[2])
tmax = float(sys.argv[3])
M = int(sys.argv[4])
R = int(sys.argv[5])
edges = tuple(int(x) for x in sys.argv[6].split(","))
dt = float(sys.argv[7])
seed = int(sys.argv[8]) if len(sys.argv) > 8 else 0
merge = float(sys.argv[9]) if len(sys.argv) > 9 and sys.argv[9] != "none" else None
guide = float(sys.argv[10]) if len(sys.argv) > 10 else None
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
    JumpSettings(walkers=M, band_edges=edges, dt_max=dt, merge_time=merge, guide_time=guide),
    seed,
    range(R),
)
cpu = time.process_time() - t0
js = combine_replicas(raw, p)
tag = f"F{F:g}_k{k:g}_t{tmax:g}_M{M}_R{R}_dt{dt:g}_e{edges[-1]}_s{seed}_m{merge}_g{guide}"
js.attrs["cpu_seconds"] = cpu
raw.to_netcdf(f"results/research/raw_{tag}.nc")
js.to_netcdf(f"results/research/{tag}.nc")
nw = M * (len(edges) - 1) * R
print(
    f"{tag}: cpu {cpu:.1f}s walkers {nw} -> {cpu / (nw * tmax):.2e} core-s/walker/unit-time; jumps {int(raw.jumps.sum())} maxN {int(raw.max_N.max())}"
)
for i, t in enumerate(times):
    print(
        f"  t={t:5.2f} D={float(js.D[i]):.4f}±{float(js.D_stderr[i]):.4f} N={float(js.n_total[i]):8.2f}±{float(js.n_total_stderr[i]):.2f} chiG={float(js.chi_gaussian[i]):.3f} lntr={float(js.log_trace[i]):.2f}±{float(js.log_trace_stderr[i]):.2f} top={float(js.top_band_weight[i]):.1e} ess={float(js.replica_ess[i]):.1f}"
    )
