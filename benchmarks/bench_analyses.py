"""Speed and memory of the two core analyses: KPI evaluation and risk scoring.

Run from the repository root::

    .venv/bin/python benchmarks/bench_analyses.py [--repeat 5] [--quick]

Prints a markdown table and writes ``benchmarks/results/analyses.json``.

What is compared, in the same run and on the same data:

* ``evaluate_kpis`` over 1,000,000 measurements of 1,000 KPIs against a plain
  pandas/numpy baseline written here that does the same core work (filter to
  ``as_of`` and, for cumulative KPIs, after the baseline date; one value per
  KPI and date — groups summed, or averaged for percentages; running totals;
  latest value and count; progress, expected progress and status;
  least-squares trend over the last 6 dated values; projected date) but none
  of the checks, date normalising or exact display rounding.
* A naive per-row Python loop doing the same work, timed on a 1-in-20
  subsample of the measurements and **extrapolated** × 20 (its cost is linear
  in the rows), so the full-size run does not take minutes.
* Peak memory of one ``evaluate_kpis`` run (tracemalloc, which sees numpy's
  and pandas' buffers), beside the measurements table's own size.
* ``score_risks`` over 1,000,000 risks against a numpy baseline (the same
  scores, bands, residuals, reduction and appetite, assigned into a copy of the
  table) and a per-row loop (on a 1-in-20 subsample, extrapolated × 20).

Each time is the median of ``--repeat`` runs (default 5).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import math
import platform
import tracemalloc
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
from common import RESULTS_FOLDER, ROOT, argument_parser, load_average, median_seconds

from partnerlib.analyses.kpi import evaluate_kpis
from partnerlib.analyses.risk import score_risks
from partnerlib.models import CADENCE_DAYS

RESULTS = RESULTS_FOLDER / "analyses.json"
AS_OF = dt.date(2026, 6, 30)
SUBSAMPLE = 20
TREND_POINTS = 6


# ---- data --------------------------------------------------------------------------------

def make_kpis(count: int, rng: np.random.Generator) -> pd.DataFrame:
    """KPIs of every unit, direction and frequency; a fifth cumulative; 2024-01-01 → 2027-01-01."""
    increase = rng.random(count) < 0.7
    baseline = rng.integers(10, 50, count).astype(float)
    step = rng.integers(5, 40, count).astype(float)
    target = np.where(increase, baseline + step, np.maximum(baseline - step, 0))
    cumulative = increase & (rng.random(count) < 0.25)
    baseline[cumulative] = 0
    return pd.DataFrame({
        "id": [f"k{n:04d}" for n in range(count)],
        "name": [f"KPI {n}" for n in range(count)],
        "level": rng.choice(["input", "output", "outcome", "impact"], count),
        "unit": rng.choice(["number", "percentage", "currency"], count),
        "direction": np.where(increase, "increase", "decrease"),
        "cumulative": cumulative,
        "frequency": rng.choice(["weekly", "monthly", "quarterly"], count),
        "baseline": baseline,
        "baseline_date": [dt.date(2024, 1, 1)] * count,
        "target": target,
        "target_date": [dt.date(2027, 1, 1)] * count,
        "decimals": rng.integers(0, 3, count),
        "disaggregation": "",
        "owner": "",
    })


def make_measurements(kpis: pd.DataFrame, count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Measurements as the workspace returns them: datetime64 dates, groups, sorted by KPI and date."""
    which = rng.integers(0, len(kpis), count)
    days = rng.integers(0, 1000, count)
    frame = pd.DataFrame({
        "kpi": kpis["id"].to_numpy()[which],
        "date": (np.datetime64("2024-01-01") + days.astype("timedelta64[D]")).astype("datetime64[s]"),
        "value": rng.integers(0, 1000, count) / 10,
        "group": rng.choice(["", "female", "male"], count),
        "source": "",
    })
    return frame.sort_values(["kpi", "date", "group"], ignore_index=True).astype(
        {"kpi": "str", "group": "str", "source": "str"})


def make_risks(count: int, rng: np.random.Generator) -> pd.DataFrame:
    """Risks with numeric scales; a third not yet assessed after mitigation."""
    assessed = rng.random(count) < 2 / 3
    return pd.DataFrame({
        "id": [f"r{n}" for n in range(count)],
        "title": "A risk",
        "category": rng.choice(["strategic", "financial", "operational", "reputational"], count),
        "likelihood": rng.integers(1, 6, count),
        "impact": rng.integers(1, 6, count),
        "residual_likelihood": np.where(assessed, rng.integers(1, 6, count), np.nan),
        "residual_impact": np.where(assessed, rng.integers(1, 6, count), np.nan),
    }).astype({"id": "str", "title": "str", "category": "str"})


APPETITE = {"strategic": 9, "financial": 6, "operational": 12}


