"""Rule fig3: draw Fig. 3 from the gathered sweeps."""

from qsync.io import open_netcdf
from qsync.plotting.fig3 import draw_fig3
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("fig3", sm.log[0])
plot = dict(sm.params.plot)
quantum = open_netcdf(sm.input.quantum, required=("D", "truncation_weight"))
classical = open_netcdf(sm.input.classical, required=("D",))
fig = draw_fig3(quantum, classical, plot["truncation_tolerance"], plot["colormap"],
                plot["cutoff_tolerance"], plot["error_tolerance"])
if "D_error" in quantum:
    err = quantum["D_error"].values
    log.info("error estimate of D: largest %.3g; %d of %d points within %g",
             float(quantum["D_error"].max()),  # skips NaN (points without a solution)
             int((err <= plot["error_tolerance"]).sum()), err.size, plot["error_tolerance"])
elif "cutoff_change" in quantum:
    change = quantum["cutoff_change"].values
    log.info("largest |D change| between cutoffs %d and %d: %.3g; %d of %d points within %g",
             quantum.attrs["n_max"], quantum.attrs["n_max_check"], float(change.max()),
             int((change <= plot["cutoff_tolerance"]).sum()), change.size,
             plot["cutoff_tolerance"])
save_figure(fig, [sm.output.pdf, sm.output.png], [sm.input.quantum, sm.input.classical], plot,
            "Fig. 3: D at t_final over (k, omega2 - omega1), quantum and classical")
log.info("wrote %s", sm.output.pdf)
