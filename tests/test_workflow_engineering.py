"""Workflow engineering (issue 5): incremental reruns, failure safety, lint, report."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

from conftest import REPO, copy_workflow, run_snakemake, snakemake_cmd
from workflow_tools import clone_run, dry_run, overlay, planned_jobs, snapshot

pytestmark = pytest.mark.workflow


# Each change must plan exactly the jobs that depend on it, and a real rerun must touch
# nothing else. Expected job counts are for the test config. A change of data also reruns the
# run's summary and the README copies; a change of a figure only the copies.
_COPIES = {"readme_copies": 1}
_SUMMARY = {"summary": 1, **_COPIES}
_STATES_DOWN = {"sample_states": 1, "measures": 2, "hull": 2, "fig1": 1, "fig2": 1,
                "fig2_large_n": 1, **_SUMMARY}
RERUN_CASES = {
    "plot_option": ("fig1: {n_plot: 50, colormap: magma}\n", {"fig1": 1, **_COPIES}),
    "seed": ("sampling: {seed: 8}\n", _STATES_DOWN),
    "n_states": ("sampling: {n_states: 15000}\n", _STATES_DOWN),
    "add_k": ("dimer: {k_values: [3, 1, -1, 0.5]}\n", {"dimer_run": 1, "fig2": 1,
                                                      "dimer_large_n": 1, "fig2_large_n": 1,
                                                      **_SUMMARY}),
    # the default cutoff is no longer in the study's list: its runs there become separate jobs;
    # the large-N runs use it up to t*, and the ladder figure draws their saddle
    "dimer_cutoff": ("dimer: {n_max: 7}\n", {"dimer_run": 3, "fig2": 1,
                                             "dimer_convergence_run": 2,
                                             "dimer_convergence": 1, "dimer_large_n": 3,
                                             "fig2_large_n": 1, "ladder_figure": 1,
                                             **_SUMMARY}),
    # the quantum panel's |k| rows (0 and 4: every 2nd k of the test grid) are one chunk
    "sweep_cutoff": ("sweep: {quantum: {n_max: 7}}\n",
                     {"sweep_chunk": 1, "sweep_gather": 1, "fig3": 1, **_SUMMARY}),
}


@pytest.mark.parametrize("case", sorted(RERUN_CASES))
def test_incremental_rerun(workflow_run, tmp_path, case):
    text, expected = RERUN_CASES[case]
    wd = clone_run(workflow_run, tmp_path / case)
    cfg = overlay(wd, "change.yaml", text)
    jobs, outputs = dry_run(wd, configfiles=cfg)
    assert jobs == expected
    before = snapshot(wd)
    run_snakemake(wd, "--cores", "2", configfiles=cfg)
    after = snapshot(wd)
    touched = {f for f in after if after[f] != before.get(f)}
    assert touched, "the rerun changed nothing"
    assert touched <= outputs, f"rerun touched files outside the planned jobs: {touched - outputs}"
    assert planned_jobs(wd, configfiles=cfg) == {}


def _kill_job_midway(wd, cfg, script: str, log_rel: str, marker: str, whole_run: bool):
    """Start a run, wait until the job's log shows ``marker``, then SIGKILL the job's
    process (or the whole run: Snakemake and its job)."""
    cmd = snakemake_cmd("--cores", "1", "results/states.nc", configfiles=cfg)
    proc = subprocess.Popen(cmd, cwd=wd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    log = wd / log_rel
    deadline = time.time() + 300
    while time.time() < deadline and not (log.exists() and marker in log.read_text()):
        time.sleep(0.02)
    assert log.exists(), "the job never started"
    if whole_run:
        os.killpg(proc.pid, signal.SIGKILL)
    else:
        jobs = [c for c in psutil.Process(proc.pid).children(recursive=True)
                if any(script in part for part in c.cmdline())]
        assert jobs, "job process not found"
        for job in jobs:
            job.send_signal(signal.SIGKILL)
    return proc.wait(timeout=300)


@pytest.mark.parametrize("whole_run", [False, True], ids=["job", "whole_run"])
def test_killed_job_leaves_nothing_trusted(tmp_path, whole_run):
    """SIGKILL a job midway through sampling a large set (or the whole Snakemake run);
    the next run must redo it and produce what an uninterrupted run produces."""
    big = "sampling: {n_states: 300000}\n"
    wd = copy_workflow(tmp_path / "killed")
    cfg = overlay(wd, "big.yaml", big)
    rc = _kill_job_midway(wd, cfg, "sample_states.py", "results/logs/sample_states.log",
                          "sampling", whole_run)
    assert rc != 0
    states = wd / "results" / "states.nc"
    assert not states.exists() or planned_jobs(wd, "results/states.nc", configfiles=cfg), \
        "a file left by the killed job is trusted"
    if whole_run:  # Snakemake's lock outlives a SIGKILL; the documented remedy is --unlock
        run_snakemake(wd, "--unlock", configfiles=cfg)
    run_snakemake(wd, "--cores", "1", "results/states.nc", configfiles=cfg)
    reference = copy_workflow(tmp_path / "reference")
    run_snakemake(reference, "--cores", "1", "results/states.nc",
                  configfiles=overlay(reference, "big.yaml", big))
    assert states.read_bytes() == (reference / "results" / "states.nc").read_bytes()
    assert not list((wd / "results").glob(".*.part")), "temporary file left behind"


def test_corrupt_input_is_named(workflow_run, tmp_path):
    wd = clone_run(workflow_run, tmp_path / "corrupt")
    states = wd / "results" / "states.nc"
    states.write_bytes(b"not a netcdf file")
    proc = run_snakemake(wd, "--cores", "1", "--force", "results/measures/fig1.nc",
                         check=False)
    assert proc.returncode != 0
    log = (wd / "results/logs/measures/fig1.log").read_text()
    assert "results/states.nc" in log and "cannot read NetCDF" in log


def test_lint_is_clean():
    proc = subprocess.run([sys.executable, "-m", "snakemake", "--lint"], cwd=REPO,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Congratulations, your workflow is in a good condition!" in proc.stdout + proc.stderr


def test_report_has_figures_and_captions(workflow_run, tmp_path):
    wd = clone_run(workflow_run, tmp_path / "report")
    run_snakemake(wd, "--report", "report.html")
    html = (wd / "report.html").read_text(errors="replace")
    assert "fig1.png" in html
    assert "Eq. (12)" in html or "Eq. 12" in html
