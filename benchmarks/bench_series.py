"""Time the whole notebook series as ``partnerlib run`` executes it, against a floor.

The series runs for the sample plan on a temporary workspace, each notebook
with papermill in its own kernel (:func:`partnerlib.run_series`, what
``partnerlib run`` calls). The floor, timed in the same run and the same way,
is as many notebooks that only import pandas and matplotlib: the cost of a
kernel start, papermill and the heavy imports every step pays anyway. Series
and floor alternate across repeats so drift hits both alike. Per-step times
show which step to look at first.

Run: ``.venv/bin/python benchmarks/bench_series.py [--repeat 2]``.
Goal: series / floor ≤ 1.5. Figures go to ``benchmarks/results/series.json``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import nbformat

from partnerlib import SAMPLE_PLAN, open_workspace, run_series, series_notebooks

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


def timed_run(notebooks: list[Path], workspace: Path, out: Path) -> dict[str, float]:
    """Run the notebooks with run_series; return seconds per notebook (by stem) and in all."""
    starts: dict[str, float] = {}
    run_series(
        workspace=workspace,
        plan=SAMPLE_PLAN,
        out_dir=out,
        notebooks=notebooks,
        progress=False,
        on_step=lambda path: starts.__setitem__(path.stem, time.perf_counter()),
    )
    end = time.perf_counter()
    stems = list(starts)
    times = {
        stem: (starts[stems[i + 1]] if i + 1 < len(stems) else end) - starts[stem]
        for i, stem in enumerate(stems)
    }
    times["total"] = end - starts[stems[0]]
    return times


def main() -> None:
    """Time series and floor, print per-step seconds and the ratio, and write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()

    scratch = Path(tempfile.mkdtemp(prefix="bench-series-"))
    workspace = scratch / "workspace.sqlite"
    open_workspace(workspace).close()
    series = series_notebooks()
    (scratch / "floor").mkdir()
    floor = floor_notebooks(scratch / "floor", len(series))

    runs: dict[str, list[dict[str, float]]] = {"series": [], "floor": []}
    for repeat in range(args.repeat):
        order = [("series", series), ("floor", floor)]
        for name, notebooks in order if repeat % 2 == 0 else order[::-1]:
            runs[name].append(timed_run(notebooks, workspace, scratch / f"{name}-{repeat}"))

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in runs[name])

    floor_step = statistics.median(median("floor", p.stem) for p in floor)
    print(f"{len(series)} notebooks in the series, {args.repeat} repeat(s); seconds (median)")
    print(f"{'step':34}{'series':>8}{'/floor':>8}")
    steps = {}
    for path in series:
        seconds = median("series", path.stem)
        steps[path.stem] = round(seconds, 2)
        print(f"{path.stem:34}{seconds:8.2f}{seconds / floor_step:8.2f}")
    total, floor_total = median("series", "total"), median("floor", "total")
    ratio = total / floor_total
    print(f"{'whole series':34}{total:8.2f}")
    print(f"{'floor (imports only)':34}{floor_total:8.2f}   ({floor_step:.2f} per notebook)")
    print(
        f"ratio series / floor: {ratio:.2f}  (goal ≤ {GOAL}: {'met' if ratio <= GOAL else 'NOT met'})"
    )

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "notebooks": [p.name for p in series],
                "repeat": args.repeat,
                "seconds per step (median)": steps,
                "series total s": round(total, 2),
                "floor total s": round(floor_total, 2),
                "floor per notebook s": round(floor_step, 2),
                f"ratio (goal ≤ {GOAL})": round(ratio, 2),
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
