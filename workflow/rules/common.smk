# Validation, paths and helpers shared by every rule file.
import os
from pathlib import Path

from snakemake.exceptions import WorkflowError

from qsync.config import ConfigError, validate_config

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
    return figure("fig1") + hulls
