"""Round trip of a large plan through a plan file: export, then import into a fresh workspace.

Run from the repository root::

    .venv/bin/python benchmarks/bench_plan_files.py [--measurements 1000000] [--repeat 3]

Prints a markdown table and writes ``benchmarks/results/plan_files.json``.

What is timed, in the same run, on one plan with 1,000 KPIs and the given
number of measurements (as ``bench_import`` makes them):

* the baseline: ``json.dumps`` and ``json.loads`` of the same measurement
  records, without any checks or files;
* ``export_plan`` to ``plan.json`` and to ``plan.json.gz``;
* ``import_plan`` of each into a fresh workspace (reading, checking every
  value, and writing plan and measurements in one transaction).

Each time is the median of ``--repeat`` runs, with the load average when it
ended beside it; the ratios are to the baseline. The peak memory of the whole
run (ru_maxrss) is printed too: import takes about ``_MEMORY_PER_BYTE`` times
the file's size (see ``plan_file_limit``).
"""

from __future__ import annotations

import json
import platform
import resource
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_import import KPIS, PLAN, make_csv
from common import RESULTS_FOLDER, argument_parser, load_average, median_seconds

from partnerlib import Plan, PlanInfo, Workspace, export_plan, import_plan, read_table
from partnerlib.models import Kpi, Monitoring


def timed(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Median wall time of ``run`` over ``repeat`` runs, and the 1-minute load average after them."""
    return median_seconds(run, repeat), load_average()


def main() -> None:
    """Make the plan, time each step and print the figures."""
    parser = argument_parser(__doc__)
    parser.add_argument("--measurements", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        make_csv(folder / "measurements.csv", args.measurements)
        measurements = read_table(folder / "measurements.csv", "measurements").accepted
        with Workspace.open(folder / "source.sqlite") as source:
            kpis = [Kpi(id=f"k-{n}", name=f"KPI {n}") for n in range(KPIS)]
            source.create_plan(Plan(info=PlanInfo(name=PLAN), monitoring=Monitoring(kpis=kpis)),
                               measurements=measurements)
            records = measurements.assign(date=measurements["date"].dt.strftime("%Y-%m-%d")).to_dict("records")
            figures: dict[str, tuple[float, float]] = {
                "baseline: json.dumps + json.loads of the records":
                    timed(lambda: json.loads(json.dumps(records)), args.repeat),
            }
            records.clear()
            sizes = {}
            for suffix in (".json", ".json.gz"):
                path = folder / f"plan{suffix}"
                figures[f"export_plan to {suffix}"] = timed(lambda p=path: export_plan(source, PLAN, p), args.repeat)
                sizes[suffix] = path.stat().st_size
                number = [0]

                def round_trip(p: Path = path, n: list[int] = number) -> None:
                    n[0] += 1
                    with Workspace.open(folder / f"target{p.suffix}{n[0]}.sqlite") as target:
                        import_plan(target, p)

                figures[f"import_plan of {suffix}"] = timed(round_trip, args.repeat)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    base = figures["baseline: json.dumps + json.loads of the records"][0]
    print(f"{args.measurements:,} measurements, median of {args.repeat}; "
          f"plan.json {sizes['.json'] / 1e6:,.1f} MB, plan.json.gz {sizes['.json.gz'] / 1e6:,.1f} MB; "
          f"peak memory {peak / 1e6:,.0f} MB\n")
    print("| step | seconds | × baseline | load average |\n| --- | ---: | ---: | ---: |")
    for step, (seconds, load) in figures.items():
        print(f"| {step} | {seconds:.2f} | {seconds / base:.2f} | {load:.2f} |")

    results = RESULTS_FOLDER
    results.mkdir(exist_ok=True)
    (results / "plan_files.json").write_text(
        json.dumps(
            {"measurements": args.measurements, "repeat": args.repeat, "bytes": sizes, "peak_memory": peak,
             "seconds": {k: v[0] for k, v in figures.items()}, "load": {k: v[1] for k, v in figures.items()},
             "python": platform.python_version(), "machine": platform.machine()},
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
