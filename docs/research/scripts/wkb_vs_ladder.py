"""The exact ladder values at k = 1 against the WKB limit (docs/research/large-photon-solver.md,
"A WKB probe"): (D_exact − D_WKB)·⟨N⟩ and ⟨N⟩ − |α|²_WKB per rung, read from results/ladder.nc.

    python wkb_vs_ladder.py [results/ladder.nc] [D_WKB] [F·|α|²_WKB] [k] [t]
"""
import sys

import xarray as xr

path = sys.argv[1] if len(sys.argv) > 1 else "results/ladder.nc"
d_wkb = float(sys.argv[2]) if len(sys.argv) > 2 else 0.5542
n_wkb_f = float(sys.argv[3]) if len(sys.argv) > 3 else 2129.0
k = float(sys.argv[4]) if len(sys.argv) > 4 else 1.0
t = float(sys.argv[5]) if len(sys.argv) > 5 else 10.0
lad = xr.open_dataset(path)
print("| F | exact D | exact <N> | converged | (D_exact - D_WKB) <N> | <N> - |alpha|^2_WKB |")
for f in lad["F"].values:
    e = lad.sel({"F": f, "k": k, "method": "exact"}).sel(time=t)
    d, n = float(e["D"]), float(e["n_total"])
    print(f"| {f:g} | {d:.4f} | {n:.3f} | {bool(e['converged'])} | {(d - d_wkb) * n:.2f} | "
          f"{n - n_wkb_f / f:.2f} |")
