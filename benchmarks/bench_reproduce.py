"""Wall time of the whole reproduction from a clean clone (issue 12: ``make reproduce`` within
60 min on 2 cores).

Clones the repository's committed HEAD into a fresh directory and times the README's first
command there, in its two steps: the install (``make .venv/.installed``: venv and the pinned
versions of constraints.txt) and the workflow (``make reproduce CORES=N``, i.e.
``snakemake --cores N`` on config/config.yaml). Then it sums the jobs' ``cpu_time`` from
Snakemake's benchmark records of that run (the README's command) and counts the jobs, so the
wall time can be read against the CPU the jobs needed (wall ≥ CPU / cores).

Run:  python benchmarks/bench_reproduce.py [--cores 2] [--workdir DIR] [--json out] [--keep]
Takes as long as the reproduction (≈ 45-55 min on 2 cores); run it on an otherwise idle
machine, the number is only meaningful uncontended.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _run(cmd: list[str], cwd: Path, log: Path) -> float:
    """Run ``cmd`` in ``cwd`` with its output appended to ``log``; return its wall time in s."""
    start = time.perf_counter()
    with log.open("a") as out:
        out.write(f"$ {' '.join(cmd)}\n")
        out.flush()
        done = subprocess.run(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed (exit {done.returncode}); see {log}")
    return wall


def _job_cpu_seconds(clone: Path) -> tuple[float, int]:
    """Sum of ``cpu_time`` over the benchmark records of the current workflow's jobs."""
    plan = subprocess.run([str(clone / ".venv/bin/snakemake"), "-n", "--forceall", "--cores", "1"],
                          cwd=clone, capture_output=True, text=True, check=True).stdout
    records = [line.split("benchmark:", 1)[1].strip() for line in plan.splitlines()
               if line.strip().startswith("benchmark:")]
    total = 0.0
    for record in records:
        header, *rows = (clone / record).read_text().strip().splitlines()
        fields = dict(zip(header.split("\t"), rows[-1].split("\t"), strict=True))
        total += float(fields["cpu_time"])
    return total, len(records)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cores", type=int, default=2)
    parser.add_argument("--workdir", help="clone here (default: a new temporary directory)")
    parser.add_argument("--json", help="write the measurement to this file")
    parser.add_argument("--keep", action="store_true", help="keep the clone and its results "
                        "(the log stays in any case)")
    args = parser.parse_args()

    revision = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True,
                              text=True, check=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=REPO,
                           capture_output=True, text=True, check=True).stdout.strip()
    if dirty:
        print("note: uncommitted changes are not part of the measured clone", file=sys.stderr)
    parent = Path(args.workdir or tempfile.mkdtemp(prefix="qsync-reproduce-"))
    clone = parent / "qsync"
    log = parent / "bench_reproduce.log"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    print(f"clone of {revision[:12]} in {clone}; log {log}", flush=True)

    install = _run(["make", ".venv/.installed"], clone, log)
    print(f"install: {install:.0f} s", flush=True)
    workflow = _run(["make", "reproduce", f"CORES={args.cores}"], clone, log)
    cpu, jobs = _job_cpu_seconds(clone)
    result = {"revision": revision, "cores": args.cores, "install_s": round(install, 1),
              "workflow_wall_s": round(workflow, 1), "jobs": jobs, "jobs_cpu_s": round(cpu, 1),
              "nproc": os.cpu_count()}
    print(f"| {args.cores} cores | install {install / 60:.1f} min | workflow "
          f"{workflow / 60:.1f} min wall | {jobs} jobs, {cpu / 60:.1f} core-min |")
    if args.json:
        Path(args.json).write_text(json.dumps(result, indent=1) + "\n")
    if not args.keep:
        shutil.rmtree(clone)


if __name__ == "__main__":
    main()
