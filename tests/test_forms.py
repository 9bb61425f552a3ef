import datetime as dt
import html
from typing import Literal

import pytest
from pydantic import Field

from partnerlib import (
    SECTIONS,
    InvalidInput,
    Plan,
    PlanError,
    PlanInfo,
    Workspace,
    form_for,
    load_sample,
    section_editor,
)
from partnerlib.models import (
    Appetite,
    Contribution,
    Criterion,
    Engagement,
    Kpi,
    Measurement,
    Rate,
    Record,
    Risk,
    Risks,
    Score,
    SwotFactor,
    TowsStrategy,
)
from partnerlib.ui.forms import WIDGET_RULES, UnknownFieldType, field_label
from partnerlib.ui.widgets import help_html, help_text, rule_for

PLAN = "Riverside"
WHEN = dt.date(2026, 3, 31)


class Counter(Record):
    count: int = Field(0, description="A plain whole number.")


class Odd(Record):
    table: dict[str, int] = Field(default_factory=dict, description="No widget for this.")


class Outing(Record):
    days: list[Literal["Saturday", "Sunday"]] = Field(default_factory=list, description="The days it runs.")


def _risk(number: int, **changes) -> Risk:
    values = {"id": f"r{number}", "title": f"Risk {number}", "likelihood": 2, "impact": 3}
    return Risk(**(values | changes))


#: A populated version of every section, so each form must round-trip real data.
POPULATED = {
    "info": {"name": PLAN, "organisation": "Hope Mission", "ssu_name": "Riverside",
             "ssu_kind": "local community", "currency": "KES", "as_of": WHEN, "author": "Ana"},
    "goals": {"organisation_goal": "Healthy families.", "ssu_goal": "Clean water.",
              "serves_organisation_goal": "Water first.",
              "objectives": [{"id": "o1", "title": "Train nurses", "owner": "Ben", "due": WHEN,
                              "measure": "20 trained", "status": "in progress"}],
              "motivations": [{"statement": "Reach more villages", "kind": "motivation"}]},
    "alignment": {"conversations": [{"leader": "Kofi", "team": "Health", "points": "Roles",
                                     "held_on": WHEN}],
                  "team_members": [{"name": "Esi", "role": "Nurse", "coaching_needs": "Data"}],
                  "peers": [{"id": "p1", "name": "Finance", "contact": "Yaw", "cadence": "monthly"}],
                  "checkins": [{"relationship": "p1", "date": WHEN, "by": "Ana", "notes": "Fine"}]},
    "partners": {"needs": [{"id": "n1", "title": "Clinic"}],
                 "candidates": [{"id": "c1", "name": "City Clinic", "need": "n1", "kind": "clinic or hospital",
                                 "status": "selected"}],
                 "criteria": [{"id": "k1", "name": "Reach", "weight": 2.5, "gate": True, "minimum": 2}],
                 "scores": [{"candidate": "c1", "criterion": "k1", "score": 4}],
                 "audit": [{"candidate": "c1", "check": "finances", "result": "pass"}],
                 "feedback": [{"stakeholder": "Elders", "date": WHEN, "sentiment": "supportive"}]},
    "business_case": {"purpose": "Care", "objectives": "More care",
                      "audiences": [{"name": "Mothers"}],
                      "swot": [{"id": "s1", "kind": "strength", "text": "Trust", "weight": 0.6, "rating": 4}],
                      "strategies": [{"kind": "SO", "factors": ["s1"], "text": "Build on trust"}],
                      "players": [{"name": "Clinic", "role": "Care"}],
                      "budget": [{"item": "Fuel", "kind": "cost", "amount": 1250.5}],
                      "benchmarks": [{"text": "Visits", "kpi": "k1"}]},
    "governance": {"roles": [{"party": "us", "role": "Lead"}],
                   "groups": [{"id": "g1", "kind": "strategic", "name": "Board"},
                              {"id": "g2", "name": "Project team", "reports_to": "g1"}],
                   "members": [{"group": "g1", "person": "Ana", "party": "us", "role": "chair"}],
                   "activities": [{"id": "a1", "name": "Report"}],
                   "assignments": [{"activity": "a1", "party": "us", "role": "A"}]},
    "risks": {"risks": [{"id": "r1", "title": "Floods", "category": "external", "likelihood": 2,
                         "impact": 4, "residual_likelihood": 1, "residual_impact": 3,
                         "reviewed": WHEN, "owner": "Ben"}],
              "appetite": [{"category": "external", "max_score": 12}]},
    "community": {"stakeholders": [{"id": "h1", "name": "Elders", "power": 4, "target_audience": True}],
                  "engagements": [{"id": "e1", "title": "Meeting", "date": WHEN, "stakeholders": ["h1"]}],
                  "questions": [{"id": "q1", "text": "We are heard"}],
                  "answers": [{"question": "q1", "respondent": "A7", "answer": 4}]},
    "resources": {"rates": [{"id": "t1", "name": "Nurse", "hourly": 12.5, "year": 2026}],
                  "contributions": [{"id": "x1", "party": "us", "form": "in kind", "hours": 40,
                                     "rate": "t1", "year": 2026}],
                  "costs": [{"item": "Fuel", "paid_by": "us", "amount": 80, "date": WHEN}],
                  "rule": "agreed shares", "shares": [{"party": "us", "percent": 100}],
                  "vision_budget": [{"impact_area": "Health", "item": "Clinic days", "amount": 900}],
                  "rule_note": "Reviewed yearly"},
    "communication": {"messages": [{"message": "Together for health"}], "guidelines": "Be kind",
                      "lines": [{"owner": "Ana", "audience": "Clinic", "frequency": "weekly"}],
                      "calendar": [{"date": WHEN, "title": "Newsletter", "channel": "newsletter"}],
                      "testimonials": [{"giver": "Esi", "text": "Great", "permission": True}]},
    "monitoring": {"kpis": [{"id": "k1", "name": "Visits", "baseline": 10, "target": 50.5,
                             "baseline_date": WHEN, "target_date": dt.date(2027, 3, 31), "decimals": 1}],
                   "collection": [{"kpi": "k1", "method": "Register"}]},
    "review": {"reviews": [{"id": "v1", "name": "First", "date": WHEN}],
               "ratings": [{"review": "v1", "party": "us", "factor": "flexibility", "score": 4}],
               "recommendations": [{"text": "Meet monthly", "due": WHEN}]},
}


