"""Benchmark of the Fig. 3 sweeps (issue 4). Not a test: run it and read the numbers.

    python benchmarks/bench_fig3.py            # throughput of both sweeps (about a minute)
    python benchmarks/bench_fig3.py --full     # also the whole default Fig. 3 with --cores 2

Prints the classical trajectory-steps per second (one core), the quantum grid points per
minute at the default sweep cutoff (one core), and with ``--full`` the wall time of
``snakemake --cores 2 figures/fig3.pdf`` from scratch on the default config, in a throw-away
copy of the workflow.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml

from qsync.config import validate_config
from qsync.grid import grid_axes
from qsync.phase_diagram.quantum import quantum_d_final
from qsync.stuart_landau import simulate_D

REPO = Path(__file__).resolve().parents[1]


def _config() -> dict:
    raw = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    return validate_config(raw, REPO / "workflow" / "schemas" / "config.schema.yaml")


def classical_rate(cfg: dict) -> float:
    s, m = cfg["sweep"], cfg["model"]
    k, dw = grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"], s["delta_omega"]["min"],
                      s["delta_omega"]["max"], s["delta_omega"]["n"])
    kk, ww = np.meshgrid(k[:2], dw, indexing="ij")  # one default chunk: two rows of k
    c = s["classical"]
    t0 = time.process_time()
    res = simulate_D(kk.ravel(), m["omega1"], m["omega1"] + ww.ravel(), gamma1=m["gamma1"],
                     gamma2=m["gamma2"], beta=m["beta"], n_traj=c["n_traj"], dt=c["dt"],
                     t_final=s["t_final"], seed=c["seed"], noise=c["noise"])
    cpu = time.process_time() - t0
    return kk.size * c["n_traj"] * res.n_steps / cpu


def quantum_rate(cfg: dict, n_points: int) -> tuple[float, float]:
    s, m = cfg["sweep"], cfg["model"]
    q = s["quantum"]
    abs_k = np.array([0.5, 2.5, 5.0])
    dw = np.linspace(s["delta_omega"]["min"], s["delta_omega"]["max"], max(n_points // 3, 1))
    t0 = time.process_time()
    quantum_d_final(abs_k, abs_k, dw, m, s["t_final"], q["method"], q["n_max"], q["n_top"])
    cpu = time.process_time() - t0
    per_min = len(abs_k) * len(dw) / cpu * 60
    n_solved = len(np.unique(np.abs(grid_axes(s["k"]["min"], s["k"]["max"], s["k"]["n"],
                                              0, 0, 1)[0]))) * s["delta_omega"]["n"]
    return per_min, n_solved / per_min


def full_fig3() -> float:
    with tempfile.TemporaryDirectory() as tmp:
        for part in ("Snakefile", "workflow", "config", "src", "environment.yml"):
            src = REPO / part
            (shutil.copytree if src.is_dir() else shutil.copy2)(src, Path(tmp) / part)
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "snakemake", "--cores", "2", "figures/fig3.pdf"],
                       cwd=tmp, check=True, capture_output=True)
        return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--full", action="store_true", help="also time the whole default Fig. 3")
    ap.add_argument("--quantum-points", type=int, default=6)
    args = ap.parse_args()
    cfg = _config()
    rate = classical_rate(cfg)
    print(f"classical: {rate:.3g} trajectory-steps/s on one core (target >= 2e7)")
    per_min, minutes = quantum_rate(cfg, args.quantum_points)
    q = cfg["sweep"]["quantum"]
    print(f"quantum  : {per_min:.1f} grid points/min on one core ({q['method']}, "
          f"n_max = {q['n_max']}); the default grid needs {minutes:.1f} core-minutes")
    if args.full:
        wall = full_fig3()
        print(f"whole default Fig. 3, --cores 2, from scratch: {wall / 60:.1f} min (target 20)")


if __name__ == "__main__":
    main()
