"""Every number the README states about a run comes from a rule's output.

The ``summary`` rule computes the numbers from the result files; here they are recomputed from
the same files by direct NumPy code. The README's generated sections must equal the rendering
of the committed summaries (``docs/runs/<run>/summary.json``), and the README's figures are the
rule-made copies, whose provenance names the run's files.
"""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
import xarray as xr

from conftest import REPO
from qsync.bounds import chi_inf_classical_two_mode, chi_min_quantum_two_mode
from qsync.io import open_netcdf
from qsync.publish import sha256
from qsync.readme import SECTION, load_summaries, render_readme, sci
from qsync.summary import fig3_summary, jsonable


def test_sci_format():
    assert sci(1.3e-5) == "1.3·10⁻⁵"
    assert sci(2.5e4, 3) == "2.50·10⁴"
    assert sci(0.31) == "0.31"
    assert sci(None) == "n/a"


def test_fig3_summary_counts_a_known_grid():
    k = np.array([-2.0, 1.0, 3.0])
    dw = np.array([-2.0, 0.0, 2.0])
    d = np.array([[1.3, 1.2, 1.4], [0.9, 0.2, 0.4], [0.3, 0.1, np.nan]])
    weight = np.array([[0.0, 0.5, 0.0], [0.0, 0.0, 1e-4], [0.0, 0.0, 0.0]])
    failure = np.full((3, 3), np.nan)
    failure[2, 2] = 0.7
    dims = ("k", "delta_omega")
    quantum = xr.Dataset({"D": (dims, d), "truncation_weight": (dims, weight),
                          "failure_time": (dims, failure)},
                         coords={"k": k, "delta_omega": dw}, attrs={"method": "exact",
                                                                   "n_max": 9})
    dc = np.full((3, 3), 0.8)
    classical = xr.Dataset({"D": (dims, dc), "D_stderr": (dims, np.full((3, 3), 0.01))},
                           coords={"k": k, "delta_omega": dw})
    s = fig3_summary(quantum, classical, 1e-3, 1e-2, threshold=0.5, quote_k=3.0,
                     quote_rows=(1.0,))
    assert (s["n_points"], s["n_converged"], s["n_failed"], s["n_unconverged_other"]) == (
        9, 7, 1, 1)
    # inside |k| < |dw| and converged: (1, -2) with D 0.9 and (1, 2) with D 0.4
    assert s["n_converged_inside_below_threshold"] == 1
    assert s["inside_positive_k"]["quantum"] == {"n": 2, "min": 0.4, "median": 0.65,
                                                 "max": 0.9}
    # k > 0, converged: 5 points, quantum below 0.8 by > 0.03 at 4 of them
    assert s["positive_k"] == {"n_converged": 5, "n_quantum_below_classical_3se": 4}
    assert s["classical_quote"]["k"] == 3.0 and s["classical_quote"]["delta_omega"] == 2.0
    assert s["classical_quote"]["locked_state"] == pytest.approx(
        np.sqrt(1 - np.sqrt(1 - (2 / 3) ** 2)))
    assert s["rows"]["1"]["quantum"]["n"] == 3


def test_fig3_summary_of_a_large_n_sweep_on_every_second_point():
    """The quantum panel on every 2nd point of the classical grid; σ combines both errors."""
    kc = dwc = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    dims = ("k", "delta_omega")
    classical = xr.Dataset({"D": (dims, np.full((5, 5), 0.8)),
                            "D_stderr": (dims, np.full((5, 5), 0.01))},
                           coords={"k": kc, "delta_omega": dwc})
    k = dw = kc[::2]
    quantum = xr.Dataset(
        {"D": (dims, [[1.3, 1.2, 1.4], [1.0, 1.0, 1.0], [0.3, 0.75, 0.2]]),
         "D_error": (dims, [[1e-3, 1e-3, 1e-3], [0.0, 0.0, 0.0], [0.05, 0.02, 1e-3]]),
         "truncation_weight": (dims, [[np.nan] * 3, [1e-4, 1e-4, 0.1], [np.nan] * 3]),
         "failure_time": (dims, np.full((3, 3), np.nan)),
         "method_used": (dims, [[1, 1, 1], [0, 0, 0], [1, 1, 1]]),
         "n_total": (dims, [[2e3, 3e3, 4e3], [5.0, 5.0, 5.0], [2e3, 5e3, 1e4]])},
        coords={"k": k, "delta_omega": dw}, attrs={"method": "large_n", "n_max": 60})
    s = fig3_summary(quantum, classical, 1e-3, 1e-2, error_tolerance=0.02, threshold=0.5,
                     quote_k=2.0, quote_rows=(2.0,))
    lg = s["large_n"]
    assert (s["n_points"], s["n_converged"]) == (9, 7)  # (2, -2): error 0.05; (0, 2): weight
    assert (lg["n_saddle"], lg["n_exact"], lg["n_converged_saddle"]) == (6, 3, 5)
    assert s["classical_shape"] == [5, 5]
    # inside |k| < |dw|: (0, ±2); (0, 2) is hatched, (0, -2) has D = 1
    assert (lg["n_inside"], lg["n_inside_converged"], lg["n_inside_below_threshold"]) == (
        2, 1, 0)
    assert (lg["n_inside_positive_k"], lg["n_inside_positive_k_converged"]) == (0, 0)
    # lower than classical by > 3σ: (2, 2) (σ ≈ 0.01); not (2, 0) (0.05 < 3σ ≈ 0.067)
    assert lg["n_quantum_below_classical_3sigma"] == 1
    assert lg["n_quantum_above_classical_3sigma"] == 5
    assert lg["D_error_max_converged"] == pytest.approx(0.02)
    assert lg["n_total_saddle"] == {"n": 6, "min": 2e3, "median": 3.5e3, "max": 1e4}
    assert jsonable({"x": np.nan, "y": np.float64(2.0)}) == {"x": None, "y": 2.0}


