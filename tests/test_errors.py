"""Readable errors: every message names the field or the row, and what arrived."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from partnerlib import InvalidInput, Plan, Problem, describe
from partnerlib.core.problems import where_text
from partnerlib.ui.forms import field_label

# (path, expected): where a value is, in words.
WHERE = [
    ((), ""),
    (("currency",), "'currency'"),
    (("risks", 3), "risks row 4"),
    (("risks", 3, "impact"), "risks row 4, 'impact'"),
    (("risks", "risks", 0, "impact"), "risks.risks row 1, 'impact'"),
]


@pytest.mark.parametrize(("path", "expected"), WHERE)
def test_where_text(path, expected):
    assert where_text(path) == expected


def test_nested_error_names_section_row_and_range():
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({"risks": {"risks": [{}, {"impact": 9}]}})
    assert [str(p) for p in describe(caught.value)] == [
        "risks.risks row 2: 'impact' must be between 1 and 5 (got 9)"
    ]


def test_prefix_places_the_error_inside_a_larger_input():
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({"info": {"currency": "usd"}})
    assert describe(caught.value, prefix=("plan",))[0].path == ("plan", "info")


def test_invalid_input_lists_every_problem():
    error = InvalidInput([Problem(("a",), "first"), Problem(("b", 0), "second")], "risks.csv")
    assert str(error) == "risks.csv: \n  'a': first\n  b row 1: second"


#: (label, message): imports quote the field as their file spells it; a form names its label.
WORDING = [
    (None, "'impact' must be between 1 and 5 (got 9)"),
    (field_label, "Impact must be between 1 and 5 (you typed 9)"),
]


@pytest.mark.parametrize(("label", "expected"), WORDING)
def test_a_form_words_the_rule_with_its_label(label, expected):
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({"risks": {"risks": [{"impact": 9}]}})
    assert [p.message for p in describe(caught.value, label=label)] == [expected]
