# ruff: noqa: E501
import numpy as np
import xarray as xr

from qsync.dimer.jump_trajectories import combine_replicas
from qsync.dimer.model import DimerParams

D = "results/research/"
pairs = [
    ("F3000_k5_t10_M24_R8_dt0.005_e44_s0_m1.0", "exact_F3000_k5_n40_t10"),
    ("F1000_k5_t10_M24_R8_dt0.005_e72_s0_m1.0", "exact_F1000_k5_n60_t10"),
    ("F3000_k1_t10_M24_R8_dt0.005_e44_s0", "exact_F3000_k1_n40_t10"),
    ("F1000_k1_t10_M24_R8_dt0.005_e72_s0_m1.0", "exact_F1000_k1_n40_t10"),
    ("F300_k1_t10_M24_R8_dt0.005_e96_s0_m1.0", "exact_F300_k1_n50_t10"),
    ("F300_k1_t10_M96_R8_dt0.005_e96_s1_m1.0", "exact_F300_k1_n50_t10"),
]

for j, e in pairs:
    raw = xr.load_dataset(D + "raw_" + j + ".nc")
    a = raw.attrs
    p = DimerParams(
        omega1=a["omega1"],
        omega2=a["omega2"],
        gamma1=a["gamma1"],
        gamma2=a["gamma2"],
        beta=a["beta"],
        k=a["k"],
        beta0=a["beta0"],
    )
    js = combine_replicas(raw, p)
    ex = xr.load_dataset(D + e + ".nc")
    dD = np.abs(js.D.values - ex.D.values)[1:]
    tol = np.maximum(3 * js.D_stderr.values[1:], 0.01)
    Ne = (ex.n1 + ex.n2).values[1:]
    rN = (js.n_total.values[1:] - Ne) / Ne
    zN = (js.n_total.values[1:] - Ne) / js.n_total_stderr.values[1:]
    print(
        f"{j}: D ok at {int((dD <= tol).sum())}/20 times (max |dD| {dD.max():.4f}, max |dD|/max(3s,.01) {np.max(dD / tol):.2f}); N within 2% at {int((np.abs(rN) <= 0.02).sum())}/20 (mean rel {rN.mean():+.3f}, max |rel| {np.abs(rN).max():.3f}); N within 3s at {int((np.abs(zN) <= 3).sum())}/20"
    )
