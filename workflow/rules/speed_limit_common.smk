# Helpers of speed_limit.smk (issue 14): runs, their parameters, the figure's runs; included
# by speed_limit.smk (snakemake --lint wants functions apart from rules).

wildcard_constraints:
    run="[A-Za-z0-9_]+",


def speed_limit_runs():
    """The configured runs by name (names must be unique: they name the files)."""
    runs = {}
    for r in config["speed_limit"]["runs"]:
        if r["name"] in runs:
            raise WorkflowError(f"speed_limit.runs: duplicate name {r['name']!r}")
        runs[r["name"]] = r
    return runs


def speed_limit_run_params(name):
    """Exactly what one run depends on: resolved model, k list, cutoff, time grid."""
    s = config["speed_limit"]
    runs = speed_limit_runs()
    if name not in runs:
        raise WorkflowError(f"no speed_limit run named {name!r} (have {sorted(runs)})")
    r = runs[name]
    return {"name": name, "model": {**config["model"], **r.get("model", {})},
            "gamma_factor": float(r.get("gamma_factor", 1)),
            "k_values": [float(k) for k in r["k_values"]], "n_max": int(r["n_max"]),
            "propagator": r.get("propagator", "taylor"), "truncation": s["truncation"],
            "n_top": s["n_top"], "t_final": float(r["t_final"]), "n_times": int(r["n_times"])}


def speed_limit_figure_runs():
    names = config["speed_limit"]["figure_runs"]
    unknown = sorted(set(names) - set(speed_limit_runs()))
    if unknown:
        raise WorkflowError(f"speed_limit.figure_runs {unknown} are not in speed_limit.runs")
    return names
