"""Rule ladder_gather: every rung by both methods, convergence flags and agreement."""

from qsync.dimer.jump_trajectories import combine_replicas, concat_replicas
from qsync.dimer.ladder import LadderCriteria, exact_rung, gather_ladder, jump_rung
from qsync.dimer.model import dimer_params
from qsync.io import open_netcdf, write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("ladder_gather", sm.log[0])
criteria = LadderCriteria(**sm.params.criteria)
rungs, factors, times = {}, [], None
for entry in sm.params.layout:
    f, k = entry["F"], entry["k"]
    factors += [f] if f not in factors else []
    if entry["exact"]:
        lower, upper = (open_netcdf(path) for path in entry["exact"])
        rungs[f, k, "exact"] = exact_rung(lower, upper, criteria)
    params = dimer_params(sm.params.model, k, f)
    small, large = (combine_replicas(concat_replicas([open_netcdf(p) for p in parts]), params)
                    for parts in entry["jumps"])
    rungs[f, k, "jump_trajectories"] = jump_rung(small, large, criteria)
    times = large["time"].values
    for method in ("exact", "jump_trajectories"):
        if (f, k, method) in rungs:
            r = rungs[f, k, method]
            log.info("F = %g, k = %g, %s: D(t_final) = %.4f +- %.4f, <n1 + n2> = %.3f, "
                     "converged at %d of %d times", f, k, method, float(r["D"][-1]),
                     float(r["D_stderr"][-1]), float(r["n_total"][-1]),
                     int(r["converged"].sum()), r.sizes["time"])
ds = gather_ladder(rungs, factors, sm.params.k_values, times, criteria)
log.info("methods agree at %d of %d (F, k, time) points where both converged",
         int(ds["agree"].sum()), int(ds["both_converged"].sum()))
write_netcdf(ds, sm.output[0], params={"layout": sm.params.layout,
                                       "criteria": dict(sm.params.criteria),
                                       "model": sm.params.model})
log.info("wrote %s", sm.output[0])
