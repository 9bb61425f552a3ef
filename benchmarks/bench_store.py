"""Time the workspace store: saving a section, opening a workspace and loading a plan, bulk measurements.

Each figure is set against a plain baseline timed in the same run:

* save: ``Workspace.save_section`` of the sample plan's risks section (one
  risk changed each time, so every save is a real revision) against dumping
  the section to JSON and inserting it into a bare SQLite table;
* open + load: ``Workspace.open`` (read-only checks, quick_check, pragmas)
  and ``load`` of the sample plan against ``sqlite3.connect`` plus reading and
  validating the twelve section JSONs;
* measurements: ``add_measurements`` / ``measurements`` of 1,000,000 rows
  against ``DataFrame.to_sql`` / ``pandas.read_sql`` and a bare ``executemany``
  over ``itertuples`` into an unindexed table.

The same figures are then taken on PostgreSQL, on a throwaway server started
for the run (``tests/postgres.py``: PostgreSQL's programs must be installed, or
``PARTNERLIB_TEST_POSTGRES_URL`` name a running server), each set against
SQLite's in the same run: save p50/p95 alone and with 20 writers, open + load,
and 1,000,000 measurements added. They go under the ``postgresql`` key. The 20
writers are 20 processes, each saving its own copy of the plan, in two cases:

* paced (``save_p50_ms_20_writers``, ``save_p95_ms_20_writers``): 20 people on a
  hub. Each process waits a random 0.5–2 s (seeded) before each of its saves, so
  saves overlap but the machine is not saturated;
* saturated (``save_p50_ms_20_writers_saturated``, ``…_saturated``): each
  process saves back to back with no pause. On a machine with fewer cores than
  writers most of this figure is waiting for a CPU: it measures saturation.

The load average is given beside each case. The engines' open + load runs on a
workspace holding the 1,000,000 measurements, so on SQLite it includes the
``quick_check`` of that file at every open (the first open + load figure is on a
small workspace).

Run: ``.venv/bin/python benchmarks/bench_store.py [--saves 200] [--rows 1000000] [--writers 20]``.
Goals: save p95 ≤ 20 ms (also with 20 paced writers on PostgreSQL); open + load ≤ 50 ms (median
of 20); PostgreSQL's 1M-row insert ≤ 2× SQLite's. Writes ``benchmarks/results/store.json``.
"""

from __future__ import annotations

import json
import multiprocessing
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd
from common import RESULTS_FOLDER, argument_parser, load_average, percentile

from partnerlib import SECTIONS, Plan, Workspace, load_sample, sample_measurements

RESULTS = RESULTS_FOLDER / "store.json"
TESTS = Path(__file__).resolve().parents[1] / "tests"
#: Seconds a paced writer waits before each save: somewhere in this range, at random.
PACE_SECONDS = (0.5, 2.0)


def change_risks(risks, number: int):
    """Return the risks with one changed, so every save is a real revision."""
    risk = risks.risks[number % len(risks.risks)]
    risk.impact = 1 + number % 5
    risk.mitigation = f"Reviewed in round {number}."
    return risks.model_copy(deep=True)


def _writer(target, name: str, count: int, paced: bool, seed: int, barrier, results) -> None:
    """Save a plan's risks ``count`` times once every writer is ready; send back the times.

    A paced writer waits :data:`PACE_SECONDS` (at random, from ``seed``) before each save.
    """
    pauses = random.Random(seed)
    with Workspace.open(target) as ws:
        snapshot = ws.load(name)
        risks, base = snapshot.plan.risks, snapshot.revisions["risks"]
        barrier.wait()
        times = []
        for number in range(count):
            value = change_risks(risks, number)
            if paced:
                time.sleep(pauses.uniform(*PACE_SECONDS))
            start = time.perf_counter()
            base = ws.save_section(name, "risks", value, base=base, author=name).id
            times.append(time.perf_counter() - start)
    results.put(times)


def time_concurrent_saves(target, name: str, writers: int, count: int, *, paced: bool) -> dict[str, float]:
    """Time saves while ``writers`` processes save, each its own copy of the plan, paced or not.

    Returns:
        Save p50 and p95 in milliseconds, and the load average (1 minute) as the writers end.
    """
    case = "paced" if paced else "saturated"
    with Workspace.open(target) as ws:
        names = [f"{name} ({case} writer {number})" for number in range(writers)]
        for copy in names:
            ws.copy_plan(name, copy)
    spawn = multiprocessing.get_context("spawn")
    barrier, results = spawn.Barrier(writers), spawn.Queue()
    processes = [
        spawn.Process(target=_writer, args=(target, copy, count, paced, seed, barrier, results))
        for seed, copy in enumerate(names)
    ]
    for process in processes:
        process.start()
    times = [t for _ in processes for t in results.get(timeout=600)]
    load = load_average()
    for process in processes:
        process.join()
    return {"save p50 ms": 1000 * percentile(times, 0.5), "save p95 ms": 1000 * percentile(times, 0.95), "load": load}


