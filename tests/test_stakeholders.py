import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import (
    PlanError,
    engagement_calendar,
    participation_table,
    plot_stakeholder_map,
    stakeholder_map,
)
from partnerlib.analyses.tables import records_table
from partnerlib.models import Engagement, Stakeholder

AS_OF = dt.date(2026, 4, 1)


def people(*rows):
    """Stakeholders from (name, power, interest, legitimacy, urgency) tuples."""
    return records_table(
        [
            Stakeholder(id=f"s{n}", name=name, power=p, interest=i, legitimacy=lg, urgency=u)
            for n, (name, p, i, lg, u) in enumerate(rows, start=1)
        ],
        Stakeholder,
    )


@pytest.mark.parametrize(
    ("power", "interest", "expected"),
    [
        (5, 5, "manage closely"),
        (3, 3, "manage closely"),  # 3 is high by default
        (4, 2, "keep satisfied"),
        (2, 4, "keep informed"),
        (2, 2, "monitor"),
        (1, 5, "keep informed"),
    ],
)
def test_quadrant(power, interest, expected):
    assert stakeholder_map(people(("A", power, interest, 3, 3))).loc[0, "quadrant"] == expected


def test_high_is_configurable():
    assert stakeholder_map(people(("A", 3, 3, 3, 3)), high=4).loc[0, "quadrant"] == "monitor"


def test_engagement_is_in_words():
    assert stakeholder_map(people(("A", 1, 1, 1, 1))).loc[0, "engagement"].startswith("Watch")


@pytest.mark.parametrize(
    ("power", "legitimacy", "urgency", "expected"),
    [
        (1, 1, 1, "non-stakeholder"),
        (4, 1, 1, "dormant"),
        (1, 4, 1, "discretionary"),
        (1, 1, 4, "demanding"),
        (4, 4, 1, "dominant"),
        (4, 1, 4, "dangerous"),
        (1, 4, 4, "dependent"),
        (3, 3, 3, "definitive"),  # present at >= 3
        (2, 2, 2, "non-stakeholder"),
    ],
)
def test_salience(power, legitimacy, urgency, expected):
    mapped = stakeholder_map(people(("A", power, 3, legitimacy, urgency)))
    assert mapped.loc[0, "salience"] == expected


def test_other_columns_are_kept_in_order():
    assert stakeholder_map(people(("A", 1, 1, 1, 1), ("B", 5, 5, 5, 5)))["name"].tolist() == ["A", "B"]


def test_missing_columns_are_named():
    with pytest.raises(PlanError, match="'power', 'urgency'"):
        stakeholder_map(pd.DataFrame({"id": ["a"], "name": ["A"], "interest": [1], "legitimacy": [1]}))


BAD_SCORES = [
    (0, r"stakeholders row 2: 'interest' must be a whole number from 1 to 5 \(got 0\)"),
    (6, r"stakeholders row 2: 'interest' must be a whole number from 1 to 5 \(got 6\)"),
    (2.5, r"stakeholders row 2: 'interest' must be a whole number from 1 to 5 \(got 2\.5\)"),
    ("High", r"stakeholders row 2: 'interest' must be a whole number from 1 to 5 \(got 'High'\)"),
    (None, r"stakeholders row 2: 'interest' is required \(a whole number from 1 to 5\)"),
]


@pytest.mark.parametrize(("bad", "message"), BAD_SCORES)
def test_bad_score_names_the_row(bad, message):
    table = people(("A", 3, 3, 3, 3), ("B", 3, 3, 3, 3)).astype({"interest": object})
    table.loc[1, "interest"] = bad
    with pytest.raises(PlanError, match=message):
        stakeholder_map(table)


def test_bad_threshold():
    with pytest.raises(ValueError, match="'high' must be a whole number from 1 to 5"):
        stakeholder_map(people(("A", 3, 3, 3, 3)), high=7)


scores = st.integers(1, 5)
rows = st.lists(st.tuples(st.just("X"), scores, scores, scores, scores), min_size=1, max_size=12)


@settings(max_examples=50, deadline=None)
@given(rows, st.integers(1, 5))
def test_quadrant_depends_only_on_own_scores(table_rows, high):
    together = stakeholder_map(people(*table_rows), high=high)["quadrant"].tolist()
    alone = [stakeholder_map(people(row), high=high).loc[0, "quadrant"] for row in table_rows]
    assert together == alone


@settings(max_examples=50, deadline=None)
@given(rows, st.randoms(use_true_random=False))
def test_reordering_rows_never_changes_results(table_rows, random):
    table = people(*table_rows)
    shuffled = table.sample(frac=1, random_state=random.randint(0, 10_000))
    result = stakeholder_map(shuffled).sort_values("id")
    assert result.equals(stakeholder_map(table).sort_values("id"))


# ---- participation -------------------------------------------------------------


def test_participation_counts_every_level():
    table = pd.DataFrame({"name": ["A", "B", "C"], "participation": ["empowered", "informed", "empowered"]})
    # 3 stakeholders: informed 1, consulted 0, involved 0, collaborating 0, empowered 2.
    assert participation_table(table)["stakeholders"].tolist() == [1, 0, 0, 0, 2]


def test_participation_percent_and_names():
    table = pd.DataFrame({"name": ["A", "B", "C", "D"], "participation": ["consulted"] * 3 + ["informed"]})
    row = participation_table(table).iloc[1]
    assert (row["percent"], row["names"]) == (75.0, "A, B, C")  # 3 of 4 = 75 %


