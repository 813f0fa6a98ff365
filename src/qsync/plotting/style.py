"""One style for every figure, and deterministic, traceable saving."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from ..provenance import git_revision, software_versions  # noqa: E402
from ..publish import sha256  # noqa: E402

__all__ = ["apply_style", "save_figure", "plt"]

RC = {
    "font.size": 9,
    "axes.labelsize": 10,
    "axes.titlesize": 10,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "xtick.direction": "in",
    "ytick.direction": "in",
    "xtick.top": True,
    "ytick.right": True,
    "lines.linewidth": 1.4,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "figure.constrained_layout.use": True,
    "pdf.fonttype": 42,
}


def apply_style() -> None:
    plt.rcParams.update(RC)


def save_figure(fig, outputs, sources, params: dict, description: str) -> None:
    """Save ``fig`` to each path in ``outputs`` (PDF/PNG) with its provenance.

    The files it was drawn from (paths and SHA-256) and the parameters are embedded in the
    PDF/PNG metadata and written to a sidecar ``<name>.provenance.json`` beside the first
    output. No timestamps, so redrawing the same data gives the same files.
    """
    sources = [Path(s) for s in sources]
    record = {
        "description": description,
        "sources": {str(s): sha256(s) for s in sources},
        "parameters": params,
        "git_revision": git_revision("."),
        **software_versions(),
    }
    keywords = "; ".join(f"{k}={v}" for k, v in record["sources"].items())
    for out in outputs:
        out = Path(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.suffix == ".pdf":
            meta = {"Title": description, "Subject": "qsync " + record["git_revision"],
                    "Keywords": keywords, "CreationDate": None, "ModDate": None,
                    "Creator": "qsync"}
        else:
            meta = {"Title": description, "Description": json.dumps(record, sort_keys=True),
                    "Software": "qsync"}
        fig.savefig(out, metadata=meta)
    first = Path(outputs[0])
    sidecar = first.with_name(first.stem + ".provenance.json")
    sidecar.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