def bare_database(path: Path) -> sqlite3.Connection:
    """Return a plain SQLite connection set up as the workspace is (WAL, synchronous NORMAL)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")
    return db


def time_saves(ws: Workspace, folder: Path, name: str, count: int) -> dict[str, float]:
    """Time ``count`` saves of the risks section and as many bare JSON inserts."""
    risks = ws.load(name).plan.risks
    saves = timed_saves(ws, name, count)
    assert len(ws.history(name, "risks")) == count + 6, "every save must add a revision"
    db = bare_database(folder / "baseline.sqlite")
    db.execute("CREATE TABLE revisions (id INTEGER PRIMARY KEY, value TEXT)")
    baseline = []
    for number in range(count + 5):
        start = time.perf_counter()
        text = risks.model_dump_json()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO revisions (value) VALUES (?)", (text,))
        db.execute("COMMIT")
        if number >= 5:
            baseline.append(time.perf_counter() - start)
    db.close()
    return {
        "save p50 ms": 1000 * percentile(saves, 0.5),
        "save p95 ms": 1000 * percentile(saves, 0.95),
        "baseline p50 ms": 1000 * percentile(baseline, 0.5),
        "baseline p95 ms": 1000 * percentile(baseline, 0.95),
    }


def timed_saves(ws: Workspace, name: str, count: int) -> list[float]:
    """Time ``count`` saves of a plan's risks section (after 5 that warm up caches), in seconds."""
    snapshot = ws.load(name)
    risks, base = snapshot.plan.risks, snapshot.revisions["risks"]
    saves = []
    for number in range(count + 5):
        value = change_risks(risks, number)
        start = time.perf_counter()
        base = ws.save_section(name, "risks", value, base=base, author="Bench").id
        if number >= 5:
            saves.append(time.perf_counter() - start)
    return saves


def time_open_only(target, name: str, count: int) -> float:
    """Return the median of opening the workspace and loading a plan, in milliseconds."""
    opens = []
    for _ in range(count):
        start = time.perf_counter()
        with Workspace.open(target) as ws:
            ws.load(name)
        opens.append(time.perf_counter() - start)
    return 1000 * statistics.median(opens)


def time_engines(folder: Path, plan, args) -> dict[str, dict[str, float]]:
    """Take the same figures on SQLite and on a throwaway PostgreSQL server, in this run.

    Returns:
        Each engine's figures, their ratios (PostgreSQL / SQLite), and the load average
        (1 minute) at the end of each engine's 20-writer cases.
    """
    sys.path.insert(0, str(TESTS))
    from postgres import Server, missing_reason

    reason = missing_reason()
    if reason:
        raise SystemExit(reason)
    server = Server()
    frame = big_frame(args.rows)
    figures, loads = {}, {}
    try:
        for engine, target in (("sqlite", folder / "engines.sqlite"), ("postgresql", server.create_database())):
            with Workspace.open(target) as ws:
                ws.create_plan(plan)
                ws.add_measurements(plan.info.name, sample_measurements())
                ws.create_plan(Plan(info={"name": "Bulk"}))
                start = time.perf_counter()
                ws.add_measurements("Bulk", frame)
                insert = time.perf_counter() - start
                saves = timed_saves(ws, plan.info.name, args.saves)
            paced = time_concurrent_saves(target, plan.info.name, args.writers, args.paced_saves, paced=True)
            saturated = time_concurrent_saves(
                target, plan.info.name, args.writers, args.writer_saves, paced=False
            )
            writers = f"{args.writers}_writers"
            figures[engine] = {
                "save_p50_ms": 1000 * percentile(saves, 0.5),
                "save_p95_ms": 1000 * percentile(saves, 0.95),
                f"save_p50_ms_{writers}": paced["save p50 ms"],
                f"save_p95_ms_{writers}": paced["save p95 ms"],
                f"save_p50_ms_{writers}_saturated": saturated["save p50 ms"],
                f"save_p95_ms_{writers}_saturated": saturated["save p95 ms"],
                "open_load_median_ms": time_open_only(target, plan.info.name, args.opens),
                "add_measurements_s": insert,
            }
            loads[engine] = {
                f"load_average_{writers}": paced["load"],
                f"load_average_{writers}_saturated": saturated["load"],
            }
    finally:
        server.stop()
    ratios = {key: figures["postgresql"][key] / figures["sqlite"][key] for key in figures["sqlite"]}
    return figures | {"postgresql_to_sqlite": ratios, "loads": loads}


