"""Rule fig2: draw Fig. 2 from the per-k dimer runs and the random-state hull."""

from qsync.dimer.runs import stack_runs
from qsync.io import open_netcdf
from qsync.plotting.fig2 import draw_fig2
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("fig2", sm.log[0])
ks = list(sm.params.k_values)
runs = stack_runs([open_netcdf(p, required=("D", "chi")) for p in sm.input.runs], "k", ks)
hull = open_netcdf(sm.input.hull, required=("D_quantum", "chi_quantum"))
plot = dict(sm.params.plot)
missing = [k for k in plot["panel_b_k"] if k not in ks]
if missing:
    raise ValueError(f"fig2.panel_b_k {missing} are not in dimer.k_values {ks}")
fig = draw_fig2(runs, hull, plot["panel_b_k"], sm.params.tolerance)
params = {"k_values": ks, "plot": plot, "tolerance": sm.params.tolerance}
save_figure(fig, [sm.output.pdf, sm.output.png], [*sm.input.runs, sm.input.hull], params,
            "Fig. 2: quantum dimer trajectories in the chi-D plane, D(t) and chi(t)")
log.info("wrote %s", sm.output.pdf)
