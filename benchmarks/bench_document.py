"""Speed of the plan document: the sample plan built and written as HTML and xlsx.

Run from the repository root::

    .venv/bin/python benchmarks/bench_document.py [--repeat 5]

Prints a markdown table and writes ``benchmarks/results/document.json``.

What is compared, in the same run and on the same plan (the sample plan, with
its two years of KPI measurements):

* **partnerlib**: ``build_document`` (every view of steps 1–11, the executive
  summary, charts saved as SVG), then ``write_html`` and ``write_xlsx``. Goal:
  3 s or less for the whole.
* **plain baseline**: the same views called directly, each table written with
  pandas' own ``DataFrame.to_html`` into one page and ``DataFrame.to_excel``
  (openpyxl) into one sheet per table, each chart saved as SVG with a plain
  ``savefig`` — the same work without escaping checks, typed cells, number
  formats, the index sheet, the summary or the page template.

The parts of partnerlib's time (building, HTML, xlsx) are timed on their own
too. Each time is the median of ``--repeat`` runs (default 5), in one warm
process (imports done) as a notebook rebuilding its
document is. The cold case is timed too: ``partnerlib report`` as a new
process (Python start, imports) against the
plain baseline as a new process.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import pandas as pd
from common import RESULTS_FOLDER, argument_parser, load_average, median_seconds

from partnerlib.core.paths import SAMPLE_PLAN
from partnerlib.io.sample import load_sample, sample_measurements, seed_workspace
from partnerlib.output import views
from partnerlib.output.document import DOCUMENT_CONTENTS, build_document, write_html, write_xlsx

RESULTS = RESULTS_FOLDER / "document.json"
GOAL_SECONDS = 3.0


def plain_baseline(plan: Any, measurements: pd.DataFrame, folder: Path) -> None:
    """The same views, written the plain way: to_html, to_excel and savefig."""
    from matplotlib.figure import Figure

    inputs = {"as_of": plan.info.as_of, "measurements": measurements}
    pages, tables = [], []
    for calls in DOCUMENT_CONTENTS.values():
        for call in calls:
            result = getattr(views, call.view)(plan, **call.keywords(inputs))
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


def cold_seconds(command: list[str], repeat: int) -> float:
    """Median wall-clock seconds of ``command`` run as a new process, ``repeat`` times."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    """Run the benchmark, print the markdown table and write the JSON results."""
    parser = argument_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs per timing (the median is kept)")
    parser.add_argument("--plain-into", type=Path, help=argparse.SUPPRESS)  # the cold baseline's own process
    options = parser.parse_args()
    repeat = options.repeat
    plan, measurements = load_sample(), sample_measurements()
    if options.plain_into:
        plain_baseline(plan, measurements, options.plain_into)
        return

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
        build = median_seconds(lambda: build_document(plan, measurements=measurements), repeat)
        html = median_seconds(lambda: write_html(document, folder / "plan.html"), repeat)
        xlsx = median_seconds(lambda: write_xlsx(document, folder / "plan.xlsx"), repeat)
        plain = median_seconds(lambda: plain_baseline(plan, measurements, folder), repeat)
        sizes = {name: (folder / name).stat().st_size for name in ("plan.html", "plan.xlsx")}

        seed_workspace(folder / "workspace.sqlite").close()
        cold_repeat = max(1, repeat // 2 + 1)
        cold = cold_seconds([str(Path(sys.executable).with_name("partnerlib")), "report", SAMPLE_PLAN, "--workspace",
                             str(folder / "workspace.sqlite"), "--html", str(folder / "cold.html"),
                             "--xlsx", str(folder / "cold.xlsx")], cold_repeat)
        cold_plain = cold_seconds([sys.executable, __file__, "--plain-into", str(folder)], cold_repeat)

    charts = sum(1 for _, block in document.blocks() if block.svg)
    tables = sum(1 for _, block in document.blocks() if block.table is not None)
    rows = [
        ("whole document: build + HTML + xlsx", total, plain),
        ("build_document (views, summary, charts as SVG)", build, None),
        ("write_html", html, None),
        ("write_xlsx", xlsx, None),
        ("cold: `partnerlib report` as a new process, vs the baseline as a new process", cold, cold_plain),
    ]
    print(f"Sample plan: {tables} tables, {charts} charts. Median of {repeat} runs ({cold_repeat} for the cold "
          f"case), {os.cpu_count()} CPUs; goal ≤ {GOAL_SECONDS:.0f} s.\n")
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
        "cpus": os.cpu_count(),
        "load_average_after": round(load_average(), 1),
        "repeat": repeat,
        "tables": tables,
        "charts": charts,
        "goal_seconds": GOAL_SECONDS,
        "timings_seconds": {"total": total, "build": build, "html": html,
                            "xlsx": xlsx, "plain_baseline": plain, "ratio_to_baseline": total / plain,
                            "cold_report_process": cold, "cold_plain_process": cold_plain},
        "sizes_bytes": sizes,
    }, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
