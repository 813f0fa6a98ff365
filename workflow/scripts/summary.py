"""Rule summary: every number the README states about this run, from its result files."""

from qsync.dimer.runs import stack_runs
from qsync.io import open_netcdf
from qsync.publish import write_json
from qsync.runlog import get_logger
from qsync.summary import (
    dt_check_summary,
    extensive_summary,
    fig1_summary,
    fig2_summary,
    fig3_summary,
    jsonable,
    ladder_summary,
    large_n_ladder_check,
    large_n_summary,
    speed_limit_summary,
)

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("summary", sm.log[0])
runs = [open_netcdf(p, required=("D", "chi", "truncation_weight")) for p in sm.input.runs]
for run in runs:  # per-run attributes do not survive stacking: keep the breakdown time
    run["breakdown_time"] = float(run.attrs.get("breakdown_time", float("nan")))
runs = stack_runs(runs, "k", sm.params.k_values)


def _large_n_runs(paths, ks):
    runs = [open_netcdf(p, required=("D", "D_error", "method_used", "converged"))
            for p in paths]
    for run in runs:  # per-run attributes do not survive stacking
        run["divergence_time"] = float(run.attrs["divergence_time"])
    return stack_runs(runs, "k", ks)


large_n = None
if "large_n" in sm.input.keys():
    large_n_runs = _large_n_runs(sm.input.large_n, sm.params.k_values)
    large_n = large_n_summary(large_n_runs)
    if "ladder" in sm.input.keys():
        large_n["ladder_check"] = large_n_ladder_check(large_n_runs,
                                                       open_netcdf(sm.input.ladder))
study = open_netcdf(sm.input.study) if "study" in sm.input.keys() else None
summary = {
    "fig1": fig1_summary(open_netcdf(sm.input.measures), open_netcdf(sm.input.hull)),
    "fig2": fig2_summary(runs, study, sm.params.fig2_tolerance),
    "fig3": fig3_summary(open_netcdf(sm.input.quantum), open_netcdf(sm.input.classical),
                         **sm.params.fig3),
    "classical_dt_check": (dt_check_summary(open_netcdf(sm.input.dt_check))
                           if "dt_check" in sm.input.keys() else None),
    "speed_limit": {
        name: speed_limit_summary(open_netcdf(path), sm.params.speed_limit["tolerance"])
        for name, path in zip(sm.params.speed_limit["runs"], sm.input.get("speed_limit", []),
                              strict=True)},
    "ladder": (ladder_summary(open_netcdf(sm.input.ladder)) if "ladder" in sm.input.keys()
               else None),
    "large_n": large_n,
    "extensive": extensive_summary([open_netcdf(p) for p in sm.input.extensive],
                                   sm.params.d_values),
    "sources": sorted(str(p) for p in sm.input if not str(p).endswith(".py")),
    "output": dict(sm.params.output),
}
write_json(jsonable(summary), sm.output[0])
log.info("wrote %s", sm.output[0])
