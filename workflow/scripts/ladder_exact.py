"""Rule ladder_exact: one rung (F, k) of the γ-ladder by the exact solver at one cutoff."""

import time

from qsync.dimer.runs import run_dimer
from qsync.grid import time_grid
from qsync.io import write_netcdf
from qsync.runlog import get_logger, progress_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.run)
times = time_grid(p["t_final"], p["n_times"])
log = get_logger("ladder_exact", sm.log[0])
progress = progress_logger(log, "output time")
log.info("F = %g, k = %g: exact solver, n1 + n2 <= %d (%s), %d output times up to t = %g",
         p["F"], p["k"], p["n_max"], p["propagator"], len(times), p["t_final"])
t0 = time.perf_counter()
ds = run_dimer("exact", p["model"], p["k"], times, n_max=p["n_max"], n_top=p["n_top"],
               truncation=p["truncation"], progress=progress, propagator=p["propagator"],
               gamma_factor=p["F"])
log.info("D(t_final) = %.4f, <n1 + n2> = %.3f, largest truncation weight %.3g",
         float(ds["D"][-1]), float(ds["n1"][-1] + ds["n2"][-1]),
         float(ds["truncation_weight"].max()))
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
