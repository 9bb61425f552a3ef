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


def import_graph(root: Path) -> dict[str, set[str]]:
    """Return, for each module of the package at ``root``, the package's modules it imports."""
    modules = {_module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                base = package.split(".")
                if node.level:
                    base = base[: len(base) - node.level + 1]
                    stem = ".".join([*base, node.module] if node.module else base)
                else:
                    stem = node.module or ""
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
