import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.patches import FancyBboxPatch

from partnerlib import InvalidInput, Plan, check_raci, check_structure, raci_matrix
from partnerlib.analyses.tables import records_table
from partnerlib.models import Activity, Assignment, Governance
from partnerlib.output.charts.governance import plot_governance

PARTIES = {"us": "Grace Mission", "hc": "Hope Clinic", "bw": "Bright Water"}
ACTIVITIES = pd.DataFrame(
    [
        ("a1", "Run antenatal clinics"),
        ("a2", "Drill wells"),
        ("a3", "Report to donors"),
        ("a4", "Train health workers"),
    ],
    columns=["id", "name"],
)
# Every activity: exactly one A, at least one R; nobody C on all four.
GOOD = [
    ("a1", "hc", "R"),
    ("a1", "us", "A"),
    ("a1", "bw", "I"),
    ("a2", "bw", "R"),
    ("a2", "us", "A"),
    ("a2", "hc", "C"),
    ("a3", "us", "R"),
    ("a3", "hc", "A"),
    ("a3", "bw", "C"),
    ("a4", "hc", "R"),
    ("a4", "bw", "A"),
    ("a4", "us", "C"),
]
COLUMNS = ["activity", "party", "role"]


def cells(rows=GOOD):
    return pd.DataFrame(rows, columns=COLUMNS)


def without(rows, activity, party):
    return [row for row in rows if (row[0], row[1]) != (activity, party)]


def changed(rows, activity, party, role):
    return [(a, p, role if (a, p) == (activity, party) else r) for a, p, r in rows]


def problems(rows=GOOD, **options):
    return check_raci(ACTIVITIES, cells(rows), parties=PARTIES, **options)


def test_a_good_matrix_has_no_problems():
    assert problems().empty


def test_problem_table_has_its_columns_even_when_empty():
    assert list(problems().columns) == ["activity", "party", "rule", "message"]


RACI_CASES = [
    (
        without(GOOD, "a1", "us"),
        {},
        (
            "Run antenatal clinics",
            "",
            "one accountable",
            "'Run antenatal clinics' has no one accountable: choose exactly one party to answer for it.",
        ),
    ),
    (
        changed(GOOD, "a3", "bw", "A"),
        {},
        (
            "Report to donors",
            "Hope Clinic, Bright Water",
            "one accountable",
            "'Report to donors' has 2 accountable parties (Hope Clinic, Bright Water): keep exactly one.",
        ),
    ),
    (
        changed(GOOD, "a2", "bw", "I"),
        {},
        (
            "Drill wells",
            "",
            "someone responsible",
            "'Drill wells' has no one responsible: name at least one party to do the work.",
        ),
    ),
    (
        GOOD,
        {"max_accountable": 1},
        (
            "",
            "Grace Mission",
            "too many accountabilities",
            "Grace Mission is accountable for 2 activities (more than 1): share the load with another party.",
        ),
    ),
    (
        [
            (a, p, r)
            for a in ("a1", "a2", "a3", "a4")
            for p, r in (("hc", "R"), ("us", "A"), ("bw", "C"))
        ],
        {},
        (
            "",
            "Bright Water",
            "consulted on everything",
            "Bright Water is consulted on every activity (4): consult them where their view matters "
            "and inform them elsewhere.",
        ),
    ),
    (
        GOOD + [("a4", "zz", "I")],
        {},
        (
            "Train health workers",
            "zz",
            "unknown party",
            "'zz' in 'Train health workers' is not a party of the partnership "
            "(known: Grace Mission, Hope Clinic, Bright Water): select the partner first or fix the id.",
        ),
    ),
]


@pytest.mark.parametrize(("rows", "options", "expected"), RACI_CASES)
def test_each_raci_rule(rows, options, expected):
    assert [tuple(row) for row in problems(rows, **options).itertuples(index=False)] == [expected]


def test_consulted_everywhere_is_fine_with_fewer_than_three_activities():
    rows = [
        ("a1", "us", "A"),
        ("a1", "hc", "R"),
        ("a1", "bw", "C"),
        ("a2", "us", "A"),
        ("a2", "hc", "R"),
        ("a2", "bw", "C"),
    ]
    assert check_raci(ACTIVITIES.iloc[:2], cells(rows), parties=PARTIES).empty


