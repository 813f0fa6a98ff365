"""Rule classical_dt_check: classical D(t_final) at a few points with the sweep's time step and
a finer one (same seed, same trajectories), to show the step is small enough."""

import numpy as np
import xarray as xr

from qsync.io import write_netcdf
from qsync.phase_diagram.classical import classical_d_final
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.check)
log = get_logger("classical_dt_check", sm.log[0])
m = p["model"]
runs = []
for dt in (p["dt_sweep"], p["dt"]):
    log.info("dt = %g: %d points x %d trajectories", dt, len(p["k"]) * len(p["delta_omega"]),
             p["n_traj"])
    runs.append(classical_d_final(
        np.array(p["k"], float), np.array(p["delta_omega"], float), omega1=m["omega1"],
        gamma1=m["gamma1"], gamma2=m["gamma2"], beta=m["beta"], n_traj=p["n_traj"], dt=dt,
        seed=p["seed"], t_final=p["t_final"], noise=p["noise"])[["D", "D_stderr"]])
ds = xr.concat(runs, dim=xr.DataArray([p["dt_sweep"], p["dt"]], dims="dt", name="dt"),
               combine_attrs="drop_conflicts")
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s; largest |D(dt) - D(fine)| = %.3g", sm.output[0],
         float(np.abs(ds["D"].isel(dt=0) - ds["D"].isel(dt=1)).max()))