@pytest.fixture
def workspace(tmp_path):
    ws = Workspace.open(tmp_path / "workspace.sqlite")
    plan = Plan(**{name: SECTIONS[name].model_validate(data) for name, data in POPULATED.items()})
    ws.create_plan(plan, author="Setup")
    yield ws
    ws.close()


# ---- the table: one case per rule -------------------------------------------

#: Records a reference field may point at, as a section's form passes them to a record form.
KNOWN = {"candidate": {"c1": "City Clinic"}, "stakeholders": {"h1": "Elders", "h2": "Youth"}}

#: (rule name, model, field, widget class shown)
RULE_CASES = [
    ("list of records", Risks, "risks", "RecordTable"),
    ("reference to a record", Score, "candidate", "Dropdown"),
    ("references to records", Engagement, "stakeholders", "CheckList"),
    ("yes or no", Criterion, "gate", "Checkbox"),
    ("choice", Risk, "category", "Dropdown"),
    ("several choices", Outing, "days", "CheckList"),
    ("date (empty allowed when optional)", Risk, "reviewed", "Text"),
    ("optional whole number", Risk, "residual_impact", "Text"),
    ("1–5 word scale", Risk, "impact", "Text"),
    ("bounded whole number", Appetite, "max_score", "Text"),
    ("whole number", Counter, "count", "Text"),
    ("optional number", Kpi, "baseline", "Text"),
    ("bounded number", Criterion, "weight", "Text"),
    ("number", Measurement, "value", "Text"),
    ("list of ids", TowsStrategy, "factors", "Text"),
    ("long text", Risk, "cause", "Textarea"),
    ("text", Risk, "title", "Text"),
]


@pytest.mark.parametrize(("rule", "model", "field", "widget"), RULE_CASES)
def test_each_rule_gives_its_widget(rule, model, field, widget):
    assert type(form_for(model, references=KNOWN).fields[field]).__name__ == widget


def test_every_rule_has_a_case():
    assert [case[0] for case in RULE_CASES] == [rule.name for rule in WIDGET_RULES]


def test_an_unknown_type_names_the_field():
    with pytest.raises(UnknownFieldType, match=r"Odd\.table"):
        form_for(Odd)


# ---- what each kind of widget reads and shows ---------------------------------

#: (model, field, what the user enters, what the model receives)
READ_CASES = [
    (Criterion, "gate", True, True),
    (Risk, "category", "financial", "financial"),
    (Risk, "reviewed", "31 Mar 2026", WHEN),
    (Risk, "reviewed", "31 March 2026", WHEN),
    (Risk, "reviewed", "2026-03-31", WHEN),
    (Risk, "reviewed", "31/3/2026", WHEN),       # day first
    (Risk, "reviewed", "", None),
    (Risk, "residual_impact", " 4 ", 4),
    (Risk, "residual_impact", "", None),
    (Risk, "residual_likelihood", "almost certain", 5),
    (Kpi, "baseline", "12.5", 12.5),
    (Kpi, "baseline", "", None),
    (Engagement, "stakeholders", "h1, h2,, ", ["h1", "h2"]),
    (Outing, "days", ("Sunday", "Saturday"), ["Saturday", "Sunday"]),
    (Risk, "cause", "Rain\nand more rain", "Rain\nand more rain"),
]


@pytest.mark.parametrize(("model", "field", "entered", "expected"), READ_CASES)
def test_entered_values_reach_the_model(model, field, entered, expected):
    form = form_for(model)
    form.fields[field].value = entered
    assert getattr(form.value, field) == expected


def test_choices_are_the_literal_values():
    options = form_for(Appetite).fields["category"].options
    assert [value for _label, value in options[:2]] == ["strategic", "financial"]


def test_scale_words_are_in_the_help_line():
    assert "4 Major" in form_for(Risk).widget.children[6].children[1].value


def test_labels_are_humanised():
    assert form_for(Risk).fields["residual_likelihood"].description == field_label("residual_likelihood")


@pytest.mark.parametrize(("name", "expected"), [("checkins", "Check-ins"), ("kpis", "KPIs"), ("ssu_kind", "SSU kind")])
def test_field_labels_are_words(name, expected):
    assert field_label(name) == expected


# (model, field, help line): bounds written as people write numbers, never 1e+12
NUMBER_HELP = [
    (Contribution, "hours", "From 0 to 10,000,000."),
    (Contribution, "amount", "From 0 to 1,000,000,000,000."),
    (Rate, "year", "From 1990 to 2100."),  # a year is written as it is
]


@pytest.mark.parametrize(("model", "name", "expected"), NUMBER_HELP)
def test_number_bounds_read_as_people_write_them(model, name, expected):
    assert help_text(*rule_for(model, name)).endswith(expected)


def test_help_comes_from_the_description():
    assert form_for(Risk).fields["owner"].tooltip == Risk.model_fields["owner"].description


def test_new_form_shows_the_defaults():
    assert form_for(Appetite).fields["max_score"].value == "9"


# ---- a record form --------------------------------------------------------------


def test_record_form_round_trips():
    risk = _risk(1, residual_likelihood=1, reviewed=WHEN, cause="<b>rain</b>")
    assert form_for(Risk, risk).value == risk


