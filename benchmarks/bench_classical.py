"""Benchmark of the classical Stuart–Landau dimer integrator (qsync.stuart_landau, SPEC §6–7).

Prints
1. trajectory-steps per second for a representative chunk of the Fig. 3(b) sweep (wall and
   CPU time; the machine may be shared, CPU time is the more stable number), and the cost
   of each sub-step of the splitting;
2. the projected time of the default Fig. 3 classical grid for several (n_traj, dt);
3. the dt-convergence of D(t = 10) at the paper's parameters (fixed seed, so the initial
   states are identical across dt; with noise the paths differ, so differences include
   Monte Carlo noise from the noise increments, compared with the standard error).

Run:  python benchmarks/bench_classical.py [--quick] [--json out.json]
One process, one core (numpy is single-threaded here); about 5 s (3 s with --quick).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import time
from pathlib import Path

import numpy as np

from qsync import stuart_landau as classical
from qsync.config import load_config
from qsync.stuart_landau import simulate_D

#: the paper's dimer, from config/config.yaml (the one place it is written)
MODEL = load_config(Path(__file__).resolve().parents[1] / "config" / "config.yaml")["model"]
W1 = MODEL["omega1"]
PAPER = {n: MODEL[n] for n in ("gamma1", "gamma2", "beta")}
GRID = (41, 33)  # default Fig. 3 grid: k ∈ [−5, 5] (Δk = 0.25), Δω ∈ [−4, 4] (Δ = 0.25)
CONV_POINTS = [(5.0, math.pi), (3.0, math.pi), (1.0, math.pi), (-3.0, math.pi),
               (3.0, 1.0), (1.2, 1.0), (0.3, 3.0), (4.2, 4.0)]


def representative_points(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """n points drawn uniformly from the Fig. 3 (k, Δω) rectangle."""
    rng = np.random.default_rng(seed)
    return rng.uniform(-5, 5, n), rng.uniform(-4, 4, n)


def throughput(n_points: int, n_traj: int, dt: float, t_final: float, repeats: int) -> dict:
    k, dw = representative_points(n_points)
    walls, cpus, steps = [], [], 0
    for r in range(repeats):
        w0, c0 = time.perf_counter(), time.process_time()
        res = simulate_D(k, W1, W1 + dw, n_traj=n_traj, dt=dt, t_final=t_final, seed=r,
                         **PAPER)
        walls.append(time.perf_counter() - w0)
        cpus.append(time.process_time() - c0)
        steps = res.n_steps
    work = n_points * n_traj * steps
    return {"n_points": n_points, "n_traj": n_traj, "dt": dt, "n_steps": steps,
            "traj_steps": work, "wall_best_per_s": work / min(walls),
            "wall_median_per_s": work / float(np.median(walls)),
            "cpu_best_per_s": work / min(cpus)}


def substep_costs(n_points: int = 16, n_traj: int = 2000, reps: int = 100) -> dict:
    """ns per trajectory-step of each part of the splitting, on one batch of the sweep."""
    k, dw = representative_points(n_points)
    h = 0.01
    rngs = [classical._block_generator(0, classical._point_key(a, W1, W1 + b), 0)
            for a, b in zip(k, dw, strict=True)]
    ch = classical._Chunk(k, np.full(n_points, W1), W1 + dw,
                          np.full(n_points, PAPER["gamma1"]), np.full(n_points, PAPER["gamma2"]),
                          PAPER["beta"], h, n_traj, "real", 1.0, rngs)
    parts = {"linear L(h)": lambda: ch.linear(ch.z, ch.full),
             "cubic C(h/2)": ch.cubic_half_step,
             "noise W(h)": ch.noise_step}
    out = {}
    for name, fn in parts.items():
        fn()
        c0 = time.process_time()
        for _ in range(reps):
            fn()
        out[name] = (time.process_time() - c0) / reps / (n_points * n_traj) * 1e9
    out["step = L + 2C + W"] = out["linear L(h)"] + 2 * out["cubic C(h/2)"] + out["noise W(h)"]
    return out


def dt_convergence(n_traj: int, dts: list[float]) -> dict:
    k = np.array([p[0] for p in CONV_POINTS])
    w2 = W1 + np.array([p[1] for p in CONV_POINTS])
    out = {"points": CONV_POINTS, "dts": dts}
    for label, scale in (("deterministic", 0.0), ("noise", 1.0)):
        rows = []
        for dt in dts:
            r = simulate_D(k, W1, w2, n_traj=n_traj, dt=dt, t_final=10.0, seed=2024,
                           noise_scale=scale, **PAPER)
            rows.append((r.D[:, 0], r.D_stderr[:, 0]))
        se = rows[-1][1]
        out[label] = {"D": [d.tolist() for d, _ in rows],
                      "stderr": se.tolist(),
                      "max_abs_change_per_halving": [
                          float(np.abs(rows[i][0] - rows[i + 1][0]).max())
                          for i in range(len(rows) - 1)],
                      "max_change_over_stderr_per_halving": [
                          float((np.abs(rows[i][0] - rows[i + 1][0]) / se).max())
                          for i in range(len(rows) - 1)]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats and trajectories")
    ap.add_argument("--json", help="also write the numbers to this JSON file")
    args = ap.parse_args()
    repeats = 2 if args.quick else 3
    report = {"python": platform.python_version(), "numpy": np.__version__,
              "machine": platform.machine()}

    print("1. throughput, representative sweep chunk (16 points × 2000 trajectories, "
          "real noise, paper γ, β)")
    tp = throughput(16, 2000, 0.01, 1.0 if args.quick else 2.0, repeats)
    report["throughput"] = tp
    print(f"   {tp['traj_steps']:.3g} trajectory-steps per run: "
          f"wall best {tp['wall_best_per_s']:.3g}/s, median {tp['wall_median_per_s']:.3g}/s,"
          f" CPU {tp['cpu_best_per_s']:.3g}/s")
    costs = substep_costs(reps=50 if args.quick else 100)
    report["substep_ns"] = costs
    print("   CPU ns per trajectory-step: " + ", ".join(f"{k} {v:.1f}" for k, v in costs.items()))

    rate = tp["cpu_best_per_s"]
    n_pts = GRID[0] * GRID[1]
    print(f"2. projected Fig. 3(b) grid {GRID[0]} k × {GRID[1]} Δω = {n_pts} points, t = 10, "
          f"at {rate:.3g} trajectory-steps/s")
    report["projection"] = []
    for n_traj in (1000, 2000, 4000):
        for dt in (0.02, 0.01):
            secs = n_pts * n_traj * round(10.0 / dt) / rate
            report["projection"].append({"n_traj": n_traj, "dt": dt, "seconds": secs})
            print(f"   n_traj = {n_traj:5d}, dt = {dt:<5}: {secs:7.1f} s")

    dts = [0.04, 0.02, 0.01] if args.quick else [0.04, 0.02, 0.01, 0.005]
    n_conv = 1000 if args.quick else 2000
    print(f"3. dt-convergence of D(10), paper parameters, {n_conv} trajectories, seed fixed")
    conv = dt_convergence(n_conv, dts)
    report["dt_convergence"] = conv
    head = "   (k, Δω)        " + "".join(f"dt={dt:<10}" for dt in dts) + "stderr"
    for label in ("deterministic", "noise"):
        print(f"   {label}:")
        print(head)
        for i, (kk, dw) in enumerate(CONV_POINTS):
            vals = "".join(f"{conv[label]['D'][j][i]:<13.6f}" for j in range(len(dts)))
            print(f"   ({kk:5.2f}, {dw:5.3f})  {vals}{conv[label]['stderr'][i]:.1e}")
        steps = ", ".join(f"{a:.1e}" for a in conv[label]["max_abs_change_per_halving"])
        line = f"   max |ΔD| per halving of dt: {steps}"
        if label == "noise":  # without noise the stderr of a locked state is ~0: no scale
            ratios = ", ".join(f"{a:.2g}"
                               for a in conv[label]["max_change_over_stderr_per_halving"])
            line += f";  max |ΔD|/stderr: {ratios}"
        print(line)
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(report, fh, indent=1)


if __name__ == "__main__":
    main()
