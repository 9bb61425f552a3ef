"""The flat public API: a short, sorted list of names, typed by a stub, loaded lazily so importing stays light."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import partnerlib

STUB = Path(partnerlib.__file__).with_suffix(".pyi")


def _stub_names() -> dict[str, str]:
    """Return, for each name the stub imports, the module it comes from, in the stub's order."""
    found = {}
    for node in ast.parse(STUB.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom):
            found.update({alias.name: f"partnerlib.{node.module or ''}".rstrip(".") for alias in node.names})
    return found


def _modules() -> list[str]:
    """Return every module of the package."""
    return sorted(info.name for info in pkgutil.walk_packages(partnerlib.__path__, "partnerlib."))


def _defined(module: str, name: str) -> object:
    """Return ``name`` as its module defines it: a submodule, or a name in the module's ``__all__``."""
    try:
        return importlib.import_module(f"{module}.{name}")
    except ModuleNotFoundError:
        owner = importlib.import_module(module)
        assert name in owner.__all__, f"{name} is not in {module}.__all__"
        return getattr(owner, name)


def test_the_public_names_are_the_stubs_sorted():
    assert partnerlib.__all__ == sorted(_stub_names())


def test_the_public_list_is_short():
    assert len(partnerlib.__all__) < 100


@pytest.mark.parametrize(("name", "module"), _stub_names().items())
def test_each_public_name_is_the_one_its_module_defines(name, module):
    assert getattr(partnerlib, name) is _defined(module, name)


@pytest.mark.parametrize("module", _modules())
def test_each_module_lists_its_public_names_sorted(module):
    names = list(getattr(importlib.import_module(module), "__all__", []))
    assert names == sorted(names)


@pytest.mark.parametrize("name", ["require_columns", "row_problems", "quote_value", "show_risk_register"])
def test_helpers_are_not_public(name):
    with pytest.raises(AttributeError, match=name):
        getattr(partnerlib, name)


def test_the_views_are_one_name_away():
    assert partnerlib.views.show_risk_register.__module__ == "partnerlib.output.views.risks"


def test_importing_the_package_loads_no_heavy_library():
    heavy = ["pandas", "matplotlib", "ipywidgets", "jinja2", "pydantic", "openpyxl"]
    code = f"import sys, partnerlib; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
