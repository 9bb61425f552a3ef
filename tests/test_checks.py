import datetime as dt

import numpy as np
import pandas as pd
import pytest

from partnerlib import InvalidInput, PlanError, Problem
from partnerlib.analyses.checks import (
    MOST_ROWS_NAMED,
    as_day,
    as_table,
    choice_problems,
    raise_problems,
    read_dates,
    repeat_problems,
    require_columns,
    row_problems,
    rule_problems,
    unknown_problems,
    whole_number_problems,
)
from partnerlib.models import SwotFactor

TABLE = pd.DataFrame(
    {
        "id": ["a", "b", "a", "c"],
        "kind": ["strength", "threat", "strenght", None],
        "score": [3, 7, 2.5, np.nan],
        "owner": ["us", "hc", "zz", "us"],
    }
)


def texts(problems):
    return [str(p) for p in problems]


# ---- required columns --------------------------------------------------------------------

MISSING = [
    (("id",), None),
    (("id", "power"), "the factors table has no column 'power'"),
    (("power", "id", "interest"), "the factors table has no columns 'power', 'interest'"),
]


@pytest.mark.parametrize(("columns", "message"), MISSING)
def test_require_columns(columns, message):
    try:
        require_columns(TABLE, columns, "factors")
        said = None
    except InvalidInput as error:
        said = str(error)
    assert said == message


def test_require_columns_refuses_what_is_not_a_table():
    with pytest.raises(InvalidInput, match=r"^rows: expected a table \(DataFrame\), got list$"):
        require_columns([{"id": "a"}], ("id",), "rows")


def test_error_is_a_plan_error():
    with pytest.raises(PlanError):
        require_columns(TABLE, ("power",), "factors")


AS_TABLE = [
    (TABLE.set_index("id"), "id", ["the t table has no column 'id'"]),
    (TABLE.iloc[[3, 1]], "index", [0, 1]),
    ([SwotFactor(id="s1", kind="strength", text="Trusted", weight=1, rating=4)], "id", ["s1"]),
    ([], "columns", ["id", "kind", "text", "weight", "rating"]),
]


@pytest.mark.parametrize(("data", "what", "expected"), AS_TABLE)
def test_as_table(data, what, expected):
    try:
        table = as_table(data, SwotFactor, ("id",), "t")
        got = table.columns.tolist() if what == "columns" else getattr(table, what).tolist()
    except InvalidInput as error:
        got = [str(error)]
    assert got == expected


# ---- rows ---------------------------------------------------------------------------------

ROW_CASES = [
    (
        lambda: rule_problems(TABLE, "t", "score", TABLE["score"].gt(5), "whole_number", low=1, high=5),
        ["t row 2: 'score' must be a whole number from 1 to 5 (got 7.0)"],
    ),
    (
        lambda: rule_problems(TABLE, "t", "kind", TABLE["kind"].isna(), "choice", choices=("strength",)),
        ["t row 4: 'kind' is required (one of strength)"],
    ),
    (
        lambda: choice_problems(TABLE, "t", "kind", ("strength", "threat")),
        [
            "t row 3: 'kind' must be one of strength, threat (got 'strenght')",
            "t row 4: 'kind' is required (one of strength, threat)",
        ],
    ),
    (
        lambda: unknown_problems(TABLE, "t", "owner", {"us": "Us", "hc": "Clinic"}, "a party"),
        ["t row 3: 'owner' must be the id of a party (got 'zz')"],
    ),
    (lambda: repeat_problems(TABLE, "t", ["id"]), ["t row 3: 'id' 'a' is used twice"]),
    (
        lambda: repeat_problems(TABLE.assign(check="finances").rename(columns={"id": "candidate"}),
                                "t", ["candidate", "check"], "two_results"),
        ["t row 3: 'a' has two results for 'finances'"],
    ),
    (
        lambda: whole_number_problems(TABLE, "t", "score", 1, 5),
        [
            "t row 2: 'score' must be a whole number from 1 to 5 (got 7.0)",
            "t row 3: 'score' must be a whole number from 1 to 5 (got 2.5)",
            "t row 4: 'score' is required (a whole number from 1 to 5)",
        ],
    ),
    (
        lambda: whole_number_problems(TABLE, "t", "score", 1, 5, values=pd.Series([1, 2, 3, 4])),
        [],
    ),
    (
        lambda: rule_problems(pd.DataFrame({"n": [1, 9]}), "t", "n", [False, True], "fraction"),
        ["t row 2: 'n' must be a number from 0 to 1 (got 9)"],  # a NumPy integer reads as a plain number
    ),
    (
        lambda: row_problems(
            TABLE, "t", TABLE["owner"].eq("us"), "listed_twice", lambda row: {"got": row["id"]}
        ),
        ["t row 1: 'a' is listed twice", "t row 4: 'c' is listed twice"],
    ),
    (lambda: row_problems(TABLE, "t", np.zeros(4, dtype=bool), "listed_twice", dict), []),
]


@pytest.mark.parametrize(("check", "expected"), ROW_CASES)
def test_row_checks(check, expected):
    assert texts(check()) == expected


