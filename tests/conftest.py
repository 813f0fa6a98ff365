"""Shared fixtures: a throw-away copy of the workflow and a way to run Snakemake in it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qsync.config import load_config
from qsync.dimer.model import DimerParams

REPO = Path(__file__).resolve().parents[1]
#: The paper's dimer (Fig. 2 caption), from the one place it is written: config/config.yaml.
PAPER_MODEL = load_config(REPO / "config" / "config.yaml")["model"]
#: The paper's couplings of Fig. 2(a), from the same file.
PAPER_K_VALUES = tuple(load_config(REPO / "config" / "config.yaml")["dimer"]["k_values"])
WORKFLOW_PARTS = ("Snakefile", "profiles", "workflow", "config", "src", "environment.yml")


def paper_params(**changes) -> DimerParams:
    """The paper's dimer at k = 1, with ``changes`` (e.g. ``k=5``, ``gamma1=0.05``)."""
    return DimerParams(**{**PAPER_MODEL, "k": 1.0, **changes})


def copy_workflow(dest: Path) -> Path:
    """Copy what a workflow run needs into ``dest`` (no results, no .snakemake)."""
    dest.mkdir(parents=True, exist_ok=True)
    for part in WORKFLOW_PARTS:
        src = REPO / part
        if src.is_symlink():  # profiles -> workflow/profiles, where Snakemake looks for it
            os.symlink(os.readlink(src), dest / part)
        elif src.is_dir():
            shutil.copytree(src, dest / part,
                            ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def snakemake_cmd(*args: str, configfiles=("config/test.yaml",)) -> list[str]:
    """The Snakemake CLI call; ``--configfile`` goes last because it takes several values."""
    return [sys.executable, "-m", "snakemake", *args, "--configfile", *configfiles]


def run_snakemake(workdir: Path, *args: str, configfiles=("config/test.yaml",),
                  check: bool = True, timeout: float = 900) -> subprocess.CompletedProcess:
    """Run the real Snakemake CLI in ``workdir`` (targets may be among ``args``)."""
    cmd = snakemake_cmd(*args, configfiles=configfiles)
    proc = subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, timeout=timeout)
    if check and proc.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({proc.returncode}):\n"
                             f"{proc.stdout[-4000:]}\n{proc.stderr[-6000:]}")
    return proc


@pytest.fixture(scope="session")
def workflow_run(tmp_path_factory):
    """One complete run of the test config, shared by the read-only workflow tests."""
    wd = copy_workflow(tmp_path_factory.mktemp("wf_full"))
    run_snakemake(wd, "--cores", "2")
    return wd


def pytest_collection_modifyitems(config, items):
    """Every test that drives Snakemake or SLURM is slow (a workflow run takes minutes), so
    ``pytest -m "not slow"`` is the fast subset (the library's tests, 1-3 minutes)."""
    for item in items:
        if item.get_closest_marker("workflow") or item.get_closest_marker("slurm"):
            item.add_marker(pytest.mark.slow)
