"""The views of steps 0 and 2–5: what each table shows, in which order, formatted and escaped."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from partnerlib import (
    AuditItem,
    BudgetLine,
    Candidate,
    CheckIn,
    Member,
    Peer,
    Score,
    SwotFactor,
    load_sample,
    seed_workspace,
    show_benchmarks,
    show_budget_lines,
    show_business_case_budget,
    show_candidate_chart,
    show_candidate_scores,
    show_checkin_log,
    show_checkin_schedule,
    show_contact_calendar,
    show_conversations,
    show_due_diligence,
    show_feedback,
    show_governance_chart,
    show_groups,
    show_partner_roles,
    show_peers,
    show_plans,
    show_raci,
    show_raci_problems,
    show_shortlist,
    show_structure_problems,
    show_swot_board,
    show_swot_chart,
    show_swot_scores,
    show_swot_totals,
    show_team_members,
    show_tows_strategies,
    show_weight_sensitivity,
)

AS_OF = dt.date(2026, 9, 30)
EVIL = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


@pytest.fixture
def plan():
    """A fresh copy of the sample plan for each test (tests may change it)."""
    return load_sample()


def column(shown, heading):
    return shown.frame[heading].tolist()


def pairs(shown, first, second):
    return list(zip(column(shown, first), column(shown, second), strict=True))


def escaped(shown):
    """Whether the untrusted text shows escaped, and whether it shows raw, in the table's HTML."""
    html = shown._repr_html_()
    return ESCAPED in html, EVIL in html


# ---- step 0 ---------------------------------------------------------------------


def test_plans_lists_the_sample_with_its_saves(tmp_path):
    with seed_workspace(tmp_path / "ws.sqlite") as book:
        shown = show_plans(book)
    row = shown.frame.set_index("Plan").loc["Riverside Community Health"]
    assert (row.name, row["Organisation"], row["Saves since created"]) == (
        "Riverside Community Health",
        "Hope Alliance International",
        "0",
    )


def test_a_plan_counts_the_saves_made_after_it_was_created(tmp_path):
    with seed_workspace(tmp_path / "ws.sqlite") as book:
        book.copy_plan("Riverside Community Health", "Ours")
        goals = book.load("Ours").plan.goals
        book.save_section("Ours", "goals", goals.model_copy(update={"organisation_goal": "New"}), base=None)
        shown = show_plans(book)
    assert shown.frame.set_index("Plan")["Saves since created"].to_dict() == {
        "Ours": "1",
        "Riverside Community Health": "0",
    }


def test_plans_show_the_last_save_as_a_sortable_utc_time(tmp_path):
    # The sample counts as saved when it was written; a save now is shown as now.
    with seed_workspace(tmp_path / "ws.sqlite") as book:
        written = show_plans(book).frame.set_index("Plan").loc["Riverside Community Health", "Last saved (UTC)"]
        goals = book.load("Riverside Community Health").plan.goals
        book.save_section("Riverside Community Health", "goals", goals.model_copy(update={"organisation_goal": "New"}), base=None)
        saved = show_plans(book).frame.set_index("Plan").loc["Riverside Community Health", "Last saved (UTC)"]
    moment = dt.datetime.strptime(saved, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC)
    assert (written, abs(dt.datetime.now(dt.UTC) - moment) < dt.timedelta(minutes=5)) == ("2026-09-30 09:00", True)


def test_plans_are_listed_by_name_and_escaped(tmp_path):
    with seed_workspace(tmp_path / "ws.sqlite") as book:
        book.copy_plan("Riverside Community Health", EVIL)
        shown = show_plans(book)
    assert (column(shown, "Plan"), escaped(shown)) == (
        [EVIL, "Lakeside Girls' Education", "Riverside Community Health"], (True, False))


# ---- step 2 ---------------------------------------------------------------------


def test_schedule_puts_the_most_overdue_first(plan):
    shown = show_checkin_schedule(plan, as_of=AS_OF)
    assert column(shown, "With")[:3] == [
        "Quality and certification",
        "Local chapters and churches",
        "ByteBridge Solutions",
    ]


