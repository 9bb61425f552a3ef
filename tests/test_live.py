"""Results that follow a Save: set the form, press Save, and the results shown are redrawn from the saved plan."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from partnerlib import (
    MEASUREMENTS,
    PLAN_DATE,
    SAMPLE_PLAN,
    follow_saves,
    section_editor,
)
from partnerlib.output.views import (
    show_balances,
    show_kpi_evaluation,
    show_risk_heatmaps,
    show_risk_profile_chart,
    show_risk_register,
)

TITLE = "Fire in the medicine store"
NO_SHARES = "Not available yet: The rule is 'agreed shares' but no shares are set: add them in step 8."
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def _add_risk(editor, title: str, impact: int) -> None:
    """Add a risk with the register's record form, as a participant does (Add, fill, keep the row)."""
    table = editor.form.fields["risks"]
    table.add()
    table.editor.fields["title"].value = title
    table.editor.fields["likelihood"].value = "5"
    table.editor.fields["impact"].value = str(impact)
    table.ok()


def _save(editor, **changes) -> None:
    """Put changed values of the section into the form and press Save."""
    editor.form.set_value(editor.saved.model_copy(update=changes))
    editor.save_button.click()


def _shown_html(shown) -> str:
    """What the browser draws: the HTML inside the result's widget."""
    return shown.widget.outputs[0]["data"]["text/html"]


def _risk_step(book):
    editor = section_editor(book, SAMPLE_PLAN, "risks")
    results = follow_saves(editor)
    return editor, results.show(show_risk_register), results.show(show_risk_heatmaps)


def test_a_saved_risk_is_in_the_register_and_the_heat_map_shown(book):
    editor, register, heat_maps = _risk_step(book)
    _add_risk(editor, TITLE, impact=5)
    editor.save_button.click()
    assert (
        TITLE in set(register.result.data["Risk"]),
        TITLE in _shown_html(register),
        register.result.caption,
        heat_maps.result.axes[0].get_title(),
    ) == (True, True, "Risk register: 19 risks, worst after mitigation first", "Risks before mitigation (inherent): 19 in all")


def test_an_invalid_save_redraws_nothing(book):
    editor, register, heat_maps = _risk_step(book)
    before = (register.result, register.widget.outputs, heat_maps.result)
    _add_risk(editor, TITLE, impact=9)
    editor.save_button.click()
    assert ("Not saved" in editor.status.value, (register.result, register.widget.outputs, heat_maps.result)) == (
        True,
        before,
    )


def test_a_result_that_cannot_be_drawn_says_why_and_comes_back(book):
    editor = section_editor(book, SAMPLE_PLAN, "resources")
    balances = follow_saves(editor).show(show_balances)
    _save(editor, rule="agreed shares", shares=[])
    note = (repr(balances.result), _shown_html(balances))
    _save(editor, rule="proportional to contribution")
    assert (note, balances.result.caption) == (
        (NO_SHARES, f"<p><em>{html.escape(NO_SHARES)}</em></p>"),
        show_balances(book.load(SAMPLE_PLAN).plan).caption,
    )


@pytest.mark.parametrize(
    ("shown", "expected"),
    [
        (lambda results: results.show(show_risk_register), {"text/plain", "text/html", WIDGET_VIEW}),
        (lambda results: results.show(show_risk_heatmaps), {"text/plain", WIDGET_VIEW}),
    ],
)
def test_a_result_is_shown_as_its_widget_and_its_own_output(book, shown, expected):
    """Jupyter and Voilà draw the widget; nbval compares the text and HTML (PNG too, in a kernel)."""
    result = shown(follow_saves(section_editor(book, SAMPLE_PLAN, "risks")))
    assert set(result._repr_mimebundle_()) == expected


def test_the_plain_text_is_the_result_not_the_widget(book):
    register = follow_saves(section_editor(book, SAMPLE_PLAN, "risks")).show(show_risk_register)
    assert register._repr_mimebundle_()["text/plain"] == repr(register.result)


