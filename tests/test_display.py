"""Readable results: formats, statuses in words and colour, escaping of untrusted text."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys

import pandas as pd
import pytest

from partnerlib.output.display import (
    format_date,
    format_money,
    format_number,
    format_percent,
    show_table,
)

FORMATS = [
    (format_number, (1250.5, 1), "1,250.5"),
    (format_number, (None,), ""),
    (format_number, (math.nan,), ""),
    (format_money, (12500, "KES"), "KES 12,500"),
    (format_money, (None, "KES"), ""),
    (format_percent, (0.153,), "15%"),
    (format_percent, (0.1549, 1), "15.5%"),
    (format_date, (dt.date(2026, 9, 30),), "30 Sep 2026"),
    (format_date, (pd.Timestamp("2026-02-01"),), "1 Feb 2026"),
    (format_date, (pd.NaT,), ""),
]


@pytest.mark.parametrize(("formatter", "args", "expected"), FORMATS)
def test_formats(formatter, args, expected):
    assert formatter(*args) == expected


@pytest.fixture
def table():
    frame = pd.DataFrame(
        {
            "title": ["Floods", "<script>alert(1)</script>"],
            "band": ["high", "low"],
            "due": [dt.date(2026, 1, 2), None],
            "cost": [1200.0, math.nan],
        }
    )
    return show_table(frame, formats={"cost": "money"}, status=("band",), currency="KES", caption="Risks & more")


def test_plain_text_is_aligned_and_formatted(table):
    assert repr(table).splitlines() == [
        "Risks & more",
        "                    Title Band        Due      Cost",
        "                   Floods high 2 Jan 2026 KES 1,200",
        "<script>alert(1)</script>  low                     ",
    ]


def test_html_escapes_untrusted_text(table):
    html = table._repr_html_()
    assert ("<script>" in html, "&lt;script&gt;alert(1)&lt;/script&gt;" in html, "Risks &amp; more" in html) == (
        False,
        True,
        True,
    )


def test_dates_and_amounts_stay_on_one_line_and_text_wraps(table):
    html = table._repr_html_()
    assert [f'white-space:nowrap">{text}<' in html for text in ("2 Jan 2026", "KES 1,200", "Floods")] == [
        True, True, False]


def test_status_is_shown_in_words_and_colour(table):
    assert '<span style="color:#E69F00">&#9679;</span> high' in table._repr_html_()


def test_an_empty_table_says_so():
    shown = show_table(pd.DataFrame({"title": []}), caption="Risks")
    html = shown._repr_html_()
    assert (repr(shown), "<p>Risks: <em>Nothing to show yet.</em></p>" in html, "<table" in html) == (
        "Risks\nNothing to show yet.", True, False)


def test_a_table_is_shown_without_loading_jinja2():
    # Every notebook step shows tables; Jinja2 costs a step's kernel about 45 ms to load (issue 13).
    shown = "from partnerlib.output.display import show_table; import pandas, sys; " \
        "show_table(pandas.DataFrame({'a': ['<b>']}))._repr_html_(); print('jinja2' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", shown], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"


def test_a_status_stays_on_one_line_with_its_dot(table):
    assert '<td style="text-align:left;white-space:nowrap"><span style="color:#E69F00">' in table._repr_html_()


def test_typed_values_stay_beside_the_text(table):
    assert (list(table.data.columns), table.data["Cost"].iloc[0], table.kinds["Cost"], table.currency) == (
        ["Title", "Band", "Due", "Cost"],
        1200.0,
        "money",
        "KES",
    )


# (kind, value, how it is shown: a kind may carry its decimals)
KINDS = [
    ("number", 1250.4, "1,250"),
    ("number2", 4.5, "4.50"),
    ("money", 12500, "KES 12,500"),
    ("money2", 1045.5, "KES 1,045.50"),
    ("percent", 0.153, "15%"),
    ("percent1", 0.542, "54.2%"),
    ("yes/no", False, "no"),
    ("text", ["a", "b"], "a, b"),
    ("risk score", (4, 3), "4 × 3 = 12"),
]


@pytest.mark.parametrize(("kind", "value", "expected"), KINDS)
def test_kinds(kind, value, expected):
    shown = show_table(pd.DataFrame({"v": [value]}), formats={"v": kind}, currency="KES")
    assert shown.frame["V"].iloc[0] == expected


def test_a_missing_value_reads_as_the_view_says_and_stays_missing():
    shown = show_table(pd.DataFrame({"rank": pd.array([1, None], dtype="Int64")}), missing={"rank": "—"})
    assert (shown.frame["Rank"].tolist(), shown.data["Rank"].isna().tolist()) == (["1", "—"], [False, True])


@pytest.fixture
def by_row():
    """KPI values in three units: each row formatted by its own kind, its value kept as a number."""
    frame = pd.DataFrame({"value": [6659, 45.81, 0.542], "kind": ["number", "money2", "percent1"]})
    return show_table(frame, columns={"value": "Latest"}, formats={"value": "kind"})


def test_a_column_can_be_formatted_row_by_row(by_row):
    assert by_row.frame["Latest"].tolist() == ["6,659", "USD 45.81", "54.2%"]


def test_a_column_formatted_row_by_row_keeps_numbers_and_each_row_s_kind(by_row):
    assert (by_row.data["Latest"].tolist(), by_row.kinds["Latest"], by_row.cell_kinds("Latest")) == (
        [6659, 45.81, 0.542],
        "by row",
        ["number", "money2", "percent1"],
    )


def test_a_format_that_is_no_kind_names_the_column():
    with pytest.raises(ValueError, match="The format of column 'cost' is 'dollars': give a kind"):
        show_table(pd.DataFrame({"cost": [1]}), formats={"cost": "dollars"})
