"""Rule sample_states: draw the random two-mode Gaussian states of Fig. 1 (SPEC §4)."""

import time

from qsync.ensemble import sample_dataset
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("sample_states", sm.log[0])
p = sm.params.sampling
log.info("sampling %d states with %s (seed %d, options %s)", p["n_states"], p["sampler"],
         p["seed"], p["options"])
t0 = time.perf_counter()
ds = sample_dataset(p["sampler"], p["n_states"], p["seed"], **p["options"])
log.info("sampled in %.1f s; writing %s", time.perf_counter() - t0, sm.output[0])
write_netcdf(ds, sm.output[0], params={"sampling": p})
log.info("done")
