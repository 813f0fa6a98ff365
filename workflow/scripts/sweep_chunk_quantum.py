"""Rule sweep_chunk (kind quantum): D(t_final) of the quantum dimer for some k rows of Fig. 3."""

import time

import numpy as np

from qsync.dimer.method_flags import METHOD_EXACT, METHOD_NONE, METHOD_SADDLE
from qsync.dimer.saddle import SaddleSettings
from qsync.io import write_netcdf
from qsync.phase_diagram.large_n import large_n_d_final
from qsync.phase_diagram.quantum import quantum_d_final
from qsync.runlog import get_logger, progress_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
p = dict(sm.params.chunk)
log = get_logger("sweep_quantum", sm.log[0])
rows, dw = np.array(p["rows"]), np.array(p["delta_omega"])
log.info("chunk %s (%s): |k| rows %s, %d delta_omega values", sm.wildcards.i, p["method"],
         rows.tolist(), len(dw))
t0 = time.perf_counter()
progress = progress_logger(log, f"chunk {sm.wildcards.i}")
options = dict(n_top=p["n_top"], truncation=p["truncation"], n_times=p["n_times"],
               progress=progress, propagator=p["propagator"])
if p["method"] == "large_n":
    ds = large_n_d_final(rows, np.array(p["k_grid"]), dw, p["model"], p["t_final"],
                         n_max=p["n_max"], n_max_check=p["n_max_check"],
                         settings=SaddleSettings(**p["saddle"]), **options)
    log.info("methods: %d saddle, %d exact, %d failed points",
             *(int((ds["method_used"] == flag).sum())
               for flag in (METHOD_SADDLE, METHOD_EXACT, METHOD_NONE)))
else:
    ds = quantum_d_final(rows, np.array(p["k_grid"]), dw, p["model"], p["t_final"],
                         p["method"], p["n_max"], n_max_check=p["n_max_check"], **options)
write_netcdf(ds, sm.output[0], params=p)
log.info("wrote %s in %.1f s", sm.output[0], time.perf_counter() - t0)