# ---- KPI baselines -----------------------------------------------------------------------

def kpis_with_pandas(kpis: pd.DataFrame, measurements: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The same core work as evaluate_kpis, in plain pandas/numpy (no checks, no exact rounding).

    Written to be quick, as a careful analyst would: KPI ids become row numbers
    once (``Series.map`` over a million strings is slow in pandas 3), then
    ``groupby`` on (KPI, date), ``cumsum``, ``tail`` and ``transform``.
    """
    as_of = np.datetime64(as_of, "s")
    table = kpis.set_index("id")
    start = pd.to_datetime(table["baseline_date"]).to_numpy()
    end = pd.to_datetime(table["target_date"]).to_numpy()
    cumulative = table["cumulative"].to_numpy(dtype=bool)
    percentage = (table["unit"] == "percentage").to_numpy()
    baseline = table["baseline"].to_numpy(dtype=float)
    target = table["target"].to_numpy(dtype=float)

    code = table.index.get_indexer(measurements["kpi"])
    date = measurements["date"].to_numpy()
    keep = (code >= 0) & (date <= as_of)
    keep &= ~(cumulative[code] & (date <= start[code]))
    m = pd.DataFrame({"kpi": code[keep], "date": date[keep], "value": measurements["value"].to_numpy()[keep]})
    daily = m.groupby(["kpi", "date"], sort=True)["value"].agg(["sum", "mean", "size"]).reset_index()
    row = daily["kpi"].to_numpy()
    y = np.where(percentage[row], daily["mean"], daily["sum"])
    running = pd.Series(y).groupby(row).cumsum().to_numpy() + np.nan_to_num(baseline[row])
    daily["y"] = np.where(cumulative[row], running, y)
    latest = daily.groupby("kpi").tail(1).set_index("kpi").reindex(range(len(table)))
    recent = daily.groupby("kpi").tail(TREND_POINTS).copy()
    recent["x"] = (recent["date"].to_numpy() - latest["date"].to_numpy()[recent["kpi"]]) / np.timedelta64(1, "D")
    recent["dx"] = recent["x"] - recent.groupby("kpi")["x"].transform("mean")
    recent["dy"] = recent["y"] - recent.groupby("kpi")["y"].transform("mean")
    sums = (recent.assign(xy=recent["dx"] * recent["dy"], xx=recent["dx"] ** 2)
            .groupby("kpi")[["xy", "xx"]].sum().reindex(range(len(table))))
    slope = (sums["xy"] / sums["xx"].where(sums["xx"] > 0)).to_numpy()

    out = table.reset_index()
    scale = 10.0 ** table["decimals"].to_numpy()
    out["latest"] = shown = np.round(latest["y"].to_numpy() * scale) / scale
    out["latest_date"] = latest["date"].to_numpy()
    out["measurement_count"] = daily.groupby("kpi")["size"].sum().reindex(range(len(table))).fillna(0).to_numpy()
    out["progress"] = progress = np.round((shown - baseline) / (target - baseline), 2)
    out["expected_progress"] = expected = np.round(np.clip((as_of - start) / (end - start), 0, 1), 2)
    gap = progress - expected
    band = np.select([np.isnan(gap), gap >= -0.15 - 1e-9, gap >= -0.30 - 1e-9], [3, 0, 1], 2)
    out["trend_per_day"] = slope
    out["trend_per_period"] = slope * table["frequency"].map(CADENCE_DAYS).to_numpy()
    toward = np.sign(target - baseline)
    remaining = (target - shown) * toward
    with np.errstate(invalid="ignore", divide="ignore"):
        days = np.where(remaining > 0, np.ceil(remaining / (slope * toward)), 0)
    days = np.where((days >= 0) & (days < 36500), days, np.nan)
    out["projected_date"] = projected = out["latest_date"] + pd.to_timedelta(days, unit="D")
    # behind schedule but on course to reach the target by its date: one band better
    in_time = (projected.to_numpy() <= end) & np.isin(band, (1, 2))
    out["status"] = np.array(["on track", "at risk", "off track", "no data"])[band - in_time]
    return out


def kpis_with_a_loop(kpis: pd.DataFrame, measurements: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The same work, naively: one Python step per measurement, then one per KPI."""
    as_of = pd.Timestamp(as_of)
    info = {row.id: row for row in kpis.itertuples(index=False)}
    per_date: dict[str, dict[Any, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in measurements.itertuples(index=False):
        kpi = info.get(row.kpi)
        if kpi is None or row.date > as_of:
            continue
        if kpi.cumulative and row.date <= pd.Timestamp(kpi.baseline_date):
            continue
        per_date[row.kpi][row.date].append(row.value)
    rows = []
    for kpi in kpis.itertuples(index=False):
        dates = sorted(per_date.get(kpi.id, {}))
        values = []
        for date in dates:
            group_values = per_date[kpi.id][date]
            total = sum(group_values)
            values.append(total / len(group_values) if kpi.unit == "percentage" else total)
        if kpi.cumulative:
            values = list(kpi.baseline + np.cumsum(values))
        latest = round(values[-1], kpi.decimals) if values else None
        progress = None if latest is None else round((latest - kpi.baseline) / (kpi.target - kpi.baseline), 2)
        start, end = pd.Timestamp(kpi.baseline_date), pd.Timestamp(kpi.target_date)
        expected = round(min(max((as_of - start) / (end - start), 0), 1), 2)
        if progress is None:
            status = "no data"
        elif progress >= expected - 0.15 - 1e-9:
            status = "on track"
        elif progress >= expected - 0.30 - 1e-9:
            status = "at risk"
        else:
            status = "off track"
        xs = [(d - dates[-1]).days for d in dates[-TREND_POINTS:]]
        ys = values[-TREND_POINTS:]
        slope = float(np.polyfit(xs, ys, 1)[0]) if len(xs) >= 2 else None
        toward = np.sign(kpi.target - kpi.baseline)
        if status in ("at risk", "off track") and slope and slope * toward > 0:
            days = max(0, math.ceil((kpi.target - latest) * toward / (slope * toward) - 1e-9))
            if days < 36500 and dates[-1] + pd.Timedelta(days=days) <= end:
                status = "on track" if status == "at risk" else "at risk"
        rows.append({"id": kpi.id, "latest": latest, "progress": progress, "status": status,
                     "trend_per_day": slope})
    return pd.DataFrame(rows)


# ---- risk baselines -----------------------------------------------------------------------

def risks_with_numpy(risks: pd.DataFrame) -> pd.DataFrame:
    """Scores, bands, residuals, reduction and appetite with numpy, assigned into a copy."""
    likelihood = risks["likelihood"].to_numpy()
    impact = risks["impact"].to_numpy()
    residual_likelihood = risks["residual_likelihood"].to_numpy()
    residual_impact = risks["residual_impact"].to_numpy()
    assessed = ~(np.isnan(residual_likelihood) | np.isnan(residual_impact))
    score = likelihood * impact
    residual = np.where(assessed, residual_likelihood * residual_impact, score).astype(np.int64)
    bands = ["low", "medium", "high", "critical"]
    tops = np.array([4, 9, 14, 25])
    where = pd.Index(list(APPETITE)).get_indexer(risks["category"])
    limit = np.append(np.array(list(APPETITE.values()), dtype=float), np.nan)[where]
    return risks.assign(
        score=score,
        band=pd.Categorical.from_codes(np.searchsorted(tops, score), bands, ordered=True),
        residual_assessed=assessed,
        residual_score=residual,
        residual_band=pd.Categorical.from_codes(np.searchsorted(tops, residual), bands, ordered=True),
        reduction=score - residual,
        reduction_percent=(score - residual) * 100.0 / score,
        appetite=limit,
        above_appetite=residual > limit,
    )


def risks_with_a_loop(risks: pd.DataFrame) -> pd.DataFrame:
    """The same, one Python step per risk."""
    def band(score: int) -> str:
        return "low" if score <= 4 else "medium" if score <= 9 else "high" if score <= 14 else "critical"

    rows = []
    for row in risks.itertuples(index=False):
        score = row.likelihood * row.impact
        assessed = not (pd.isna(row.residual_likelihood) or pd.isna(row.residual_impact))
        residual = int(row.residual_likelihood * row.residual_impact) if assessed else score
        limit = APPETITE.get(row.category)
        rows.append({**row._asdict(), "score": score, "band": band(score), "residual_assessed": assessed,
                     "residual_score": residual, "residual_band": band(residual),
                     "reduction": score - residual, "reduction_percent": (score - residual) * 100 / score,
                     "appetite": limit, "above_appetite": limit is not None and residual > limit})
    return pd.DataFrame(rows)


# ---- timing -----------------------------------------------------------------------------

def peak_megabytes(run: Callable[[], Any]) -> float:
    """Peak memory allocated while ``run`` runs, in MB (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    """Run the benchmarks, print the markdown table and write the JSON results."""
    parser = argument_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (the median is kept)")
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows, for a smoke test")
    options = parser.parse_args()
    load_before = load_average()
    scale = 10 if options.quick else 1
    rng = np.random.default_rng(20261123)
    kpis = make_kpis(1_000, rng)
    measurements = make_measurements(kpis, 1_000_000 // scale, rng)
    risks = make_risks(1_000_000 // scale, rng)
    sample = measurements.iloc[::SUBSAMPLE]
    risk_sample = risks.iloc[::SUBSAMPLE]

    # The three KPI versions must agree before their times mean anything.
    ours = evaluate_kpis(kpis, measurements, as_of=AS_OF)
    plain = kpis_with_pandas(kpis, measurements, AS_OF)
    looped = kpis_with_a_loop(kpis, sample, AS_OF)
    ours_sample = evaluate_kpis(kpis, sample, as_of=AS_OF)
    agreement = {
        "status, ours vs pandas baseline": float((ours["status"].astype(str) == plain["status"]).mean()),
        "latest, ours vs pandas baseline": float(np.isclose(ours["latest"], plain["latest"]).mean()),
        "trend, ours vs pandas baseline": float(np.isclose(ours["trend_per_day"], plain["trend_per_day"],
                                                           equal_nan=True).mean()),
        "status, ours vs loop (subsample)": float((ours_sample["status"].astype(str) == looped["status"]).mean()),
    }
    ours_risks = score_risks(risks, appetite=APPETITE)
    agreement["risk residual score and appetite, ours vs numpy"] = float(
        (ours_risks["residual_score"].to_numpy() == risks_with_numpy(risks)["residual_score"].to_numpy()).all()
        and (ours_risks["above_appetite"].to_numpy() == risks_with_numpy(risks)["above_appetite"].to_numpy()).all()
    )

    repeat = options.repeat
    kpi_ours = median_seconds(lambda: evaluate_kpis(kpis, measurements, as_of=AS_OF), repeat)
    kpi_plain = median_seconds(lambda: kpis_with_pandas(kpis, measurements, AS_OF), repeat)
    kpi_loop = median_seconds(lambda: kpis_with_a_loop(kpis, sample, AS_OF), max(1, repeat // 2)) * SUBSAMPLE
    python_dates = measurements.assign(date=measurements["date"].dt.date)
    kpi_dates = median_seconds(lambda: evaluate_kpis(kpis, python_dates, as_of=AS_OF), repeat)
    kpi_peak = peak_megabytes(lambda: evaluate_kpis(kpis, measurements, as_of=AS_OF))
    plain_peak = peak_megabytes(lambda: kpis_with_pandas(kpis, measurements, AS_OF))
    table_mb = measurements.memory_usage(deep=True).sum() / 1e6
    risk_ours = median_seconds(lambda: score_risks(risks, appetite=APPETITE), repeat)
    risk_numpy = median_seconds(lambda: risks_with_numpy(risks), repeat)
    risk_loop = median_seconds(lambda: risks_with_a_loop(risk_sample), max(1, repeat // 2)) * SUBSAMPLE

    rows = [
        ("evaluate_kpis, 1,000,000 measurements × 1,000 KPIs", kpi_ours, kpi_plain, kpi_loop),
        ("evaluate_kpis, same with python date objects", kpi_dates, kpi_plain, kpi_loop),
        ("score_risks, 1,000,000 risks", risk_ours, risk_numpy, risk_loop),
    ]
    if options.quick:
        rows = [(name.replace("1,000,000", "100,000"), *times) for name, *times in rows]
    print(f"Median of {repeat} runs; the loop is timed on 1 row in {SUBSAMPLE} and extrapolated × {SUBSAMPLE}.\n")
    print("| analysis | partnerlib (s) | plain pandas/numpy (s) | ratio "
          "| per-row loop (s, extrapolated) | loop ratio |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for name, ours_s, base_s, loop_s in rows:
        print(f"| {name} | {ours_s:.3f} | {base_s:.3f} | {ours_s / base_s:.2f}× | {loop_s:.1f} | "
              f"{loop_s / base_s:.0f}× |")
    print(f"\nPeak memory of evaluate_kpis (tracemalloc): {kpi_peak:.0f} MB "
          f"(plain pandas baseline: {plain_peak:.0f} MB; the measurements table itself: {table_mb:.0f} MB).")
    print("Agreement checks: " + "; ".join(f"{k}: {v:.1%}" for k, v in agreement.items()))

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "numpy": np.__version__,
        "machine": platform.machine(),
        "load_average_before": round(load_before, 2),
        "load_average_after": round(load_average(), 2),
        "repeat": repeat,
        "quick": options.quick,
        "loop_subsample": SUBSAMPLE,
        "loop_extrapolated": True,
        "timings_seconds": [
            {"analysis": name, "partnerlib": ours_s, "baseline": base_s, "ratio": ours_s / base_s,
             "loop_extrapolated": loop_s, "loop_ratio": loop_s / base_s}
            for name, ours_s, base_s, loop_s in rows
        ],
        "evaluate_kpis_peak_mb": kpi_peak,
        "baseline_peak_mb": plain_peak,
        "measurements_table_mb": table_mb,
        "agreement": agreement,
    }, indent=2) + "\n")
    print(f"\nWrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
