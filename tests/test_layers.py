"""The layer contract: each folder of partnerlib imports only from the layers below it, and no circles.

The layers, bottom first (a layer may import from any layer below it, and from
its own folder):

    core  <  models  <  analyses | io  <  output  <  ui  <  app

``analyses`` and ``io`` stand side by side: neither imports the other. The
package's ``__init__`` (its public face, which re-exports names from every
layer) stands above them all. Every import counts, also those inside a function
or under ``TYPE_CHECKING``: an upward import made late is still upward.
"""

from __future__ import annotations

import ast
import graphlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "partnerlib"

#: Bottom first; the layers of one tuple stand side by side and must not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (("core",), ("models",), ("analyses", "io"), ("output",), ("ui",), ("app",))


def _module_name(path: Path, root: Path) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _imported_from(package: str, node: ast.ImportFrom) -> str:
    """The module a ``from … import`` statement in ``package`` names, its dots resolved."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join([*base, node.module] if node.module else base)


def import_graph(root: Path) -> dict[str, set[str]]:
    """Return, for each module of the package at ``root``, the package's modules it imports."""
    modules = {_module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = _package_of(name, path)
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                stem = _imported_from(package, node)
                # `from pkg import module` imports the module; `from module import name` the module itself.
                found = [f"{stem}.{alias.name}" for alias in node.names if f"{stem}.{alias.name}" in modules]
                targets.update(found or ([stem] if stem in modules else []))
            elif isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names if alias.name in modules)
        graph[name] = targets - {name}
    return graph


def layer_of(module: str, root_name: str) -> int | None:
    """Return the index in LAYERS of the layer holding ``module``, or None for the package's own face."""
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in {layer for level in LAYERS for layer in level}:
        return None
    return next(index for index, level in enumerate(LAYERS) if parts[1] in level)


def contract_breaches(root: Path) -> list[str]:
    """Return each import that breaks the contract, as 'importer -> imported (why)', and each circle."""
    graph = import_graph(root)
    breaches = []
    for importer, targets in sorted(graph.items()):
        here = layer_of(importer, root.name)
        if here is None:
            continue
        for target in sorted(targets):
            there = layer_of(target, root.name)
            if there is None:
                breaches.append(f"{importer} -> {target} (the package's face is above every layer)")
            elif there > here:
                breaches.append(f"{importer} -> {target} (upward)")
            elif there == here and importer.split(".")[1] != target.split(".")[1]:
                breaches.append(f"{importer} -> {target} (side by side)")
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as circle:
        breaches.append("circle: " + " -> ".join(circle.args[1]))
    return breaches


def test_partnerlib_keeps_its_layers():
    assert contract_breaches(PACKAGE) == []


def test_every_folder_is_a_layer():
    folders = {path.name for path in PACKAGE.iterdir() if path.is_dir() and (path / "__init__.py").exists()}
    assert folders == {layer for level in LAYERS for layer in level}