def test_schedule_says_when_in_words_with_dates(plan):
    row = show_checkin_schedule(plan, as_of=AS_OF).frame.iloc[0]
    assert row[["Last check-in", "Next due", "When", "Status"]].tolist() == [
        "10 Jun 2026",
        "10 Jul 2026",
        "82 days overdue",
        "overdue",
    ]


WHEN_CASES = [
    (dt.date(2026, 8, 31), "due today"),  # monthly: 30 days after 31 Aug
    (dt.date(2026, 8, 30), "1 day overdue"),
    (dt.date(2026, 9, 1), "in 1 day"),
    (dt.date(2026, 9, 10), "in 10 days"),
]


@pytest.mark.parametrize(("last", "expected"), WHEN_CASES)
def test_schedule_words_for_a_new_monthly_peer(plan, last, expected):
    plan.alignment.peers.append(Peer(id="peer-new", name="New desk", cadence="monthly"))
    plan.alignment.checkins.append(CheckIn(relationship="peer-new", date=last))
    frame = show_checkin_schedule(plan, as_of=AS_OF).frame
    assert frame.loc[frame["With"] == "New desk", "When"].item() == expected


def test_schedule_notes_a_relationship_never_visited(plan):
    plan.alignment.peers.append(Peer(id="peer-new", name="New desk"))
    frame = show_checkin_schedule(plan, as_of=AS_OF).frame
    assert frame.loc[frame["With"] == "New desk", ["When", "Note"]].values.tolist() == [
        ["due today", "never checked in"]
    ]


def test_calendar_is_by_date_and_starts_overdue_ones_today(plan):
    shown = show_contact_calendar(plan, as_of=AS_OF)
    assert (column(shown, "Date")[:4], len(shown.frame), shown.caption) == (
        ["30 Sep 2026", "30 Sep 2026", "30 Sep 2026", "3 Oct 2026"],
        18,
        "Contact calendar for the next 3 months",
    )


def test_calendar_for_one_month(plan):
    shown = show_contact_calendar(plan, as_of=AS_OF, months=1)
    assert (column(shown, "Date")[-1], shown.caption) == ("30 Oct 2026", "Contact calendar for the next 1 month")


def test_peers_are_sorted_by_name_with_cadence(plan):
    assert pairs(show_peers(plan), "Department", "Check in")[:2] == [
        ("Finance and grants", "quarterly"),
        ("Local chapters and churches", "every two months"),
    ]


def test_checkin_log_names_peers_and_partners_newest_first(plan):
    plan.alignment.checkins.append(CheckIn(relationship="gone", date=dt.date(2026, 9, 29)))
    shown = show_checkin_log(plan)
    assert column(shown, "With")[:3] == ["gone", "Riverbend Health Centre", "ClearFlow Water Trust"]


def test_team_members_by_name_with_coaching_gaps_in_words(plan):
    assert pairs(show_team_members(plan), "Team member", "Coaching needs")[:2] == [
        ("Chloe Martin", "none named yet"),
        ("Esther Njoroge", "Running joint meetings with partner staff."),
    ]


def test_conversations_not_held_come_first(plan):
    shown = show_conversations(plan)
    assert column(shown, "Held on") == ["not yet", "12 Aug 2024", "20 Aug 2024", "3 Sep 2024"]


def test_alignment_tables_escape_names(plan):
    plan.alignment.peers.append(Peer(id="peer-evil", name=EVIL))
    assert escaped(show_checkin_schedule(plan, as_of=AS_OF)) == (True, False)


# ---- step 3 ---------------------------------------------------------------------


def test_candidates_ranked_within_each_need_in_the_plans_order(plan):
    shown = show_candidate_scores(plan)
    assert column(shown, "Candidate")[:3] == [
        "Riverbend Health Centre",
        "St Luke's Mission Hospital",
        "CareWell Private Clinic",
    ]


