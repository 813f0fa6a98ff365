"""Rule sweep_chunk: D(t_final) for some k rows of the Fig. 3 grid (quantum or classical)."""

import time

import numpy as np

from qsync.classical import sweep_D
from qsync.dimer.sweep import quantum_sweep
from qsync.io import write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.chunk)
log = get_logger(f"sweep_{p['kind']}", sm.log[0])
rows, dw = np.array(p["rows"]), np.array(p["delta_omega"])
log.info("chunk %s: k rows %s, %d delta_omega values", sm.wildcards.i, rows.tolist(), len(dw))
t0 = time.perf_counter()


def progress(i, n):
    log.info("chunk %s: %d of %d (%.1f s)", sm.wildcards.i, i, n, time.perf_counter() - t0)


m = p["model"]
if p["kind"] == "classical":
    ds = sweep_D(rows, dw, omega1=m["omega1"], gamma1=m["gamma1"], gamma2=m["gamma2"],
                 beta=m["beta"], n_traj=p["n_traj"], dt=p["dt"], seed=p["seed"],
                 t_final=p["t_final"], noise=p["noise"], progress=progress)
else:
    ds = quantum_sweep(rows, np.array(p["k_grid"]), dw, m, p["t_final"], p["method"],
                       p["n_max"], p["n_top"], truncation=p["truncation"],
                       n_times=p["n_times"], progress=progress,
                       propagator=p["propagator"], n_max_check=p["n_max_check"])
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