@pytest.mark.parametrize("name", list(SECTIONS))
def test_every_section_form_round_trips(name):
    section = SECTIONS[name].model_validate(POPULATED[name])
    assert form_for(SECTIONS[name], section).value == section


@pytest.mark.parametrize("name", list(SECTIONS))
def test_every_section_of_the_sample_round_trips(name):
    section = getattr(load_sample(), name)
    assert form_for(SECTIONS[name], section).value == section


def test_invalid_value_raises_with_the_rule():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    with pytest.raises(InvalidInput, match=r"Impact must be between 1 and 5 \(you typed 9\)"):
        _ = form.value


def test_invalid_value_is_shown_next_to_its_field():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    with pytest.raises(InvalidInput):
        _ = form.value
    assert html.escape("Impact must be between 1 and 5 (you typed 9)") in form.error_labels["impact"].value


def test_invalid_value_stays_typed():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    with pytest.raises(InvalidInput):
        _ = form.value
    assert form.fields["impact"].value == "9"


def test_other_fields_show_no_message():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    with pytest.raises(InvalidInput):
        _ = form.value
    assert form.error_labels["likelihood"].value == ""


def test_model_rule_is_shown_by_the_field_it_names():
    form = form_for(Kpi, Kpi(id="k1", baseline=10, target=20))
    form.fields["direction"].value = "decrease"
    with pytest.raises(InvalidInput):
        _ = form.value
    assert list(form.errors) == ["direction"]


def test_fixing_the_value_clears_the_message():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    with pytest.raises(InvalidInput):
        _ = form.value
    form.fields["impact"].value = "5"
    _ = form.value
    assert form.errors == {}


def test_displaying_a_form_shows_only_the_widget():
    bundle = form_for(Risk)._repr_mimebundle_()
    assert bundle["text/plain"] == "Form for Risk"


# ---- a table of records -------------------------------------------------------------


def _table(*risks):
    form = form_for(Risks, Risks(risks=list(risks)))
    return form, form.fields["risks"]


def test_the_table_sits_in_a_box_the_keyboard_reaches_named_after_its_list():
    # On a phone the table scrolls sideways: a region with a name, reachable with Tab (axe-core's rule).
    _, table = _table(_risk(1))
    assert '<div class="partnerlib-records-box" role="region" tabindex="0" aria-label="Risks">' in table.table.value


def test_add_appends_a_record():
    form, table = _table(_risk(1))
    table.add_button.click()
    table.editor.fields["title"].value = "Fire"
    table.ok_button.click()
    assert [r.title for r in form.value.risks] == ["Risk 1", "Fire"]


def test_edit_changes_the_chosen_record():
    form, table = _table(_risk(1), _risk(2))
    table.chooser.value = 1
    table.edit_button.click()
    table.editor.fields["impact"].value = "5"
    table.ok_button.click()
    assert [r.impact for r in form.value.risks] == [3, 5]


def test_invalid_edit_keeps_the_table_and_shows_the_message():
    _, table = _table(_risk(1))
    table.edit(0)
    table.editor.fields["impact"].value = "9"
    table.ok_button.click()
    assert (table.rows[0].impact, table.editor.errors) == (
        3, {"impact": "Impact must be between 1 and 5 (you typed 9)"})


def test_cancel_drops_the_edit():
    _, table = _table(_risk(1))
    table.edit(0)
    table.editor.fields["title"].value = "Changed"
    table.cancel_button.click()
    assert (table.rows[0].title, table.editing) == ("Risk 1", False)


def test_delete_removes_the_chosen_record():
    form, table = _table(_risk(1), _risk(2), _risk(3))
    table.chooser.value = 1
    table.delete_button.click()
    assert [r.id for r in form.value.risks] == ["r1", "r3"]


def test_edit_without_a_choice_asks_for_one():
    _, table = _table(_risk(1))
    table.edit_button.click()
    assert "Choose a row" in table.message.value and not table.editing


def test_cross_row_rules_are_checked_by_the_section():
    form, table = _table(_risk(1), _risk(2))
    table.edit(1)
    table.editor.fields["id"].value = "r1"
    table.ok_button.click()
    with pytest.raises(InvalidInput):
        _ = form.value
    assert form.errors["risks"] == "Row 2 (Risk 2): ID 'r1' is used twice"


def test_an_open_row_blocks_the_section():
    form, table = _table(_risk(1))
    table.add()
    with pytest.raises(InvalidInput, match="A row is still open: press Keep this row or Cancel"):
        _ = form.value


def test_record_table_writes_dates_as_the_results_do():
    _, table = _table(_risk(1, reviewed=dt.date(2024, 9, 10)))
    assert ">10 Sep 2024<" in table.table.value and "2024-09-10" not in table.table.value


