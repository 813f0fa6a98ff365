"""Cluster execution on a real, local, single-node SLURM (`pytest -m slurm`, as root).

The fixture brings up munged + slurmctld + slurmd on this machine (installing Debian's packages
with apt-get if needed; see tests/slurm_cluster.py), or skips with the reason (not root, no
apt-get, install failed). The tests run Snakemake with the repository's SLURM profile
(workflow/profiles/slurm) and check that

* every job but the local rules went through SLURM: each SLURM job id Snakemake reports is
  COMPLETED in the cluster's job-completion log, in the run directory, and each rule left a SLURM
  log; the profile's per-rule memory reached sbatch;
* the NetCDF results are identical to those of a local run (`--cores 2`) of the same config.

Test-only options, kept out of the profile (which is for real clusters, with slurmdbd and
accounts): `--slurm-status-command squeue`, because without slurmdbd `sacct` cannot report job
states; `--slurm-no-account` (no accounts here); a short first status check; and
`--workflow-profile none`, so that no default workflow profile overrides the profile under test.
Every Snakemake call runs under `timeout -s KILL` (a hung status poll may ignore SIGTERM).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import yaml

from conftest import copy_workflow
from slurm_cluster import LocalSlurm, local_slurm_or_skip, mem_total_mb

pytestmark = pytest.mark.slurm

REPO = Path(__file__).resolve().parents[1]
PROFILE = REPO / "workflow" / "profiles" / "slurm" / "config.yaml"
TEST_CONFIG = REPO / "config" / "test.yaml"
# Hard limit for one Snakemake run, in seconds.
TIMEOUT = int(os.environ.get("QSYNC_SLURM_TIMEOUT", "900"))
# Rules that Snakemake runs itself instead of submitting them (`localrules:`).
LOCAL_RULES = {"all"}

SLURM_TEST_ARGS = [
    "--workflow-profile", "none",
    "--slurm-no-account",
    "--slurm-status-command", "squeue",
    "--slurm-init-seconds-before-status-checks", "2",
    "--slurm-keep-successful-logs",
    "--latency-wait", "5",
]  # fmt: skip

# Speed. A SLURM job costs ~10 s here (Snakemake starts twice: in the job, then in its job step),
# and the plugin polls job states at growing intervals (first after
# --slurm-init-seconds-before-status-checks, then 10 s more for every poll that finds nothing
# finished). So the real workflow runs in Snakemake groups, one per stage (the rule file that
# defines the rule): one SLURM job per connected part of a stage (its rules run one after the
# other inside, each as a job step), with --cores 1 so that each group job asks for one CPU and
# SLURM runs them side by side. The figures that draw from two stages (fig2 needs the hull, the
# ladder figure the large-N runs) run as jobs of their own, so that no stage waits for another
# one as a whole. One group for all rules made one job of the whole DAG (the summary connects
# every stage): 229 s with config/test.yaml (60 jobs) on 2 cores, one of them idle; by stages,
# 14 SLURM jobs, 227 s while a local run of the same config shared the 2 cores (the plugin's
# status polls back off by 10 s each, so a finished job can wait ~40 s to be noticed). Separate
# SLURM jobs that depend on each other, and per-rule resources, are what the smoke test covers.
# QSYNC_SLURM_GROUPING=none submits every job of the real workflow on its own.
GROUPING = os.environ.get("QSYNC_SLURM_GROUPING", "stages")
#: Rules that read the outputs of another stage: not grouped.
JOINS = {"fig1", "fig2", "fig2_large_n", "ladder_figure"}


def workflow_rules() -> dict[str, str]:
    """The workflow's rules that SLURM should run (all but the local rules): {rule: stage}."""
    stages = {}
    for path in [REPO / "Snakefile", *sorted(REPO.glob("workflow/rules/*.smk"))]:
        for rule in re.findall(r"^rule (\w+):", path.read_text(), flags=re.M):
            stages[rule] = path.stem
    return {rule: stage for rule, stage in stages.items() if rule not in LOCAL_RULES}