def test_participation_bad_level_names_the_row():
    table = pd.DataFrame({"name": ["A", "B"], "participation": ["informed", "in charge"]})
    with pytest.raises(PlanError, match="stakeholders row 2: 'participation' must be one of"):
        participation_table(table)


# ---- engagement calendar --------------------------------------------------------


def calendar():
    stakeholders = people(("Elders", 4, 4, 4, 4), ("Youth", 2, 4, 3, 2), ("Council", 5, 1, 5, 1))
    engagements = records_table(
        [
            Engagement(title="Town hall", date=dt.date(2026, 5, 1), stakeholders=["s1", "s2"]),
            Engagement(title="Interviews", date=dt.date(2026, 1, 15), stakeholders=["s2"], status="held"),
            Engagement(title="Briefing", date=None, stakeholders=["s3"]),
            Engagement(title="Cancelled chat", date=dt.date(2026, 6, 1), stakeholders=["s3"],
                       status="cancelled"),
            Engagement(title="Survey", date=AS_OF, stakeholders=["s1"]),
        ],
        Engagement,
    )
    return engagement_calendar(engagements, stakeholders, as_of=AS_OF)


def test_activities_sorted_by_date_undated_last():
    assert calendar().activities["title"].tolist() == [
        "Interviews", "Survey", "Town hall", "Cancelled chat", "Briefing"]


def test_activity_timing():
    assert calendar().activities["timing"].tolist() == [
        "past", "upcoming", "upcoming", "cancelled", "no date"]


def test_an_activity_already_held_is_past_and_plans_nothing():
    # Held on the day the plan is read: it happened, so Council still has nothing planned.
    stakeholders = people(("Council", 5, 1, 5, 1))
    engagements = records_table(
        [Engagement(title="Briefing", date=AS_OF, stakeholders=["s1"], status="held")], Engagement)
    found = engagement_calendar(engagements, stakeholders, as_of=AS_OF)
    assert (found.activities["timing"].tolist(), found.nothing_planned) == (["past"], ("Council",))


def test_activity_names_the_stakeholders():
    assert calendar().activities.loc[2, "stakeholders"] == "Elders; Youth"


def test_counts_per_stakeholder():
    # Elders: survey (today) + town hall upcoming; Youth: interviews past, town hall upcoming.
    counts = calendar().stakeholders[["past", "upcoming"]].to_numpy().tolist()
    assert counts == [[0, 2], [1, 1], [0, 0]]


def test_next_date_per_stakeholder():
    assert calendar().stakeholders["next_date"].tolist()[:2] == [AS_OF, dt.date(2026, 5, 1)]


def test_nothing_planned():
    # Council: only an undated briefing and a cancelled chat.
    assert calendar().nothing_planned == ("Council",)


def test_unknown_stakeholder_id_names_the_row():
    engagements = pd.DataFrame({"title": ["A", "B"], "kind": ["survey"] * 2, "date": [AS_OF] * 2,
                                "stakeholders": [["s1"], ["nobody"]], "status": ["planned"] * 2})
    with pytest.raises(PlanError, match="engagements row 2: 'stakeholders' must be the id of a stakeholder"):
        engagement_calendar(engagements, people(("A", 1, 1, 1, 1)), as_of=AS_OF)


def test_bad_date_names_the_row():
    engagements = pd.DataFrame({"title": ["A"], "kind": ["survey"], "date": ["next week"],
                                "stakeholders": [[]], "status": ["planned"]})
    with pytest.raises(PlanError, match="engagements row 1: 'date' must be a date"):
        engagement_calendar(engagements, people(("A", 1, 1, 1, 1)), as_of=AS_OF)


def test_engagement_missing_columns_are_named():
    with pytest.raises(PlanError, match="engagements table has no column 'status'"):
        engagement_calendar(pd.DataFrame(columns=["title", "kind", "date", "stakeholders"]),
                            people(("A", 1, 1, 1, 1)), as_of=AS_OF)


def test_as_of_must_be_a_date():
    with pytest.raises(TypeError, match="'as_of' must be a date"):
        engagement_calendar(pd.DataFrame(), people(("A", 1, 1, 1, 1)), as_of="today")


# ---- chart ------------------------------------------------------------------------


def chart():
    mapped = stakeholder_map(people(("Elders", 4, 4, 4, 4), ("Youth", 4, 4, 1, 1), ("Staff", 1, 2, 3, 3),
                                    ("District council finance committee", 4, 2, 3, 3)))
    return plot_stakeholder_map(mapped).axes[0]


def test_chart_title_and_labels():
    axes = chart()
    assert (axes.get_title(), axes.get_xlabel()[:8], axes.get_ylabel()[:5]) == (
        "Stakeholder map: power and interest", "Interest", "Power")


def test_chart_names_every_stakeholder_and_quadrant():
    texts = {t.get_text() for t in chart().texts}
    assert {"Elders", "Youth", "Staff", "District council\nfinance committee", "Manage closely",
            "Keep satisfied", "Keep informed", "Monitor"} <= texts


def test_chart_spreads_overlapping_points_the_same_way_each_time():
    first, second = chart().collections[0].get_offsets(), chart().collections[0].get_offsets()
    assert (first == second).all() and tuple(first[0]) != tuple(first[1])


def test_empty_tables_give_empty_results():
    empty = records_table([], Stakeholder)
    result = (len(stakeholder_map(empty)), participation_table(empty)["stakeholders"].sum(),
              engagement_calendar(records_table([], Engagement), empty, as_of=AS_OF).nothing_planned)
    assert result == (0, 0, ())
