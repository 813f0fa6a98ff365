"""Rule dimer_large_n: the dimer at one k, exact solver before t*, large-N saddle after."""

import time

from qsync.dimer.large_n import solve_large_n
from qsync.dimer.model import dimer_params
from qsync.dimer.saddle import SaddleSettings
from qsync.grid import time_grid
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.run)
k = float(sm.wildcards.k)
log = get_logger("dimer_large_n", sm.log[0])
times = time_grid(p["t_final"], p["n_times"])
params = dimer_params(p["model"], k)
settings = SaddleSettings(error_coefficient=p["error_coefficient"], bvp_tol=p["bvp_tol"])
log.info("k = %g: exact solver (n1 + n2 <= %d) up to t*, saddle after; %d output times to %g",
         k, p["n_max"], len(times), p["t_final"])
t0 = time.perf_counter()


def progress(i, n):
    log.info("saddle at output time %d of %d (t = %.3g, %.1f s)", i + 1, n, times[i],
             time.perf_counter() - t0)


ds = solve_large_n(params, times, n_max=p["n_max"], n_top=p["n_top"],
                   truncation=p["truncation"], propagator=p["propagator"],
                   truncation_tolerance=p["truncation_tolerance"], max_error=p["max_error"],
                   settings=settings, progress=progress)
log.info("t* = %.4g; stationary from t = %.3g; %d of %d times converged",
         ds.attrs["divergence_time"], ds.attrs["stationary_from"], int(ds["converged"].sum()),
         len(times))
write_netcdf(ds, sm.output[0], params={**p, "k": k})
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