def test_candidate_scores_are_formatted(plan):
    row = show_candidate_scores(plan).frame.iloc[0]
    assert row[["Need", "Score (1–5)", "Percent", "Rank", "Result"]].tolist() == [
        "Clinical care and referrals",
        "4.50",
        "88%",
        "1",
        "winner",
    ]


def test_candidate_scores_stay_numbers_for_a_spreadsheet(plan):
    data = show_candidate_scores(plan).data.set_index("Candidate")
    rows = ["Riverbend Health Centre", "CareWell Private Clinic"]
    assert (data.loc[rows, "Score (1–5)"].tolist(), data.loc[rows[0], "Rank"], data["Rank"].isna()[rows[1]]) == (
        pytest.approx([4.5, 2.7]), 1, True)


def test_a_candidate_out_at_a_gate_has_no_rank_and_says_why(plan):
    frame = show_candidate_scores(plan).frame
    row = frame[frame["Candidate"] == "CareWell Private Clinic"].iloc[0]
    assert (row["Rank"], row["Result"]) == (
        "—",
        "out: below the minimum on Safeguarding policy and practice (2, needs 3)",
    )


def test_an_unscored_candidate_comes_last_in_its_need(plan):
    plan.partners.candidates.insert(0, Candidate(id="late", name="Late Clinic", need="need-clinical"))
    frame = show_candidate_scores(plan).frame
    clinical = frame[frame["Need"] == "Clinical care and referrals"]
    assert clinical.iloc[-1][["Candidate", "Score (1–5)", "Result"]].tolist() == [
        "Late Clinic",
        "",
        "not scored yet",
    ]


def test_candidate_names_are_escaped(plan):
    plan.partners.candidates.append(Candidate(id="evil", name=EVIL, need="need-it"))
    plan.partners.scores.append(Score(candidate="evil", criterion="cr-values", score=4))
    assert escaped(show_candidate_scores(plan)) == (True, False)


def test_due_diligence_flags_in_words(plan):
    frame = show_due_diligence(plan).frame.set_index("Candidate")
    assert frame.loc["CareWell Private Clinic", ["Safeguarding", "Flag", "Red flags", "Concerns"]].tolist() == [
        "fail",
        "red",
        "safeguarding",
        "values fit",
    ]


def test_due_diligence_lists_missing_checks_of_a_shortlisted_candidate(plan):
    plan.partners.audit = [a for a in plan.partners.audit if a.candidate != "openhealth"]
    plan.partners.audit.append(AuditItem(candidate="openhealth", check="finances", result="pass"))
    frame = show_due_diligence(plan).frame.set_index("Candidate")
    assert frame.loc["OpenHealth Data Cooperative", ["Finances", "Legal status", "Flag"]].tolist() == [
        "pass",
        "not checked",
        "checks missing",
    ]


def test_due_diligence_flag_has_a_coloured_dot(plan):
    html = show_due_diligence(plan)._repr_html_()
    assert '<span style="color:#D55E00">&#9679;</span> red' in html


def test_shortlist_leaves_out_red_flags_and_keeps_the_best_first(plan):
    shown = show_shortlist(plan, top=2)
    assert column(shown, "Candidate") == [
        "Riverbend Health Centre",
        "St Luke's Mission Hospital",
        "ClearFlow Water Trust",
        "Wells for All Foundation",
        "ByteBridge Solutions",
        "OpenHealth Data Cooperative",
    ]


def test_sensitivity_lists_only_moves_that_change_the_winner_smallest_first(plan):
    shown = show_weight_sensitivity(plan)
    it = shown.frame[shown.frame["Need"] == "IT and data support"]
    assert it["Criterion"].tolist() == [
        "Capacity to deliver",
        "Shared values and mission fit",
        "Data protection",
    ]


def test_sensitivity_row_in_words(plan):
    row = show_weight_sensitivity(plan).frame.iloc[0]
    assert row[["Move", "Weight now", "Weight that changes the winner", "Share now", "Share then", "New winner"]].tolist() == [
        "more weight",
        "5",
        "70",
        "5%",
        "42%",
        "St Luke's Mission Hospital",
    ]


