"""Rule fig2_large_n: Fig. 2 at the paper's parameters from the per-k large-N runs."""

from qsync.dimer.runs import stack_runs
from qsync.io import open_netcdf
from qsync.plotting.fig2_large_n import draw_fig2_large_n
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("fig2_large_n", sm.log[0])
ks = list(sm.params.k_values)
runs = stack_runs([open_netcdf(p, required=("D", "D_error", "method_used", "converged"))
                   for p in sm.input.runs], "k", ks)
hull = open_netcdf(sm.input.hull, required=("D_quantum", "chi_quantum"))
panel_b = [k for k in sm.params.plot["panel_b_k"] if k in ks]
fig = draw_fig2_large_n(runs, hull, panel_b)
params = {"k_values": ks, "panel_b_k": panel_b}
save_figure(fig, [sm.output.pdf, sm.output.png], [*sm.input.runs, sm.input.hull], params,
            "Fig. 2 at the paper's parameters: exact solver before t*, large-N saddle after")
log.info("wrote %s", sm.output.pdf)
