"""The code base stays ruff-clean (pyproject.toml [tool.ruff])."""

import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def test_ruff_clean():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    proc = subprocess.run([ruff, "check", "src", "tests", "benchmarks", "workflow/scripts"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
