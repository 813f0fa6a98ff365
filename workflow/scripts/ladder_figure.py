"""Rule ladder_figure: D and ⟨n1 + n2⟩ at the last time against F, both methods."""

from qsync.io import open_netcdf
from qsync.plotting.ladder import draw_ladder
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("ladder_figure", sm.log[0])
ladder = open_netcdf(sm.input.ladder, required=("D", "D_stderr", "n_total", "n_total_stderr",
                                                "converged"))
saddle, sources = {}, [sm.input.ladder]
t_last = float(ladder["time"].values[-1])
for path in sm.input.get("large_n", []):  # the F = 1 limit, at the ladder's last time
    run = open_netcdf(path, required=("D", "n_total", "method_used"))
    near = abs(run["time"] - t_last) <= 1e-9 * max(1.0, t_last)
    k = float(run.attrs["k"])
    if near.any() and k in ladder["k"].values:
        point = run.isel(time=int(near.argmax()))
        if int(point["method_used"]) == 1:
            saddle[k] = (float(point["D"]), float(point["n_total"]))
            sources.append(path)
fig = draw_ladder(ladder, saddle)
save_figure(fig, [sm.output.pdf, sm.output.png], sources, {},
            "The gamma-ladder: exact solver and weighted jump trajectories against F")
log.info("wrote %s", sm.output.pdf)