def test_record_table_escapes_names():
    _, table = _table(_risk(1, title="<script>alert(1)</script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table.table.value and "<script>" not in table.table.value


def test_messages_are_escaped():
    form = form_for(PlanInfo)
    form.fields["currency"].value = "<b>X</b>"
    with pytest.raises(InvalidInput):
        _ = form.value
    assert "&lt;b&gt;X&lt;/b&gt;" in form.error_labels["currency"].value and "<b>X" not in form.error_labels["currency"].value


# ---- the section editor: save, refuse, revert, reload -------------------------------


def _edit_first_risk(editor, **values):
    table = editor.form.fields["risks"]
    table.edit(0)
    for name, value in values.items():
        table.editor.fields[name].value = str(value)  # typed into its box
    return table.ok()


def test_editor_shows_the_saved_section(workspace):
    editor = section_editor(workspace, PLAN, "goals")
    assert editor.form.widget_for("organisation_goal").value == "Healthy families."


def test_valid_edit_is_saved_as_a_new_revision(workspace):
    before = len(workspace.history(PLAN, "risks"))
    editor = section_editor(workspace, PLAN, "risks", author="Ana")
    _edit_first_risk(editor, impact=5)
    editor.save_button.click()
    assert (len(workspace.history(PLAN, "risks")), workspace.load(PLAN).plan.risks.risks[0].impact) == (
        before + 1, 5)


def _save_words(editor, *steps):
    for step in steps:
        step(editor)
    return editor.save_button.description, editor.save_button.button_style, editor.unsaved


# (what the user does, in order; the Save button's words and style, and whether changes are unsaved)
SAVE_MARKS = [
    ((), ("Save", "primary", False)),
    ((lambda e: _edit_first_risk(e, impact=5),), ("Save changes ●", "warning", True)),   # kept in the table only
    ((lambda e: _edit_first_risk(e, impact=5), lambda e: e.save()), ("Save", "primary", False)),
    ((lambda e: _edit_first_risk(e, impact=5), lambda e: e.revert()), ("Save", "primary", False)),
    ((lambda e: e.form.fields["risks"].delete(0),), ("Save changes ●", "warning", True)),
]


@pytest.mark.parametrize(("steps", "expected"), SAVE_MARKS)
def test_the_save_button_marks_changes_not_saved_yet(workspace, steps, expected):
    assert _save_words(section_editor(workspace, PLAN, "risks"), *steps) == expected


def test_saved_status_names_the_time_and_author(workspace):
    editor = section_editor(workspace, PLAN, "risks", author="Ana")
    _edit_first_risk(editor, impact=5)
    editor.save()
    assert "Saved at" in editor.status.value and "by Ana" in editor.status.value


def test_change_marks_unsaved(workspace):
    editor = section_editor(workspace, PLAN, "goals")
    editor.form.fields["ssu_goal"].value = "Water and sanitation."
    assert "Unsaved changes" in editor.status.value


def test_on_saved_gets_the_new_value(workspace):
    seen = []
    editor = section_editor(workspace, PLAN, "goals", on_saved=seen.append)
    editor.form.fields["ssu_goal"].value = "Water and sanitation."
    editor.save()
    assert [s.ssu_goal for s in seen] == ["Water and sanitation."]


def test_invalid_impact_is_refused_next_to_the_field(workspace):
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor, impact=9)
    assert editor.form.fields["risks"].editor.errors["impact"] == "Impact must be between 1 and 5 (you typed 9)"


def test_invalid_impact_stays_typed(workspace):
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor, impact=9)
    assert editor.form.fields["risks"].editor.fields["impact"].value == "9"


def test_invalid_impact_saves_nothing(workspace):
    before = workspace.history(PLAN)
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor, impact=9)
    editor.save_button.click()
    assert (workspace.history(PLAN), "Not saved: 1 problem" in editor.status.value) == (before, True)


def test_invalid_section_saves_nothing(workspace):
    before = workspace.history(PLAN)
    editor = section_editor(workspace, PLAN, "info")
    editor.form.fields["currency"].value = "euro"
    editor.form.fields["name"].value = ""
    assert (editor.save(), workspace.history(PLAN)) == (None, before)


def test_invalid_section_counts_the_problems(workspace):
    editor = section_editor(workspace, PLAN, "info")
    editor.form.fields["currency"].value = "euro"
    editor.form.fields["name"].value = ""
    editor.save()
    assert "Not saved: 2 problems — see the messages by the fields." in editor.status.value


def _two_editors(workspace):
    first = section_editor(workspace, PLAN, "risks", author="Ana")
    second = section_editor(workspace, PLAN, "risks", author="Ben")
    _edit_first_risk(first, title="Floods (Ana)")
    first.save()
    _edit_first_risk(second, title="Floods (Ben)")
    return first, second


def test_stale_save_is_refused_naming_the_section(workspace):
    _, second = _two_editors(workspace)
    assert second.save() is None and "Risk and conflict" in second.status.value


def test_stale_save_overwrites_nothing(workspace):
    _, second = _two_editors(workspace)
    second.save_button.click()
    assert workspace.load(PLAN).plan.risks.risks[0].title == "Floods (Ana)"


def test_stale_save_keeps_what_was_typed(workspace):
    _, second = _two_editors(workspace)
    second.save()
    assert second.form.fields["risks"].rows[0].title == "Floods (Ben)"


def test_stale_save_offers_reload(workspace):
    _, second = _two_editors(workspace)
    second.save()
    assert second.reload_button.layout.display != "none"


def test_reload_shows_the_latest_and_saves_again(workspace):
    _, second = _two_editors(workspace)
    second.save()
    second.reload_button.click()
    loaded = second.form.fields["risks"].rows[0].title
    _edit_first_risk(second, impact=1)
    assert (loaded, second.save().author) == ("Floods (Ana)", "Ben")


def test_revert_goes_back_to_the_saved_value(workspace):
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor, title="Changed")
    editor.revert_button.click()
    assert editor.form.value == workspace.load(PLAN).plan.risks


def test_saving_the_name_renames_the_plan_for_the_next_save(workspace):
    editor = section_editor(workspace, PLAN, "info")
    editor.form.fields["name"].value = "Riverside 2"
    editor.save()
    editor.form.fields["author"].value = "Ben"
    assert editor.save().plan == "Riverside 2"


def test_the_editor_names_its_plan_and_follows_a_rename(workspace):
    editor = section_editor(workspace, PLAN, "info")
    before = editor.heading.value
    editor.form.fields["name"].value = "Riverside <b>2</b>"
    editor.save()
    assert (f"<b>{PLAN}</b>" in before, "<b>Riverside &lt;b&gt;2&lt;/b&gt;</b>" in editor.heading.value) == (True, True)


