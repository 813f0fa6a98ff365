"""Rule ladder_figure: D and ⟨n1 + n2⟩ at the last time against F, both methods."""

from qsync.io import open_netcdf
from qsync.plotting.ladder import draw_ladder
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("ladder_figure", sm.log[0])
ladder = open_netcdf(sm.input.ladder, required=("D", "D_stderr", "n_total", "n_total_stderr",
                                                "converged"))
fig = draw_ladder(ladder)
save_figure(fig, [sm.output.pdf, sm.output.png], [sm.input.ladder], {},
            "The gamma-ladder: exact solver and weighted jump trajectories against F")
log.info("wrote %s", sm.output.pdf)