@pytest.mark.workflow
def test_summary_rule_matches_the_result_files(workflow_run):
    wd = workflow_run
    summary = json.loads((wd / "results/summary.json").read_text())
    cfg_tol = summary["fig2"]["truncation_tolerance"]
    # Fig. 1 margins, recomputed
    m = open_netcdf(wd / "results/measures/fig1.nc")
    kap = 1.0
    margin = float((m["chi_quantum"] - chi_min_quantum_two_mode(m["D_quantum"], kap)).min())
    assert summary["fig1"]["margin_own_bound_quantum"] == pytest.approx(margin, rel=1e-12)
    derived = m["chi_classical"].values - chi_inf_classical_two_mode(
        m["D_classical"].values, 1.0, 1.0)
    assert summary["fig1"]["margin_derived_classical"] == pytest.approx(derived.min(),
                                                                        rel=1e-12)
    assert summary["fig1"]["n_states"] == m.sizes["state"]
    # Fig. 2: last values and reach of every run
    for key, entry in summary["fig2"]["k"].items():
        run = open_netcdf(wd / f"results/dimer/exact/k_{key}.nc")
        d = run["D"].values
        last = np.nonzero(np.isfinite(d))[0][-1]
        assert entry["t_reached"] == pytest.approx(float(run["time"][last]))
        if np.isfinite(d[-1]):
            assert entry["D_final"] == pytest.approx(float(d[-1]), rel=1e-12)
        else:
            assert entry["D_final"] is None
        bad = (~(run["truncation_weight"].values <= cfg_tol)) | ~np.isfinite(d)
        assert entry["n_unconverged_times"] == int(bad.sum())
    # Fig. 3: counts straight from the gathered grid (the large-N sweep: each point's error
    # estimate, and the truncation weight at its exact points)
    q = open_netcdf(wd / "results/sweep/quantum.nc")
    failed = np.isfinite(q["failure_time"].values) | ~np.isfinite(q["D"].values)
    exact = q["method_used"].values == 0
    heavy = exact & ~(q["truncation_weight"].values <= summary["fig3"]["truncation_tolerance"])
    ok = ~failed & ~heavy & (q["D_error"].values <= summary["fig3"]["large_n"]["error_tolerance"])
    assert summary["fig3"]["n_converged"] == int(ok.sum())
    assert summary["fig3"]["large_n"]["n_exact"] == int(exact.sum())
    assert summary["fig3"]["n_failed"] == int(failed.sum())
    assert summary["fig3"]["n_points"] == q["D"].size
    # the time-step check, recomputed from its file
    check = open_netcdf(wd / "results/sweep/classical_dt_check.nc")
    change = np.abs(check["D"].isel(dt=0) - check["D"].isel(dt=1)).values
    assert summary["classical_dt_check"]["max_change"] == pytest.approx(change.max())
    assert summary["classical_dt_check"]["dt"] == [0.05, 0.025]
    # the speed-limit section: one entry per figure run, margins recomputed from the file
    tiny = open_netcdf(wd / "results/speed_limit/tiny.nc")
    sl = summary["speed_limit"]["tiny"]
    assert sl["k_order"] == ["3", "-1"]
    ok = tiny["truncation_weight"].values <= sl["tolerance"]
    margin = np.where(ok, tiny["bound_eq23_rs"].values - tiny["Ldot_eq22_symmetrized"].values,
                      np.nan)
    assert sl["worst"]["eq23_rs_min_margin"] == pytest.approx(np.nanmin(margin), rel=1e-9)
    # the ladder: each method's last value and the agreement counts, from the gathered file
    lad = open_netcdf(wd / "results/ladder.nc")
    assert summary["ladder"]["F"] == [float(f) for f in lad["F"].values]
    for key, entry in summary["ladder"]["k"].items():
        for rung in entry["rungs"]:
            point = lad.sel({"F": rung["F"], "k": float(key)})
            jumps = point.sel({"method": "jump_trajectories"})
            assert rung["jump_trajectories"]["D"] == pytest.approx(float(jumps["D"][-1]))
            assert rung["jump_trajectories"]["n_converged_times"] == int(jumps["converged"].sum())
            assert rung["n_agree_times"] == int(point["agree"].sum())
            assert rung["exact"]["solved"] == bool(
                np.isfinite(point.sel({"method": "exact"})["D"].values).any())
    # the README copies are the run's figures, with the figure's own provenance
    docs = wd / "results/docs"
    assert json.loads((docs / "summary.json").read_text()) == summary
    for name in ("fig1", "fig2", "fig3", "dimer_convergence", "extensive", "ladder",
                 "fig2_large_n"):
        record = json.loads((docs / f"{name}.provenance.json").read_text())
        assert record["sha256"] == sha256(wd / f"figures/{name}.png")
        assert record["sha256"] == sha256(docs / f"{name}.png")
        assert record["source_provenance"] == json.loads(
            (wd / f"figures/{name}.provenance.json").read_text())
    # the paper-run template renders this run's summary (no key it needs is missing)
    text = "<!-- BEGIN generated:paper-run -->\n<!-- END generated:paper-run -->"
    out = render_readme(text, REPO / "docs" / "templates", {"paper": summary})
    assert (f"{summary['fig3']['n_converged']} of {summary['fig3']['n_points']} points have an "
            "error") in out
    # the ladder template renders this run's (tiny, partly exact-less) ladder
    text = "<!-- BEGIN generated:ladder-run -->\n<!-- END generated:ladder-run -->"
    out = render_readme(text, REPO / "docs" / "templates", {"paper": summary})
    assert "| 3 | 3000 |" in out and "| 1 | 1000 | — | — | not run |" in out
    # the large-N template renders this run's Fig. 2 summary (the tiny ladder ends at t = 0.3,
    # before the k = 1 saddle exists, so its comparison table is left out or has k = 3 only)
    text = "<!-- BEGIN generated:large-n-run -->\n<!-- END generated:large-n-run -->"
    out = render_readme(text, REPO / "docs" / "templates", {"paper": summary})
    d3 = summary["large_n"]["k"]["3"]["D_final"]
    assert "| 3 | 0.129 | " in out and f"{d3:.4f}" in out


