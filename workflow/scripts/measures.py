"""Rule measures: D (Eq. 2) and χ (Eq. 10) of every sampled state for one frequency set."""

import time

from qsync.ensemble import measures_dataset
from qsync.io import open_netcdf, write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("measures", sm.log[0])
omega = list(sm.params.omega)
states = open_netcdf(sm.input.states, required=("cov_quantum", "cov_classical"))
log.info("%d states, frequency set %s, omega = %s", states.sizes["state"], sm.wildcards.fset,
         omega)
t0 = time.perf_counter()
ds = measures_dataset(states, omega)
log.info("measures in %.1f s", time.perf_counter() - t0)
params = {"frequency_set": sm.wildcards.fset, "omega": omega,
          "sampling": {k: states.attrs[k] for k in ("sampler", "n_states", "seed")},
          "states_git_revision": states.attrs.get("git_revision", "unknown")}
write_netcdf(ds, sm.output[0], params=params)
log.info("wrote %s", sm.output[0])