def test_editor_displays_as_a_widget_with_a_fixed_text(workspace):
    bundle = section_editor(workspace, PLAN, "goals")._repr_mimebundle_()
    assert bundle["text/plain"] == "Editor of the section 'Goals' (Save, Revert)"


def test_unknown_section_is_refused(workspace):
    with pytest.raises(PlanError) as refused:
        section_editor(workspace, PLAN, "budget")
    assert str(refused.value) == (
        "'budget' is not a plan section (choose from info, goals, alignment, partners, business_case, "
        "governance, risks, community, resources, communication, monitoring, review)")


def test_info_form_has_the_plan_details():
    assert form_for(PlanInfo).fields["ssu_kind"].value == "programme"


def test_a_failing_callback_is_reported_and_the_save_stands(workspace):
    def broken(_value):
        raise ValueError("no chart today")

    editor = section_editor(workspace, PLAN, "goals", on_saved=broken)
    editor.form.fields["ssu_goal"].value = "Water and sanitation."
    editor.save_button.click()
    assert (workspace.load(PLAN).plan.goals.ssu_goal, "no chart today" in editor.status.value) == (
        "Water and sanitation.", True)


def test_a_change_after_a_stale_save_keeps_the_message(workspace):
    _, second = _two_editors(workspace)
    second.save()
    second.form.fields["risks"].delete(0)
    assert "Risk and conflict" in second.status.value


def test_a_required_field_without_default_starts_empty():
    assert form_for(Measurement).fields["date"].value == ""


def test_an_open_row_must_be_finished_before_another_action():
    _, table = _table(_risk(1), _risk(2))
    table.edit(0)
    table.editor.fields["title"].value = "Typed"
    table.delete(1)
    assert (len(table.rows), table.editor.fields["title"].value) == (2, "Typed")


# ---- one control per table: the "Row:" dropdown -------------------------------------


def test_the_row_picker_names_each_row():
    _, table = _table(_risk(1, title="Floods"))
    assert table.chooser.options == (("— choose a row —", -1), ("1 · Floods", 0))


def test_the_table_and_its_picker_are_one_control_without_a_list_box():
    _, table = _table(_risk(1))
    kinds = {type(child).__name__ for box in table.widget.children for child in getattr(box, "children", [box])}
    assert "Select" not in kinds


def test_the_buttons_keep_their_words():
    editor_form, table = _table(_risk(1))
    assert [b.description for b in (table.add_button, table.edit_button, table.delete_button,
                                    table.ok_button, table.cancel_button)] == ["Add", "Edit", "Delete", "Keep this row", "Cancel"]


# ---- ids are internal -----------------------------------------------------------------


def test_the_id_field_is_hidden():
    form = form_for(Risk, _risk(1))
    assert form.fields["id"].value == "r1" and form.widget.children[0].layout.display == "none"


def test_the_table_shows_no_id_column():
    _, table = _table(_risk(1, id="zz9"))
    assert "zz9" not in table.table.value and ">ID<" not in table.table.value


def test_a_new_row_gets_a_generated_id():
    form, table = _table(_risk(1))
    table.add()
    table.editor.fields["title"].value = "Fire"
    table.ok()
    assert len(form.value.risks[1].id) == 8 and form.value.risks[1].id != "r1"


# ---- references: names shown, ids kept ---------------------------------------------------

#: (section, list of records, record model field, id → name expected among the choices)
SAME_SECTION_CASES = [
    ("partners", "scores", "candidate", ("c1", "City Clinic")),
    ("partners", "scores", "criterion", ("k1", "Reach")),
    ("partners", "audit", "candidate", ("c1", "City Clinic")),
    ("partners", "candidates", "need", ("n1", "Clinic")),
    ("governance", "members", "group", ("g1", "Board")),
    ("governance", "assignments", "activity", ("a1", "Report")),
    ("community", "answers", "question", ("q1", "We are heard")),
    ("community", "engagements", "stakeholders", ("h1", "Elders")),
    ("resources", "contributions", "rate", ("t1", "Nurse")),
    ("monitoring", "collection", "kpi", ("k1", "Visits")),
    ("review", "ratings", "review", ("v1", "First")),
    ("business_case", "strategies", "factors", ("s1", "Trust")),
    ("alignment", "checkins", "relationship", ("p1", "Finance")),
]


def _open_first(name, table_name, plan=None):
    section = SECTIONS[name].model_validate(POPULATED[name])
    form = form_for(SECTIONS[name], section, plan=plan)
    table = form.fields[table_name]
    table.edit(0)
    return form, table


@pytest.mark.parametrize(("name", "table_name", "field", "choice"), SAME_SECTION_CASES)
def test_a_reference_lists_the_records_of_the_section_by_name(name, table_name, field, choice):
    _, table = _open_first(name, table_name)
    assert (choice[1], choice[0]) in table.editor.fields[field].options


def _plan():
    return Plan(**{name: SECTIONS[name].model_validate(data) for name, data in POPULATED.items()})


#: (section, list of records, field, id → name expected, read from the plan)
PLAN_CASES = [
    ("governance", "members", "party", ("us", "Hope Mission")),
    ("governance", "members", "party", ("c1", "City Clinic")),
    ("governance", "roles", "party", ("us", "Hope Mission")),
    ("resources", "contributions", "party", ("c1", "City Clinic")),
    ("resources", "costs", "paid_by", ("us", "Hope Mission")),
    ("resources", "shares", "party", ("us", "Hope Mission")),
    ("review", "ratings", "party", ("us", "Hope Mission")),
    ("alignment", "checkins", "relationship", ("c1", "City Clinic")),
    ("business_case", "benchmarks", "kpi", ("k1", "Visits")),
]


@pytest.mark.parametrize(("name", "table_name", "field", "choice"), PLAN_CASES)
def test_a_reference_to_another_section_lists_the_plan_records_by_name(name, table_name, field, choice):
    _, table = _open_first(name, table_name, plan=_plan())
    assert (choice[1], choice[0]) in table.editor.fields[field].options


