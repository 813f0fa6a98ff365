"""Rules dimer_run, dimer_convergence_run: the quantum dimer at one k (and one cutoff)."""

import time

from qsync.dimer.runs import run_dimer
from qsync.grid import time_grid
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.run)
k = float(sm.wildcards.k)
log = get_logger("dimer_run", sm.log[0])
times = time_grid(p["t_final"], p["n_times"])
log.info("method %s, k = %g, n_max = %s, %d output times up to t = %g", p["method"], k,
         p.get("n_max"), len(times), p["t_final"])
t0 = time.perf_counter()
every = max(len(times) // 20, 1)


def progress(i, n):
    if i % every == 0 or i == n - 1:
        log.info("time step %d of %d (t = %.3g, %.1f s)", i + 1, n, times[i],
                 time.perf_counter() - t0)


ds = run_dimer(p["method"], p["model"], k, times, n_max=p.get("n_max"),
               n_top=p.get("n_top", 1), truncation=p.get("truncation", "total"),
               progress=progress, propagator=p.get("propagator", "taylor"))
failure = ds.attrs.get("breakdown_time", ds.attrs.get("blowup_time"))
if failure is not None and failure == failure:  # not NaN
    log.warning("the run failed at t = %.3g (values after it are NaN)", failure)
if "truncation_weight" in ds:
    log.info("largest truncation weight %.3g", float(ds["truncation_weight"].max()))
write_netcdf(ds, sm.output[0], params={**p, "k": k})
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
