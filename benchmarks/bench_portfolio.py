"""Speed of the organisation document: a portfolio of 50 SSU plans built and written as HTML and xlsx.

Run from the repository root::

    .venv/bin/python benchmarks/bench_portfolio.py [--plans 50] [--repeat 3]

Prints a markdown table and writes ``benchmarks/results/portfolio.json``
(a run with fewer plans than the goal's 50, a smoke run, writes nothing).

The plans are made from the sample in a temporary workspace: the sample's two
SSU plans and their register, then copies of them (each with its
measurements, as ``Workspace.copy_plan`` copies them, and with copies of its
gifts) up to ``--plans``. What is compared, in the same run, on the same
workspace:

* **partnerlib**: ``report_portfolio``: every plan read from the workspace,
  the portfolio's analyses and tables (readiness per step, KPI statuses,
  crucial risks, the budget against gifts, health, check-ins, the register's
  tables), then the HTML page and the xlsx workbook. Goal: 3 s or less.
* **plain baseline**: every plan and its measurements read from the same
  workspace, and each plan's own tables (its candidates, risks, KPIs and vision
  budget, as pandas builds them from the models) written
  with pandas' ``DataFrame.to_html`` into one page and ``DataFrame.to_excel``
  (openpyxl) into one sheet per table: the same reading and writing, without
  the analyses.

Each time is the median of ``--repeat`` runs (default 3) in one warm process
(imports done), with the load average beside it: on a busy machine the
figures are not figures. Several engineers share this machine: run it with
few plans while working (``--plans 4 --repeat 1``), and the full size only on
a quiet machine.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
from common import RESULTS_FOLDER, ROOT, argument_parser, load_average, median_seconds

from partnerlib.io.sample import seed_workspace
from partnerlib.io.store import Workspace
from partnerlib.output.portfolio import report_portfolio

RESULTS = RESULTS_FOLDER / "portfolio.json"
GOAL_SECONDS = 3.0
GOAL_PLANS = 50


def make_workspace(path: Path, count: int) -> Workspace:
    """A workspace of ``count`` SSU plans: the sample's two, then copies of them with copies of their gifts."""
    workspace = seed_workspace(path)
    originals = [summary.name for summary in workspace.plans()]
    gifts = []
    for number in range(len(originals), count):
        source = originals[number % len(originals)]
        name = f"{source} {number + 1:02d}"
        workspace.copy_plan(source, name)
        gifts += [gift.model_copy(update={"id": f"{gift.id}-{number + 1:02d}", "plan": name})
                  for gift in workspace.gifts(source)]
    workspace.save_register(gifts=gifts)
    return workspace


def plan_tables(plan: Any) -> dict[str, pd.DataFrame]:
    """One plan's own tables, as plain pandas makes them from the models."""
    def rows(records: list[Any]) -> pd.DataFrame:
        return pd.DataFrame([record.model_dump() for record in records])

    return {
        "candidates": rows(plan.partners.candidates),
        "risks": rows(plan.risks.risks),
        "kpis": rows(plan.monitoring.kpis),
        "vision budget": rows(plan.resources.vision_budget),
    }


def plain_baseline(workspace: Workspace, folder: Path) -> None:
    """Every plan read from the workspace, its tables written the plain way: to_html and to_excel."""
    pages = []
    with pd.ExcelWriter(folder / "plain.xlsx", engine="openpyxl") as writer:
        for number, summary in enumerate(workspace.plans(), start=1):
            workspace.measurements(summary.name)  # read, as the portfolio reads them for the KPIs
            tables = plan_tables(workspace.load(summary.name).plan)
            for title, table in tables.items():
                pages.append(f"<h2>{summary.name}: {title}</h2>" + table.to_html())
                table.to_excel(writer, sheet_name=f"{number} {title}"[:31], index=False)
    (folder / "plain.html").write_text("\n".join(pages), encoding="utf-8")


def main() -> None:
    """Run the benchmark, print the markdown table and, at full size, write the JSON results."""
    parser = argument_parser(__doc__)
    parser.add_argument("--plans", type=int, default=GOAL_PLANS, help="SSU plans in the portfolio (at least 2)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timing (the median is kept)")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        made = time.perf_counter()
        workspace = make_workspace(folder / "portfolio.sqlite", max(2, options.plans))
        made = time.perf_counter() - made
        try:
            def ours() -> None:
                report_portfolio(workspace, html=folder / "portfolio.html", xlsx=folder / "portfolio.xlsx")

            ours()  # warm up: imports
            plain_baseline(workspace, folder)
            load_before = load_average()
            total = median_seconds(ours, options.repeat)
            plain = median_seconds(lambda: plain_baseline(workspace, folder), options.repeat)
            load_after = load_average()
            plans = len(workspace.plans())
            gifts = len(workspace.gifts())
            sizes = {name: (folder / name).stat().st_size for name in ("portfolio.html", "portfolio.xlsx")}
        finally:
            workspace.close()

    print(f"Portfolio of {plans} plans and {gifts} gifts (workspace made in {made:.1f} s). Median of "
          f"{options.repeat} runs, {os.cpu_count()} CPUs, load average {load_before:.1f} before and "
          f"{load_after:.1f} after; goal ≤ {GOAL_SECONDS:.0f} s for {GOAL_PLANS} plans.\n")
    print("| step | partnerlib (s) | plain read + to_html/to_excel (s) | ratio | load average |")
    print("| --- | ---: | ---: | ---: | ---: |")
    print(f"| report_portfolio: build + HTML + xlsx | {total:.3f} | {plain:.3f} | {total / plain:.2f}× "
          f"| {load_after:.1f} |")
    print(f"\nFiles: portfolio.html {sizes['portfolio.html'] / 1e3:.0f} kB, portfolio.xlsx "
          f"{sizes['portfolio.xlsx'] / 1e3:.0f} kB. Goal {'met' if total <= GOAL_SECONDS else 'NOT met'} "
          f"({total:.2f} s).")
    if plans < GOAL_PLANS:
        print(f"A smoke run ({plans} plans): nothing written to {RESULTS.relative_to(ROOT)}.")
        return
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 1),
        "load_average_after": round(load_after, 1),
        "repeat": options.repeat,
        "plans": plans,
        "gifts": gifts,
        "goal_seconds": GOAL_SECONDS,
        "timings_seconds": {"total": total, "plain_baseline": plain, "ratio_to_baseline": total / plain},
        "sizes_bytes": sizes,
    }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
