"""The workshop room's live results: medians, spread, partners' gaps and disagreement, AHP per person."""

import pandas as pd
import pytest

from partnerlib.analyses.room import ahp_consistency, latest_answers, party_means, summarise_ratings
from partnerlib.core.problems import PlanError


def answers(*rows):
    return pd.DataFrame(rows, columns=["participant", "party", "item", "value"])


#: Five people rate "trust" (three of us, two of the clinic) and "pace" (all agree).
ROOM = answers(
    ("a", "us", "trust", 1), ("b", "us", "trust", 2), ("c", "us", "trust", 3),
    ("d", "clinic", "trust", 4), ("e", "clinic", "trust", 5),
    ("a", "us", "pace", 4), ("b", "us", "pace", 4), ("d", "clinic", "pace", 4), ("e", "clinic", "pace", 5),
)

SUMMARY_CASES = [
    ("trust", "responses", 5),
    ("trust", "total", 15),
    ("trust", "median", 3.0),
    ("trust", "q1", 2.0),
    ("trust", "q3", 4.0),
    ("trust", "iqr", 2.0),
    ("trust", "party_gap", 2.5),
    ("trust", "disagreement", True),
    ("trust", "why", "answers spread widely (IQR 2); partners 2.5 apart"),
    ("pace", "responses", 4),
    ("pace", "median", 4.0),
    ("pace", "iqr", 0.25),
    ("pace", "party_gap", 0.5),
    ("pace", "disagreement", False),
    ("pace", "why", ""),
    ("reach", "responses", 0),
    ("reach", "total", 0),
    ("reach", "disagreement", False),
]


@pytest.mark.parametrize(("item", "column", "expected"), SUMMARY_CASES)
def test_summary_per_item(item, column, expected):
    summary = summarise_ratings(ROOM, items=["trust", "pace", "reach"]).set_index("item")
    assert summary.loc[item, column] == expected


GAP_CASES = [
    # Everyone within the IQR limit, but the partners' means are 1 apart: a perception gap.
    (answers(("a", "us", "x", 4), ("b", "us", "x", 4), ("c", "clinic", "x", 3), ("d", "clinic", "x", 3)),
     "partners 1 apart"),
    (answers(("a", "us", "x", 1), ("b", "us", "x", 5), ("c", "us", "x", 1), ("d", "us", "x", 5)),
     "answers spread widely (IQR 4)"),
]


@pytest.mark.parametrize(("rows", "why"), GAP_CASES)
def test_disagreement_is_flagged_by_spread_or_by_partners_gap(rows, why):
    assert summarise_ratings(rows).loc[0, "why"] == why


def test_answering_again_replaces_the_earlier_answer():
    rows = answers(("a", "us", "x", 1), ("b", "us", "x", 2), ("a", "us", "x", 5))
    assert latest_answers(rows)[["participant", "value"]].values.tolist() == [["b", 2], ["a", 5]]


def test_party_means_per_item():
    assert party_means(ROOM).loc["trust"].to_dict() == {"clinic": 4.5, "us": 2.0}


def test_a_table_without_its_columns_is_refused():
    with pytest.raises(PlanError, match="value"):
        summarise_ratings(pd.DataFrame({"participant": [], "party": [], "item": []}))


JUDGMENTS = pd.DataFrame(
    [("a", "cost", "reach", 3), ("a", "cost", "trust", 3), ("a", "reach", "trust", 1),
     ("b", "cost", "reach", 9), ("b", "reach", "trust", 9), ("b", "cost", "trust", 1 / 9)],
    columns=["participant", "row", "column", "value"],
)

AHP_CASES = [
    ("a", "consistent", True),
    ("a", "cost", 0.6),
    ("b", "consistent", False),
]


@pytest.mark.parametrize(("participant", "column", "expected"), AHP_CASES)
def test_ahp_consistency_per_person(participant, column, expected):
    result = ahp_consistency(JUDGMENTS, ["cost", "reach", "trust"]).set_index("participant")
    value = result.loc[participant, column]
    assert (round(float(value), 2) if column == "cost" else bool(value)) == expected


def test_a_judgment_of_an_unknown_criterion_is_refused():
    with pytest.raises(PlanError) as refused:
        ahp_consistency(JUDGMENTS.assign(row="speed"), ["cost", "reach", "trust"])
    assert str(refused.value) == (
        "judgments of 'a': 'speed' or 'reach' is not a criterion (the criteria: cost, reach, trust)")
