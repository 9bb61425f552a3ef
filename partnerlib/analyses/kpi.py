"""Step 10 — evaluate KPIs on a date: latest value, progress, status, trend and projected date.

Progress runs from the baseline (0 %) to the target (100 %) whichever the
direction, so a KPI that should fall gains progress as it falls. The expected
progress is the share of the time from the baseline date to the target date
that has passed; a KPI is on track while its progress trails the expected
progress by no more than a set gap (see :class:`KpiThresholds`).

The projection informs the status: a KPI behind schedule (at risk or off
track) whose recent trend reaches the target on or before its target date is
one band better (at risk → on track, off track → at risk), and
``trend_in_time`` says so. Where a KPI stands today and where it is heading
then never contradict each other on one page: it is not "at risk" while its
trend shows it reaching the target in time.

How the measurements of a KPI become one value per date:

* **Disaggregated KPIs** (measurements split into groups, e.g. by sex or
  village): the KPI's value on a date is the **sum** of its groups' values for
  a number or currency, and their **average** for a percentage. Several
  measurements of one KPI on one date without groups are treated the same way.
  :func:`evaluate_kpis_by_group` gives the same evaluation for each group.
* **Cumulative KPIs** ("people trained to date"): the value to date is the
  baseline plus every measurement after the baseline date up to ``as_of`` (a
  running total; with the usual baseline of 0 it is simply the sum).
* Only measurements dated on or before ``as_of`` count; measurements of a KPI
  id that is not in the KPI table are ignored.

Values are rounded to the precision the KPI is shown with (its ``decimals``)
and progress to whole percent **before** the status is decided, so a KPI shown
15 points behind is banded as exactly 15 points behind.

Everything is computed over the whole measurements table at once (sorting,
grouping and array arithmetic), so a million measurements over a thousand KPIs
take about a second.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ..core.formats import round_half_away
from ..core.problems import Problem
from ..models import CADENCE_DAYS, KPI_LEVELS, REQUIRED_MEASUREMENT_COLUMNS
from .checks import (
    choice_problems,
    raise_problems,
    read_dates,
    repeat_problems,
    require_columns,
    rule_problems,
)

if TYPE_CHECKING:
    pass

__all__ = [
    "DEFAULT_THRESHOLDS",
    "KPI_COLUMNS",
    "KPI_STATUSES",
    "KpiThresholds",
    "evaluate_kpis",
    "evaluate_kpis_by_group",
    "kpi_periods",
    "kpi_rollup",
    "kpi_series",
]

#: The columns of the KPI table the evaluation needs (fields of a Kpi record).
KPI_COLUMNS = (
    "id",
    "name",
    "level",
    "unit",
    "direction",
    "cumulative",
    "frequency",
    "baseline",
    "baseline_date",
    "target",
    "target_date",
    "decimals",
)
#: The statuses, best first.
KPI_STATUSES = ("on track", "at risk", "off track", "no data")
#: A projection further away than this many days is not shown (the trend is too flat to matter).
_LONGEST_PROJECTION = 365 * 100
_DAY = np.timedelta64(1, "D")


@dataclass(frozen=True)
class KpiThresholds:
    """How far progress may trail the expected progress before a KPI is at risk or off track.

    Both gaps are fractions of the way from baseline to target (0.15 = 15
    percentage points). A KPI is on track when progress ≥ expected − ``on_track``,
    at risk when progress ≥ expected − ``at_risk``, and off track otherwise.

    >>> KpiThresholds(on_track=0.10, at_risk=0.25)
    KpiThresholds(on_track=0.1, at_risk=0.25)

    Args:
        on_track: the largest gap that is still on track (0–1).
        at_risk: the largest gap that is at risk rather than off track (``on_track``–1).
    """

    on_track: float = 0.15
    at_risk: float = 0.30

    def __post_init__(self) -> None:
        if not 0 <= self.on_track <= self.at_risk <= 1:
            raise ValueError(
                "the gaps must satisfy 0 ≤ on_track ≤ at_risk ≤ 1 "
                f"(got on_track={self.on_track:g}, at_risk={self.at_risk:g})"
            )


#: On track within 15 points of the expected progress, at risk within 30.
DEFAULT_THRESHOLDS = KpiThresholds()


# ---- reading the tables ------------------------------------------------------------------

def _days(
    table: pd.DataFrame, name: str, column: str, *, optional: bool
) -> tuple[np.ndarray, np.ndarray, list[Problem]]:
    """Return dates as read (``datetime64[s]``, NaT if empty), as days since 1970 (NaN if empty), and bad rows."""
    dates, problems = read_dates(table, name, column, required=not optional)
    stamps = dates.to_numpy(dtype="datetime64[s]")
    days = stamps.astype("datetime64[D]").astype(np.int64).astype(float)
    days[np.isnat(stamps)] = np.nan
    return stamps, days, problems


def _numbers(table: pd.DataFrame, name: str, column: str, *, optional: bool) -> tuple[np.ndarray, list[Problem]]:
    """Return a column as floats (NaN where empty), and the rows that are not numbers."""
    values = pd.to_numeric(table[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values) & ~(optional & table[column].isna().to_numpy())
    return values, rule_problems(table, name, column, bad, "number")


def _as_of_day(as_of: Any) -> int:
    stamp = pd.Timestamp(as_of)
    if pd.isna(stamp):
        raise ValueError(f"'as_of' must be a date (got {as_of!r})")
    return int(np.datetime64(stamp.date(), "D").astype(np.int64))


def _read_kpis(kpis: pd.DataFrame) -> dict[str, np.ndarray]:
    """Check the KPI table once and return its columns as arrays, one entry per KPI."""
    require_columns(kpis, KPI_COLUMNS, "kpis")
    ids = kpis["id"].astype(str)
    problems = repeat_problems(kpis.assign(id=ids), "kpis", ["id"])
    problems += choice_problems(kpis, "kpis", "unit", ("number", "percentage", "currency"))
    problems += choice_problems(kpis, "kpis", "direction", ("increase", "decrease"))
    problems += choice_problems(kpis, "kpis", "frequency", tuple(CADENCE_DAYS))
    arrays: dict[str, Any] = {}
    for name in ("baseline", "target"):
        arrays[name], found = _numbers(kpis, "kpis", name, optional=True)
        problems += found
    for name in ("baseline_date", "target_date"):
        arrays[f"{name}_read"], arrays[name], found = _days(kpis, "kpis", name, optional=True)
        problems += found
    decimals, found = _numbers(kpis.assign(decimals=kpis["decimals"].fillna(0)), "kpis", "decimals", optional=False)
    problems += found
    raise_problems(problems)
    arrays["ids"] = ids.to_numpy()
    arrays["decimals"] = np.clip(decimals, 0, 6).astype(np.int64)
    arrays["cumulative"] = kpis["cumulative"].fillna(False).astype(bool).to_numpy()
    arrays["percentage"] = (kpis["unit"] == "percentage").to_numpy()
    arrays["period_days"] = kpis["frequency"].map(CADENCE_DAYS).to_numpy(dtype=float)
    return arrays


def _read_measurements(
    measurements: pd.DataFrame, ids: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the measurements once; return each one's KPI row (−1 if unknown), day and value."""
    require_columns(measurements, REQUIRED_MEASUREMENT_COLUMNS, "measurements")
    _, days, problems = _days(measurements, "measurements", "date", optional=False)
    values, found = _numbers(measurements, "measurements", "value", optional=False)
    problems += found
    raise_problems(problems)
    codes, uniques = pd.factorize(measurements["kpi"], use_na_sentinel=True)
    lookup = np.append(pd.Index(ids, dtype=object).get_indexer(np.asarray(uniques, dtype=object)), -1)
    return lookup[codes], days, values


