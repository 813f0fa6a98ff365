"""The speed-limit rules (issue 14) through the real Snakemake CLI, on a tiny run.

Until the ``speed_limit`` config section, its schema entry and the rule file are merged into
config/config.yaml, workflow/schemas/config.schema.yaml and the Snakefile, the test merges
them into its throw-away copy of the workflow (a no-op once they are merged).
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from conftest import PAPER_MODEL, copy_workflow, run_snakemake
from qsync.io import open_netcdf

pytestmark = pytest.mark.workflow

TINY = """
speed_limit:
  figure_runs: [tiny]
  runs:
    - {name: tiny, gamma_factor: 3000, k_values: [3, -1], n_max: 8, propagator: krylov,
       t_final: 0.5, n_times: 51}
"""


def _merge_speed_limit(wd):
    schema_path = wd / "workflow/schemas/config.schema.yaml"
    schema = yaml.safe_load(schema_path.read_text())
    if "speed_limit" not in schema["properties"]:
        part = yaml.safe_load((wd / "workflow/schemas/speed_limit.schema.yaml").read_text())
        schema["properties"]["speed_limit"] = part["properties"]["speed_limit"]
        schema_path.write_text(yaml.safe_dump(schema, sort_keys=False, allow_unicode=True))
    snakefile = wd / "Snakefile"
    text = snakefile.read_text()
    if "speed_limit.smk" not in text:
        snakefile.write_text(text + '\ninclude: "workflow/rules/speed_limit.smk"\n')


def test_tiny_speed_limit_run_and_figure(tmp_path):
    wd = copy_workflow(tmp_path / "wf")
    _merge_speed_limit(wd)
    (wd / "config/speed_limit_tiny.yaml").write_text(TINY)
    run_snakemake(wd, "--cores", "1", "figures/speed_limit.png",
                  configfiles=("config/test.yaml", "config/speed_limit_tiny.yaml"))
    ds = open_netcdf(wd / "results/speed_limit/tiny.nc",
                     required=("L", "Ldot_eq22_symmetrized", "Ldot_eq22_printed",
                               "Ldot_numeric", "bound_eq23_printed", "bound_eq23_rs",
                               "sigma0", "truncation_weight"))
    assert ds["L"].dims == ("k", "time")
    np.testing.assert_allclose(ds["k"], [3.0, -1.0])
    assert ds.sizes["time"] == 51
    np.testing.assert_allclose(ds.attrs["gamma1"], [PAPER_MODEL["gamma1"] * 3000], rtol=1e-12)
    assert ds.attrs["param.n_max"] == 8
    # Eq. 22 (symmetrized) and the centred difference agree away from the one-sided ends
    inner = ds.isel(time=slice(5, -1))
    assert float(abs(inner["Ldot_eq22_symmetrized"] - inner["Ldot_numeric"]).max()) < 0.05
    for suffix in ("pdf", "png", "provenance.json"):
        assert (wd / f"figures/speed_limit.{suffix}").stat().st_size > 0