def test_without_a_plan_parties_stay_a_text_box():
    _, table = _open_first("governance", "members")
    assert type(table.editor.fields["party"]).__name__ == "Text"


def test_the_editor_passes_its_plan(workspace):
    editor = section_editor(workspace, PLAN, "governance")
    table = editor.form.fields["members"]
    table.edit(0)
    assert table.editor.fields["party"].value == "us" and ("Hope Mission", "us") in table.editor.fields["party"].options


def test_an_unknown_reference_stays_visible():
    form = form_for(Score, Score(candidate="gone", criterion="k1", score=3),
                    references={"candidate": {"c1": "City Clinic"}})
    assert (form.fields["candidate"].options[-1], form.value.candidate) == (("gone (unknown)", "gone"), "gone")


def test_a_chosen_reference_reaches_the_model_as_an_id():
    form = form_for(Score, references={"candidate": {"c1": "City Clinic"}})
    form.fields["candidate"].value = "c1"
    form.fields["criterion"].value = "k1"
    form.fields["score"].value = "3"
    assert form.value.candidate == "c1"


def test_several_references_reach_the_model_as_ids():
    form = form_for(Engagement, Engagement(id="e1", title="Meeting"), references=KNOWN)
    form.fields["stakeholders"].value = ("h1", "h2")
    assert form.value.stakeholders == ["h1", "h2"]


def test_the_table_shows_names_instead_of_ids():
    _, table = _open_first("partners", "scores")
    assert "City Clinic" in table.table.value and ">c1<" not in table.table.value


def test_a_row_without_a_name_is_named_by_what_it_points_at():
    _, table = _open_first("partners", "scores")
    assert table.chooser.options[1] == ("1 · City Clinic · Reach", 0)


def test_renaming_a_record_renames_it_in_the_other_tables():
    form, _ = _open_first("partners", "candidates")
    candidates = form.fields["candidates"]
    candidates.editor.fields["name"].value = "Town Clinic"
    candidates.ok()
    assert "Town Clinic" in form.fields["scores"].table.value


# ---- long text, readable sizes, messages ------------------------------------------------

#: (text in a long-text box, rows shown)
ROWS_CASES = [("", 2), ("Short.", 2), ("word " * 40, 3), ("line\n" * 30, 10)]


@pytest.mark.parametrize(("text", "rows"), ROWS_CASES)
def test_a_long_text_box_grows_with_its_text(text, rows):
    form = form_for(Risk, _risk(1, cause=text.strip() if text.strip() else ""))
    form.fields["cause"].value = text
    assert form.fields["cause"].rows == rows


def test_a_long_text_box_uses_the_normal_font():
    assert "textarea{font-family:var(--jp-ui-font-family" in form_for(Risk).widget.children[-1].value


def test_a_form_has_a_readable_size():
    form = form_for(Risk)
    assert "partnerlib-form" in form.widget._dom_classes and "font-size:16px" in form.widget.children[-1].value


def test_a_message_is_marked_by_a_sign_not_only_a_colour():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    assert "⚠" in form.error_labels["impact"].value


# ---- checked as typed -----------------------------------------------------------------------


def test_a_change_is_checked_at_once():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    assert form.errors == {"impact": "Impact must be between 1 and 5 (you typed 9)"}


def test_a_change_shows_no_message_for_untouched_fields():
    form = form_for(Risk)
    form.fields["impact"].value = "4"
    assert form.errors == {}


def test_a_fixed_change_clears_its_message():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    form.fields["impact"].value = "2"
    assert form.error_labels["impact"].value == ""


def test_a_checked_change_saves_nothing(workspace):
    before = workspace.history(PLAN)
    editor = section_editor(workspace, PLAN, "info")
    editor.form.fields["currency"].value = "euro"
    assert (workspace.history(PLAN), "currency" in editor.form.errors) == (before, True)


def test_a_duplicate_row_is_reported_when_kept():
    form, table = _table(_risk(1), _risk(2))
    table.edit(1)
    table.editor.fields["id"].value = "r1"
    table.ok()
    assert "used twice" in form.errors["risks"]


# ---- "Keep this row" keeps a row in the table; only Save stores it ----------------------


def test_a_kept_row_saves_nothing_and_says_save_stores_it(workspace):
    before = workspace.history(PLAN)
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor, impact=5)
    assert (
        workspace.history(PLAN),
        "Row 1 (Floods) kept in the table — press Save below to store your changes." in editor.form.fields["risks"].message.value,
        "Unsaved changes — press Save to store them." in editor.status.value,
    ) == (before, True, True)


def test_save_stores_the_kept_row_and_clears_the_note(workspace):
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor, impact=5)
    editor.save_button.click()
    assert (workspace.load(PLAN).plan.risks.risks[0].impact, editor.form.fields["risks"].message.value) == (5, "")


def test_a_deleted_row_is_stored_only_by_save(workspace):
    before = workspace.history(PLAN)
    editor = section_editor(workspace, PLAN, "risks")
    editor.form.fields["risks"].delete(0)
    message = editor.form.fields["risks"].message.value
    assert (workspace.history(PLAN), "Row 1 (Floods) deleted from the table — press Save below" in message) == (
        before, True)


def test_save_keeps_a_valid_open_row_first(workspace):
    editor = section_editor(workspace, PLAN, "risks")
    table = editor.form.fields["risks"]
    table.edit(0)
    table.editor.fields["impact"].value = "5"
    editor.save_button.click()
    assert (workspace.load(PLAN).plan.risks.risks[0].impact, table.editing) == (5, False)


