"""Rule fig1: draw Fig. 1 from the measures and hull files."""

from qsync.io import open_netcdf
from qsync.plotting.fig1 import draw_fig1
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("fig1", sm.log[0])
p = dict(sm.params.plot)
measures = open_netcdf(sm.input.measures, required=("D_quantum", "chi_quantum", "purity"))
hull = open_netcdf(sm.input.hull)
fig = draw_fig1(measures, hull, n_plot=p["n_plot"], plot_seed=p["plot_seed"],
                colormap=p["colormap"])
save_figure(fig, [sm.output.pdf, sm.output.png], [sm.input.measures, sm.input.hull], p,
            "Fig. 1: chi against D for random two-mode Gaussian states")
log.info("wrote %s, %s", sm.output.pdf, sm.output.png)
