"""Fewer garbage collections while a page is built, and the collector's own thresholds afterwards."""

from __future__ import annotations

import gc
import threading

import pytest

from partnerlib import SAMPLE_PLAN, follow_saves, report_from_workspace, section_editor
from partnerlib.core.collector import NEW_OBJECTS_PER_COLLECTION, fewer_collections


@pytest.fixture(autouse=True)
def default_thresholds():
    """Each test starts from CPython's default thresholds, and leaves the collector as it found it."""
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_first_threshold_is_raised_inside_and_all_three_come_back_after():
    with fewer_collections():
        assert gc.get_threshold() == (NEW_OBJECTS_PER_COLLECTION, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_the_thresholds_come_back_when_the_block_fails():
    with pytest.raises(ZeroDivisionError), fewer_collections():
        1 / 0  # noqa: B018
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_blocks_restore_only_when_the_outer_one_ends():
    with fewer_collections():
        with fewer_collections():
            pass
        assert gc.get_threshold()[0] == NEW_OBJECTS_PER_COLLECTION
    assert gc.get_threshold() == (700, 10, 10)


def test_a_higher_threshold_set_by_the_user_is_kept_and_restored():
    gc.set_threshold(50_000, 20, 30)
    with fewer_collections():
        assert gc.get_threshold() == (50_000, 20, 30)
    assert gc.get_threshold() == (50_000, 20, 30)


def test_blocks_in_two_threads_restore_when_the_last_one_ends():
    """Thread A enters, B enters, A leaves (B still inside: raised), B leaves (restored)."""
    a_inside, b_inside, a_left, b_may_leave = (threading.Event() for _ in range(4))
    seen: dict[str, int] = {}

    def first() -> None:
        with fewer_collections():
            a_inside.set()
            b_inside.wait(5)
        a_left.set()

    def second() -> None:
        a_inside.wait(5)
        with fewer_collections():
            b_inside.set()
            a_left.wait(5)
            seen["after A left"] = gc.get_threshold()[0]
            b_may_leave.wait(5)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    a_left.wait(5)
    b_may_leave.set()
    for thread in threads:
        thread.join(5)
    assert seen == {"after A left": NEW_OBJECTS_PER_COLLECTION}
    assert gc.get_threshold() == (700, 10, 10)


def test_a_step_page_is_built_with_fewer_collections_and_leaves_the_defaults(book):
    """The form, each result and its redraw after a Save run inside a block; the session keeps the defaults."""
    seen: list[int] = []

    def view(plan):
        seen.append(gc.get_threshold()[0])
        return len(plan.risks.risks)

    editor = section_editor(book, SAMPLE_PLAN, "risks")
    results = follow_saves(editor)
    results.show(view)
    table = editor.form.fields["risks"]
    table.add()
    table.editor.fields["title"].value = "Fire in the medicine store"
    table.ok()
    editor.save_button.click()
    assert seen == [NEW_OBJECTS_PER_COLLECTION, NEW_OBJECTS_PER_COLLECTION]
    assert gc.get_threshold() == (700, 10, 10)


def test_the_plan_document_is_built_with_fewer_collections(book, tmp_path, monkeypatch):
    import partnerlib.output.document as document

    seen: list[int] = []
    build = document.build_document

    def watched(*args, **kwargs):
        seen.append(gc.get_threshold()[0])
        return build(*args, **kwargs)

    monkeypatch.setattr(document, "build_document", watched)
    report_from_workspace(book, SAMPLE_PLAN, html=tmp_path / "plan.html")
    assert seen == [NEW_OBJECTS_PER_COLLECTION]
    assert gc.get_threshold() == (700, 10, 10)
