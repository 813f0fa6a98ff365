"""Rule sweep_chunk (kind classical): D(t_final) of the Stuart-Landau dimer for some k rows."""

import time

import numpy as np

from qsync.io import write_netcdf
from qsync.phase_diagram.classical import classical_d_final
from qsync.runlog import get_logger, progress_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.chunk)
log = get_logger("sweep_classical", sm.log[0])
rows, dw = np.array(p["rows"]), np.array(p["delta_omega"])
log.info("chunk %s: k rows %s, %d delta_omega values", sm.wildcards.i, rows.tolist(), len(dw))
t0 = time.perf_counter()
progress = progress_logger(log, f"chunk {sm.wildcards.i}")
m = p["model"]
ds = classical_d_final(rows, dw, omega1=m["omega1"], gamma1=m["gamma1"], gamma2=m["gamma2"],
                       beta=m["beta"], n_traj=p["n_traj"], dt=p["dt"], seed=p["seed"],
                       t_final=p["t_final"], noise=p["noise"], progress=progress)
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