def stage_groups(rules: dict[str, str]) -> dict[str, str]:
    """{rule: group} for the rules that run grouped."""
    if GROUPING == "none":
        return {}
    assert GROUPING == "stages", f"QSYNC_SLURM_GROUPING={GROUPING!r}: 'stages' or 'none'"
    return {rule: stage for rule, stage in rules.items() if rule not in JOINS}


def group_args(groups: dict[str, str]) -> list[str]:
    """Snakemake's --groups for `groups` ({rule: group}) and the --cores that goes with it."""
    if not groups:
        return ["--cores", "2"]
    return ["--groups", *(f"{rule}={group}" for rule, group in sorted(groups.items())),
            "--cores", "1"]


def _profile() -> dict:
    return yaml.safe_load(PROFILE.read_text())


@pytest.fixture(scope="module")
def slurm(tmp_path_factory):
    profile = _profile()
    partition = profile.get("default-resources", {}).get("slurm_partition", "debug")
    # Memory is not enforced on this node (no cgroups): declare at least what all the profile's
    # rules ask for together, so that their requests, and groups of them, go to sbatch unchanged
    # and fit, even on a small CI machine.
    requests = [r.get("mem_mb", 0) for r in (profile.get("set-resources") or {}).values()]
    memory = max(mem_total_mb(), sum(int(m) for m in requests))
    workdir = tmp_path_factory.mktemp("slurm")
    with local_slurm_or_skip(workdir, partition=str(partition), real_memory_mb=memory) as cluster:
        print(f"\nlocal SLURM up in {cluster.startup_seconds:.1f} s, daemons {cluster.pids}")
        yield cluster


def _env(cluster: LocalSlurm | None) -> dict[str, str]:
    env = dict(cluster.env) if cluster else dict(os.environ)
    # Jobs run `python` and `snakemake` from PATH: this interpreter's environment (the venv) first.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("SNAKEMAKE_PROFILE", None)
    return env


def _snakemake(args: list[str]) -> list[str]:
    return ["timeout", "-s", "KILL", str(TIMEOUT), sys.executable, "-m", "snakemake", *args]


def _check(proc_returncode: int, out: str, workdir: Path) -> None:
    if proc_returncode != 0:
        what = "killed by timeout" if proc_returncode in (-9, 137) else f"exit {proc_returncode}"
        tail = "\n".join(out.splitlines()[-60:])
        pytest.fail(f"snakemake ({what}) in {workdir}:\n{tail}")


