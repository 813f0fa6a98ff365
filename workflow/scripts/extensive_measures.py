"""Rule extensive_measures: random N-mode states → D (Eq. 6), χ (Eq. 10), hull candidates."""

import time

from qsync.extensive import measures_and_candidates
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("extensive_measures", sm.log[0])
n = int(sm.params.n_modes)
p = dict(sm.params.sampling)
log.info("N = %d: %d wishart states (scale %g, seed %d), kappa = %g", n, p["n_states"],
         p["scale"], p["seed"], p["kappa"])
t0 = time.perf_counter()


def progress(done, total):
    log.info("  %d / %d states (%.1f s)", done, total, time.perf_counter() - t0)


measures, states = measures_and_candidates(n, p["n_states"], p["seed"], scale=p["scale"],
                                           kappa=p["kappa"], progress=progress)
log.info("measures in %.1f s; %d hull candidates kept", time.perf_counter() - t0,
         states.sizes["candidate"])
params = {"n_modes": n, **p}
write_netcdf(states, sm.output.states, params=params)
write_netcdf(measures, sm.output.measures, params=params)
log.info("wrote %s, %s", sm.output.measures, sm.output.states)
