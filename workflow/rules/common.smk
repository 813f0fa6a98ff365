# Validation, paths and helpers shared by every rule file.
import os
from pathlib import Path

from snakemake.exceptions import WorkflowError

from qsync.config import ConfigError, validate_config
from qsync.dimer.runs import format_k
from qsync.dimer.sweep import abs_k_rows
from qsync.sweep import chunk_k, grid_axes, n_chunks

try:
    _checked = validate_config(
        config, Path(workflow.current_basedir) / ".." / "schemas" / "config.schema.yaml"
    )
except ConfigError as exc:
    raise WorkflowError(f"config/config.yaml (and any --configfile overlays): {exc}")
config.clear()
config.update(_checked)

R = config["output"]["results"]
F = config["output"]["figures"]
ENV = "../../environment.yml"
# relative to the working directory, so that a moved or copied checkout keeps its metadata
LIB = Path(os.path.relpath(Path(workflow.basedir) / "src" / "qsync"))

wildcard_constraints:
    fset="[A-Za-z0-9_]+",
    k=r"-?[0-9]+(\.[0-9]+)?(e-?[0-9]+)?",
    kind="quantum|classical",
    i="[0-9]+",
    method="exact|closure",
    n_max="[0-9]+",


def lib(*modules):
    """Library modules a rule's output depends on (Snakemake does not track src/ otherwise)."""
    return [str(LIB / f"{m}.py") for m in modules]


def sampler_params():
    """Only the active sampler's options, so changing the other sampler reruns nothing."""
    s = config["sampling"]
    return {"sampler": s["sampler"], "n_states": s["n_states"], "seed": s["seed"],
            "options": s[s["sampler"]]}


def figure(name):
    return [f"{F}/{name}.pdf", f"{F}/{name}.png", f"{F}/{name}.provenance.json"]


def all_targets():
    hulls = [f"{R}/hull/{name}.nc" for name in config["frequency_sets"]]
    return (figure("fig1") + hulls + figure("extensive") + figure("fig2")
            + figure("dimer_convergence") + figure("fig3"))


# --- helpers of dimer.smk: paths and params of the quantum dimer runs ---
def dimer_run_params(method, n_max=None):
    """Exactly what one run depends on: model, time grid and (exact solver) cutoff."""
    d = config["dimer"]
    p = {"method": method, "model": config["model"], "t_final": d["t_final"],
         "n_times": d["n_times"]}
    if method == "exact":
        p.update(n_max=d["n_max"] if n_max is None else int(n_max), n_top=d["n_top"],
                 truncation=d["truncation"], propagator=d["propagator"])
    return p


def dimer_run_path(k, method=None):
    method = method or config["dimer"]["method"]
    return f"{R}/dimer/{method}/k_{format_k(k)}.nc"


def convergence_path(n_max, k):
    """The default-cutoff run is reused; other cutoffs get their own files."""
    d = config["dimer"]
    if d["method"] == "exact" and int(n_max) == d["n_max"]:
        return dimer_run_path(k, "exact")
    return f"{R}/dimer/convergence/nmax_{n_max}/k_{format_k(k)}.nc"


# --- helpers of sweep.smk: the Fig. 3 grid and its chunks ---


def sweep_axes():
    s = config["sweep"]
    return grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"], s["delta_omega"]["min"],
                     s["delta_omega"]["max"], s["delta_omega"]["n"])


def sweep_rows(kind):
    """The k rows a kind's chunks iterate over (quantum: each |k| once, by symmetry)."""
    k, _ = sweep_axes()
    return abs_k_rows(k) if kind == "quantum" else k


def sweep_chunk_paths(kind):
    n = n_chunks(len(sweep_rows(kind)), config["sweep"]["rows_per_chunk"])
    return [f"{R}/sweep/{kind}/chunk_{i}.nc" for i in range(n)]


def sweep_chunk_params(wc):
    """Only what this chunk's numbers depend on (its rows, the axis, the model, the method)."""
    s = config["sweep"]
    k, dw = sweep_axes()
    rows = chunk_k(sweep_rows(wc.kind), s["rows_per_chunk"], int(wc.i)).tolist()
    model = config["model"]
    p = {"kind": wc.kind, "rows": rows, "delta_omega": dw.tolist(), "t_final": s["t_final"]}
    if wc.kind == "classical":
        p.update(model={key: model[key] for key in ("omega1", "gamma1", "gamma2", "beta")},
                 **s["classical"])
    else:
        p.update(model={key: model[key] for key in ("omega1", "gamma1", "gamma2", "beta",
                                                   "beta0")},
                 k_grid=[x for x in k.tolist() if abs(x) in rows], **s["quantum"])
    return p
