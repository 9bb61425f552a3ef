import datetime as dt

import numpy as np
import pandas as pd
import pytest

from partnerlib.core.formats import format_date, plural, read_date, round_half_away, write_number

# (value, decimals, expected): a half always rounds away from zero
ROUNDING = [
    (4.25, 1, 4.3),
    (-4.25, 1, -4.3),
    (4.35, 1, 4.4),        # stored as 4.3499…, read as 4.35 by everyone
    (2.5, 0, 3.0),         # Python's round gives 2
    (0.5, 0, 1.0),
    (-0.5, 0, -1.0),
    (1.005, 2, 1.01),
    (4.24, 1, 4.2),
    (-0.04, 1, 0.0),       # no "-0.0"
    (1e12 + 0.5, 0, 1e12 + 1),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), ROUNDING)
def test_round_half_away(value, decimals, expected):
    assert round_half_away(value, decimals) == expected


def test_round_half_away_keeps_a_series_index():
    rounded = round_half_away(pd.Series([4.25, np.nan], index=["a", "b"]), 1)
    assert rounded.to_dict() == {"a": 4.3, "b": pytest.approx(np.nan, nan_ok=True)}


def test_round_half_away_takes_decimals_per_value():
    assert round_half_away(np.array([12.345, 2.5]), np.array([2, 0])).tolist() == [12.35, 3.0]


NUMBERS = [
    (1e12, None, "1,000,000,000,000"),
    (1e7, None, "10,000,000"),
    (0.25, None, "0.25"),
    (-1500.0, None, "-1,500"),
    (100, None, "100"),
    (4.25, 1, "4.3"),
    (1234.5, 0, "1,235"),
]


@pytest.mark.parametrize(("value", "decimals", "expected"), NUMBERS)
def test_write_number(value, decimals, expected):
    assert write_number(value, decimals) == expected


PLURALS = [
    ((1, "gap"), "1 gap"),
    ((0, "gap"), "0 gaps"),
    ((2, "risk"), "2 risks"),
    ((1.5, "point"), "1.5 points"),
    ((1.0, "point"), "1 point"),
    ((3, "activity", "activities"), "3 activities"),
    ((1, "activity", "activities"), "1 activity"),
]


@pytest.mark.parametrize(("arguments", "expected"), PLURALS)
def test_plural(arguments, expected):
    assert plural(*arguments) == expected


DATES_READ = [
    ("1 Sep 2027", dt.date(2027, 9, 1)),
    ("1 September 2027", dt.date(2027, 9, 1)),
    ("2027-09-01", dt.date(2027, 9, 1)),
    ("1/9/2027", dt.date(2027, 9, 1)),      # day first
    ("01.09.2027", dt.date(2027, 9, 1)),
    ("  1   sep 2027 ", dt.date(2027, 9, 1)),
    ("9/31/2027", None),                     # no 31st month
    ("soon", None),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), DATES_READ)
def test_read_date(text, expected):
    assert read_date(text) == expected


def test_a_written_date_reads_back():
    assert read_date(format_date(dt.date(2027, 9, 1))) == dt.date(2027, 9, 1)
