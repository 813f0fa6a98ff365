"""Rule ladder_jumps: one replica group of one rung (F, k) by weighted jump trajectories."""

import time

from qsync.dimer.jump_trajectories import JumpSettings, concat_replicas, run_replicas
from qsync.dimer.model import dimer_params
from qsync.grid import time_grid
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.run)
log = get_logger("ladder_jumps", sm.log[0])
times = time_grid(p["t_final"], p["n_times"])
settings = JumpSettings(walkers=p["walkers"], band_edges=tuple(p["band_edges"]),
                        dt_max=p["dt_max"], merge_time=p["merge_time"],
                        resample_ess=p["resample_ess"])
params = dimer_params(p["model"], p["k"], p["F"])
log.info("F = %g, k = %g: jump trajectories, %d walkers per band, bands %s, replicas %s, "
         "seed %d, to t = %g", p["F"], p["k"], p["walkers"], p["band_edges"], p["replicas"],
         p["seed"], p["t_final"])
t0 = time.perf_counter()
parts = []
for r in p["replicas"]:  # one at a time for the log; any split gives the same arrays
    parts.append(run_replicas(params, times, settings, p["seed"], [r]))
    log.info("replica %d done (%.1f s)", r, time.perf_counter() - t0)
ds = concat_replicas(parts)
log.info("%d steps, %d jumps, %d resamplings, largest sector %d", int(ds["steps"].sum()),
         int(ds["jumps"].sum()), int(ds["resamplings"].sum()), int(ds["max_N"].max()))
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
