"""Speed of the plan document: the sample plan built and written as HTML and xlsx.

Run from the repository root::

    .venv/bin/python benchmarks/bench_document.py [--repeat 5]

Prints a markdown table and writes ``benchmarks/results/document.json``.

What is compared, in the same run and on the same plan (the sample plan, with
its two years of KPI measurements):

* **partnerlib**: ``build_document`` (every view of steps 1–11, the executive
  summary, charts saved as SVG), then ``write_html`` and ``write_xlsx``.
  Goal: 3 s or less for the whole.
* **plain baseline**: the same views called directly, each table written with
  pandas' own ``DataFrame.to_html`` into one page and ``DataFrame.to_excel``
  (openpyxl) into one sheet per table, each chart saved as SVG with a plain
  ``savefig`` — the same work without escaping checks, typed cells, number
  formats, the index sheet, the summary or the page template.

The parts of partnerlib's time (building, HTML, xlsx) are timed on their own
too, and the whole is also timed as CPU time of this process, which a busy
machine disturbs less than the wall clock. Each time is the median of
``--repeat`` runs (default 5).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import io
import json
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from partnerlib import views  # noqa: E402
from partnerlib.document import DOCUMENT_CONTENTS, build_document, write_html, write_xlsx  # noqa: E402
from partnerlib.sample import load_sample, sample_measurements  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "document.json"
GOAL_SECONDS = 3.0


def median_seconds(run: Callable[[], Any], repeat: int, clock: Callable[[], float] = time.perf_counter) -> float:
    """Median seconds of ``repeat`` runs (garbage collected before each), wall-clock unless told otherwise."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = clock()
        run()
        times.append(clock() - start)
    return statistics.median(times)


def plain_baseline(plan: Any, measurements: pd.DataFrame, folder: Path) -> None:
    """The same views, written the plain way: to_html, to_excel and savefig."""
    from matplotlib.figure import Figure

    inputs = {"as_of": plan.info.as_of, "measurements": measurements}
    pages, tables = [], []
    for calls in DOCUMENT_CONTENTS.values():
        for call in calls:
            needs = (need.partition("=") for need in call.needs)
            options = {**{key: inputs[given or key] for key, _, given in needs}, **call.options}
            result = getattr(views, call.view)(plan, **options)
            if isinstance(result, Figure):
                buffer = io.StringIO()
                result.savefig(buffer, format="svg")
                pages.append(buffer.getvalue())
            else:
                pages.append(result.data.to_html())
                tables.append(result.data)
    (folder / "plain.html").write_text("\n".join(pages), encoding="utf-8")
    with pd.ExcelWriter(folder / "plain.xlsx", engine="openpyxl") as writer:
        for number, table in enumerate(tables, start=1):
            table.to_excel(writer, sheet_name=f"Table {number}", index=False)


def main() -> None:
    """Run the benchmark, print the markdown table and write the JSON results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (the median is kept)")
    options = parser.parse_args()
    repeat = options.repeat
    plan, measurements = load_sample(), sample_measurements()

    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)

        def ours() -> None:
            document = build_document(plan, measurements=measurements)
            write_html(document, folder / "plan.html")
            write_xlsx(document, folder / "plan.xlsx")

        ours()  # warm up: imports, font cache
        plain_baseline(plan, measurements, folder)
        document = build_document(plan, measurements=measurements)
        total = median_seconds(ours, repeat)
        total_cpu = median_seconds(ours, repeat, time.process_time)
        build = median_seconds(lambda: build_document(plan, measurements=measurements), repeat)
        html = median_seconds(lambda: write_html(document, folder / "plan.html"), repeat)
        xlsx = median_seconds(lambda: write_xlsx(document, folder / "plan.xlsx"), repeat)
        plain = median_seconds(lambda: plain_baseline(plan, measurements, folder), repeat)
        plain_cpu = median_seconds(lambda: plain_baseline(plan, measurements, folder), repeat, time.process_time)
        sizes = {name: (folder / name).stat().st_size for name in ("plan.html", "plan.xlsx")}

    charts = sum(1 for _, block in document.blocks() if block.svg)
    tables = sum(1 for _, block in document.blocks() if block.table is not None)
    rows = [
        ("whole document: build + HTML + xlsx", total, plain),
        ("whole document, CPU time of this process", total_cpu, plain_cpu),
        ("build_document (views, summary, charts as SVG)", build, None),
        ("write_html", html, None),
        ("write_xlsx", xlsx, None),
    ]
    print(f"Sample plan: {tables} tables, {charts} charts. Median of {repeat} runs; goal ≤ {GOAL_SECONDS:.0f} s.\n")
    print("| step | partnerlib (s) | plain to_html/to_excel/savefig (s) | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for name, ours_s, base_s in rows:
        base = f"{base_s:.3f}" if base_s else ""
        ratio = f"{ours_s / base_s:.2f}×" if base_s else ""
        print(f"| {name} | {ours_s:.3f} | {base} | {ratio} |")
    print(f"\nFiles: plan.html {sizes['plan.html'] / 1e3:.0f} kB, plan.xlsx {sizes['plan.xlsx'] / 1e3:.0f} kB. "
          f"Goal {'met' if total <= GOAL_SECONDS else 'NOT met'} ({total:.2f} s).")

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "pandas": pd.__version__,
        "machine": platform.machine(),
        "repeat": repeat,
        "tables": tables,
        "charts": charts,
        "goal_seconds": GOAL_SECONDS,
        "timings_seconds": {"total": total, "total_cpu": total_cpu, "plain_baseline_cpu": plain_cpu,
                            "build": build, "html": html, "xlsx": xlsx, "plain_baseline": plain,
                            "ratio_to_baseline": total / plain},
        "sizes_bytes": sizes,
    }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
