"""Rule speed_limit_figure: L̇ (Eq. 22, numeric) against the Eq. 23 bound, per run and k."""

from qsync.io import open_netcdf
from qsync.plotting.speed_limit import draw_speed_limit
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("speed_limit_figure", sm.log[0])
need = ("Ldot_eq22_symmetrized", "Ldot_eq22_printed", "Ldot_numeric", "bound_eq23_printed",
        "bound_eq23_rs", "truncation_weight")
runs = {name: open_netcdf(path, required=need)
        for name, path in zip(sm.params.names, sm.input.runs, strict=True)}
fig = draw_speed_limit(runs, sm.params.tolerance)
save_figure(fig, [sm.output.pdf, sm.output.png], list(sm.input.runs),
            {"runs": list(sm.params.names), "tolerance": sm.params.tolerance},
            "Rate of synchronization (Eq. 22) against its speed limit (Eq. 23)")
log.info("wrote %s", sm.output.pdf)
