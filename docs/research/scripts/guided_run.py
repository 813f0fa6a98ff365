"""One ladder point with a guided start: F k tmax M R edges dt seed merge|none guide tau theta mix [times [guide_nmax|none [twist_time twist_nmax [twist_steps]]]].

times: comma list (default 0,0.5,1,2,5,10 cut at tmax). Prints D, N (± jackknife over replicas),
the exact-start ESS at τ per band, CPU s (process time, guide set-up separately).
"""
# ruff: noqa: E501  (provenance scripts: long report lines)

import sys
import time

import numpy as np

from qsync.dimer.guided_start import adjoint_importance, band_guide
from qsync.dimer.jump_trajectories import JumpSettings, combine_replicas, run_replicas
from qsync.dimer.model import DimerParams

F, k, tmax = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
M, R = int(sys.argv[4]), int(sys.argv[5])
edges = tuple(int(x) for x in sys.argv[6].split(","))
dt, seed = float(sys.argv[7]), int(sys.argv[8])
merge = float(sys.argv[9]) if sys.argv[9] != "none" else None
guide = sys.argv[10]
tau = float(sys.argv[11]) if sys.argv[11] != "none" else None
theta, mix = float(sys.argv[12]), float(sys.argv[13])
times = np.array([float(x) for x in sys.argv[14].split(",")]) if len(sys.argv) > 14 else np.array([0, 0.5, 1, 2, 5, 10.0])
times = times[times <= tmax + 1e-12]
gn = int(sys.argv[15]) if len(sys.argv) > 15 and sys.argv[15] != "none" else None
tw_arg = sys.argv[16] if len(sys.argv) > 16 else None  # "0.5": adjoint twist τ_h; "n0.2": e^{0.2 N}
tkind, slope = ("number", float(tw_arg[1:])) if tw_arg and tw_arg.startswith("n") else ("adjoint", 0.0)
tw = float(tw_arg) if tw_arg and tkind == "adjoint" else None
twn = int(sys.argv[17]) if len(sys.argv) > 17 else 40
tsteps = int(sys.argv[18]) if len(sys.argv) > 18 else 1
p = DimerParams(omega1=2 * np.pi, omega2=3 * np.pi, gamma1=0.00087 * F, gamma2=0.0016 * F,
                beta=1 / 20, k=k, beta0=None)
settings = JumpSettings(walkers=M, band_edges=edges, dt_max=dt, merge_time=merge, guide_time=tau,
                        guide=guide, guide_theta=theta, guide_mix=mix, guide_nmax=gn,
                        twist_time=tw, twist_nmax=twn, twist_kind=tkind, twist_slope=slope,
                        twist_steps=tsteps)
t0 = time.process_time()
if tau is not None and guide != "fock":
    for lo, hi in zip(edges[:-1], edges[1:], strict=True):
        band_guide(p, lo, hi, tau, guide, gn)
if tw is not None:
    adjoint_importance(p, twn, tw)
t_setup = time.process_time() - t0
raw = run_replicas(p, times, settings, seed, range(R))
cpu = time.process_time() - t0
js = combine_replicas(raw, p)
tag = f"G_F{F:g}_k{k:g}_t{tmax:g}_M{M}_R{R}_e{edges[-1]}nb{len(edges) - 1}_s{seed}_m{merge}_{guide}_tau{tau}_th{theta:g}_mix{mix:g}_gn{gn}_tw{tw_arg}_{twn}" + (f"_g{tsteps}" if tsteps > 1 else "")
js.attrs["cpu_seconds"] = cpu
raw.to_netcdf(f"results/research/raw_{tag}.nc")
js.to_netcdf(f"results/research/{tag}.nc")
nw = M * (len(edges) - 1) * R
ess = raw["ess_start"].values
print(f"{tag}: cpu {cpu:.1f}s (setup {t_setup:.1f}s) walkers {nw}; jumps {int(raw.jumps.sum())} maxN {int(raw.max_N.max())}")
print("  ESS fraction at start of population control, per band (mean over replicas):", np.round(np.nanmean(ess, axis=0), 3))
for i, t in enumerate(times):
    print(f"  t={t:5.2f} D={float(js.D[i]):.4f}±{float(js.D_stderr[i]):.4f} N={float(js.n_total[i]):7.2f}±{float(js.n_total_stderr[i]):.2f} lntr={float(js.log_trace[i]):.2f}±{float(js.log_trace_stderr[i]):.2f} top={float(js.top_band_weight[i]):.1e} ess={float(js.replica_ess[i]):.1f}")
