"""Time the whole notebook series as ``partnerlib run`` executes it, against a floor.

The series runs for the sample plan on a temporary workspace, each notebook
with papermill in its own kernel (:func:`partnerlib.run_series`, what
``partnerlib run`` calls). The floor, timed in the same run and the same way,
is as many notebooks that only import pandas and matplotlib: the cost of a
kernel start, papermill and the heavy imports every step pays anyway. Each
step runs next to a floor notebook (the order alternating), so a busy moment
on a shared machine weighs on both sides of the ratio; the load average is
recorded with the figures. Per-step times show which step to look at first.

Run: ``.venv/bin/python benchmarks/bench_series.py [--repeat 2]``.
Goal: series / floor ≤ 1.5. Figures go to ``benchmarks/results/series.json``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

import partnerlib
from partnerlib import SAMPLE_PLAN, open_workspace, run_series
from partnerlib.app.series import series_notebooks

RESULTS = Path(__file__).with_name("results") / "series.json"
GOAL = 1.5
#: The floor notebook's code: the imports every step needs, nothing else.
FLOOR_CODE = (
    "import pandas as pd\nimport matplotlib\nmatplotlib.use('Agg')\nimport matplotlib.pyplot as plt"
)


def floor_notebooks(folder: Path, count: int) -> list[Path]:
    """Write ``count`` notebooks holding a title, a parameters cell and the imports only."""
    paths = []
    for number in range(count):
        book = nbformat.v4.new_notebook()
        parameters = nbformat.v4.new_code_cell('workspace = None\nplan = "none"')
        parameters.metadata["tags"] = ["parameters"]
        book.cells = [
            nbformat.v4.new_markdown_cell(f"# Floor {number}"),
            parameters,
            nbformat.v4.new_code_cell(FLOOR_CODE),
        ]
        book.metadata["kernelspec"] = {
            "name": "python3",
            "display_name": "Python 3",
            "language": "python",
        }
        path = folder / f"{number:02d}_floor.ipynb"
        nbformat.write(book, path)
        paths.append(path)
    return paths


def timed_run(notebook: Path, workspace: Path, out: Path) -> float:
    """Run one notebook with run_series, as ``partnerlib run`` does; return the seconds it took."""
    start = time.perf_counter()
    run_series(
        workspace=workspace, plan=SAMPLE_PLAN, out_dir=out, notebooks=[notebook], progress=False
    )
    return time.perf_counter() - start


def main() -> None:
    """Time series and floor step by step, print per-step seconds and the ratio, and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-series-"))
    workspace = scratch / "workspace.sqlite"
    open_workspace(workspace).close()
    series = series_notebooks()
    (scratch / "floor").mkdir()
    floor = floor_notebooks(scratch / "floor", len(series))
    load_before = os.getloadavg()[0]

    # As bootstrap.py leaves it: partnerlib compiled once, like the packages pip installed (with
    # PYTHONDONTWRITEBYTECODE set, each kernel would otherwise compile it again, the floor's never).
    compileall.compile_dir(Path(partnerlib.__file__).parent, quiet=1)

    # The first papermill run of a process pays one-off costs (its own imports, finding the
    # kernel); run one floor notebook untimed so neither side of the ratio carries them.
    timed_run(floor[0], workspace, scratch / "warm-up")

    # Each step is paired with a floor notebook run right before or after it (the order
    # alternates), so a busy moment on a shared machine hits both sides of the ratio alike.
    times: dict[str, list[float]] = {p.stem: [] for p in series + floor}
    for repeat in range(args.repeat):
        for number, pair in enumerate(zip(series, floor, strict=True)):
            for notebook in pair if (number + repeat) % 2 == 0 else pair[::-1]:
                times[notebook.stem].append(
                    timed_run(notebook, workspace, scratch / f"run-{repeat}")
                )
    seconds = {stem: statistics.median(values) for stem, values in times.items()}

    total = sum(seconds[p.stem] for p in series)
    floor_total = sum(seconds[p.stem] for p in floor)
    floor_step = floor_total / len(floor)
    ratio = total / floor_total
    print(
        f"{len(series)} notebooks in the series, {args.repeat} repeat(s); seconds (median per step)"
    )
    print(f"{'step':34}{'series':>8}{'/floor':>8}")
    for path in series:
        print(f"{path.stem:34}{seconds[path.stem]:8.2f}{seconds[path.stem] / floor_step:8.2f}")
    print(f"{'whole series':34}{total:8.2f}")
    print(f"{'floor (imports only)':34}{floor_total:8.2f}   ({floor_step:.2f} per notebook)")
    print(
        f"ratio series / floor: {ratio:.3f}  (goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'NOT met'})"
    )
    load_after = os.getloadavg()[0]
    print(
        f"load average (1 min) before / after: {load_before:.1f} / {load_after:.1f} on {os.cpu_count()} CPUs"
    )

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "notebooks": [p.name for p in series],
                "repeat": args.repeat,
                "seconds per step (median)": {p.stem: round(seconds[p.stem], 2) for p in series},
                "series total s": round(total, 2),
                "floor total s": round(floor_total, 2),
                "floor per notebook s": round(floor_step, 2),
                # Three decimals: near the goal, two would round 1.504 (not met) down to 1.50.
                f"ratio (goal ≤ {GOAL})": round(ratio, 3),
                "load average before, after": [round(load_before, 1), round(load_after, 1)],
                "cpus": os.cpu_count(),
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
