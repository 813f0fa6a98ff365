"""Rule extensive_figure: χ/N against D for several N, and χ_min/N against N (issue 7)."""

from qsync.bounds import chi_min_asymptotic_quantum, chi_min_quantum
from qsync.io import open_netcdf
from qsync.plotting.extensive import draw_extensive
from qsync.plotting.style import save_figure
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("extensive_figure", sm.log[0])
p = dict(sm.params.plot)
hulls = [open_netcdf(path, required=("D_quantum", "chi_per_mode_quantum"))
         for path in sm.input.hulls]
found = sorted(int(h.attrs["n_modes"]) for h in hulls)
if found != sorted(p["n_modes"]):
    raise ValueError(f"hull files are for N = {found}, the figure asks for {p['n_modes']}")
kappa = float(hulls[0].attrs["kappa"])
for d in p["d_values"]:
    for n in sorted(p["n_modes"]) + [p["n_max"]]:
        log.info("D = %g, N = %d: chi_min/N = %.4f (Eq. 11), asymptote %.4f (Eq. 19)", d, n,
                 chi_min_quantum(d, n, kappa) / n, chi_min_asymptotic_quantum(d, 1, kappa))
fig = draw_extensive(hulls, d_values=p["d_values"], n_max=p["n_max"], colormap=p["colormap"],
                     chi_per_mode_range=p["chi_per_mode_range"])
save_figure(fig, [sm.output.pdf, sm.output.png], list(sm.input.hulls), p,
            "Extensive cost of synchronizing N oscillators (issue 7): chi/N against D and N")
log.info("wrote %s, %s", sm.output.pdf, sm.output.png)
