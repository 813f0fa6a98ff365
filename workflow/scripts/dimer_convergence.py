"""Rule dimer_convergence: stack the cutoff study and draw it."""

import numpy as np

from qsync.dimer.runs import stack_runs
from qsync.io import open_netcdf, write_netcdf
from qsync.plotting.fig2 import draw_convergence
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("dimer_convergence", sm.log[0])
cutoffs, ks = list(sm.params.n_max), list(sm.params.k_values)
paths = iter(sm.input.runs)
rows = []
for _n in cutoffs:
    runs = [open_netcdf(next(paths), required=("D", "chi", "truncation_weight")) for _ in ks]
    rows.append(stack_runs(runs, "k", ks))
study = stack_runs(rows, "n_max", cutoffs)
top = study.sel(n_max=max(cutoffs))
for n in cutoffs:
    diff = np.abs(study.sel(n_max=n)["D"] - top["D"]).max("time")
    log.info("n_max %d: max |D - D(n_max=%d)| per k %s; max truncation weight %s", n,
             max(cutoffs), np.round(diff.values, 5).tolist(),
             np.round(study.sel(n_max=n)["truncation_weight"].max("time").values, 5).tolist())
params = {"n_max": cutoffs, "k_values": ks, "tolerance": sm.params.tolerance}
write_netcdf(study, sm.output.data, params=params)
fig = draw_convergence(study, sm.params.tolerance)
save_figure(fig, [sm.output.pdf, sm.output.png], [sm.output.data], params,
            "Dimer cutoff study: D(t) and chi(t) against the Fock cutoff")