def _package(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "partnerlib"
    for name, text in {"__init__.py": "", **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root


BREACH_CASES = [
    # (files of a small package, the breaches the contract reports)
    ({"core/__init__.py": "", "core/a.py": "", "ui/__init__.py": "", "ui/b.py": "from ..core import a\n"}, []),
    (
        {"core/__init__.py": "", "core/a.py": "from ..ui import b\n", "ui/__init__.py": "", "ui/b.py": ""},
        ["partnerlib.core.a -> partnerlib.ui.b (upward)"],
    ),
    (
        {"core/__init__.py": "", "core/a.py": "def f():\n    from partnerlib.app.c import x\n",
         "app/__init__.py": "", "app/c.py": "x = 1\n"},
        ["partnerlib.core.a -> partnerlib.app.c (upward)"],
    ),
    (
        {"analyses/__init__.py": "", "analyses/a.py": "from ..io import b\n", "io/__init__.py": "", "io/b.py": ""},
        ["partnerlib.analyses.a -> partnerlib.io.b (side by side)"],
    ),
    (
        {"core/__init__.py": "", "core/a.py": "from partnerlib import thing\n"},
        ["partnerlib.core.a -> partnerlib (the package's face is above every layer)"],
    ),
]


@pytest.mark.parametrize(("files", "expected"), BREACH_CASES)
def test_contract_reports_breaches(tmp_path, files, expected):
    assert contract_breaches(_package(tmp_path, files)) == expected


def test_contract_reports_a_circle(tmp_path):
    root = _package(
        tmp_path, {"core/__init__.py": "", "core/a.py": "from . import b\n", "core/b.py": "from .a import x\n"}
    )
    assert [line.split(":")[0] for line in contract_breaches(root)] == ["circle"]


# ---- private names stay at home --------------------------------------------------------------
# A name starting with "_" belongs to its module; a module starting with "_" (models/_base.py)
# to its package, whose own modules may import it. What another module needs is made public,
# with a docstring, in the module that owns the concept.


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _taken_from_outside(importer: str, target: str) -> bool:
    """Whether ``importer`` takes a private ``target`` (a module, or a name in one) it does not own.

    The owner of a target is what holds its first private part: the package of a
    private module, the module of a private name. The owner and what it holds may use it.
    """
    parts = target.split(".")
    private = next((end for end, part in enumerate(parts) if _private(part)), None)
    if private is None:
        return False
    owner = ".".join(parts[:private])
    return importer != owner and not importer.startswith(owner + ".")


def private_imports(root: Path) -> list[str]:
    """Return each private name a module takes from another, as 'importer -> owner.name'.

    Counted: ``from module import _name`` (also inside a function), an import of
    or from a private module outside its package, and ``module._name`` where
    ``module`` was imported by name.
    """
    modules = {_module_name(path, root): path for path in root.rglob("*.py")}
    found: list[str] = []
    for name, path in sorted(modules.items()):
        package = _package_of(name, path)
        bound: dict[str, str] = {}  # a local name -> the package module it stands for
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                stem = _imported_from(package, node)
                if stem.split(".")[0] != root.name:
                    continue
                for alias in node.names:
                    target = f"{stem}.{alias.name}"
                    if target in modules:
                        bound[alias.asname or alias.name] = target
                    if _taken_from_outside(name, target):
                        found.append(f"{name} -> {target}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules and alias.asname:
                        bound[alias.asname] = alias.name
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in bound:
                target = f"{bound[node.value.id]}.{node.attr}"
                if _taken_from_outside(name, target):
                    found.append(f"{name} -> {target}")
    return found


#: Private names still taken across modules, each with why it waits.
LEFT_TO_TIDY: list[str] = []


def test_private_names_stay_in_their_module():
    assert private_imports(PACKAGE) == LEFT_TO_TIDY


PRIVATE_CASES = [
    # (files of a small package, the private names it takes across modules)
    ({"core/__init__.py": "", "core/a.py": "_x = 1\ny = _x\n"}, []),
    ({"core/__init__.py": "", "core/a.py": "_x = 1\n", "core/b.py": "from .a import _x\n"},
     ["partnerlib.core.b -> partnerlib.core.a._x"]),
    ({"core/__init__.py": "", "core/a.py": "", "core/b.py": "def f():\n    from partnerlib.core.a import _x\n"},
     ["partnerlib.core.b -> partnerlib.core.a._x"]),
    ({"core/__init__.py": "", "core/a.py": "", "core/b.py": "from . import a\n\n\ndef f():\n    return a._x()\n"},
     ["partnerlib.core.b -> partnerlib.core.a._x"]),
    ({"core/__init__.py": "", "core/a.py": "", "core/b.py": "import partnerlib.core.a as a\n\nz = a._x\n"},
     ["partnerlib.core.b -> partnerlib.core.a._x"]),
    ({"core/__init__.py": "", "core/a.py": "", "core/b.py": "from .a import __doc__, y\n"}, []),
    ({"models/__init__.py": "from ._base import X\n", "models/_base.py": "X = 1\n",
      "models/risks.py": "from ._base import X\nfrom . import _base\n"}, []),
    ({"models/__init__.py": "", "models/_base.py": "X = 1\n", "ui/__init__.py": "",
      "ui/w.py": "from ..models._base import X\n"}, ["partnerlib.ui.w -> partnerlib.models._base.X"]),
    ({"models/__init__.py": "", "models/_base.py": "X = 1\n", "ui/__init__.py": "",
      "ui/w.py": "from ..models import _base\n"}, ["partnerlib.ui.w -> partnerlib.models._base"]),
    ({"core/__init__.py": "", "core/b.py": "from pydantic_core import _pydantic_core\n"}, []),
]


@pytest.mark.parametrize(("files", "expected"), PRIVATE_CASES)
def test_private_names_taken_across_modules_are_found(tmp_path, files, expected):
    assert private_imports(_package(tmp_path, files)) == expected