def time_open_load(path: Path, name: str, count: int) -> dict[str, float]:
    """Time opening the workspace and loading a plan, and a bare connect + read + validate."""
    opens = []
    for _ in range(count):
        start = time.perf_counter()
        with Workspace.open(path) as ws:
            ws.load(name)
        opens.append(time.perf_counter() - start)
    baseline = []
    for _ in range(count):
        start = time.perf_counter()
        db = sqlite3.connect(path)
        rows = db.execute(
            "SELECT section, value FROM revisions WHERE id IN "
            "(SELECT max(id) FROM revisions WHERE plan_id = 1 GROUP BY section)"
        ).fetchall()
        Plan(**{section: SECTIONS[section].model_validate_json(text) for section, text in rows})
        db.close()
        baseline.append(time.perf_counter() - start)
    return {
        "open + load median ms": 1000 * statistics.median(opens),
        "baseline median ms": 1000 * statistics.median(baseline),
    }


def big_frame(rows: int) -> pd.DataFrame:
    """Return ``rows`` made-up measurements of 12 KPIs over about six years in 40 groups, in random order.

    Each (KPI, date, group) appears once, as a workspace holds it.
    """
    rng = np.random.default_rng(1)
    kpis, days, groups = 12, 2190, 40
    if rows > kpis * days * groups:
        raise SystemExit(f"at most {kpis * days * groups:,} distinct rows")
    chosen = rng.choice(kpis * days * groups, rows, replace=False)
    kpi, rest = np.divmod(chosen, days * groups)
    day, group = np.divmod(rest, groups)
    return pd.DataFrame({
        "kpi": np.array([f"k{n}" for n in range(kpis)])[kpi],
        "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(day, unit="D"),
        "value": rng.random(rows) * 100,
        "group": np.array([f"district {n}" for n in range(groups)])[group],
        "source": "register",
    })


def best_of(repeat: int, work) -> float:
    """Return the fastest of ``repeat`` runs of ``work(number)``, in seconds."""
    times = []
    for number in range(repeat):
        start = time.perf_counter()
        work(number)
        times.append(time.perf_counter() - start)
    return min(times)


def time_measurements(ws: Workspace, folder: Path, rows: int, repeat: int) -> dict[str, float]:
    """Time a bulk insert and a full read of ``rows`` measurements, and the plain pandas ways."""
    frame = big_frame(rows)
    for number in range(repeat):
        ws.create_plan(Plan(info={"name": f"Bulk {number}"}))
    seconds = {
        "add_measurements": best_of(repeat, lambda n: ws.add_measurements(f"Bulk {n}", frame)),
        "measurements (read all)": best_of(repeat, lambda n: ws.measurements("Bulk 0")),
        # the same rows again: every row updates the value it finds (a re-import)
        "add_measurements again (all updates)": best_of(repeat, lambda n: ws.add_measurements(f"Bulk {n}", frame)),
    }
    db = bare_database(folder / "plain.sqlite")
    # to_sql is by far the slowest; once is enough to see it.
    seconds["DataFrame.to_sql"] = best_of(1, lambda n: frame.to_sql("m0", db, index=False))
    seconds["pandas.read_sql"] = best_of(repeat, lambda n: pd.read_sql("SELECT * FROM m0", db))
    db.execute('CREATE TABLE bare (kpi TEXT, date TEXT, value REAL, "group" TEXT, source TEXT)')
    plain = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d"))

    def executemany(number: int) -> None:
        db.execute("BEGIN")
        db.executemany("INSERT INTO bare VALUES (?, ?, ?, ?, ?)", plain.itertuples(index=False))
        db.execute("COMMIT")

    seconds["executemany over itertuples"] = best_of(repeat, executemany)
    db.close()
    return seconds


