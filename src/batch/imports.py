"""The library code a step runs: the ``src`` modules its notebook imports, transitively.

A step's resume key covers this code and nothing else of ``src/``, so an edit in the
report's modules re-runs the report, not the ingest. The modules are found by reading
(never importing) the notebook's code cells and then each module's imports with
:mod:`ast`, keeping those in the ``src`` package:

- ``import src.a.b`` and ``from src.a import b`` (``b`` counts when it is a module, else
  ``src.a`` is the module), and relative imports (``from .b import c``) in modules;
- the packages above a module (``src/__init__.py``, ``src/a/__init__.py``), which run
  when it is imported;
- imports inside functions too (they run when the function does), so the set errs on
  the side of more code, never less;
- the files beside each module that are not Python (the report's style sheet): modules
  read them as data.

Imports by computed name (``importlib.import_module(name)``) are not seen; the library
does not use them. IPython magics in cells (``%autoreload 2``) are turned into Python
first, as IPython would run them.
"""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable
from pathlib import Path

from src.batch.manifest import sha256_file

#: The package whose modules count as the step's code.
PACKAGE = "src"
#: Files beside a module that are neither data nor code (bytecode).
NOT_DATA_SUFFIXES = (".py", ".pyc", ".pyo")


def cell_python(source: str) -> str:
    """A code cell as Python: IPython's magics and shell escapes turned into calls."""
    try:
        ast.parse(source)
        return source
    except SyntaxError:
        pass
    try:
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:  # without IPython, drop the magic lines and keep the rest
        return "\n".join(
            line for line in source.splitlines() if not line.lstrip().startswith(("%", "!"))
        )
    return str(TransformerManager().transform_cell(source))


def notebook_code(notebook: Path) -> list[str]:
    """The Python of a notebook's code cells, one string per cell."""
    document = json.loads(notebook.read_text(encoding="utf-8"))
    cells = []
    for cell in document.get("cells", []):
        if cell.get("cell_type") == "code":
            source = cell.get("source", "")
            cells.append(cell_python("".join(source) if isinstance(source, list) else source))
    return cells


def imported_names(source: str, module: str | None = None, is_package: bool = False) -> set[str]:
    """Dotted names in the ``src`` package that ``source`` imports (modules or candidates).

    ``module`` is the dotted name of the module ``source`` is (for relative imports);
    ``is_package`` says it is a package's ``__init__``. For ``from a import b`` both ``a``
    and ``a.b`` are returned; :func:`module_file` keeps those that are modules.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _from_base(node, module, is_package)
            if base is None:
                continue
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names if alias.name != "*")
    return {name for name in names if name == PACKAGE or name.startswith(PACKAGE + ".")}


def _from_base(node: ast.ImportFrom, module: str | None, is_package: bool) -> str | None:
    """The module a ``from ... import`` reads from, relative imports resolved."""
    if not node.level:
        return node.module
    if module is None:
        return None
    package = module.split(".") if is_package else module.split(".")[:-1]
    if node.level > 1:
        package = package[: len(package) - (node.level - 1)]
    if not package:
        return None
    return ".".join(package + ([node.module] if node.module else []))


def module_file(name: str, root: Path) -> Path | None:
    """The file of module ``name`` under ``root`` (the folder holding ``src/``), if it is one."""
    parts = name.split(".")
    plain = root.joinpath(*parts).with_suffix(".py")
    if plain.is_file():
        return plain
    package = root.joinpath(*parts, "__init__.py")
    return package if package.is_file() else None


def _parents(name: str) -> list[str]:
    """The packages above a module: ``src.a.b`` -> ``src``, ``src.a``."""
    parts = name.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def module_closure(sources: Iterable[str], root: Path) -> list[Path]:
    """Every module file of ``src`` that the code ``sources`` imports, transitively, sorted."""
    pending: list[str] = []
    for source in sources:
        pending.extend(sorted(imported_names(cell_python(source))))
    files: dict[str, Path] = {}
    while pending:
        name = pending.pop()
        if name in files:
            continue
        path = module_file(name, root)
        if path is None:
            continue
        files[name] = path
        pending.extend(_parents(name))
        text = path.read_text(encoding="utf-8")
        pending.extend(sorted(imported_names(text, name, path.name == "__init__.py")))
    return sorted(set(files.values()))


def data_files(modules: Iterable[Path]) -> list[Path]:
    """The non-Python files beside ``modules`` (style sheets and the like), sorted."""
    out: set[Path] = set()
    for folder in {module.parent for module in modules}:
        out.update(
            path
            for path in folder.iterdir()
            if path.is_file()
            and not path.name.startswith(".")
            and path.suffix not in NOT_DATA_SUFFIXES
        )
    return sorted(out)


def code_files(sources: Iterable[str], root: Path) -> dict[str, str]:
    """``src/...`` path (relative to ``root``, POSIX) -> sha256 of the code ``sources`` runs."""
    modules = module_closure(sources, root)
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted([*modules, *data_files(modules)])
    }


def notebook_code_files(notebook: Path, root: Path) -> dict[str, str]:
    """The code a notebook runs: :func:`code_files` of its code cells."""
    return code_files(notebook_code(notebook), root)
