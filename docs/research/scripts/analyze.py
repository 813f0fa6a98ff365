"""analyze.py raw_small.nc [raw_large.nc]: D, N at t=10 and averaged over t in [5, 10]; Richardson in M."""
# ruff: noqa: E501  (provenance scripts: long report lines)

import sys

import numpy as np
import xarray as xr

from qsync.dimer.jump_trajectories import _per_replica, combine_replicas, extrapolate_walkers
from qsync.dimer.model import DimerParams
from qsync.dimer.moments import moments_dataset


def params_of(raw):
    a = raw.attrs
    return DimerParams(
        omega1=a["omega1"],
        omega2=a["omega2"],
        gamma1=a["gamma1"],
        gamma2=a["gamma2"],
        beta=a["beta"],
        k=a["k"],
        beta0=a["beta0"],
    )


def window_avg(raw, p, t0, t1):
    raw = raw.sortby("replica")
    c = raw.c_real.values + 1j * raw.c_imag.values
    r1, r2, rc, _, _ = _per_replica(
        raw.log_prior.values, raw.log_z.values, raw.n1.values, raw.n2.values, c
    )
    t = raw.time.values
    sel = (t >= t0 - 1e-9) & (t <= t1 + 1e-9)
    a1, a2, ac = r1[:, sel].mean(1), r2[:, sel].mean(1), rc[:, sel].mean(1)
    R = len(a1)

    def meas(keep):
        m1, m2, mc = a1[keep].mean(), a2[keep].mean(), ac[keep].mean()
        ds = moments_dataset(
            p,
            np.array([0.0]),
            np.array([m1]),
            np.array([m2]),
            np.array([mc]),
            None,
            np.array([np.nan]),
            np.array([0.0]),
            {},
        )
        return np.array([float(ds.D[0]), m1 + m2, float(ds.chi_gaussian[0])])

    full = meas(np.arange(R))
    jk = np.stack([meas(np.delete(np.arange(R), i)) for i in range(R)])
    err = np.sqrt((R - 1) / R * ((jk - jk.mean(0)) ** 2).sum(0))
    return full, err


files = sys.argv[1:]
res = []
for f in files:
    raw = xr.load_dataset(f)
    p = params_of(raw)
    js = combine_replicas(raw, p)
    tmax = float(raw.time[-1])
    w0 = max(tmax / 2, 0.0)
    (d, n, chi), (sd, sn, schi) = window_avg(raw, p, w0, tmax)
    res.append((js, raw, (d, n, chi, sd, sn, schi)))
    print(
        f"{f.split('/')[-1]}: M={raw.attrs['walkers']} t={tmax:g}: D={float(js.D[-1]):.4f}±{float(js.D_stderr[-1]):.4f} "
        f"N={float(js.n_total[-1]):.2f}±{float(js.n_total_stderr[-1]):.2f} chiG={float(js.chi_gaussian[-1]):.3f}±{float(js.chi_gaussian_stderr[-1]):.3f} | "
        f"avg[{w0:g},{tmax:g}] D={d:.4f}±{sd:.4f} N={n:.2f}±{sn:.2f} chiG={chi:.3f}±{schi:.3f}"
    )
if len(res) == 2:
    ex = extrapolate_walkers(res[0][0], res[1][0])
    print(
        f"  Richardson t={float(ex.time[-1]):g}: D={float(ex.D[-1]):.4f}±{float(ex.D_stderr[-1]):.4f} (bias left in large {float(ex.D_bias[-1]):+.4f}) "
        f"N={float(ex.n_total[-1]):.2f}±{float(ex.n_total_stderr[-1]):.2f} (bias {float(ex.n_total_bias[-1]):+.2f})"
    )
    r = float(res[1][1].attrs["walkers"]) / float(res[0][1].attrs["walkers"])
    (dS, nS, _, sdS, snS, _), (dL, nL, _, sdL, snL, _) = res[0][2], res[1][2]
    print(
        f"  Richardson window: D={(r * dL - dS) / (r - 1):.4f}±{np.hypot(r * sdL, sdS) / (r - 1):.4f} (bias in large {dL - (r * dL - dS) / (r - 1):+.4f}) "
        f"N={(r * nL - nS) / (r - 1):.2f}±{np.hypot(r * snL, snS) / (r - 1):.2f} (bias in large {nL - (r * nL - nS) / (r - 1):+.2f})"
    )
