"""Time a Save click in the risks section editor, up to the results being recomputed.

Headless (no kernel, no browser): one ``section_editor`` on a temporary
workspace holding a sample-sized risk register; before each click one risk's
impact is changed through the record table (not timed), then the timed part is
``save_button.click()``: validate the form through the model, save a new
revision (one SQLite transaction) and run the ``on_saved`` callback, which
recomputes the scored risk table as a notebook would. The baseline, timed in the
same run, is the least a save can do: dump the section to JSON, insert it into
a plain SQLite table and run the same callback.

It also times what a workshop sees in step 6 since results follow saves
(:func:`partnerlib.follow_saves`): a Save click on the sample plan until each
of the notebook's nine results (register, crucial risks, above appetite,
profile, profile chart, heat maps, two matrices, what is missing) is redrawn,
charts rendered to PNG as in a kernel; and until the first of them, the
register, is. Every widget update reaches the browser as it happens, so the
register and the saved status show before the charts are done.

Run: ``.venv/bin/python benchmarks/bench_forms.py [--risks N] [--clicks 100]``.
Goal: p95 ≤ 150 ms per click (Save click → results recomputed).
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from common import argument_parser, percentile

from partnerlib import (
    SAMPLE_PLAN,
    Plan,
    PlanInfo,
    Workspace,
    load_sample,
    score_risks,
    section_editor,
    seed_workspace,
)
from partnerlib.analyses.tables import records_table
from partnerlib.models import RISK_CATEGORIES, Appetite, Risk, Risks

PLAN = "Bench"


def sample_risks(count: int) -> Risks:
    """Return a risk register of ``count`` risks and an appetite for every category."""
    risks = [
        Risk(id=f"r{n}", title=f"Risk {n}", category=RISK_CATEGORIES[n % len(RISK_CATEGORIES)],
             cause="Heavy rain in the wet season " * 3, owner="Ana", likelihood=1 + n % 5,
             impact=1 + (n * 2) % 5, mitigation="Move the stores uphill.",
             residual_likelihood=1 + n % 3, residual_impact=1 + n % 4)
        for n in range(1, count + 1)
    ]
    appetite = [Appetite(category=c, max_score=9) for c in RISK_CATEGORIES]
    return Risks(risks=risks, appetite=appetite)


def recompute(value: Risks) -> object:
    """The typical ``on_saved`` callback: the scored risk table the notebook shows."""
    return score_risks(records_table(value.risks, Risk), appetite=records_table(value.appetite, Appetite))


#: What notebook 06 shows under its editor, as ``results.show(view, *args, **options)``.
STEP_6_RESULTS = (
    ("show_risk_register", (), {}),
    ("show_crucial_risks", (), {}),
    ("show_risks_above_appetite", (), {}),
    ("show_risk_profile", (), {}),
    ("show_risk_profile_chart", (), {"residual": True}),
    ("show_risk_heatmaps", (), {}),
    ("show_risk_matrix", (), {}),
    ("show_risk_matrix", (), {"residual": True}),
    ("show_missing", ("risks",), {}),
)


def time_live_results(clicks: int) -> tuple[list[float], list[float]]:
    """Time Save clicks in step 6 until the register, and until all nine results, are redrawn (seconds)."""
    from IPython.core.interactiveshell import InteractiveShell

    import partnerlib

    InteractiveShell.instance()  # charts become PNG as in a kernel
    ws = seed_workspace(Path(tempfile.mkdtemp()) / "workspace.sqlite")
    editor = section_editor(ws, SAMPLE_PLAN, "risks", author="Bench")
    results = partnerlib.follow_saves(editor)
    shown = [results.show(getattr(partnerlib.views, view), *args, **options) for view, args, options in STEP_6_RESULTS]
    register_done: list[float] = []
    draw = shown[0].draw

    def draw_register(saved: object) -> None:
        draw(saved)
        register_done.append(time.perf_counter())

    shown[0].draw = draw_register
    table = editor.form.fields["risks"]
    first, whole = [], []
    for number in range(clicks + 2):
        table.edit(0)
        table.editor.fields["impact"].value = str(1 + number % 5)
        assert table.ok()
        start = time.perf_counter()
        editor.save_button.click()
        end = time.perf_counter()
        assert editor.status.value.count("Saved at") == 1, editor.status.value
        if number >= 2:  # the first clicks warm up imports and caches
            first.append(register_done[-1] - start)
            whole.append(end - start)
    ws.close()
    return first, whole


def main() -> None:
    """Time the clicks and the baseline, and print p50 / p95 and their ratio."""
    parser = argument_parser(__doc__)
    parser.add_argument("--risks", type=int, default=0,
                        help="made-up risks in the register (default: the sample plan's risks section)")
    parser.add_argument("--clicks", type=int, default=100)
    parser.add_argument("--live-clicks", type=int, default=20,
                        help="Save clicks timed with step 6's nine results following them")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp())
    section = sample_risks(args.risks) if args.risks else load_sample().risks
    ws = Workspace.open(folder / "workspace.sqlite")
    ws.create_plan(Plan(info=PlanInfo(name=PLAN), risks=section))
    done: list[float] = []
    editor = section_editor(ws, PLAN, "risks", author="Bench", on_saved=lambda v: (recompute(v), done.append(1)))
    table = editor.form.fields["risks"]

    clicks = []
    for number in range(args.clicks + 5):
        table.edit(0)
        table.editor.fields["impact"].value = str(1 + number % 5)
        table.editor.fields["title"].value = f"Risk 1 (edit {number})"
        assert table.ok()
        start = time.perf_counter()
        editor.save_button.click()
        elapsed = time.perf_counter() - start
        assert editor.status.value.count("Saved at") == 1, editor.status.value
        if number >= 5:  # the first clicks warm up imports and caches
            clicks.append(elapsed)
    assert len(done) == args.clicks + 5

    db = sqlite3.connect(folder / "baseline.sqlite", isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = NORMAL")  # as the workspace does
    db.execute("CREATE TABLE revisions (id INTEGER PRIMARY KEY, value TEXT)")
    baseline = []
    for number in range(args.clicks + 5):
        value = section.model_copy(update={"appetite": section.appetite[: 1 + number % 9]})
        start = time.perf_counter()
        text = value.model_dump_json()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO revisions (value) VALUES (?)", (text,))
        db.execute("COMMIT")
        recompute(value)
        elapsed = time.perf_counter() - start
        if number >= 5:
            baseline.append(elapsed)
    db.close()
    ws.close()

    p50, p95 = 1000 * percentile(clicks, 0.50), 1000 * percentile(clicks, 0.95)
    b50, b95 = 1000 * percentile(baseline, 0.50), 1000 * percentile(baseline, 0.95)
    print(f"risks section: {len(section.risks)} risks, {len(section.appetite)} appetite rows; {args.clicks} clicks")
    print(f"{'':28}{'p50 ms':>9}{'p95 ms':>9}")
    print(f"{'Save click → results':28}{p50:9.1f}{p95:9.1f}")
    print(f"{'baseline (json+sqlite+cb)':28}{b50:9.1f}{b95:9.1f}")
    print(f"{'ratio':28}{p50 / b50:9.2f}{p95 / b95:9.2f}")
    print(f"goal p95 <= 150 ms: {'met' if p95 <= 150 else 'NOT met'}")

    first, whole = time_live_results(args.live_clicks)
    print(f"step 6 with results following saves (sample plan, {args.live_clicks} clicks):")
    for label, times in (("Save click → register redrawn", first), ("Save click → all 9 results redrawn", whole)):
        print(f"{label:34}{1000 * percentile(times, 0.5):9.1f}{1000 * percentile(times, 0.95):9.1f}")


if __name__ == "__main__":
    main()
