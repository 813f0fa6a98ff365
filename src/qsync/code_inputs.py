"""The library files a workflow script depends on: the closure of its imports inside ``qsync``.

Snakemake tracks a rule's ``script:`` but not the library code the script imports, so each rule
declares those files as inputs. They are computed here, statically, from the import statements
(:mod:`ast`; nothing is imported, so the workflow can plan jobs without loading NumPy, QuTiP or
xarray). Every import statement counts, wherever it stands in a file. Importing ``qsync.a.b``
runs the ``__init__.py`` of ``qsync`` and ``qsync.a`` too, so those files are in the closure; the
package ``__init__`` files import nothing themselves, which keeps closures tight.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

__all__ = ["import_closure", "module_file"]


def module_file(root: Path, module: str) -> Path | None:
    """The file of ``module`` (dotted name) under ``root`` (the folder holding the top
    package), or ``None`` if it is not a module of that tree."""
    base = root.joinpath(*module.split("."))
    if (base / "__init__.py").is_file():
        return base / "__init__.py"
    if base.with_suffix(".py").is_file():
        return base.with_suffix(".py")
    return None


def _parents(module: str) -> list[str]:
    """``a.b.c`` -> ``a``, ``a.b``, ``a.b.c``: importing a module runs every parent package."""
    parts = module.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _imported(tree: ast.AST, package: str | None, top: str, root: Path) -> set[str]:
    """Dotted names of the ``top``-package modules one file's import statements load."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                if package is None:
                    raise ValueError("relative import outside a package")
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            # `from pkg import name` loads pkg, and pkg.name when that is a submodule
            names = [base] + [f"{base}.{alias.name}" for alias in node.names
                              if module_file(root, f"{base}.{alias.name}") is not None]
        else:
            continue
        for name in names:
            if name == top or name.startswith(top + "."):
                found.update(_parents(name))
    return found


@cache
def _imports_of(file: Path, package: str | None, top: str, root: Path,
                stamp: tuple[int, int]) -> frozenset[str]:
    """One file's ``top`` imports, cached per file version (``stamp``: mtime and size)."""
    tree = ast.parse(file.read_text(), filename=str(file))
    return frozenset(_imported(tree, package, top, root))


def _closure(path: Path, top: str, root: Path) -> set[Path]:
    files: set[Path] = set()
    todo = [(path, None)]
    while todo:
        file, module = todo.pop()
        if file in files:
            continue
        files.add(file)
        package = None
        if module is not None:
            package = module if file.name == "__init__.py" else module.rpartition(".")[0]
        st = file.stat()
        for name in _imports_of(file, package, top, root, (st.st_mtime_ns, st.st_size)):
            target = module_file(root, name)
            if target is None:
                raise ImportError(f"{file}: imports {name}, which is not in {root / top}")
            todo.append((target, name))
    files.discard(path)
    return files


def import_closure(script: str | Path, src: str | Path, top: str = "qsync") -> list[Path]:
    """Files of package ``top`` (under the folder ``src``) that running ``script`` imports,
    directly or through other modules of the package, sorted.

    Parameters
    ----------
    script : path
        A Python file (a workflow script, or a module of the package itself).
    src : path
        The folder that holds the package folder ``top`` (``src`` in this repository).
    top : str
        The package whose files count; imports of anything else are ignored.

    Raises
    ------
    ImportError
        If a file imports a ``top`` module that does not exist (a stale name after a rename).
    """
    root = Path(src).resolve()
    script = Path(script).resolve()
    return sorted(_closure(script, top, root))