def test_readme_run_sections_are_rendered_from_the_committed_summaries():
    """`make readme` would change nothing: every generated section equals its rendering."""
    readme = (REPO / "README.md").read_text()
    names = {m["name"] for m in SECTION.finditer(readme)}
    assert names == {"paper-run", "extensive-run", "speed-limit-run", "ladder-run",
                     "large-n-run", "converged-run"}
    summaries = load_summaries(REPO / "docs" / "runs")
    assert "paper" in summaries  # a section whose run has no summary says so (tested below)
    assert render_readme(readme, REPO / "docs" / "templates", summaries) == readme
    proc = subprocess.run([sys.executable, "-m", "qsync.readme", "--check"], cwd=REPO,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr


def test_committed_readme_copies_carry_their_provenance():
    """Each PNG under docs/runs is the rule's copy: its record names the run's figure, the
    figure's sources (with hashes) and the copy's own hash."""
    runs = sorted(p.name for p in (REPO / "docs" / "runs").iterdir())
    assert "paper" in runs
    for run in runs:
        folder = REPO / "docs" / "runs" / run
        summary = json.loads((folder / "summary.json").read_text())
        for png in sorted(folder.glob("*.png")):
            record = json.loads((folder / f"{png.stem}.provenance.json").read_text())
            assert record["sha256"] == sha256(png), png
            assert record["copied_from"] == f"{summary['output']['figures']}/{png.name}"
            assert record["source_provenance"]["sources"], png


def test_a_section_without_its_run_says_so(tmp_path):
    """No summary, no numbers: the section is replaced by a note, never left stale."""
    (tmp_path / "x.md.j2").write_text("{# run: other #}\nvalue {{ other.v }}\n")
    text = "<!-- BEGIN generated:x -->\nstale 1.23\n<!-- END generated:x -->"
    out = render_readme(text, tmp_path, {"paper": {}})
    assert "stale" not in out and "no `other` run summary" in out
    assert "value 4" in render_readme(text, tmp_path, {"other": {"v": 4}})
