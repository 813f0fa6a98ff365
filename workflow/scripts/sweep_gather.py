"""Rule sweep_gather: merge the chunks of one sweep into a (k, delta_omega) dataset."""

import numpy as np

from qsync.io import open_netcdf, write_netcdf
from qsync.phase_diagram.gather import gather_chunks
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("sweep_gather", sm.log[0])
chunks = [open_netcdf(p, required=("D",)) for p in sm.input.chunks]
ds = gather_chunks(chunks, np.array(sm.params.k)).sortby("k")
log.info("%s sweep: %d x %d points from %d chunks", sm.wildcards.kind, ds.sizes["k"],
         ds.sizes["delta_omega"], len(chunks))
write_netcdf(ds, sm.output[0], params={"kind": sm.wildcards.kind, **sm.params.sweep})
