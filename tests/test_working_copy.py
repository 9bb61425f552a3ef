"""The working copy: people work in copies beside the workspace, never in the committed notebooks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from partnerlib.app.series import series_notebooks
from partnerlib.app.working_copy import (
    MANIFEST,
    new_version_path,
    refresh_working_copy,
    working_folder,
)

STEP = "06_risk_and_conflict.ipynb"


@pytest.fixture
def shipped(tmp_path) -> Path:
    """A workbook of two steps, as shipped."""
    folder = tmp_path / "shipped"
    folder.mkdir()
    for path in series_notebooks()[:1] + [p for p in series_notebooks() if p.name == STEP]:
        shutil.copy(path, folder)
    return folder


@pytest.fixture
def copy(tmp_path, shipped) -> Path:
    """The working copy, made once."""
    target = tmp_path / "workbook"
    refresh_working_copy(target, shipped)
    return target


def _change(path: Path, *, source: str | None = None, output: str | None = None) -> None:
    """Change a notebook as a person (a cell's text) or a run (an output) would."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if c["cell_type"] == "code")
    if source is not None:
        cell["source"] = [source]
    if output is not None:
        cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": [output]}]
    path.write_text(json.dumps(notebook), encoding="utf-8")


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_the_working_copy_is_beside_the_workspace(tmp_path):
    assert working_folder(tmp_path / "ws.sqlite") == tmp_path / "workbook"


def test_a_new_working_copy_holds_every_shipped_step(copy, shipped):
    assert sorted(p.name for p in copy.glob("*.ipynb")) == sorted(p.name for p in shipped.glob("*.ipynb"))


def test_a_new_working_copy_keeps_a_manifest_of_what_was_shipped(copy, shipped):
    assert sorted(json.loads(_text(copy / MANIFEST))) == sorted(p.name for p in shipped.glob("*.ipynb"))


def test_a_persons_edit_survives_a_refresh_when_nothing_was_shipped(copy, shipped):
    _change(copy / STEP, source="# my own note")
    edited = _text(copy / STEP)
    told = refresh_working_copy(copy, shipped)
    assert (told, _text(copy / STEP), new_version_path(copy / STEP).exists()) == ([], edited, False)


def test_a_new_version_replaces_a_copy_that_was_only_run(copy, shipped):
    _change(copy / STEP, output="results of a run")
    _change(shipped / STEP, source="# the workbook's new version")
    told = refresh_working_copy(copy, shipped)
    assert (told, _text(copy / STEP)) == ([], _text(shipped / STEP))


def test_a_new_version_is_written_beside_an_edited_copy_with_a_message(copy, shipped):
    _change(copy / STEP, source="# my own note")
    edited = _text(copy / STEP)
    _change(shipped / STEP, source="# the workbook's new version")
    told = refresh_working_copy(copy, shipped)
    assert (
        _text(copy / STEP),
        _text(new_version_path(copy / STEP)),
        len(told),
        "new version of 06_risk_and_conflict.ipynb" in told[0],
    ) == (edited, _text(shipped / STEP), 1, True)


def test_the_message_about_a_new_version_is_given_once(copy, shipped):
    _change(copy / STEP, source="# my own note")
    _change(shipped / STEP, source="# the workbook's new version")
    refresh_working_copy(copy, shipped)
    assert refresh_working_copy(copy, shipped) == []


def test_a_deleted_copy_comes_back(copy, shipped):
    (copy / STEP).unlink()
    refresh_working_copy(copy, shipped)
    assert _text(copy / STEP) == _text(shipped / STEP)


def test_a_new_version_is_not_taken_for_a_step(copy, shipped):
    _change(copy / STEP, source="# my own note")
    _change(shipped / STEP, source="# the workbook's new version")
    refresh_working_copy(copy, shipped)
    assert [p.name for p in series_notebooks(copy)] == [p.name for p in series_notebooks(shipped)]


def test_the_committed_notebooks_are_left_alone(tmp_path):
    before = {p.name: p.read_bytes() for p in series_notebooks()}
    target = tmp_path / "workbook"
    refresh_working_copy(target)
    _change(target / STEP, output="results of a run")
    assert {p.name: p.read_bytes() for p in series_notebooks()} == before
