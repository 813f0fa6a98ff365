"""Every rule's code inputs are exactly the library files its script imports.

Two routes that share no code: the workflow computes the inputs statically
(:mod:`qsync.code_inputs`, from the import statements); here each script's imports are
executed in a fresh interpreter and the ``qsync`` files in ``sys.modules`` are listed. Then
editing any library module must make a dry run plan exactly the rules that import it (and,
through their outputs, what lies downstream of them).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from pathlib import Path

import pytest

from conftest import REPO, copy_workflow, run_snakemake
from qsync.code_inputs import import_closure
from workflow_tools import clone_run, dry_run

SRC = REPO / "src"
LIB = SRC / "qsync"
SCRIPTS = REPO / "workflow" / "scripts"
RULES = REPO / "workflow" / "rules"

#: Runs a script's import statements (only those) and prints the qsync files then loaded.
_PROBE = """
import json, re, sys
text = open(sys.argv[1]).read()
stmts = re.findall(r"^(?:from\\s+\\S+\\s+import\\s+(?:\\([^)]*\\)|.*)|import\\s+.*)$", text, re.M)
for stmt in stmts:
    exec(stmt, {})
files = sorted({m.__file__ for m in list(sys.modules.values())
                if getattr(m, "__file__", None) and m.__name__.split(".")[0] == "qsync"})
print(json.dumps([f for f in files if f]))
"""


@cache
def runtime_closure(script: Path) -> frozenset[str]:
    """Library files (relative to the repository) that importing ``script``'s imports loads."""
    out = subprocess.run([sys.executable, "-c", _PROBE, str(script)], capture_output=True,
                         text=True, check=True, cwd=REPO)
    files = {Path(f).resolve() for f in json.loads(out.stdout)}
    assert files, f"{script.name} imports nothing from qsync?"
    assert all(f.is_relative_to(LIB) for f in files), "qsync imported from outside src/"
    return frozenset(str(f.relative_to(REPO)) for f in files)


def rule_scripts() -> dict[str, list[Path]]:
    """rule name -> the script(s) it runs, read from workflow/rules/*.smk."""
    scripts = {}
    for smk in sorted(RULES.glob("*.smk")):
        for block in re.split(r"^rule ", smk.read_text(), flags=re.M)[1:]:
            name = block.split(":", 1)[0].strip()
            m = re.search(r"script:\s*\n\s*\"\.\./scripts/([^\"]+)\.py\"", block)
            if m is None:
                continue
            stem = m.group(1)
            if "{wildcards.kind}" in stem:  # one script per kind of sweep chunk
                scripts[name] = [SCRIPTS / (stem.replace("{wildcards.kind}", kind) + ".py")
                                 for kind in ("quantum", "classical")]
            else:
                scripts[name] = [SCRIPTS / f"{stem}.py"]
    return scripts


def planned_inputs(workdir: Path) -> dict[tuple[str, str], set[str]]:
    """(rule, kind wildcard or '') -> the src/ inputs of that rule's jobs in a full dry run."""
    proc = subprocess.run([sys.executable, "-m", "snakemake", "-n", "--cores", "1",
                           "--configfile", "config/test.yaml"], cwd=workdir,
                          capture_output=True, text=True, check=True)
    jobs: dict[tuple[str, str], set[str]] = {}
    for block in re.split(r"^rule ", proc.stdout + proc.stderr, flags=re.M)[1:]:
        name = block.split(":", 1)[0].strip()
        m = re.search(r"^\s+input: (.*)$", block, re.M)
        inputs = {f.strip() for f in m.group(1).split(",")} if m else set()
        kind = re.search(r"wildcards:.*\bkind=(\w+)", block)
        key = (name, kind.group(1) if kind and name == "sweep_chunk" else "")
        code = {f for f in inputs if f.startswith("src/")}
        assert jobs.setdefault(key, code) == code, f"jobs of {key} differ in code inputs"
    return jobs


def test_static_closure_of_a_script_follows_packages_and_relative_imports(tmp_path):
    pkg = tmp_path / "src" / "qsync"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .sub import b\nimport numpy\n")
    (pkg / "sub" / "b.py").write_text("def f():\n    from ..c import g\n")
    (pkg / "c.py").write_text("from . import d\n")
    (pkg / "d.py").write_text("")
    (pkg / "unused.py").write_text("")
    script = tmp_path / "script.py"
    script.write_text("from qsync.a import x\n")
    got = [p.relative_to(pkg).as_posix() for p in import_closure(script, tmp_path / "src")]
    # a nested import counts too: the static closure errs on the side of rerunning
    assert got == ["__init__.py", "a.py", "c.py", "d.py", "sub/__init__.py", "sub/b.py"]
    script.write_text("import qsync.gone\n")
    with pytest.raises(ImportError, match="qsync.gone"):
        import_closure(script, tmp_path / "src")