# ---- the computation ------------------------------------------------------------------

def _totals(
    entity: np.ndarray, days: np.ndarray, values: np.ndarray, kpi_of: np.ndarray,
    info: dict[str, np.ndarray], as_of_day: int,
) -> dict[str, np.ndarray]:
    """Turn measurements into one value per entity and date, sorted by entity then date.

    ``entity`` numbers what is evaluated (a KPI, or a KPI's group; −1 = skip) and
    ``kpi_of`` gives each entity's KPI row. Returns the arrays ``entity``,
    ``day``, ``value`` (the running total for a cumulative KPI) and ``count``
    (how many measurements made each value).
    """
    known = entity >= 0
    entity, days, values = entity[known], days[known], values[known]
    kpi = kpi_of[entity]
    # Only what happened by as_of; for a cumulative KPI, only what happened after its baseline date.
    keep = (days <= as_of_day) & ~(info["cumulative"][kpi] & (days <= info["baseline_date"][kpi]))
    entity, days, values = entity[keep], days[keep].astype(np.int64), values[keep]
    first_day = int(days.min()) if len(days) else 0
    span = (int(days.max()) - first_day + 1) if len(days) else 1
    key, sums, counts = _sum_by_key(entity.astype(np.int64) * span + (days - first_day), values)
    entity, day = key // span, key % span + first_day
    kpi = kpi_of[entity]
    value = np.where(info["percentage"][kpi], sums / counts, sums)
    cumulative = info["cumulative"][kpi]
    if cumulative.any():
        running = pd.Series(value).groupby(entity).cumsum().to_numpy()
        value = np.where(cumulative, np.nan_to_num(info["baseline"][kpi]) + running, value)
    return {"entity": entity, "day": day, "value": value, "count": counts}


