"""What the benchmark scripts share: this tree on the import path, their parser, timings and the load average.

Each script runs from the repository root as ``python benchmarks/bench_NAME.py``:
its own folder comes first on ``sys.path``, so ``from common import …`` finds
this module, and importing it puts the repository right after, so a script
times this tree's partnerlib rather than another installed copy.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: The repository's root folder.
ROOT = Path(__file__).resolve().parents[1]
#: Where the scripts write their results, one JSON file each.
RESULTS_FOLDER = ROOT / "benchmarks" / "results"

sys.path.insert(0, str(ROOT))

__all__ = ["RESULTS_FOLDER", "ROOT", "argument_parser", "load_average", "median_seconds", "percentile"]


def argument_parser(doc: str) -> argparse.ArgumentParser:
    """Return a script's argument parser, described by the first line of its docstring (``doc``)."""
    return argparse.ArgumentParser(description=doc.splitlines()[0])


def load_average() -> float:
    """Return the load average over the last minute, to print and save beside every figure."""
    return os.getloadavg()[0]


def median_seconds(
    run: Callable[[], Any],
    repeat: int,
    *,
    setup: Callable[[], Any] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Return the median seconds of ``repeat`` runs of ``run``.

    Before each run, ``setup`` (if given) runs untimed and garbage is collected.

    Args:
        run: the work to time.
        repeat: how many runs (1 or more).
        setup: untimed work before each run, such as a fresh workspace.
        clock: the clock: wall-clock by default, ``time.process_time`` for CPU seconds.
    """
    times = []
    for _ in range(repeat):
        if setup is not None:
            setup()
        gc.collect()
        start = clock()
        run()
        times.append(clock() - start)
    return statistics.median(times)


def percentile(values: Sequence[float], share: float) -> float | None:
    """Return the ``share`` quantile (0–1) of the values, by nearest rank, or None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]
