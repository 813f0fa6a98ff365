# Helpers of ladder.smk (issue 12, the gamma-ladder): rungs, job parameters, file paths.

wildcard_constraints:
    factor=r"[0-9]+(\.[0-9]+)?(e-?[0-9]+)?",
    walkers="[0-9]+",


def ladder_rungs():
    """The configured rungs by F label (unique: checked with the config)."""
    return {format_k(r["F"]): r for r in config["ladder"]["rungs"]}


def ladder_rung(factor):
    rungs = ladder_rungs()
    if factor not in rungs:
        raise WorkflowError(f"no ladder rung with F = {factor} (have {sorted(rungs)})")
    return rungs[factor]


def ladder_common_params(factor, k):
    """What every run of a rung depends on: the model, F (the scripts scale both γ by it:
    qsync.dimer.model.dimer_params), k and the time grid."""
    lad = config["ladder"]
    return {"F": float(ladder_rung(factor)["F"]), "k": float(k), "model": config["model"],
            "t_final": lad["t_final"], "n_times": lad["n_times"]}


def ladder_exact_params(wc):
    n_max = ladder_rung(wc.factor)["n_max"]
    if int(wc.n_max) not in n_max:
        raise WorkflowError(f"ladder rung F = {wc.factor} has no exact cutoff {wc.n_max}")
    return {**ladder_common_params(wc.factor, wc.k), "n_max": int(wc.n_max),
            "truncation": "total", **config["ladder"]["exact"]}


def ladder_replica_groups():
    """Replica indices of each job: consecutive groups of replicas_per_job."""
    j = config["ladder"]["jumps"]
    r, per = j["replicas"], j["replicas_per_job"]
    return [list(range(i, min(i + per, r))) for i in range(0, r, per)]


def ladder_jump_params(wc):
    j = config["ladder"]["jumps"]
    if int(wc.walkers) not in j["walkers"]:
        raise WorkflowError(f"ladder.jumps.walkers has no {wc.walkers}")
    groups = ladder_replica_groups()
    if int(wc.i) >= len(groups):
        raise WorkflowError(f"ladder replica group {wc.i} does not exist ({len(groups)} groups)")
    rung = ladder_rung(wc.factor)
    return {**ladder_common_params(wc.factor, wc.k), "walkers": int(wc.walkers),
            "band_edges": rung["band_edges"], "merge_time": rung.get("merge_time"),
            "dt_max": j["dt_max"], "resample_ess": j["resample_ess"],
            # independent runs per walker count (the bias check needs them)
            "seed": j["seed"] + j["walkers"].index(int(wc.walkers)),
            "replicas": groups[int(wc.i)]}


def ladder_exact_path(factor, k, n_max):
    return f"{R}/ladder/exact/F_{format_k(factor)}/k_{format_k(k)}/nmax_{n_max}.nc"


def ladder_jump_paths(factor, k, walkers):
    return [f"{R}/ladder/jumps/F_{format_k(factor)}/k_{format_k(k)}/walkers_{walkers}/"
            f"replicas_{i}.nc" for i in range(len(ladder_replica_groups()))]


def ladder_layout():
    """Per rung and k, which files hold which run: what the gather script combines."""
    lad = config["ladder"]
    out = []
    for rung in lad["rungs"]:
        for k in lad["k_values"]:
            out.append({"F": float(rung["F"]), "k": float(k),
                        "exact": [ladder_exact_path(rung["F"], k, n) for n in rung["n_max"]],
                        "jumps": [ladder_jump_paths(rung["F"], k, m)
                                  for m in lad["jumps"]["walkers"]]})
    return out


def ladder_inputs(wc):
    files = []
    for entry in ladder_layout():
        files += entry["exact"] + [p for parts in entry["jumps"] for p in parts]
    return files