def test_rows_are_counted_positionally():
    shifted = TABLE.set_axis([10, 20, 30, 40])
    assert texts(repeat_problems(shifted, "t", ["id"])) == ["t row 3: 'id' 'a' is used twice"]


def test_problem_paths_hold_the_table_and_the_row():
    assert [p.path for p in choice_problems(TABLE, "t", "kind", ("strength",))] == [
        ("t", 1),
        ("t", 2),
        ("t", 3),
    ]


MANY = pd.DataFrame({"x": range(25)})
CAPPED = [
    (MANY["x"].ge(0), MOST_ROWS_NAMED + 1),
    (MANY["x"].lt(MOST_ROWS_NAMED), MOST_ROWS_NAMED),
    (MANY["x"].lt(0), 0),
]


@pytest.mark.parametrize(("bad", "count"), CAPPED)
def test_at_most_ten_rows_are_named(bad, count):
    assert len(rule_problems(MANY, "t", "x", bad, "odd")) == count


def test_the_rest_are_counted():
    assert str(rule_problems(MANY, "t", "x", MANY["x"].ge(0), "odd")[-1]) == (
        "… and 15 more rows like these"
    )


# ---- dates --------------------------------------------------------------------------------

DATES = [
    ("2026-03-31", False, "2026-03-31", []),
    (dt.date(2026, 3, 31), True, "2026-03-31", []),
    (pd.Timestamp("2026-03-31 18:00", tz="Europe/Paris"), True, "2026-03-31", []),
    ("  ", False, None, []),
    (None, True, None, ["d row 1: 'date' is required (a date like 2026-03-31)"]),
    ("soon", False, None, ["d row 1: 'date' must be a date like 2026-03-31 (got 'soon')"]),
    (
        "31/03/2026",
        False,
        None,
        ["d row 1: 'date' must be a date like 2026-03-31 (got '31/03/2026')"],
    ),
]


@pytest.mark.parametrize(("value", "required", "day", "problems"), DATES)
def test_read_dates(value, required, day, problems):
    dates, found = read_dates(pd.DataFrame({"date": [value]}), "d", "date", required=required)
    shown = None if pd.isna(dates.iloc[0]) else dates.iloc[0].strftime("%Y-%m-%d")
    assert (shown, texts(found)) == (day, problems)


# (a column of dates in one of the forms a table holds them, the days read, the rows refused)
DATE_COLUMNS = [
    (pd.Series(["2026-03-31", "soon", "2026-03-31", None, "2026-04-01"]),
     ["2026-03-31", None, "2026-03-31", None, "2026-04-01"], [2, 4]),
    (pd.Series(["2026-03-31", "soon", "2026-03-31", None, "2026-04-01"], dtype="category"),
     ["2026-03-31", None, "2026-03-31", None, "2026-04-01"], [2, 4]),
    (pd.Series([dt.date(2026, 3, 31), None, dt.date(2026, 3, 31)], dtype=object),
     ["2026-03-31", None, "2026-03-31"], [2]),
    (pd.Series(pd.to_datetime(["2026-03-31 08:00", None, "2026-04-01 00:00"])),
     ["2026-03-31", None, "2026-04-01"], [2]),
]


@pytest.mark.parametrize(("column", "days", "refused"), DATE_COLUMNS)
def test_read_dates_of_a_column_reads_each_form_alike(column, days, refused):
    dates, found = read_dates(pd.DataFrame({"date": column}), "d", "date", required=True)
    shown = [None if pd.isna(d) else d.strftime("%Y-%m-%d") for d in dates]
    assert (shown, [p.path[1] + 1 for p in found]) == (days, refused)


AS_DAY = [
    (dt.date(2026, 3, 31), pd.Timestamp("2026-03-31")),
    (dt.datetime(2026, 3, 31, 23, 59), pd.Timestamp("2026-03-31")),
    (pd.Timestamp("2026-03-31 08:00"), pd.Timestamp("2026-03-31")),
]


@pytest.mark.parametrize(("as_of", "expected"), AS_DAY)
def test_as_day(as_of, expected):
    assert as_day(as_of) == expected


@pytest.mark.parametrize("as_of", ["2026-03-31", 20260331, None])
def test_as_day_refuses_what_is_not_a_date(as_of):
    with pytest.raises(TypeError, match="'as_of' must be a date like datetime.date"):
        as_day(as_of)


# ---- raising ------------------------------------------------------------------------------

RAISED = [
    ([], "", None),
    ([Problem(("t", 0), "missing", {"field": "x"})], "", "t row 1: 'x' is required"),
    ([Problem(("t", 0), "missing", {"field": "x"})], "Table", "Table: t row 1: 'x' is required"),
    (
        [Problem(("t", 0), "missing", {"field": "x"}), Problem(("t", 2), "missing", {"field": "y"})],
        "Table",
        "Table: \n  t row 1: 'x' is required\n  t row 3: 'y' is required",
    ),
]


@pytest.mark.parametrize(("problems", "context", "message"), RAISED)
def test_raise_problems(problems, context, message):
    try:
        raise_problems(problems, context)
        said = None
    except InvalidInput as error:
        said = str(error)
    assert said == message