def test_an_activity_with_no_cells_breaks_two_rules():
    activities = pd.concat(
        [ACTIVITIES, pd.DataFrame([("a5", "Buy a vehicle")], columns=["id", "name"])]
    )
    table = check_raci(activities, cells(), parties=PARTIES)
    assert table["rule"].tolist() == ["one accountable", "someone responsible"]


def test_problems_are_listed_rule_by_rule():
    rows = changed(without(GOOD, "a1", "us"), "a2", "bw", "I") + [("a4", "zz", "I")]
    assert problems(rows)["rule"].tolist() == [
        "one accountable",
        "someone responsible",
        "unknown party",
    ]


def test_parties_may_be_ids():
    table = check_raci(ACTIVITIES, cells(without(GOOD, "a1", "us")), parties=["us", "hc", "bw"])
    assert table["rule"].tolist() == ["one accountable"]


def test_model_records_work_like_tables():
    activities = [Activity(**row) for row in ACTIVITIES.to_dict("records")]
    assignments = [Assignment(**row) for row in cells().to_dict("records")]
    assert check_raci(activities, assignments, parties=PARTIES).empty


@settings(max_examples=30, deadline=None)
@given(st.permutations(range(len(GOOD) + 1)))
def test_reordering_cells_never_changes_the_problems(order):
    rows = without(GOOD, "a1", "us") + [("a4", "zz", "I"), ("a1", "us", "R")]
    shuffled = [rows[i] for i in order]
    assert set(problems(shuffled)["message"]) == set(problems(rows)["message"])


BAD_TABLES = [
    (ACTIVITIES, cells(changed(GOOD, "a1", "hc", "X")), r"assignments row 1: 'role' must be one of R, A, C, I \(got 'X'\)"),
    (
        ACTIVITIES,
        cells(GOOD + [("a9", "us", "R")]),
        r"assignments row 13: 'activity' must be the id of an activity \(got 'a9'\)",
    ),
    (
        ACTIVITIES,
        cells(GOOD + [("a1", "hc", "C")]),
        r"assignments row 13.*'hc' has two roles in 'a1'",
    ),
    (ACTIVITIES, cells().drop(columns="role"), r"no column 'role'"),
    (
        pd.concat([ACTIVITIES, ACTIVITIES.iloc[:1]]),
        cells(),
        r"activities row 5: 'id' 'a1' is used twice",
    ),
]


@pytest.mark.parametrize(("activities", "assignments", "message"), BAD_TABLES)
def test_bad_table_is_refused(activities, assignments, message):
    with pytest.raises(InvalidInput, match=message):
        check_raci(activities, assignments, parties=PARTIES)


# ---- the matrix -------------------------------------------------------------------


def test_raci_matrix_letters():
    grid = raci_matrix(ACTIVITIES, cells(), PARTIES)
    assert grid.loc["Report to donors"].tolist() == ["R", "A", "C"]


def test_raci_matrix_columns_are_party_names_in_order():
    assert list(raci_matrix(ACTIVITIES, cells(), PARTIES).columns) == [
        "Grace Mission",
        "Hope Clinic",
        "Bright Water",
    ]


def test_raci_matrix_empty_cell_is_blank():
    grid = raci_matrix(ACTIVITIES, cells(without(GOOD, "a1", "bw")), PARTIES)
    assert grid.loc["Run antenatal clinics", "Bright Water"] == ""


def test_raci_matrix_shows_unknown_parties_under_their_id():
    grid = raci_matrix(ACTIVITIES, cells(GOOD + [("a4", "zz", "I")]), PARTIES)
    assert grid.loc["Train health workers", "zz"] == "I"


def test_raci_matrix_keeps_activities_in_order():
    assert raci_matrix(ACTIVITIES, cells(), PARTIES).index.tolist() == ACTIVITIES["name"].tolist()


# ---- structure ----------------------------------------------------------------------

GROUPS = [
    {"id": "g1", "kind": "strategic", "name": "Steering committee", "meets": "quarterly"},
    {"id": "g2", "kind": "project", "name": "Project team", "reports_to": "g1", "meets": "monthly"},
    {
        "id": "g3",
        "kind": "implementing",
        "name": "Field team",
        "reports_to": "g2",
        "meets": "weekly",
    },
]
MEMBERS = [
    {"group": "g1", "person": "Ruth Mwangi", "party": "us", "role": "chair"},
    {"group": "g1", "person": "Dr Okello", "party": "hc", "role": "representative"},
    {"group": "g1", "person": "Amina Yusuf", "party": "bw", "role": "representative"},
    {"group": "g2", "person": "Peter Kato", "party": "us", "role": "project manager"},
    {"group": "g2", "person": "Sarah Nabirye", "party": "hc", "role": "project manager"},
    {"group": "g2", "person": "John Ssali", "party": "bw", "role": "project manager"},
    {"group": "g3", "person": "Grace Atim", "party": "hc", "role": "member"},
]