def main() -> None:
    """Run the three measurements, print a markdown table and write the JSON results."""
    parser = argument_parser(__doc__)
    parser.add_argument("--saves", type=int, default=200)
    parser.add_argument("--opens", type=int, default=20)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--writers", type=int, default=20, help="processes saving at once")
    parser.add_argument("--writer-saves", type=int, default=50,
                        help="saves each of them makes back to back (the saturated case)")
    parser.add_argument("--paced-saves", type=int, default=20,
                        help="saves each of them makes, 0.5-2 s apart (the paced case)")
    args = parser.parse_args()

    plan = load_sample()
    with tempfile.TemporaryDirectory() as temporary:  # a million rows take ~100 MB a copy
        folder = Path(temporary)
        path = folder / "workspace.sqlite"
        with Workspace.open(path) as ws:
            ws.create_plan(plan)
            ws.add_measurements(plan.info.name, sample_measurements())
            saves = time_saves(ws, folder, plan.info.name, args.saves)
        open_load = time_open_load(path, plan.info.name, args.opens)
        with Workspace.open(folder / "bulk.sqlite") as ws:
            bulk = time_measurements(ws, folder, args.rows, args.repeat)
        engines = time_engines(folder, plan, args)

    size = (f"{len(plan.risks.risks)} risks, {len(plan.monitoring.kpis)} KPIs, "
            f"{len(plan.partners.candidates)} candidates")
    rows = [
        ("save one section, p50", f"{saves['save p50 ms']:.1f} ms", f"{saves['baseline p50 ms']:.1f} ms",
         saves["save p50 ms"] / saves["baseline p50 ms"]),
        ("save one section, p95 (goal ≤ 20 ms)", f"{saves['save p95 ms']:.1f} ms",
         f"{saves['baseline p95 ms']:.1f} ms", saves["save p95 ms"] / saves["baseline p95 ms"]),
        ("open + load, median (goal ≤ 50 ms)", f"{open_load['open + load median ms']:.1f} ms",
         f"{open_load['baseline median ms']:.1f} ms",
         open_load["open + load median ms"] / open_load["baseline median ms"]),
        (f"insert {args.rows:,} measurements vs to_sql", f"{bulk['add_measurements']:.2f} s",
         f"{bulk['DataFrame.to_sql']:.2f} s", bulk["add_measurements"] / bulk["DataFrame.to_sql"]),
        (f"insert {args.rows:,} measurements vs executemany", f"{bulk['add_measurements']:.2f} s",
         f"{bulk['executemany over itertuples']:.2f} s",
         bulk["add_measurements"] / bulk["executemany over itertuples"]),
        (f"re-add the same {args.rows:,} (all updates) vs executemany",
         f"{bulk['add_measurements again (all updates)']:.2f} s",
         f"{bulk['executemany over itertuples']:.2f} s",
         bulk["add_measurements again (all updates)"] / bulk["executemany over itertuples"]),
        (f"read {args.rows:,} measurements vs read_sql", f"{bulk['measurements (read all)']:.2f} s",
         f"{bulk['pandas.read_sql']:.2f} s", bulk["measurements (read all)"] / bulk["pandas.read_sql"]),
    ]
    print(f"Sample plan: {size}; {args.saves} saves, {args.opens} opens, {args.rows:,} rows "
          f"(best of {args.repeat}); load average {load_average():.1f}\n")
    print("| measurement | store | baseline | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for label, ours, theirs, ratio in rows:
        print(f"| {label} | {ours} | {theirs} | {ratio:.2f} |")
    print(f"\n| same run, load average {load_average():.1f} | PostgreSQL | SQLite | ratio |")
    print("| --- | ---: | ---: | ---: |")
    for key, ratio in engines["postgresql_to_sqlite"].items():
        print(f"| {key} | {engines['postgresql'][key]:.2f} | {engines['sqlite'][key]:.2f} | {ratio:.2f} |")
    for key in engines["loads"]["postgresql"]:
        print(f"| {key} | {engines['loads']['postgresql'][key]:.1f} | {engines['loads']['sqlite'][key]:.1f} | |")
    print(f"\n{args.writers} paced writers: each waits {PACE_SECONDS[0]}-{PACE_SECONDS[1]} s before each of "
          f"{args.paced_saves} saves; saturated: {args.writer_saves} saves each, back to back. The engines' "
          "open + load is on a workspace holding the bulk rows (on SQLite, quick_check reads them all).")

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({
        "plan": size,
        "saves": args.saves,
        "opens": args.opens,
        "rows": args.rows,
        "repeat": args.repeat,
        "save": saves,
        "open_load": open_load,
        "measurements_seconds": bulk,
        "ratios": {label: ratio for label, _, _, ratio in rows},
        "writers": args.writers,
        "writer_saves": args.writer_saves,
        "paced_saves": args.paced_saves,
        "pace_seconds": PACE_SECONDS,
        "postgresql": engines["postgresql"] | engines["loads"]["postgresql"] | {"load_average": load_average()},
        "sqlite_same_run": engines["sqlite"] | engines["loads"]["sqlite"],
        "postgresql_to_sqlite": engines["postgresql_to_sqlite"],
        "load_average": load_average(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "pandas": pd.__version__,
        "machine": platform.machine(),
    }, indent=1) + "\n")


if __name__ == "__main__":
    main()
