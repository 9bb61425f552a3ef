"""Speed of importing a million measurements from a CSV file.

Run from the repository root::

    .venv/bin/python benchmarks/bench_import.py [--rows 1000000] [--repeat 3]

Prints a markdown table and writes ``benchmarks/results/import.json``.

What is timed, in the same run and on the same generated file (columns kpi,
date, value, group, source; 1,000 KPIs, 60 month ends, three groups):

* ``pandas.read_csv(path)`` alone: the baseline, reading without any checks.
* ``read_table(path, "measurements")``: reading, matching the columns and
  checking every row (KPI ids, dates, finite numbers, text lengths) with the
  rejected rows collected. Goal: at most 2.5 × the baseline.
* The same on a "messy" copy where 1 % of the values are written with
  thousands separators ("1,250.5"), so the value column arrives as text.
* Writing the checked rows into a fresh workspace (``Workspace.add_measurements``,
  one transaction), beside a plain ``sqlite3`` ``executemany`` of the same
  rows into a table of the same shape.

Each time is the median of ``--repeat`` runs (default 3).
"""

from __future__ import annotations

import json
import platform
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from common import RESULTS_FOLDER, argument_parser, median_seconds

from partnerlib import Plan, PlanInfo, Workspace, read_table
from partnerlib.models import Kpi, Monitoring

PLAN = "Bench"
KPIS = 1_000


def make_csv(path: Path, rows: int, *, messy: bool = False, seed: int = 1) -> None:
    """Write a measurements CSV of ``rows`` rows (1 % of values with thousands separators if messy)."""
    rng = np.random.default_rng(seed)
    dates = pd.date_range("2021-01-31", periods=60, freq="ME").strftime("%Y-%m-%d").to_numpy()
    values = rng.normal(2_000, 600, rows).round(2)
    # each (KPI, date, group) once, as a plan holds it: 1,000 KPIs x 60 months x 17 groups
    groups = np.array(["", "female", "male", *(f"district {n}" for n in range(14))])
    chosen = rng.choice(KPIS * len(dates) * len(groups), rows, replace=False)
    kpi, rest = np.divmod(chosen, len(dates) * len(groups))
    date, group = np.divmod(rest, len(groups))
    frame = pd.DataFrame(
        {
            "kpi": np.char.add("k-", kpi.astype(str)),
            "date": dates[date],
            "value": values,
            "group": groups[group],
            "source": "monthly register",
        }
    )
    if messy:
        frame["value"] = frame["value"].astype(str)
        chosen = rng.random(rows) < 0.01
        frame.loc[chosen, "value"] = [f"{v:,.1f}" for v in values[chosen]]
    frame.to_csv(path, index=False)


def new_workspace(folder: Path, number: list[int]) -> Workspace:
    """Open a fresh workspace holding a plan with the benchmark's KPIs."""
    number[0] += 1
    ws = Workspace.open(folder / f"ws{number[0]}.sqlite")
    kpis = [Kpi(id=f"k-{n}", name=f"KPI {n}") for n in range(KPIS)]
    ws.create_plan(Plan(info=PlanInfo(name=PLAN), monitoring=Monitoring(kpis=kpis)))
    return ws


def plain_sqlite(folder: Path, frame: pd.DataFrame, number: list[int]) -> Callable[[], None]:
    """The least a write can do: executemany the same rows into a plain table, one transaction."""
    rows = list(
        zip(
            frame["kpi"].tolist(),
            frame["date"].dt.strftime("%Y-%m-%d").tolist(),
            frame["value"].tolist(),
            frame["group"].tolist(),
            frame["source"].tolist(),
            strict=True,
        )
    )

    def run() -> None:
        number[0] += 1
        db = sqlite3.connect(folder / f"plain{number[0]}.sqlite")
        db.execute('CREATE TABLE m (plan_id INTEGER, kpi TEXT, date TEXT, value REAL, "group" TEXT, source TEXT)')
        with db:
            db.executemany("INSERT INTO m VALUES (1, ?, ?, ?, ?, ?)", rows)
        db.close()

    return run


def main() -> None:
    """Generate the files, time each step and print the figures."""
    parser = argument_parser(__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        clean, messy = folder / "measurements.csv", folder / "messy.csv"
        make_csv(clean, args.rows)
        make_csv(messy, args.rows, messy=True)
        report = read_table(clean, "measurements")
        assert len(report.accepted) == args.rows and not report.rejected
        assert len(read_table(messy, "measurements").accepted) == args.rows

        figures: dict[str, float] = {}
        figures["pandas.read_csv"] = median_seconds(lambda: pd.read_csv(clean), args.repeat)
        figures["read_table"] = median_seconds(lambda: read_table(clean, "measurements"), args.repeat)
        figures["pandas.read_csv (messy)"] = median_seconds(lambda: pd.read_csv(messy), args.repeat)
        figures["read_table (messy)"] = median_seconds(lambda: read_table(messy, "measurements"), args.repeat)

        counter = [0]
        opened: list[Workspace] = []
        figures["Workspace.add_measurements"] = median_seconds(
            lambda: opened[-1].add_measurements(PLAN, report.accepted),
            args.repeat,
            setup=lambda: opened.append(new_workspace(folder, counter)),
        )
        for ws in opened:
            ws.close()
        figures["plain sqlite3 executemany"] = median_seconds(
            plain_sqlite(folder, report.accepted, counter), args.repeat
        )

    ratios = {
        "read_table / read_csv": figures["read_table"] / figures["pandas.read_csv"],
        "read_table / read_csv (messy)": figures["read_table (messy)"] / figures["pandas.read_csv (messy)"],
        "add_measurements / plain sqlite3": figures["Workspace.add_measurements"]
        / figures["plain sqlite3 executemany"],
    }
    print(f"{args.rows:,} measurement rows, median of {args.repeat}\n")
    print("| step | seconds |\n| --- | ---: |")
    for step, seconds in figures.items():
        print(f"| {step} | {seconds:.2f} |")
    print("\n| ratio | value | goal |\n| --- | ---: | ---: |")
    for ratio, value in ratios.items():
        goal = "≤ 2.5" if ratio.startswith("read_table / read_csv") else ""
        print(f"| {ratio} | {value:.2f} × | {goal} |")

    results = RESULTS_FOLDER
    results.mkdir(exist_ok=True)
    (results / "import.json").write_text(
        json.dumps(
            {"rows": args.rows, "repeat": args.repeat, "seconds": figures, "ratios": ratios,
             "python": platform.python_version(), "pandas": pd.__version__, "machine": platform.machine()},
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