def test_save_leaves_an_invalid_open_row_open_and_saves_nothing(workspace):
    before = workspace.history(PLAN)
    editor = section_editor(workspace, PLAN, "risks")
    table = editor.form.fields["risks"]
    table.edit(0)
    table.editor.fields["impact"].value = "9"
    editor.save_button.click()
    assert (workspace.history(PLAN), table.editing, "Not saved" in editor.status.value) == (before, True, True)


def test_a_row_kept_unchanged_leaves_nothing_to_save(workspace):
    editor = section_editor(workspace, PLAN, "risks")
    _edit_first_risk(editor)
    assert ("nothing changed" in editor.form.fields["risks"].message.value, "Unsaved" in editor.status.value) == (
        True, False)


def test_a_row_not_kept_says_why_by_its_button():
    _, table = _table(_risk(1))
    table.edit(0)
    table.editor.fields["impact"].value = "9"
    table.ok_button.click()
    assert "not kept yet: correct the fields marked ⚠ above, then press Keep this row again" in table.editor_message.value


def test_a_kept_row_is_chosen_in_the_row_list():
    _, table = _table(_risk(1))
    table.add()
    table.editor.fields["title"].value = "Fire"
    table.ok()
    assert table.chooser.label == "2 · Fire"


# ---- messages in the form's words: labels, what was typed, rows by name -----------------------


def test_a_form_message_names_the_label_not_the_field():
    form = form_for(Risk, _risk(1))
    form.fields["impact"].value = "9"
    assert ("Impact must be" in form.error_labels["impact"].value, "'impact'" in form.error_labels["impact"].value) == (
        True, False)


#: (model, record, field changed, value, the message by the field)
RECORD_RULE_CASES = [
    (Kpi, Kpi(id="k1", baseline=10, target=20), "direction", "decrease",
     "Direction is decrease but the target (20) is above the baseline (10)"),
    (SwotFactor, SwotFactor(id="s1", kind="strength", text="Trust", rating=4), "rating", "2",
     "Rating of a strength must be between 3 and 4 (now 2)"),
    (PlanInfo, PlanInfo(name=PLAN), "ssu_name", "x" * 201, "SSU name must be at most 200 characters (you typed 201)"),
]


@pytest.mark.parametrize(("model", "record", "field", "value", "message"), RECORD_RULE_CASES)
def test_a_record_rule_is_worded_with_labels(model, record, field, value, message):
    form = form_for(model, record)
    form.fields[field].value = value
    assert form.errors == {field: message}


def _partners(**changes):
    section = SECTIONS["partners"].model_validate(POPULATED["partners"] | changes)
    return form_for(SECTIONS["partners"], section)


def test_a_rule_between_rows_names_the_row_and_the_records_by_name():
    form = _partners()
    scores = form.fields["scores"]
    scores.add()
    for name, value in {"candidate": "c1", "criterion": "k1", "score": "2"}.items():
        scores.editor.fields[name].value = value
    scores.ok()
    with pytest.raises(InvalidInput):
        _ = form.value
    assert form.errors == {"scores": "Row 2 (City Clinic · Reach): 'City Clinic' is scored twice on 'Reach'"}


def test_a_row_pointing_at_a_deleted_record_says_what_to_do():
    form = _partners()
    form.fields["needs"].delete(0)
    with pytest.raises(InvalidInput):
        _ = form.value
    assert form.errors == {"candidates": "Row 1 (City Clinic): Need points at a need that is not in the list "
                                         "('n1'): edit this row and choose one from the list"}


# ---- several choices by ticking, not by Ctrl-click -----------------------------------------


def _stakeholders(*chosen, known=KNOWN):
    form = form_for(Engagement, Engagement(id="e1", title="Meeting", stakeholders=list(chosen)), references=known)
    return form, form.fields["stakeholders"]


def test_each_choice_is_a_checkbox_labelled_with_its_name_as_text():
    _, chosen = _stakeholders(known={"stakeholders": {"h1": "<b>Elders</b>", "h2": "Youth"}})
    assert [(box.description, box.description_allow_html) for box in chosen.checkboxes] == [
        ("<b>Elders</b>", False), ("Youth", False)]


def test_a_tick_reaches_the_model_as_an_id():
    form, chosen = _stakeholders("h1")
    chosen.checkboxes[1].value = True
    assert form.value.stakeholders == ["h1", "h2"]


def test_one_tick_is_one_change():
    form, chosen = _stakeholders()
    changes = []
    form.on_change(lambda: changes.append(1))
    chosen.checkboxes[0].value = True
    assert changes == [1]


def test_a_saved_choice_is_shown_ticked():
    _, chosen = _stakeholders("h2")
    assert [box.value for box in chosen.checkboxes] == [False, True]


def test_an_unknown_choice_stays_ticked_and_is_kept():
    form, chosen = _stakeholders("gone")
    assert (chosen.checkboxes[-1].description, chosen.checkboxes[-1].value, form.value.stakeholders) == (
        "gone (unknown)", True, ["gone"])


def test_the_help_line_says_tick_not_ctrl():
    row = form_for(Engagement, references=KNOWN).widget.children[list(Engagement.model_fields).index("stakeholders")]
    help_line = row.children[1].value
    assert ("Tick each one that applies" in help_line, "Ctrl" in help_line) == (True, False)


def test_a_disabled_list_greys_every_box():
    _, chosen = _stakeholders()
    chosen.disabled = True
    assert [box.disabled for box in chosen.checkboxes] == [True, True]


def test_a_long_list_scrolls():
    _, chosen = _stakeholders(known={"stakeholders": {f"h{n}": f"Group {n}" for n in range(30)}})
    assert (len(chosen.checkboxes), chosen.children[1].layout.overflow) == (30, "auto")


def test_the_row_chooser_shows_its_prompt_when_no_row_is_chosen():
    _, table = _table(_risk(1))
    assert table.chooser.label == "— choose a row —"