@pytest.mark.workflow
def test_every_rule_declares_exactly_its_runtime_import_closure(tmp_path):
    wd = copy_workflow(tmp_path / "wf")
    jobs = planned_inputs(wd)
    scripts = rule_scripts()
    assert set(scripts) >= {"dimer_run", "sweep_chunk", "fig1", "fig2", "fig3", "measures"}
    for rule, paths in scripts.items():
        for path in paths:
            kind = path.stem.rsplit("_", 1)[1] if rule == "sweep_chunk" else ""
            expected = runtime_closure(path)
            assert jobs[(rule, kind)] == expected, (
                f"rule {rule} ({path.name}): declared minus imported "
                f"{sorted(jobs[(rule, kind)] - expected)}, imported minus declared "
                f"{sorted(expected - jobs[(rule, kind)])}")
    # the quantum and classical chunks really have different code
    assert jobs[("sweep_chunk", "quantum")] != jobs[("sweep_chunk", "classical")]


def test_planning_loads_no_heavy_library(tmp_path):
    """The rule files import only light modules: planning a run must not load QuTiP, xarray,
    SciPy or matplotlib (they cost seconds at every Snakemake start and in every cluster job)."""
    imports = sorted({line.strip() for smk in RULES.glob("*.smk")
                      for line in smk.read_text().splitlines()
                      if re.match(r"\s*(from|import)\s+qsync", line)})
    assert imports, "the rule files import nothing from qsync?"
    code = "import sys\n" + "\n".join(imports) + (
        "\nheavy = {'qutip', 'xarray', 'scipy', 'matplotlib', 'netCDF4'} & "
        "{m.split('.')[0] for m in sys.modules}\nprint(sorted(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=tmp_path)
    assert out.stdout.strip() == "[]", f"planning imports {out.stdout.strip()}"


def _job_reasons(text: str) -> list[tuple[str, str]]:
    """(rule, reason line) of every job a dry run plans."""
    jobs = []
    for block in re.split(r"^rule ", text, flags=re.M)[1:]:
        m = re.search(r"^\s+reason: (.*)$", block, re.M)
        jobs.append((block.split(":", 1)[0].strip(), m.group(1) if m else ""))
    return jobs


@pytest.mark.workflow
@pytest.mark.slow
def test_editing_a_module_reruns_exactly_the_rules_that_import_it(workflow_run, tmp_path):
    """After a full run, append a line to each library module in turn: the dry run plans, for
    a changed input, exactly the rules whose scripts import that module (by the runtime route),
    and everything else it plans only because their inputs will be regenerated."""
    # two copies of the run, each editing every other module: the dry runs (one per module,
    # ~3 s each) go two at a time
    copies = [clone_run(workflow_run, tmp_path / f"run_{i}") for i in range(2)]
    assert dry_run(copies[0])[0] == {}
    users: dict[str, set[str]] = {}
    for rule, paths in rule_scripts().items():
        for path in paths:
            for f in runtime_closure(path):
                users.setdefault(f, set()).add(rule)
    modules = sorted(str(p.relative_to(REPO)) for p in LIB.rglob("*.py"))
    assert set(users) <= set(modules)

    def plan_after_editing(wd: Path, share: list[str]) -> dict[str, str]:
        texts = {}
        for module in share:
            target = wd / module
            original = target.read_text()
            # new content: Snakemake >= 8 compares checksums, so a bare touch would rerun nothing
            target.write_text(original + "\n# edited by the test\n")
            try:
                proc = run_snakemake(wd, "-n", "--cores", "1")
            finally:
                target.write_text(original)
            texts[module] = proc.stdout + proc.stderr
        return texts

    with ThreadPoolExecutor(len(copies)) as pool:
        shares = [modules[i :: len(copies)] for i in range(len(copies))]
        plans = {}
        for texts in pool.map(plan_after_editing, copies, shares):
            plans.update(texts)
    assert sorted(plans) == modules
    for module in modules:
        text = plans[module]
        jobs = _job_reasons(text)
        expected = users.get(module, set())
        planned = {rule for rule, _ in jobs} - {"all"}
        # the rules that import the module all rerun ...
        assert planned >= expected, (module, sorted(expected - planned), text[-3000:])
        # ... each job reruns either because this module changed (and its rule imports it) or
        # because an input of its will be regenerated; for no other reason
        for rule, reason in jobs:
            if rule == "all":
                continue
            if reason.startswith("Updated input files"):
                assert reason == f"Updated input files: {module}" and rule in expected, (
                    module, rule, reason)
            else:
                assert reason.startswith("Input files updated by another job"), (
                    module, rule, reason)
        if not expected:
            assert "Nothing to be done" in text, (module, jobs)
