"""Rule hull: lower convex hull of the (D, χ) cloud, quantum and classical."""

from qsync.ensemble import hull_dataset
from qsync.io import open_netcdf, write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("hull", sm.log[0])
measures = open_netcdf(sm.input.measures, required=("D_quantum", "chi_quantum"))
ds = hull_dataset(measures)
log.info("hull vertices: %d quantum, %d classical", ds.sizes["vertex_quantum"],
         ds.sizes["vertex_classical"])
params = {"frequency_set": sm.wildcards.fset, "omega": measures.attrs["omega"],
          "n_states": int(measures.sizes["state"])}
write_netcdf(ds, sm.output[0], params=params)
