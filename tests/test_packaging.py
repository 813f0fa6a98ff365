"""environment.yml (conda users) must list what pyproject.toml installs, with the same bounds."""

import re
import tomllib

import yaml

from conftest import REPO


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    name = m.group(1).lower().replace("_", "-")
    spec = ",".join(sorted(s.strip() for s in m.group(2).split(",") if s.strip()))
    return name, spec


def test_environment_matches_pyproject():
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    deps = dict(_norm(r) for r in pyproject["project"]["dependencies"])
    env = yaml.safe_load((REPO / "environment.yml").read_text())
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    conda_deps = dict(_norm(d) for d in conda if not d.startswith(("python", "pip")))
    assert conda_deps == deps
    python = [d for d in conda if re.match(r"^python\b", d)]
    assert python == ["python" + pyproject["project"]["requires-python"]]
    pip_part = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pip_part == [{"pip": ["-e ."]}], "environment.yml must install the package itself"


def test_constraints_pin_every_dependency():
    pins = {}
    for line in (REPO / "constraints.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    wanted = [_norm(r)[0] for r in pyproject["project"]["dependencies"]]
    wanted += [_norm(r)[0] for r in pyproject["project"]["optional-dependencies"]["test"]]
    missing = [w for w in wanted if w not in pins]
    assert not missing, f"constraints.txt does not pin {missing}"


def test_readme_links_to_files_in_the_repo():
    """Every relative link and image of the README (e.g. the figure snapshots) exists."""
    text = (REPO / "README.md").read_text()
    targets = re.findall(r"\]\(([^)#\s]+)\)", text)
    local = [t for t in targets if "://" not in t]
    assert any(t.endswith(".png") for t in local)
    missing = [t for t in local if not (REPO / t).is_file()]
    assert not missing, missing
