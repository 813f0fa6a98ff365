"""Helpers for tests that drive the real Snakemake CLI: job lists, file snapshots."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from conftest import REPO, run_snakemake
from qsync.config import load_config


def merged_config(*overlays: str, root: Path = REPO) -> dict:
    """config/config.yaml with overlays (paths under ``root``) deep-merged as Snakemake's
    ``--configfile`` does, then validated and filled with the schema's defaults."""
    return load_config(root / "config" / "config.yaml",
                       overlays=tuple(root / path for path in overlays))


def overlay(workdir: Path, name: str, text: str) -> tuple[str, str]:
    """Write a config overlay; returns the config files to pass (test config, then it)."""
    (workdir / "config" / name).write_text(text)
    return ("config/test.yaml", f"config/{name}")


def planned_jobs(workdir: Path, *args: str, configfiles=("config/test.yaml",)) -> dict[str, int]:
    """Rule name -> job count of a dry run (the "Job stats" table), without ``all``."""
    return dry_run(workdir, *args, configfiles=configfiles)[0]


def dry_run(workdir: Path, *args: str,
            configfiles=("config/test.yaml",)) -> tuple[dict[str, int], set[str]]:
    """Job counts per rule and the set of output files a dry run plans."""
    proc = run_snakemake(workdir, "-n", "--cores", "1", *args, configfiles=configfiles)
    text = proc.stdout + proc.stderr
    if "Nothing to be done" in text:
        return {}, set()
    outputs = set()
    for line in text.splitlines():
        if line.strip().startswith("output:"):
            outputs.update(f.strip() for f in line.split(":", 1)[1].split(","))
    table = text.split("Job stats:", 1)[1]
    jobs = {}
    for line in table.splitlines()[3:]:
        m = re.match(r"^(\w+)\s+(\d+)$", line.strip())
        if not m:
            break
        jobs[m.group(1)] = int(m.group(2))
    jobs.pop("all", None)
    jobs.pop("total", None)
    return jobs, outputs


def snapshot(workdir: Path) -> dict[str, int]:
    """mtime (ns) of every result and figure file."""
    out = {}
    for sub in ("results", "figures"):
        for p in (workdir / sub).rglob("*"):
            if p.is_file() and "logs" not in p.parts and "benchmarks" not in p.parts:
                out[str(p.relative_to(workdir))] = p.stat().st_mtime_ns
    return out


def clone_run(src: Path, dest: Path) -> Path:
    """Copy a finished run (results, figures and Snakemake's metadata, mtimes kept)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest
