"""The flat public API: every name once, sorted, loaded lazily so importing stays light."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import partnerlib

MODULES = partnerlib._MODULES


@pytest.mark.parametrize("name", MODULES)
def test_each_module_lists_its_public_names_sorted(name):
    names = importlib.import_module(f"partnerlib.{name}").__all__
    assert list(names) == sorted(names)


def test_no_public_name_is_defined_twice():
    seen: dict[str, str] = {}
    twice = []
    for name in MODULES:
        for public in importlib.import_module(f"partnerlib.{name}").__all__:
            if public in seen and getattr(importlib.import_module(f"partnerlib.{seen[public]}"), public) is not getattr(
                importlib.import_module(f"partnerlib.{name}"), public
            ):
                twice.append((public, seen[public], name))
            seen.setdefault(public, name)
    assert twice == []


@pytest.mark.parametrize("name", ["Plan", "score_risks", "evaluate_kpis", "section_editor", "show_missing"])
def test_names_are_reached_from_the_package(name):
    assert name in dir(partnerlib) and getattr(partnerlib, name) is not None


def test_the_table_of_exports_is_up_to_date():
    sys.path.insert(0, str(Path(partnerlib.__file__).parent.parent / "tools"))
    from update_exports import TARGET, exports_source

    assert TARGET.read_text(encoding="utf-8") == exports_source(), "run tools/update_exports.py"


def test_an_unknown_name_is_an_attribute_error():
    with pytest.raises(AttributeError, match="has no attribute 'no_such_thing'"):
        _ = partnerlib.no_such_thing


def test_importing_the_package_loads_no_heavy_library():
    heavy = ["pandas", "matplotlib", "ipywidgets", "jinja2", "pydantic", "openpyxl"]
    code = f"import sys, partnerlib; print([m for m in {heavy!r} if m in sys.modules])"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