def test_feedback_oldest_first_with_undated_last(plan):
    plan.partners.feedback[0].date = None
    shown = show_feedback(plan)
    assert (column(shown, "Stakeholder")[-1], column(shown, "Date")[0]) == ("District Health Office", "14 Sep 2024")


def test_candidate_chart_has_a_panel_per_need(plan):
    figure = show_candidate_chart(plan)
    assert (isinstance(figure, Figure), len(figure.axes)) == (True, 3)


# ---- step 4 ---------------------------------------------------------------------


def test_swot_scores_by_quadrant_heaviest_first(plan):
    shown = show_swot_scores(plan)
    weaknesses = shown.frame[shown.frame["Quadrant"] == "Weakness"]
    assert weaknesses["Weighted score"].tolist() == ["0.20", "0.16", "0.16", "0.14"]


def test_swot_weights_that_do_not_sum_to_one_are_rescaled_and_said(plan):
    plan.business_case.swot[0].weight = 0.26
    shown = show_swot_scores(plan)
    assert "internal weights summed to 1.1; each was divided by 1.1" in shown.caption


def test_swot_that_cannot_be_scored_says_why(plan):
    plan.business_case.strategies = []
    plan.business_case.swot = [SwotFactor(id="s1", kind="strength", text="Trust", weight=1, rating=4)]
    shown = show_swot_scores(plan)
    assert (shown.frame.empty, shown.caption.startswith("The SWOT cannot be scored yet:"), "external" in shown.caption) == (
        True,
        True,
        True,
    )


def test_swot_totals_and_position(plan):
    shown = show_swot_totals(plan)
    assert (column(shown, "Total"), shown.caption) == (
        ["2.88", "2.34", "Hold and defend"],
        "Position: Hold and defend (ST strategies first)",
    )


def test_swot_totals_read_in_words(plan):
    readings = column(show_swot_totals(plan), "What it means")
    assert readings[:2] == [
        "at or above the midpoint 2.5: strengths outweigh weaknesses",
        "below the midpoint 2.5: we respond poorly to what is outside",
    ]


@pytest.mark.parametrize(("view", "axes"), [(show_swot_board, 4), (show_swot_chart, 1)])
def test_swot_charts(plan, view, axes):
    assert len(view(plan).axes) == axes


@pytest.mark.parametrize("view", [show_swot_board, show_swot_chart])
def test_swot_charts_say_why_they_cannot_be_drawn(plan, view):
    plan.business_case.strategies = []
    plan.business_case.swot = []
    figure = view(plan)
    assert "cannot be scored yet" in figure.axes[0].texts[0].get_text()


def test_tows_written_and_suggested_by_quadrant(plan):
    shown = show_tows_strategies(plan, suggestions=1)
    assert pairs(shown, "Kind of strategy", "Written or suggested")[:3] == [
        ("SO: use strengths to take opportunities", "written"),
        ("SO: use strengths to take opportunities", "suggested"),
        ("SO: use strengths to take opportunities", "written"),
    ]


def test_tows_without_factors_is_empty(plan):
    plan.business_case.strategies = []
    plan.business_case.swot = []
    assert repr(show_tows_strategies(plan)).endswith("Nothing to show yet.")


def test_budget_summary_in_the_plans_currency(plan):
    plan.info.currency = "KES"
    shown = show_business_case_budget(plan)
    assert (shown.frame.iloc[0].tolist(), shown.data.iloc[0, 0]) == (
        ["KES 287,000", "KES 303,000", "KES 16,000", "6%"],
        287000.0,
    )


def test_budget_without_costs_has_no_return_on_investment(plan):
    plan.business_case.budget = [BudgetLine(item="Grant", kind="return", amount=100)]
    shown = show_business_case_budget(plan)
    assert (shown.frame.iloc[0].tolist()[-1], shown.caption) == (
        "",
        "The business case in money: no return on investment without costs",
    )


