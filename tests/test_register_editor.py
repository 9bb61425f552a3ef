"""The register's forms: a record edited with its model's form, and one Save that stores what changed."""

import datetime as dt

import pytest

from partnerlib import SAMPLE_PLAN, seed_workspace
from partnerlib.core.problems import PlanError
from partnerlib.models import Gift
from partnerlib.ui.register import register_editor


@pytest.fixture
def workspace(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        yield ws


def test_the_editor_shows_the_register(workspace):
    editor = register_editor(workspace, "organisations")
    assert [row.id for row in editor.table.rows] == [o.id for o in workspace.organisations()]


def test_a_renamed_organisation_is_saved_and_renamed_in_the_plans(workspace):
    editor = register_editor(workspace, "organisations")
    index = next(i for i, row in enumerate(editor.table.rows) if row.id == "org-clearflow")
    editor.table.edit(index)
    editor.table.editor.fields["name"].value = "ClearFlow Water"
    kept = editor.table.ok()
    saved = editor.save()
    candidates = workspace.load(SAMPLE_PLAN).plan.partners.candidates
    assert (kept, saved, [c.name for c in candidates if c.organisation_id == "org-clearflow"],
            "carried into 1 plan section" in editor.message.value) == (True, 1, ["ClearFlow Water"], True)


def test_a_deleted_gift_is_removed(workspace):
    editor = register_editor(workspace, "gifts")
    before = len(workspace.gifts())
    editor.table.delete(0)
    assert (editor.save(), len(workspace.gifts())) == (1, before - 1)


def test_a_gift_added_in_the_table_is_stored(workspace):
    editor = register_editor(workspace, "gifts")
    rows = editor.table.read()
    editor.table.write([*rows, Gift(id="g-new", donor="p-ruth", plan=SAMPLE_PLAN, date=dt.date(2026, 9, 1))])
    assert (editor.save(), "g-new" in {g.id for g in workspace.gifts()}) == (1, True)


def test_saving_with_nothing_changed_says_so(workspace):
    editor = register_editor(workspace, "people")
    assert (editor.save(), editor.message.value.endswith("Nothing had changed.</span>")) == (0, True)


def test_the_gift_table_names_donors(workspace):
    html = register_editor(workspace, "gifts").table.table_html()
    assert ("Wells for All Foundation" in html, "org-wells-for-all" in html) == (True, False)


def test_an_unknown_register_is_refused(workspace):
    with pytest.raises(PlanError, match="organisations, people or gifts"):
        register_editor(workspace, "plans")