def _sum_by_key(key: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add up values with the same key: return the keys (ascending), their sums and counts.

    When the keys are few compared with the rows (a KPI × day grid no larger
    than a few times the table), one pass of counting does it; otherwise a sort.
    """
    if not len(key):
        return key, values, np.zeros(0, dtype=np.int64)
    size = int(key.max()) + 1
    if size <= 4 * len(key) + 1_000_000:
        counts = np.bincount(key, minlength=size)
        present = np.flatnonzero(counts)
        return present, np.bincount(key, weights=values, minlength=size)[present], counts[present]
    order = np.argsort(key, kind="stable")
    key, values = key[order], values[order]
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    return key[starts], np.add.reduceat(values, starts), np.diff(np.r_[starts, len(key)])


def _summarise(
    series: dict[str, np.ndarray], kpi_of: np.ndarray, info: dict[str, np.ndarray],
    as_of_day: int, thresholds: KpiThresholds, trend_points: int,
) -> dict[str, Any]:
    """Evaluate every entity from its dated values: one array per result column."""
    count = len(kpi_of)
    entity, day, value = series["entity"], series["day"], series["value"]
    last = np.flatnonzero(np.r_[entity[1:] != entity[:-1], True]) if len(entity) else np.array([], int)
    latest = np.full(count, np.nan)
    latest_day = np.full(count, np.nan)
    latest[entity[last]] = value[last]
    latest_day[entity[last]] = day[last]
    measured = np.bincount(entity, weights=series["count"], minlength=count).astype(np.int64)

    baseline, target = info["baseline"][kpi_of], info["target"][kpi_of]
    start, end = info["baseline_date"][kpi_of], info["target_date"][kpi_of]
    shown = round_half_away(latest, info["decimals"][kpi_of])
    with np.errstate(invalid="ignore", divide="ignore"):
        progress = round_half_away((shown - baseline) / (target - baseline) * 100)
        expected = round_half_away(np.clip((as_of_day - start) / (end - start), 0, 1) * 100)
    gap = progress - expected  # in whole percentage points, as shown
    behind = np.select(
        [np.isnan(gap), gap >= -thresholds.on_track * 100 - 1e-9, gap >= -thresholds.at_risk * 100 - 1e-9],
        [3, 0, 1], default=2,
    )

    # Trend: least squares over each entity's last few dated values.
    last_position = np.zeros(count, dtype=np.int64)
    last_position[entity[last]] = last
    recent = (last_position[entity] - np.arange(len(entity))) < trend_points
    who, x, y = entity[recent], (day[recent] - latest_day[entity[recent]]), value[recent]
    points = np.bincount(who, minlength=count)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_x = np.bincount(who, weights=x, minlength=count) / points
        mean_y = np.bincount(who, weights=y, minlength=count) / points
        dx, dy = x - mean_x[who], y - mean_y[who]
        spread = np.bincount(who, weights=dx * dx, minlength=count)
        slope = np.where(spread > 0, np.bincount(who, weights=dx * dy, minlength=count) / spread, np.nan)

    # Projected date: from the latest value along the trend, when it points toward the target.
    toward = np.sign(target - baseline)
    with np.errstate(invalid="ignore", divide="ignore"):
        remaining = (target - shown) * toward
        days_left = np.where(remaining <= 0, 0.0, np.ceil(remaining / (slope * toward) - 1e-9))
    days_left[~(days_left >= 0) | (days_left > _LONGEST_PROJECTION)] = np.nan
    projected = latest_day + days_left
    # The projection informs the status: behind schedule, but on course to reach the target by its date.
    in_time = (projected <= end) & np.isin(behind, (1, 2))
    status = behind - in_time

    return {
        "latest": shown,
        "latest_date": _dates(latest_day),
        "measurement_count": measured,
        "progress": progress / 100,
        "expected_progress": expected / 100,
        "status": pd.Categorical.from_codes(status, categories=KPI_STATUSES),
        "trend_in_time": in_time,
        "trend_per_day": slope,
        "trend_per_period": slope * info["period_days"][kpi_of],
        "projected_date": _dates(projected),
    }


def _dates(days: np.ndarray) -> np.ndarray:
    """Whole days since 1970 (NaN = none) as datetime64[s] (NaT = none)."""
    out = np.full(len(days), np.datetime64("NaT"), dtype="datetime64[s]")
    known = ~np.isnan(days)
    out[known] = days[known].astype(np.int64).astype("datetime64[D]").astype("datetime64[s]")
    return out


def _prepare(
    kpis: pd.DataFrame, measurements: pd.DataFrame, as_of: Any, trend_points: int
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, int]:
    if trend_points < 2:
        raise ValueError(f"'trend_points' must be at least 2 (got {trend_points})")
    info = _read_kpis(kpis)
    codes, days, values = _read_measurements(measurements, info["ids"])
    return info, codes, days, values, _as_of_day(as_of)


def _result_table(
    kpis: pd.DataFrame, info: dict[str, np.ndarray], results: dict[str, Any], rows: np.ndarray
) -> pd.DataFrame:
    table = kpis.iloc[rows].reset_index(drop=True)
    for name in ("baseline_date", "target_date"):
        table[name] = info[f"{name}_read"][rows]  # as _read_kpis read them: not parsed a second time
    return pd.concat([table, pd.DataFrame(results)], axis=1)


def evaluate_kpis(
    kpis: pd.DataFrame,
    measurements: pd.DataFrame,
    *,
    as_of: dt.date | str | pd.Timestamp,
    thresholds: KpiThresholds = DEFAULT_THRESHOLDS,
    trend_points: int = 6,
) -> pd.DataFrame:
    """Evaluate every KPI on a date: latest value, progress, status, trend and projected date.

    Progress is (latest − baseline) / (target − baseline): 0 at the baseline,
    1 at the target, in either direction. Expected progress is the share of the
    time from baseline date to target date passed by ``as_of`` (0–1). The
    status is "no data" when there is no measurement yet, or the baseline,
    target or one of their dates is missing. The trend is the least-squares
    slope over the last ``trend_points`` dated values; the projected date is
    when that trend, continued from the latest value, reaches the target (NaT
    when it points away or is flat; the latest date when the target is reached).

    >>> kpis = pd.DataFrame([{"id": "k1", "name": "Wells", "level": "output",
    ...     "unit": "number", "direction": "increase", "cumulative": False,
    ...     "frequency": "monthly", "baseline": 40, "baseline_date": "2026-01-01",
    ...     "target": 80, "target_date": "2026-12-31", "decimals": 0}])
    >>> measurements = pd.DataFrame({"kpi": ["k1", "k1"], "value": [50, 60],
    ...     "date": ["2026-05-01", "2026-07-01"]})
    >>> row = evaluate_kpis(kpis, measurements, as_of="2026-07-01").iloc[0]
    >>> row["latest"], row["progress"], row["expected_progress"], row["status"]
    (np.float64(60.0), np.float64(0.5), np.float64(0.5), 'on track')
    >>> str(row["projected_date"].date())
    '2026-10-31'

    Args:
        kpis: the KPI table (``records_table(plan.monitoring.kpis, Kpi)``),
            with at least the columns in ``KPI_COLUMNS``.
        measurements: one row per measurement with the columns ``kpi``,
            ``date`` and ``value`` (and ``group`` for disaggregated KPIs).
            Dates may be dates, timestamps or text like 2026-03-31.
        as_of: the date of the evaluation; later measurements are ignored.
        thresholds: how far behind the expected progress is at risk or off track.
        trend_points: how many of the latest dated values the trend is fitted to (2 or more).

    Returns:
        One row per KPI, in the KPI table's order: its columns (dates as
        datetime64) and ``latest`` (rounded to the KPI's decimals),
        ``latest_date``, ``measurement_count``, ``progress`` and
        ``expected_progress`` (fractions rounded to whole percent), ``status``
        (one band better when behind but the trend reaches the target by the
        target date: then ``trend_in_time`` is True),
        ``trend_per_day``, ``trend_per_period`` (per the KPI's frequency) and
        ``projected_date``.

    Raises:
        InvalidInput: a column is missing, or rows hold values that cannot be
            read (the message names the rows, counted from 1).
    """
    info, codes, days, values, as_of_day = _prepare(kpis, measurements, as_of, trend_points)
    kpi_of = np.arange(len(info["ids"]))
    series = _totals(codes, days, values, kpi_of, info, as_of_day)
    results = _summarise(series, kpi_of, info, as_of_day, thresholds, trend_points)
    return _result_table(kpis, info, results, kpi_of)


def evaluate_kpis_by_group(
    kpis: pd.DataFrame,
    measurements: pd.DataFrame,
    *,
    as_of: dt.date | str | pd.Timestamp,
    thresholds: KpiThresholds = DEFAULT_THRESHOLDS,
    trend_points: int = 6,
) -> pd.DataFrame:
    """Evaluate each group of each disaggregated KPI, as :func:`evaluate_kpis` does a whole KPI.

    A percentage KPI's groups are each measured against the KPI's baseline and
    target (a vaccination rate should reach 90 % for girls and for boys). A
    count or an amount is different: its target is for the total, and no
    group is meant to reach it alone, so its groups get their latest value,
    trend and ``share`` of the total but no progress or status ("not
    applicable"). There is one row per KPI and group found in the
    measurements (a group measured only after ``as_of`` shows as "no data");
    KPIs without measurements are left out. Rows follow the KPI table's
    order, then the group names.

    >>> kpis = pd.DataFrame([{"id": "k1", "name": "Girls and boys in school (%)",
    ...     "level": "outcome", "unit": "percentage", "direction": "increase",
    ...     "cumulative": False, "frequency": "yearly", "baseline": 50,
    ...     "baseline_date": "2025-01-01", "target": 90, "target_date": "2027-01-01",
    ...     "decimals": 0}])
    >>> measurements = pd.DataFrame({"kpi": ["k1", "k1"], "group": ["girls", "boys"],
    ...     "value": [54, 80], "date": ["2026-01-01", "2026-01-01"]})
    >>> evaluate_kpis_by_group(kpis, measurements, as_of="2026-01-01")[
    ...     ["group", "latest", "progress", "status"]]
       group  latest  progress     status
    0   boys    80.0      0.75   on track
    1  girls    54.0      0.10  off track

    Args:
        kpis: the KPI table, as for :func:`evaluate_kpis`.
        measurements: the measurements, with a ``group`` column (empty text = no group).
        as_of: the date of the evaluation.
        thresholds: how far behind the expected progress is at risk or off track.
        trend_points: how many of the latest dated values the trend is fitted to.

    Returns:
        The columns of :func:`evaluate_kpis` with ``group`` after ``id``, and
        ``share``: the group's part of the KPI's latest values (0–1).
    """
    info, codes, days, values, as_of_day = _prepare(kpis, measurements, as_of, trend_points)
    groups = (
        measurements["group"].fillna("").astype(str).to_numpy(dtype=object)
        if "group" in measurements.columns
        else np.full(len(measurements), "", dtype=object)
    )
    group_codes, group_names = pd.factorize(groups, sort=True)
    pair = np.where(codes >= 0, codes.astype(np.int64) * max(len(group_names), 1) + group_codes, -1)
    pairs, entity = np.unique(pair, return_inverse=True)
    if len(pairs) and pairs[0] == -1:  # measurements of unknown KPIs
        pairs, entity = pairs[1:], entity - 1
    kpi_of = pairs // max(len(group_names), 1)
    series = _totals(entity, days, values, kpi_of, info, as_of_day)
    results = _summarise(series, kpi_of, info, as_of_day, thresholds, trend_points)
    table = _result_table(kpis, info, results, kpi_of)
    table.insert(1, "group", np.asarray(group_names, dtype=object)[pairs % max(len(group_names), 1)])
    total = table.groupby("id", sort=False)["latest"].transform("sum")
    table["share"] = (table["latest"] / total.where(total != 0)).astype(float)
    counted = table["unit"].ne("percentage").to_numpy()
    table.loc[counted, ["progress", "expected_progress", "projected_date"]] = np.nan
    table.loc[counted, "trend_in_time"] = False  # no target of its own to reach
    status = table["status"].cat.add_categories(["not applicable"])
    table["status"] = status.where(~counted, "not applicable")
    return table



def kpi_series(
    kpis: pd.DataFrame, measurements: pd.DataFrame, *, as_of: dt.date | str | pd.Timestamp
) -> pd.DataFrame:
    """Each KPI's value on each date it was measured, as :func:`evaluate_kpis` reads it.

    A KPI's measurements on one date become one value: its groups summed (a
    percentage's averaged), and for a cumulative KPI the running total from
    its baseline. Only measurements dated on or before ``as_of`` count (for a
    cumulative KPI, only those after its baseline date). This is the series a
    KPI's chart draws and its trend is fitted to.

    >>> kpis = pd.DataFrame([{"id": "k1", "name": "People trained", "level": "output",
    ...     "unit": "number", "direction": "increase", "cumulative": True,
    ...     "frequency": "monthly", "baseline": 0, "baseline_date": "2026-01-01",
    ...     "target": 100, "target_date": "2026-12-31", "decimals": 0}])
    >>> measurements = pd.DataFrame({"kpi": ["k1", "k1", "k1"], "value": [5, 7, 9],
    ...     "date": ["2026-02-01", "2026-03-01", "2026-09-01"]})
    >>> kpi_series(kpis, measurements, as_of="2026-06-30")
       id       date  value  measurement_count
    0  k1 2026-02-01    5.0                  1
    1  k1 2026-03-01   12.0                  1

    Args:
        kpis: the KPI table, as for :func:`evaluate_kpis`.
        measurements: the measurements, as for :func:`evaluate_kpis`.
        as_of: the date of the evaluation; later measurements are ignored.

    Returns:
        One row per KPI and date measured, in the KPI table's order then by
        date: ``id``, ``date`` (datetime64), ``value`` (not rounded) and
        ``measurement_count`` (the measurements that made the value).

    Raises:
        InvalidInput: a column is missing, or rows hold values that cannot be read.
    """
    info, codes, days, values, as_of_day = _prepare(kpis, measurements, as_of, 2)
    series = _totals(codes, days, values, np.arange(len(info["ids"])), info, as_of_day)
    return pd.DataFrame({
        "id": info["ids"][series["entity"]],
        "date": _dates(series["day"].astype(float)),
        "value": series["value"].astype(float),
        "measurement_count": series["count"].astype(np.int64),
    })


#: Months in one reporting period of each frequency but weekly (weeks run Monday to Sunday).
_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3, "twice a year": 6, "yearly": 12}


def _period_of(days: np.ndarray, frequency: str) -> np.ndarray:
    """Number the calendar period each day (days since 1970) falls in, at a KPI frequency."""
    if frequency == "weekly":
        return (days + 3) // 7  # 1970-01-01 was a Thursday; weeks start on Monday
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    return months // _PERIOD_MONTHS[frequency]


def _period_start(numbers: np.ndarray, frequency: str) -> np.ndarray:
    """The first day (days since 1970) of each numbered period, the inverse of :func:`_period_of`."""
    if frequency == "weekly":
        return numbers * 7 - 3
    months = (numbers * _PERIOD_MONTHS[frequency]).astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def kpi_periods(
    kpis: pd.DataFrame, measurements: pd.DataFrame, *, as_of: dt.date | str | pd.Timestamp
) -> pd.DataFrame:
    """Each KPI's reporting periods at its frequency, with the period's target and actual value.

    Periods are calendar periods (weeks from Monday, months, quarters, half
    years, years), from the one holding the KPI's baseline date (or its first
    measurement) to the one holding its target date (or ``as_of``, or its last
    measurement, whichever is later). The target of a period is the value on
    the straight path from the baseline (on the baseline date) to the target
    (on the target date) at the period's last day, as the expected progress of
    :func:`evaluate_kpis` reads it. The actual value is the KPI's value on the
    last date it was measured within the period (by ``as_of``), read as
    :func:`evaluate_kpis` reads its latest value: groups summed (averaged for a
    percentage), a running total for a cumulative KPI. Both are rounded to the
    KPI's decimals.

    >>> kpis = pd.DataFrame([{"id": "k1", "name": "Wells", "level": "output",
    ...     "unit": "number", "direction": "increase", "cumulative": False,
    ...     "frequency": "quarterly", "baseline": 40, "baseline_date": "2026-01-01",
    ...     "target": 80, "target_date": "2026-12-31", "decimals": 0}])
    >>> measurements = pd.DataFrame({"kpi": ["k1", "k1"], "value": [50, 60],
    ...     "date": ["2026-02-01", "2026-03-01"]})
    >>> kpi_periods(kpis, measurements, as_of="2026-05-01")[["period_start", "target", "actual"]]
      period_start  target  actual
    0   2026-01-01    50.0    60.0
    1   2026-04-01    60.0     NaN
    2   2026-07-01    70.0     NaN
    3   2026-10-01    80.0     NaN

    Args:
        kpis: the KPI table, as for :func:`evaluate_kpis`.
        measurements: the measurements, as for :func:`evaluate_kpis`.
        as_of: the date of the evaluation; later measurements are ignored.

    Returns:
        One row per KPI and period, in the KPI table's order then by date:
        ``id``, ``period_start``, ``period_end`` (datetime64), ``target`` and
        ``actual`` (NaN when unknown or not measured in the period) and
        ``measurement_count`` (measurements within the period).
    """
    info, codes, days, values, as_of_day = _prepare(kpis, measurements, as_of, 2)
    kpi_of = np.arange(len(info["ids"]))
    series = _totals(codes, days, values, kpi_of, info, as_of_day)
    frequencies = kpis["frequency"].to_numpy(dtype=object)
    entity, day = series["entity"], series["day"].astype(np.int64)
    period = np.zeros(len(entity), dtype=np.int64)
    for frequency in _PERIOD_MONTHS.keys() | {"weekly"}:
        rows = frequencies[entity] == frequency
        period[rows] = _period_of(day[rows], frequency)
    # The last value of each KPI in each period (the series is sorted by KPI, then date).
    last = np.r_[(entity[1:] != entity[:-1]) | (period[1:] != period[:-1]), True] if len(entity) else []
    ends = np.flatnonzero(last)
    counts: Any = np.add.reduceat(series["count"], np.r_[0, ends[:-1] + 1]) if len(ends) else []
    measured = pd.DataFrame({"kpi": entity[ends], "period": period[ends], "actual": series["value"][ends],
                             "measurement_count": counts})

    first_day = np.full(len(kpi_of), np.nan)
    last_day = np.full(len(kpi_of), np.nan)
    np.fmin.at(first_day, entity, day.astype(float))
    np.fmax.at(last_day, entity, day.astype(float))
    start = np.where(np.isnan(info["baseline_date"]), first_day, info["baseline_date"])
    end = np.fmax(np.where(np.isnan(info["target_date"]), as_of_day, info["target_date"]), last_day)
    blocks = []
    for kpi in np.flatnonzero(~np.isnan(start)):
        frequency = frequencies[kpi]
        first, final = (_period_of(np.array([int(d)]), frequency)[0] for d in (start[kpi], end[kpi]))
        numbers = np.arange(first, max(first, final) + 1)
        blocks.append(pd.DataFrame({"kpi": kpi, "period": numbers, "start": _period_start(numbers, frequency),
                                    "end": _period_start(numbers + 1, frequency) - 1}))
    columns = ["kpi", "period", "start", "end"]
    table = pd.concat(blocks, ignore_index=True) if blocks else pd.DataFrame(columns=columns, dtype=np.int64)
    table = table.merge(measured, on=["kpi", "period"], how="left")
    kpi = table["kpi"].to_numpy(dtype=np.int64)
    decimals = info["decimals"][kpi]
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.clip((table["end"].to_numpy(dtype=float) - info["baseline_date"][kpi])
                        / (info["target_date"][kpi] - info["baseline_date"][kpi]), 0, 1)
    baseline = info["baseline"][kpi]
    return pd.DataFrame({
        "id": info["ids"][kpi],
        "period_start": _dates(table["start"].to_numpy(dtype=float)),
        "period_end": _dates(table["end"].to_numpy(dtype=float)),
        "target": round_half_away(baseline + (info["target"][kpi] - baseline) * share, decimals),
        "actual": round_half_away(table["actual"].to_numpy(dtype=float), decimals),
        "measurement_count": table["measurement_count"].fillna(0).to_numpy(dtype=np.int64),
    })


def kpi_rollup(evaluated: pd.DataFrame, *, by: str = "level") -> pd.DataFrame:
    """Count the KPIs in each status, per level (or per any other column).

    >>> evaluated = pd.DataFrame({"level": ["output", "output", "outcome"],
    ...     "status": ["on track", "off track", "no data"]})
    >>> kpi_rollup(evaluated)
    status   on track  at risk  off track  no data  total
    level
    input           0        0          0        0      0
    output          1        0          1        0      2
    outcome         0        0          0        1      1
    impact          0        0          0        0      0

    Args:
        evaluated: the table from :func:`evaluate_kpis`.
        by: the column to count by; for ``level`` every level is listed, in
            order, even when it has no KPI.

    Returns:
        One row per value of ``by``, one column per status (best first) and ``total``.
    """
    require_columns(evaluated, (by, "status"), "evaluated KPIs")
    status = pd.Categorical(evaluated["status"], categories=KPI_STATUSES)
    rows = pd.Categorical(evaluated[by], categories=KPI_LEVELS) if by == "level" else evaluated[by]
    counts = pd.crosstab(pd.Series(rows, name=by), pd.Series(status, name="status"), dropna=False)
    counts = counts.reindex(columns=list(KPI_STATUSES), fill_value=0)
    if by == "level":
        counts = counts.reindex(list(KPI_LEVELS), fill_value=0)
    counts.index = pd.Index(list(counts.index), name=by, dtype=object)
    counts.columns = pd.Index(list(KPI_STATUSES), name="status", dtype=object)
    counts["total"] = counts.sum(axis=1)
    return counts.astype(np.int64)