def test_budget_lines_costs_first_largest_first(plan):
    shown = show_budget_lines(plan)
    assert (column(shown, "Amount")[:2], column(shown, "Cost or return")[5]) == (
        ["USD 96,000", "USD 72,000"],
        "expected return",
    )


def test_benchmarks_name_their_kpi(plan):
    plan.business_case.benchmarks[1].kpi = "k-gone"
    shown = show_benchmarks(plan)
    assert column(shown, "Measured by")[:2] == [
        "Diarrhoea cases in children under five in the month",
        "k-gone (not found in step 10)",
    ]


# ---- step 5 ---------------------------------------------------------------------


def test_partner_roles_ourselves_first(plan):
    assert column(show_partner_roles(plan), "Partner") == [
        "Hope Alliance International",
        "Riverbend Health Centre",
        "ClearFlow Water Trust",
        "ByteBridge Solutions",
    ]


def test_groups_strategic_first_with_members(plan):
    plan.governance.groups.reverse()
    shown = show_groups(plan)
    assert (column(shown, "Kind"), column(shown, "Members")[0].split("; ")[0]) == (
        ["strategic group", "project group", "implementing group"],
        "Daniel Okafor (chair, Hope Alliance International)",
    )


def test_raci_has_a_column_per_partner(plan):
    shown = show_raci(plan)
    assert (list(shown.frame.columns), shown.frame.iloc[6].tolist()) == (
        ["Activity", "Hope Alliance International", "Riverbend Health Centre", "ClearFlow Water Trust",
         "ByteBridge Solutions"],
        ["Monthly KPI reporting", "A", "R", "C", "A"],
    )


def test_raci_problems_in_words(plan):
    shown = show_raci_problems(plan)
    assert column(shown, "Problem and what to do") == [
        "'Monthly KPI reporting' has 2 accountable parties (Hope Alliance International, ByteBridge Solutions): "
        "keep exactly one."
    ]


def test_structure_problems_name_the_missing_representative(plan):
    plan.governance.members = [m for m in plan.governance.members if m.person != "Maria Santos"]
    shown = show_structure_problems(plan)
    assert (column(shown, "Partner"), shown.caption) == (
        ["ClearFlow Water Trust"],
        "Problems in the governance structure",
    )


def test_structure_problem_text_is_escaped(plan):
    plan.governance.members.append(Member(group="g-project", person=EVIL, party="nobody"))
    assert escaped(show_structure_problems(plan)) == (True, False)


def test_governance_chart_is_a_figure(plan):
    assert isinstance(show_governance_chart(plan), Figure)


# ---- the committed notebooks ------------------------------------------------------

CHART_CELLS = [
    ("03_partner_analysis.ipynb", "results.show(show_candidate_chart)"),
    ("04_business_case.ipynb", "results.show(show_swot_board)"),
    ("04_business_case.ipynb", "results.show(show_swot_chart)"),
    ("05_roles_and_governance.ipynb", "results.show(show_governance_chart)"),
]


@pytest.mark.parametrize(("notebook", "source"), CHART_CELLS)
def test_chart_cells_were_saved_as_pictures(notebook, source):
    """A Figure from a view shows as a picture with its alternative text, not only as ``<Figure size ...>``."""
    cells = json.loads((Path(__file__).parents[1] / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
    outputs = next(cell["outputs"] for cell in cells if "".join(cell["source"]) == source)
    shown = "".join(outputs[0]["data"].get("text/html", ""))
    assert (shown.startswith('<img alt="'), 'src="data:image/png;base64,' in shown) == (True, True)


def test_a_sound_matrix_says_so(plan):
    kpi_report = next(a for a in plan.governance.assignments if a.activity == "act-reporting" and a.party == "bytebridge")
    kpi_report.role = "C"
    assert repr(show_raci_problems(plan)).splitlines() == [
        "Problems in the responsibility matrix",
        "No problem found: every activity has one partner accountable and someone responsible.",
    ]
