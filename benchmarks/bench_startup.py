"""Time ``import partnerlib`` against ``import pandas``, each in a fresh Python.

``partnerlib`` loads its modules on first use, so importing the package costs
almost nothing; the cost arrives with the first name used. Both are measured:
the bare package import, and the imports a step notebook makes (the plan model,
the workspace, a risk analysis), each as a ratio to ``import pandas`` timed in
the same run. Every figure is the median of fresh interpreters, alternating
the statements so drift hits all alike.

Run: ``.venv/bin/python benchmarks/bench_startup.py [--repeat 15]``.
Goal: ``import partnerlib`` / ``import pandas`` ≤ 1.3. Figures go to
``benchmarks/results/startup.json``.
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

from common import RESULTS_FOLDER, argument_parser

RESULTS = RESULTS_FOLDER / "startup.json"
GOAL = 1.3
STATEMENTS = {
    "nothing (python -c pass)": "pass",
    "import pandas": "import pandas",
    "import partnerlib": "import partnerlib",
    "from partnerlib import Plan, Workspace": "from partnerlib import Plan, Workspace",
    "from partnerlib import score_risks": "from partnerlib import score_risks",
}


def _seconds(statement: str) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", statement], check=True)
    return time.perf_counter() - start


def main() -> None:
    """Time each statement in fresh interpreters and print a markdown table."""
    parser = argument_parser(__doc__)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    times: dict[str, list[float]] = {label: [] for label in STATEMENTS}
    for statement in STATEMENTS.values():  # warm the file cache once
        _seconds(statement)
    for _ in range(args.repeat):
        for label, statement in STATEMENTS.items():
            times[label].append(_seconds(statement))
    median = {label: statistics.median(values) for label, values in times.items()}
    empty = median["nothing (python -c pass)"]
    pandas = median["import pandas"]
    print(f"| statement | seconds (median of {args.repeat}) | import time beyond `pass` | ratio to `import pandas` |")
    print("| --- | ---: | ---: | ---: |")
    rows = {}
    for label, seconds in median.items():
        ratio = seconds / pandas
        rows[label] = {"seconds": round(seconds, 4), "ratio_to_pandas": round(ratio, 3)}
        print(f"| `{label}` | {seconds:.3f} | {seconds - empty:.3f} | {ratio:.2f} |")
    print(f"\nGoal: `import partnerlib` ≤ {GOAL}× `import pandas`: {rows['import partnerlib']['ratio_to_pandas']:.2f}×")
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"repeat": args.repeat, "goal": GOAL, "results": rows}, indent=1) + "\n")


if __name__ == "__main__":
    main()
