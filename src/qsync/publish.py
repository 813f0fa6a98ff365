"""What a run hands to the README: its summary numbers as JSON, and copies of its figures that
keep their provenance. Both written atomically (a killed job leaves the old file or none)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from .provenance import git_revision

__all__ = ["sha256", "write_json", "publish_copy"]


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic(path: Path, write) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_json(obj, path: str | Path) -> None:
    """Sorted, indented JSON (``NaN`` is refused: convert it to ``None`` first)."""
    text = json.dumps(obj, indent=2, sort_keys=True, allow_nan=False) + "\n"
    _atomic(Path(path), lambda tmp: tmp.write_text(text))


def publish_copy(source: str | Path, dest: str | Path, provenance: str | Path | None) -> dict:
    """Copy ``source`` to ``dest`` and write ``<dest stem>.provenance.json`` beside it: the
    source's path and SHA-256 and, for a figure, the record of the files it was drawn from."""
    source, dest = Path(source), Path(dest)
    _atomic(dest, lambda tmp: shutil.copyfile(source, tmp))
    record = {"copied_from": str(source), "sha256": sha256(dest),
              "git_revision": git_revision(".")}
    if provenance is not None:
        record["source_provenance"] = json.loads(Path(provenance).read_text())
    write_json(record, dest.with_name(dest.stem + ".provenance.json"))
    return record
