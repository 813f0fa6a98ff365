"""Rule extensive_hull: lower convex hull of one N's (D, χ) sample, and its bound margins."""

from qsync.extensive import KINDS, hull_dataset
from qsync.io import open_netcdf, write_netcdf
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("extensive_hull", sm.log[0])
measures = open_netcdf(sm.input.measures, required=("D_quantum", "chi_quantum", "D_classical",
                                                    "chi_classical"))
states = open_netcdf(sm.input.states, required=("state_index", "cov_quantum", "cov_classical"))
ds = hull_dataset(measures, states)
n = int(ds.attrs["n_modes"])
for kind in KINDS:
    log.info("N = %d, %s: %d hull vertices, D in [%.4f, %.4f]", n, kind,
             ds.sizes[f"vertex_{kind}"], ds[f"D_{kind}"].min(), ds[f"D_{kind}"].max())
    for bound, name in (("eq11", "Eq. 11"), ("clinf", "classical infimum (SPEC 3)")):
        count = int(ds[f"{bound}_violations_{kind}"])
        margin = float(ds[f"{bound}_min_margin_{kind}"])
        where = float(ds[f"{bound}_argmin_D_{kind}"])
        if count < 0:
            log.info("  %s: not applicable (kappa != 1)", name)
            continue
        report = log.warning if count else log.info
        report("  %s: %d of %d states below it; smallest chi - bound = %.4g at D = %.4f",
               name, count, measures.sizes["state"], margin, where)
params = {"n_modes": n, **{k: measures.attrs[k] for k in ("n_states", "seed", "scale", "kappa")},
          "measures_git_revision": measures.attrs.get("git_revision", "unknown")}
write_netcdf(ds, sm.output[0], params=params)
log.info("wrote %s", sm.output[0])
