"""The README's statements about the runs, rendered from the runs' summaries.

The README holds sections between markers::

    <!-- BEGIN generated:<name> (make readme; edit docs/templates/<name>.md.j2) -->
    ...
    <!-- END generated:<name> -->

Each is the Jinja2 template ``docs/templates/<name>.md.j2`` rendered with the summaries of the
shipped runs (``docs/runs/<run>/summary.json``, written by the workflow's ``summary`` and
``readme_copies`` rules), so no number about a run is typed by hand. ``python -m qsync.readme``
rewrites the sections; ``--check`` only compares (the test suite runs it).
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path

import jinja2

__all__ = ["SECTION", "load_summaries", "render_readme", "main"]

#: first line of a template: the run whose summary it renders, e.g. ``{# run: converged #}``
REQUIRES = re.compile(r"\{#\s*run:\s*(\w+)\s*#\}")

SECTION = re.compile(r"(?P<head><!-- BEGIN generated:(?P<name>[\w-]+)[^\n]*-->\n)"
                     r"(?P<body>.*?)(?P<tail><!-- END generated:(?P=name) -->)", re.S)

_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and not math.isfinite(x))


def fixed(x, digits: int = 2) -> str:
    """``x`` with ``digits`` decimals; ``n/a`` for a missing value."""
    return "n/a" if _missing(x) else f"{x:.{digits}f}"


def sci(x, digits: int = 2) -> str:
    """``x`` in the README's scientific style, e.g. 1.3·10⁻⁵ (plain below 10³ and above 0.01)."""
    if _missing(x):
        return "n/a"
    if x == 0:
        return "0"
    if 1e-2 <= abs(x) < 1e3:
        return f"{x:.{digits}g}"
    mant, exp = f"{x:.{digits - 1}e}".split("e")
    return f"{mant}·10{str(int(exp)).translate(_SUPERSCRIPT)}"


def signed(x, digits: int = 2) -> str:
    """``x`` with a typographic minus (−) when negative."""
    return "n/a" if _missing(x) else f"{x:.{digits}f}".replace("-", "−")


def kval(x) -> str:
    """A coupling as the README writes it: 5, 0.5, −3."""
    return f"{float(x):g}".replace("-", "−")


def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(templates),
                             undefined=jinja2.StrictUndefined, keep_trailing_newline=True,
                             trim_blocks=True, lstrip_blocks=True)
    env.filters.update(fixed=fixed, sci=sci, signed=signed, kval=kval)
    return env


def load_summaries(runs: Path) -> dict[str, dict]:
    """``{run: summary}`` for every ``<runs>/<run>/summary.json``."""
    return {p.parent.name: json.loads(p.read_text())
            for p in sorted(Path(runs).glob("*/summary.json"))}


def render_readme(text: str, templates: Path, summaries: dict[str, dict],
                  sections: set[str] | None = None) -> str:
    """``text`` with every generated section (or those named in ``sections``) re-rendered."""
    env = _environment(Path(templates))

    def one(m: re.Match) -> str:
        if sections is not None and m["name"] not in sections:
            return m[0]
        source = (Path(templates) / f"{m['name']}.md.j2").read_text()
        run = REQUIRES.match(source)
        if run and run[1] not in summaries:
            # say so instead of keeping numbers that no summary backs
            body = (f"*Not rendered: there is no `{run[1]}` run summary "
                    f"(`docs/runs/{run[1]}/summary.json`). Run the `{run[1]}` configuration "
                    f"(see above), then `make readme`.*")
        else:
            body = env.get_template(f"{m['name']}.md.j2").render(**summaries).strip("\n")
        return m["head"] + body + "\n" + m["tail"]

    return SECTION.sub(one, text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m qsync.readme", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("readme", nargs="?", default="README.md", type=Path)
    parser.add_argument("--templates", type=Path, default=Path("docs/templates"))
    parser.add_argument("--runs", type=Path, default=Path("docs/runs"))
    parser.add_argument("--sections", help="comma-separated section names (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="only compare; exit 1 if a section is out of date")
    args = parser.parse_args(argv)
    text = args.readme.read_text()
    if not SECTION.search(text):
        parser.error(f"{args.readme} has no generated sections")
    sections = set(args.sections.split(",")) if args.sections else None
    new = render_readme(text, args.templates, load_summaries(args.runs), sections)
    if args.check:
        if new != text:
            print(f"{args.readme}: generated sections are out of date; run `make readme`",
                  file=sys.stderr)
            return 1
        return 0
    if new != text:
        args.readme.write_text(new)
        print(f"rewrote the generated sections of {args.readme}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