def governance(groups=GROUPS, members=MEMBERS):
    return Governance.model_validate({"groups": groups, "members": members})


def edit(rows, index, **changes):
    return [dict(row, **changes) if n == index else row for n, row in enumerate(rows)]


def test_a_good_structure_has_no_problems():
    assert check_structure(governance(), PARTIES).empty


def structure(groups=GROUPS, members=MEMBERS):
    return [
        tuple(row)
        for row in check_structure(governance(groups, members), PARTIES).itertuples(index=False)
    ]


def test_rule_strategic_group_exists():
    groups = [edit(GROUPS, 1, reports_to="")[1], GROUPS[2]]
    members = [m for m in MEMBERS if m["group"] != "g1"]
    assert structure(groups, members)[0] == (
        "",
        "",
        "strategic group",
        "There is no strategic group yet: add one with a representative of each partner.",
    )


def test_rule_project_group_exists():
    groups = [GROUPS[0], edit(GROUPS, 2, reports_to="")[2]]
    members = [m for m in MEMBERS if m["group"] != "g2"]
    assert structure(groups, members)[0] == (
        "",
        "",
        "project group",
        "There is no project group yet: add one where each organisation names a project manager.",
    )


def test_rule_every_partner_sits_in_the_strategic_group():
    assert structure(members=[m for m in MEMBERS if m["person"] != "Amina Yusuf"]) == [
        (
            "Steering committee",
            "Bright Water",
            "partner in strategic group",
            "Bright Water has no one in the strategic group (Steering committee): name a representative.",
        )
    ]


def test_rule_every_organisation_names_a_project_manager():
    assert structure(members=edit(MEMBERS, 5, role="member")) == [
        (
            "Project team",
            "Bright Water",
            "project manager",
            "Bright Water names no project manager in the project group (Project team): "
            "add one with the role 'project manager'.",
        )
    ]


def test_rule_implementing_group_reports_to_the_project_group():
    assert structure(groups=edit(GROUPS, 2, reports_to="g1")) == [
        (
            "Field team",
            "",
            "implementing reports to project",
            "The implementing group Field team should report to the project group, "
            "but it reports to Steering committee: set 'reports to' to Project team.",
        )
    ]


def test_rule_project_group_reports_to_the_strategic_group():
    assert structure(groups=edit(GROUPS, 1, reports_to="")) == [
        (
            "Project team",
            "",
            "project reports to strategic",
            "The project group Project team should report to the strategic group, "
            "but it reports to no group: set 'reports to' to Steering committee.",
        )
    ]


def test_rule_no_empty_group():
    assert structure(members=[m for m in MEMBERS if m["group"] != "g3"]) == [
        ("Field team", "", "empty group", "Field team has no members yet.")
    ]


def test_rule_members_represent_known_parties():
    assert structure(members=[*MEMBERS, {"group": "g3", "person": "Tom", "party": "zz"}]) == [
        (
            "Field team",
            "zz",
            "unknown party",
            "Tom in Field team represents 'zz', which is not a party of the partnership "
            "(known: Grace Mission, Hope Clinic, Bright Water).",
        )
    ]


def test_structure_problems_are_listed_rule_by_rule():
    members = edit([m for m in MEMBERS if m["person"] != "Amina Yusuf"], 4, role="member")
    rules = [row[2] for row in structure(edit(GROUPS, 2, reports_to=""), members)]
    assert rules == [
        "partner in strategic group",
        "project manager",
        "implementing reports to project",
    ]


# ---- a whole plan -------------------------------------------------------------------------


def plan():
    return Plan.model_validate(
        {
            "info": {"organisation": "Grace Mission", "as_of": "2026-03-31"},
            "partners": {
                "needs": [
                    {"id": "n1", "title": "Clinical care"},
                    {"id": "n2", "title": "Clean water"},
                ],
                "candidates": [
                    {"id": "hc", "name": "Hope Clinic", "need": "n1", "status": "selected"},
                    {"id": "bw", "name": "Bright Water", "need": "n2", "status": "selected"},
                    {"id": "mc", "name": "Mobile Care Ltd", "need": "n1", "status": "declined"},
                ],
            },
            "governance": {
                "groups": GROUPS,
                "members": MEMBERS,
                "activities": ACTIVITIES.to_dict("records"),
                "assignments": cells().to_dict("records"),
            },
        }
    )