def test_options_are_passed_to_the_view(book):
    chart = follow_saves(section_editor(book, SAMPLE_PLAN, "risks")).show(show_risk_profile_chart, residual=True)
    assert chart.result.axes[0].get_title() == "Risk profile after mitigation: risks per category and band"


def test_plan_date_and_measurements_are_read_from_the_workspace(book):
    editor = section_editor(book, SAMPLE_PLAN, "monitoring")
    shown = follow_saves(editor).show(show_kpi_evaluation, MEASUREMENTS, as_of=PLAN_DATE)
    plan = book.load(SAMPLE_PLAN).plan
    direct = show_kpi_evaluation(plan, book.measurements(SAMPLE_PLAN), as_of=plan.info.as_of)
    assert shown.result.frame.equals(direct.frame)


def test_a_new_plan_date_is_used_after_a_save(book):
    editor = section_editor(book, SAMPLE_PLAN, "info")
    shown = follow_saves(editor).show(lambda plan, *, as_of: as_of, as_of=PLAN_DATE)
    _save(editor, as_of=dt.date(2027, 1, 15))
    assert shown.result == dt.date(2027, 1, 15)


def test_a_renamed_plan_is_followed(book):
    editor = section_editor(book, SAMPLE_PLAN, "info")
    shown = follow_saves(editor).show(lambda plan: plan.info.name)
    _save(editor, name="Riverside renamed")
    assert shown.result == "Riverside renamed"


def test_the_editors_own_callback_still_runs(book):
    called = []
    editor = section_editor(book, SAMPLE_PLAN, "risks", on_saved=called.append)
    register = follow_saves(editor).show(show_risk_register)
    _add_risk(editor, TITLE, impact=5)
    editor.save_button.click()
    assert ([len(section.risks) for section in called], register.result.caption.split(",")[0]) == (
        [19],
        "Risk register: 19 risks",
    )


def test_a_failing_result_keeps_the_save_and_the_other_results_are_redrawn(book):
    def broken(plan):
        if len(plan.risks.risks) > 18:
            raise KeyError("likelihood")
        return "drawn"

    editor = section_editor(book, SAMPLE_PLAN, "risks")
    results = follow_saves(editor)
    failing, register = results.show(broken), results.show(show_risk_register)
    _add_risk(editor, TITLE, impact=5)
    editor.save_button.click()
    assert (
        len(book.load(SAMPLE_PLAN).plan.risks.risks),
        failing.result,
        register.result.caption.split(",")[0],
        "The results could not be updated: Broken (KeyError: 'likelihood')." in html.unescape(editor.status.value),
    ) == (19, "drawn", "Risk register: 19 risks", True)



def test_a_cell_run_again_replaces_the_result_it_showed(book):
    editor = section_editor(book, SAMPLE_PLAN, "risks")
    results = follow_saves(editor)
    results.show(show_risk_register)
    again = results.show(show_risk_register)
    after = results.show(show_risk_profile_chart, residual=True)
    before = results.show(show_risk_profile_chart)
    assert results.shown == [again, after, before]


def test_results_of_views_given_tables_are_kept_apart(book):
    editor = section_editor(book, SAMPLE_PLAN, "monitoring")
    results = follow_saves(editor)
    measurements = book.measurements(SAMPLE_PLAN)
    first = results.show(show_kpi_evaluation, measurements, as_of=PLAN_DATE)
    second = results.show(show_kpi_evaluation, measurements.copy(), as_of=PLAN_DATE)
    assert results.shown == [first, second]


def test_the_plan_is_read_once_for_the_editor_and_its_results(book, monkeypatch):
    # Every step opens an editor and then its results; the plan the editor loads is the one saved.
    loaded = []
    load = type(book).load

    def counted(self, *args, **kwargs):
        loaded.append(args)
        return load(self, *args, **kwargs)

    monkeypatch.setattr(type(book), "load", counted)
    results = follow_saves(section_editor(book, SAMPLE_PLAN, "risks"))
    assert (len(loaded), results.show(show_risk_register).result.caption) == (
        1, "Risk register: 18 risks, worst after mitigation first")
