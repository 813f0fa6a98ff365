"""Rule speed_limit_run: Eqs. 22 and 23 along the exact dimer runs of one configured run."""

import time

from qsync.dimer.speed_limit import speed_limit_study
from qsync.grid import time_grid
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.run)
log = get_logger("speed_limit", sm.log[0])
times = time_grid(p["t_final"], p["n_times"])
log.info("run %s: k = %s, n_max = %d (%s, %s), gamma factor %g, %d output times up to t = %g",
         p["name"], p["k_values"], p["n_max"], p["truncation"], p["propagator"],
         p["gamma_factor"], len(times), p["t_final"])
t0 = time.perf_counter()
every = max(len(times) // 10, 1)


def progress(k, i, n):
    if i % every == 0 or i == n - 1:
        log.info("k = %g: time step %d of %d (t = %.3g, %.1f s)", k, i + 1, n, times[i],
                 time.perf_counter() - t0)


ds = speed_limit_study(p["model"], p["k_values"], p["n_max"], times,
                       truncation=p["truncation"], gamma_factor=p["gamma_factor"],
                       propagator=p["propagator"], n_top=p["n_top"], progress=progress)
for k in p["k_values"]:
    r = ds.sel(k=k)
    log.info("k = %g: max truncation weight %.3g, smallest Eq. 23 margin %.4g (printed) "
             "%.4g (1/4), max |Eq. 22 - numeric| %.3g", k, float(r["truncation_weight"].max()),
             float(r["margin_eq23_printed"].min()), float(r["margin_eq23_rs"].min()),
             float(abs(r["Ldot_eq22_symmetrized"] - r["Ldot_numeric"]).max()))
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