# ---- one look, shared: fewer widget models to send and build ---------------------------------


def _tree(widget):
    """The widget and every widget inside it."""
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _tree(child)


def test_a_form_shares_one_layout_and_style_among_its_plain_widgets(workspace):
    editor = section_editor(workspace, PLAN, "community")
    editor.form.fields["stakeholders"].add()  # an open record form too
    widgets = list(_tree(editor.widget))
    layouts = {id(w.layout) for w in widgets}
    styles = {id(w.style) for w in widgets if hasattr(w, "style")}
    assert len(layouts) < len(widgets) / 4 and len(styles) < 10, (len(widgets), len(layouts), len(styles))


def test_hiding_a_part_of_a_form_hides_nothing_else(workspace):
    # The parts a form hides and shows (an open row's box, Reload, the id rows) have layouts of their own.
    editor = section_editor(workspace, PLAN, "community")
    table = editor.form.fields["stakeholders"]
    hidden = [table.editor_box, editor.reload_button]
    widgets = list(_tree(editor.widget))
    assert [w for w in widgets if w not in hidden and any(w.layout is h.layout for h in hidden)] == []
    table.add()
    record_form = table.editor
    id_row = next(w for w in _tree(record_form.widget) if getattr(w, "layout", None) is not None
                  and w.layout.display == "none")
    assert [w for w in _tree(editor.widget) if w is not id_row and w.layout is id_row.layout] == []


# (model, field, typed, message): every number field keeps what was typed and says why it is refused
NUMBER_TYPED = [
    (Risk, "impact", "x", "Impact must be a whole number (you typed 'x')"),
    (Risk, "residual_impact", "x", "Residual impact must be a whole number (you typed 'x')"),
    (Criterion, "weight", "lots", "Weight must be a number (you typed 'lots')"),
    (Kpi, "baseline", "lots", "Baseline must be a number (you typed 'lots')"),
]


@pytest.mark.parametrize(("model", "name", "typed", "message"), NUMBER_TYPED)
def test_every_number_field_answers_letters_with_a_message(model, name, typed, message):
    form = form_for(model)
    form.fields[name].value = typed
    assert (form.fields[name].value, form.errors.get(name)) == (typed, message)


def test_a_date_is_shown_as_the_tables_write_it():
    assert form_for(Risk, _risk(1, reviewed=WHEN)).fields["reviewed"].value == "31 Mar 2026"


@pytest.mark.parametrize(("typed", "message"), [
    ("soon", "Reviewed must be a date like 1 Sep 2027 (you typed 'soon')"),
    ("3/31/2026", "Reviewed must be a date like 1 Sep 2027 (you typed '3/31/2026')"),  # no 31st month
])
def test_a_date_that_cannot_be_read_keeps_what_was_typed_and_says_how_to_write_it(typed, message):
    form = form_for(Risk)
    form.fields["reviewed"].value = typed
    assert (form.fields["reviewed"].value, form.errors.get("reviewed")) == (typed, message)


# ---- long lists: pages of 25, no scroll box, long text wraps -------------------------------------


def _shown_rows(table) -> list[str]:
    """The row numbers the table shows now."""
    return [cell.split("</td>")[0] for cell in table.table.value.split("<tr><td>")[1:]]


def _many(count):
    return _table(*(_risk(number) for number in range(1, count + 1)))[1]


# (rows, page turns: +1 Next / -1 Previous, first and last row shown, pager shown, label)
PAGING = [
    (18, [], ("1", "18"), False),            # the sample's 18 risks: all at once
    (25, [], ("1", "25"), False),
    (60, [], ("1", "25"), True),
    (60, [+1], ("26", "50"), True),
    (60, [+1, +1], ("51", "60"), True),
    (60, [+1, +1, +1], ("51", "60"), True),  # Next on the last page stays there
    (60, [+1, -1], ("1", "25"), True),
]


@pytest.mark.parametrize(("count", "turns", "shown", "paged"), PAGING)
def test_long_lists_are_shown_in_pages_of_25(count, turns, shown, paged):
    table = _many(count)
    for turn in turns:
        (table.next_button if turn > 0 else table.previous_button).click()
    rows = _shown_rows(table)
    assert ((rows[0], rows[-1]), table.pager.layout.display != "none") == (shown, paged)


def test_the_pager_says_which_rows_are_shown():
    table = _many(60)
    table.next_button.click()
    assert "Rows 26–50 of 60" in table.page_label.value


def test_a_kept_new_row_is_shown_on_its_page():
    table = _many(60)
    table.add()
    table.editor.fields["title"].value = "Fire"
    table.editor.fields["likelihood"].value = "2"
    table.editor.fields["impact"].value = "2"
    table.ok()
    assert _shown_rows(table)[-1] == "61"


def test_the_table_is_not_a_scroll_box_and_long_text_wraps():
    table = _table(_risk(1, title="Flood " * 30))[1]
    assert ("max-height" in table.table.value, "overflow-wrap:break-word" in table.table.value,
            "Flood " * 29 in table.table.value) == (False, True, True)


#: (model, field, references, the help line's words): a reference field is helped by what its
#: model declares it points at, never by a description that speaks of ids.
REFERENCE_HELP = [
    (Engagement, "stakeholders", KNOWN, "Tick each one that applies; add a stakeholder first if it is missing."),
    (Score, "candidate", {"candidate": {"c1": "City Clinic"}},
     "Pick a candidate from the list; add it first if it is missing."),
]


@pytest.mark.parametrize(("model", "field", "references", "expected"), REFERENCE_HELP)
def test_a_reference_is_helped_by_what_it_points_at(model, field, references, expected):
    row = form_for(model, references=references).widget.children[list(model.model_fields).index(field)]
    assert row.children[1].value == help_html(expected)