def test_structure_of_a_plan_uses_its_parties():
    assert check_structure(plan()).empty


def test_structure_of_a_plan_misses_a_newly_selected_partner():
    whole = plan()
    whole.partners.candidates[2].status = "selected"
    assert check_structure(whole)["party"].unique().tolist() == ["Mobile Care Ltd"]


def test_raci_of_a_plan():
    whole = plan()
    table = check_raci(
        records_table(whole.governance.activities, Activity),
        records_table(whole.governance.assignments, Assignment),
        parties=whole.parties(),
    )
    assert table.empty


# ---- chart ----------------------------------------------------------------------------------


def all_text(figure):
    return [t.get_text() for ax in figure.axes for t in ax.texts]


def test_chart_title():
    assert plot_governance(governance(), PARTIES).axes[0].get_title() == "Governance structure"


def test_chart_has_a_box_per_group():
    texts = all_text(plot_governance(governance(), PARTIES))
    assert all(name in texts for name in ("Steering committee", "Project team", "Field team"))


def test_chart_names_each_group_kind_and_meeting():
    assert "Implementing group · meets weekly" in all_text(plot_governance(governance(), PARTIES))


def test_chart_lists_members_with_their_organisation():
    body = "\n".join(all_text(plot_governance(governance(), PARTIES)))
    assert "• Dr Okello — representative (Hope Clinic)" in body


def test_chart_draws_an_arrow_per_reports_to():
    ax = plot_governance(governance(), PARTIES).axes[0]
    arrows = [t for t in ax.texts if getattr(t, "arrow_patch", None) is not None]
    assert len(arrows) == 2


def test_chart_labels_the_arrows():
    assert all_text(plot_governance(governance(), PARTIES)).count("reports to") == 2


def test_chart_of_a_plan():
    assert "• Peter Kato — project manager (Grace Mission)" in "\n".join(
        all_text(plot_governance(plan()))
    )


def test_every_members_line_stays_inside_its_box():
    # Two groups side by side, one with a dozen members whose lines run to the 72 characters kept.
    groups = [*GROUPS, {"id": "g4", "kind": "strategic", "name": "Donor council", "meets": "quarterly"}]
    crowd = [{"group": "g1", "person": f"Dr Josephine Achieng-Okello Nyamwaya-Kato {n:02d}", "party": "hc",
              "role": "representative"} for n in range(12)]
    figure = plot_governance(governance(groups, MEMBERS + crowd), PARTIES)
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    ax = figure.axes[0]
    renderer = canvas.get_renderer()
    boxes = [patch.get_window_extent(renderer) for patch in ax.patches if isinstance(patch, FancyBboxPatch)]
    outside = [
        text.get_text()[:30]
        for text in ax.texts
        if text.get_text().startswith("•")
        and not any(box.contains(*extent.min) and box.contains(*extent.max)
                    for box in boxes for extent in [text.get_window_extent(renderer)])
    ]
    assert (len(boxes), outside) == (4, [])


def test_chart_of_an_empty_section():
    assert "No governance groups yet." in all_text(plot_governance(Governance(), PARTIES))


def test_runs_on_the_sample_plan():
    from partnerlib import load_sample

    sample = load_sample()
    section = sample.governance
    activities = records_table(section.activities, Activity)
    assignments = records_table(section.assignments, Assignment)
    raci = check_raci(activities, assignments, parties=sample.parties())
    grid = raci_matrix(activities, assignments, sample.parties())
    plot_governance(sample)
    # The sample keeps one flaw on purpose: an activity with two accountable parties.
    assert (raci["rule"].tolist(), grid.shape[0], check_structure(sample).empty) == (
        ["one accountable"],
        len(section.activities),
        True,
    )


def test_structure_without_parties_checks_ourselves():
    table = check_structure(Governance())
    assert table["party"].tolist() == ["", "", "Our organisation"]


def test_empty_matrix_has_no_problems():
    assert check_raci(ACTIVITIES.iloc[:0], cells([]), parties=PARTIES).empty
