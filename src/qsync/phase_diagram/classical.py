"""Classical D(t_final) over the (k, Δω) plane (Fig. 3b; SPEC §6, §7).

The stochastic Stuart–Landau dimer of :mod:`qsync.stuart_landau` at every grid point, all points
integrated together (vectorized over points and trajectories).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import xarray as xr

from ..stuart_landau import simulate_D

__all__ = ["classical_d_final"]


def classical_d_final(k_values, delta_omega_values, *, omega1: float, gamma1: float, gamma2: float,
            beta: float, n_traj: int, dt: float, seed: int, t_final: float = 10.0,
            noise: str = "real", noise_scale: float = 1.0, traj_block: int = 4096,
            max_batch: int = 32768, progress: Callable[[int, int], None] | None = None):
    """D(t_final) of the classical dimer on the (k, Δω) grid of Fig. 3(b) (SPEC §7).

    ω2 = ω1 + Δω; every point must keep ω2 > 0. The random streams are keyed by the point's
    parameter values, so sweeping a sub-grid (e.g. one row of k at a time) and concatenating
    gives bit-identical results to one sweep of the full grid.

    Returns
    -------
    xarray.Dataset
        dims (k, delta_omega); variables ``D``, ``D_stderr`` (Monte Carlo standard error),
        ``n_traj``; coordinate ``omega2``; all parameters and the integrator as attributes
        (deterministic: no timestamps).
    """
    kv = np.atleast_1d(np.asarray(k_values, dtype=float))
    dwv = np.atleast_1d(np.asarray(delta_omega_values, dtype=float))
    if kv.ndim != 1 or dwv.ndim != 1:
        raise ValueError("k_values and delta_omega_values must be 1-D")
    kk, ww = np.meshgrid(kv, dwv, indexing="ij")
    res = simulate_D(kk.ravel(), omega1, omega1 + ww.ravel(), gamma1=gamma1, gamma2=gamma2,
                     beta=beta, n_traj=n_traj, dt=dt, t_final=t_final, seed=seed, noise=noise,
                     noise_scale=noise_scale, times=[t_final], traj_block=traj_block,
                     max_batch=max_batch, progress=progress)
    shape = kk.shape
    dims = ("k", "delta_omega")
    ds = xr.Dataset(
        {
            "D": (dims, res.D[:, 0].reshape(shape),
                  {"long_name": "synchronization distance D at t_final (Eq. 2)"}),
            "D_stderr": (dims, res.D_stderr[:, 0].reshape(shape),
                         {"long_name": "Monte Carlo standard error of D (delta method)"}),
            "n_traj": (dims, np.full(shape, res.n_traj, dtype=np.int64),
                       {"long_name": "trajectories per point"}),
        },
        coords={
            "k": ("k", kv, {"long_name": "non-Hermitian coupling k"}),
            "delta_omega": ("delta_omega", dwv, {"long_name": "omega2 - omega1"}),
            "omega2": ("delta_omega", omega1 + dwv, {"long_name": "omega2"}),
        },
        attrs={
            "model": "classical stochastic Stuart-Landau dimer (PRL 133, 020401, after Fig. 2;"
                     " SPEC 6)",
            "integrator": "Strang splitting: exact linear half steps, exact cubic damping, "
                          "additive noise",
            "rng": "SFC64 per (point, block) from SeedSequence(seed, spawn_key=(tag, bits of "
                   "k, omega1, omega2, block))",
            "initial_state": "complex Gaussian, <|z_j|^2> = 1/(beta omega_j)",
            "omega1": float(omega1), "gamma1": float(gamma1), "gamma2": float(gamma2),
            "beta": float(beta), "t_final": float(t_final), "dt": float(res.dt),
            "dt_requested": float(dt), "n_steps": int(res.n_steps), "seed": int(seed),
            "noise": str(noise), "noise_scale": float(noise_scale),
            "traj_block": int(min(res.n_traj, int(traj_block))),
        },
    )
    return ds