def run_both(on_slurm: Path, slurm_args: list[str], local: Path, local_args: list[str], env):
    """Run Snakemake through SLURM and, concurrently (the SLURM run mostly waits), locally.

    Return the SLURM run's log and its wall time. Logs are kept as <run dir>/snakemake.log.
    """
    local_run = subprocess.Popen(
        _snakemake(local_args),
        cwd=local,
        env=_env(None),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    t0 = time.monotonic()
    proc = subprocess.run(
        _snakemake(slurm_args),
        cwd=on_slurm,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seconds = time.monotonic() - t0
    local_out, _ = local_run.communicate()
    (on_slurm / "snakemake.log").write_text(proc.stdout)
    (local / "snakemake.log").write_text(local_out)
    _check(proc.returncode, proc.stdout, on_slurm)
    _check(local_run.returncode, local_out, local)
    return proc.stdout, seconds


def slurm_args(workdir: Path, extra: list[str] = ()) -> list[str]:
    return [
        "--snakefile", str(workdir / "Snakefile"),
        "--directory", str(workdir),
        "--profile", str(workdir / "workflow" / "profiles" / "slurm"),
        *SLURM_TEST_ARGS,
        *extra,
    ]  # fmt: skip


def local_args(workdir: Path, extra: list[str] = ()) -> list[str]:
    return [
        "--snakefile", str(workdir / "Snakefile"),
        "--directory", str(workdir),
        "--workflow-profile", "none",
        "--cores", "2",
        *extra,
    ]  # fmt: skip


def assert_ran_on_slurm(
    log: str, cluster: LocalSlurm, workdir: Path, groups: dict[str, str] | None = None
) -> dict[str, str]:
    """Every non-local job was a SLURM job that COMPLETED in workdir; return {SLURM id: log dir}."""
    local = set(re.findall(r"^\s*localrule (\w+):", log, flags=re.M))
    assert local <= LOCAL_RULES, f"rules run outside SLURM: {sorted(local - LOCAL_RULES)}"
    submitted = dict(
        re.findall(r"submitted with SLURM jobid (\d+) \(log: .*/((?:rule|group)_[^/]+)/", log)
    )
    assert submitted, "no job was submitted to SLURM:\n" + log[-3000:]
    # SLURM logs: .snakemake/slurm_logs/rule_<rule>/ or group_<group>_<rules>/
    logdirs = {p.name for p in (workdir / ".snakemake" / "slurm_logs").iterdir()}
    for rule in set(re.findall(r"^\s*rule (\w+):", log, flags=re.M)):
        group = (groups or {}).get(rule)
        assert f"rule_{rule}" in logdirs or any(
            group and d.startswith(f"group_{group}_") for d in logdirs
        ), f"rule {rule} has no SLURM log in {sorted(logdirs)}"
    set_resources = _profile().get("set-resources") or {}
    # The cluster's job-completion log confirms each job: state, exit code, working directory.
    deadline = time.monotonic() + 10  # written when slurmctld retires the job
    while True:
        done = {job["JobId"]: job for job in cluster.finished_jobs()}
        if set(submitted) <= set(done) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    for jobid, logdir in submitted.items():
        job = done.get(jobid)
        assert job is not None, f"SLURM job {jobid} missing from {cluster.jobcomp_path}"
        assert job["JobState"] == "COMPLETED" and job["ExitCode"] == "0:0", job
        assert Path(job["WorkDir"]).resolve() == workdir.resolve(), job
        mem = (set_resources.get(logdir.removeprefix("rule_")) or {}).get("mem_mb")
        if mem is not None:  # the profile's memory for this rule reached sbatch
            assert f"mem={mem}M" in job["Tres"], (logdir, mem, job["Tres"])
    return submitted


def result_files(workdir: Path) -> dict[str, Path]:
    return {
        str(p.relative_to(workdir)): p
        for sub in ("results", "figures")
        if (workdir / sub).is_dir()
        for p in sorted((workdir / sub).rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    }


def assert_same_results(a: Path, b: Path) -> int:
    """Same output files in both runs, every NetCDF identical (values, coordinates, attributes)."""
    import xarray as xr

    files_a, files_b = result_files(a), result_files(b)
    assert sorted(files_a) == sorted(files_b)
    netcdf = [name for name in files_a if name.endswith(".nc")]
    assert netcdf, f"no NetCDF results under {a}"
    for name in netcdf:
        with xr.open_dataset(files_a[name]) as da, xr.open_dataset(files_b[name]) as db:
            try:
                xr.testing.assert_identical(da.load(), db.load())
            except AssertionError as exc:
                raise AssertionError(f"{name} differs between SLURM and local run:\n{exc}") from exc
    return len(netcdf)


# -------------------------------------------------------------------------------------------
# 1. Smoke test: a tiny workflow of our own tests the plumbing (profile, plugin, PATH, SLURM).

SMOKE_SNAKEFILE = textwrap.dedent(
    """
    localrules: all

    rule all:
        input: "results/sweep.nc"

    rule sweep_chunk:
        output: "results/chunks/chunk_{i}.nc"
        shell: "python {workflow.basedir}/make_chunk.py {wildcards.i} {output}"

    rule sweep_gather:
        input: expand("results/chunks/chunk_{i}.nc", i=range(2))
        output: "results/sweep.nc"
        run:
            import xarray as xr
            ds = xr.concat([xr.open_dataset(f) for f in input], dim="chunk")
            ds.attrs = {"source": "smoke"}
            ds.to_netcdf(output[0], engine="netcdf4")
    """
)

SMOKE_SCRIPT = textwrap.dedent(
    """
    import os, sys
    import numpy as np
    import xarray as xr
    i, out = int(sys.argv[1]), sys.argv[2]
    x = np.linspace(0.0, 1.0, 11)
    ds = xr.Dataset({"y": ("x", np.sin((i + 1) * x))}, coords={"x": x}, attrs={"chunk": i})
    ds.to_netcdf(out, engine="netcdf4")
    # where this ran (lands in the SLURM log, checked by the test)
    print("SLURM_JOB_ID=" + os.environ.get("SLURM_JOB_ID", "none"), file=sys.stderr)
    """
)


def _write_smoke(workdir: Path) -> None:
    workdir.mkdir(parents=True)
    (workdir / "Snakefile").write_text(SMOKE_SNAKEFILE)
    (workdir / "make_chunk.py").write_text(SMOKE_SCRIPT)
    shutil.copytree(PROFILE.parent, workdir / "workflow" / "profiles" / "slurm")


def test_smoke_workflow_on_slurm(slurm, tmp_path):
    on_slurm, local = tmp_path / "slurm", tmp_path / "local"
    _write_smoke(on_slurm)
    _write_smoke(local)
    log, seconds = run_both(on_slurm, slurm_args(on_slurm), local, local_args(local), _env(slurm))
    jobs = assert_ran_on_slurm(log, slurm, on_slurm)
    assert sorted(jobs.values()) == ["rule_sweep_chunk", "rule_sweep_chunk", "rule_sweep_gather"]
    # the shell command ran inside its SLURM job, with the venv's python (PATH was propagated)
    logs = list((on_slurm / ".snakemake" / "slurm_logs" / "rule_sweep_chunk").rglob("*.log"))
    assert len(logs) == 2
    for path in logs:
        assert f"SLURM_JOB_ID={path.stem}" in path.read_text()
    assert assert_same_results(on_slurm, local) == 3
    print(f"smoke workflow through SLURM: {seconds:.1f} s, SLURM jobs {jobs}")


# -------------------------------------------------------------------------------------------
# 2. The real workflow with config/test.yaml through SLURM and locally: identical NetCDF.


def _local_reference(request, tmp_path: Path) -> Path:
    """A local run (`--cores 2`) of config/test.yaml: the suite's shared one (conftest's
    `workflow_run`) where there is one, else a run of our own."""
    try:
        return request.getfixturevalue("workflow_run")
    except pytest.FixtureLookupError:
        pass
    local = tmp_path / "local"
    copy_workflow(local)
    args = local_args(local, ["--configfile", "config/test.yaml"])
    proc = subprocess.run(
        _snakemake(args), cwd=local, env=_env(None), capture_output=True, text=True
    )
    (local / "snakemake.log").write_text(proc.stdout + proc.stderr)
    _check(proc.returncode, proc.stdout + proc.stderr, local)
    return local


@pytest.mark.workflow
@pytest.mark.slow
@pytest.mark.skipif(
    not (REPO / "Snakefile").exists() or not TEST_CONFIG.exists(),
    reason="needs the workflow (Snakefile) and config/test.yaml",
)
def test_workflow_on_slurm_matches_local(slurm, tmp_path, request):
    on_slurm = tmp_path / "slurm"
    copy_workflow(on_slurm)
    groups = stage_groups(workflow_rules())
    extra = ["--configfile", "config/test.yaml", *group_args(groups)]
    t0 = time.monotonic()
    run = subprocess.Popen(
        _snakemake(slurm_args(on_slurm, extra)),
        cwd=on_slurm,
        env=_env(slurm),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,  # its own process group, to kill it all if the local run fails
    )
    try:  # meanwhile (the SLURM run mostly waits) the local reference run
        local = _local_reference(request, tmp_path)
    except BaseException:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait()
        raise
    log, _ = run.communicate()
    seconds = time.monotonic() - t0
    (on_slurm / "snakemake.log").write_text(log)
    _check(run.returncode, log, on_slurm)
    jobs = assert_ran_on_slurm(log, slurm, on_slurm, groups)
    n = assert_same_results(on_slurm, local)
    print(f"workflow through SLURM: {seconds:.1f} s, {len(jobs)} SLURM jobs, {n} NetCDF identical")
