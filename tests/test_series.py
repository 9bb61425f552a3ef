"""The notebook series: titles, navigation, choosing steps, and running it headless (``partnerlib run``)."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from partnerlib import SAMPLE_PLAN, run_series
from partnerlib.app.cli import main
from partnerlib.app.kernel import CELL_OUTPUT_WAIT_S
from partnerlib.app.series import (
    SeriesError,
    navigation_markdown,
    notebook_title,
    parameters_for,
    run_folder,
    select_steps,
    series_notebooks,
)


def _notebook(
    folder: Path, name: str, *cells: tuple[str, str], tags: dict[int, list[str]] | None = None
) -> Path:
    """Write a notebook of (kind, source) cells; ``tags`` maps a cell's index to its tags."""
    book = nbformat.v4.new_notebook()
    for index, (kind, source) in enumerate(cells):
        cell = (
            nbformat.v4.new_markdown_cell(source)
            if kind == "md"
            else nbformat.v4.new_code_cell(source)
        )
        cell.metadata["tags"] = (tags or {}).get(index, [])
        book.cells.append(cell)
    book.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    path = folder / name
    nbformat.write(book, path)
    return path


PARAMETERS = ("code", 'workspace = None\nplan = "none"')


def _step(folder: Path, name: str, title: str, body: str) -> Path:
    return _notebook(
        folder,
        name,
        ("md", f"# {title}\n\nWords."),
        PARAMETERS,
        ("code", body),
        tags={1: ["parameters"]},
    )


@pytest.fixture
def series(tmp_path) -> list[Path]:
    """Three tiny steps; the second one fails."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    return [
        _step(folder, "01_good.ipynb", "Step 1 · Good", "print('plan is', plan)"),
        _step(folder, "02_bad.ipynb", "Step 2 · Bad", "raise ValueError('the bad step')"),
        _step(folder, "03_after.ipynb", "Step 3 · After", "print('never runs')"),
    ]


# ---------------------------------------------------------------- titles and navigation

# (cells of the notebook, expected title)
TITLES = [
    ([("md", "# Step 6 · Risk and conflict\n\nText.")], "Step 6 · Risk and conflict"),
    ([("code", "# a comment, not a title"), ("md", "Intro.\n\n## Goals")], "Goals"),
    ([("code", "x = 1")], "07_untitled"),
]


@pytest.mark.parametrize(("cells", "title"), TITLES)
def test_notebook_title(tmp_path, cells, title):
    assert notebook_title(_notebook(tmp_path, "07_untitled.ipynb", *cells)) == title


# (index of the notebook, expected navigation line)
NAVIGATION = [
    (0, "[Contents](00_start.ipynb) · Next: [Step 1 · Goals](01_goals.ipynb) →"),
    (
        1,
        "← Previous: [Start here](00_start.ipynb) · [Contents](00_start.ipynb) · Next: [Step 2 · Risks](02_risks.ipynb) →",
    ),
    (2, "← Previous: [Step 1 · Goals](01_goals.ipynb) · [Contents](00_start.ipynb)"),
]


@pytest.mark.parametrize(("index", "line"), NAVIGATION)
def test_navigation_markdown(tmp_path, index, line):
    paths = [
        _notebook(tmp_path, name, ("md", f"# {title}"))
        for name, title in [
            ("00_start.ipynb", "Start here"),
            ("01_goals.ipynb", "Step 1 · Goals"),
            ("02_risks.ipynb", "Step 2 · Risks"),
        ]
    ]
    assert navigation_markdown(paths, index) == line


# (the notebook's parameters cell, the parameters it is given)
PARAMETERS_GIVEN = [
    ('workspace = None\nplan = None', {"workspace": "w.sqlite", "plan": "P"}),
    ("workspace = None\ncontact_days = 90", {"workspace": "w.sqlite"}),
    ("x = 1", {}),
]


@pytest.mark.parametrize(("cell", "given"), PARAMETERS_GIVEN)
def test_a_step_is_given_only_the_parameters_it_declares(tmp_path, cell, given):
    path = _notebook(tmp_path, "13_step.ipynb", ("code", cell), tags={0: ["parameters"]})
    assert parameters_for(path, {"workspace": "w.sqlite", "plan": "P"}) == given


# ---------------------------------------------------------------- finding and choosing steps


def test_series_notebooks_in_order(series):
    assert [p.name for p in series_notebooks(series[0].parent)] == [
        "01_good.ipynb",
        "02_bad.ipynb",
        "03_after.ipynb",
    ]


def test_series_notebooks_refuses_a_folder_without_steps(tmp_path):
    with pytest.raises(SeriesError, match="No step notebooks"):
        series_notebooks(tmp_path)


def test_the_real_series_starts_at_a_step():
    assert series_notebooks()[0].name[:2].isdigit()


# (names given to --only, steps kept)
ONLY = [
    ([], ["01_good", "02_bad", "03_after"]),
    (["02"], ["02_bad"]),
    (["03_after", "01_g"], ["01_good", "03_after"]),
]


@pytest.mark.parametrize(("only", "kept"), ONLY)
def test_select_steps(series, only, kept):
    assert [p.stem for p in select_steps(series, only)] == kept


def test_select_steps_names_an_unknown_step(series):
    with pytest.raises(SeriesError, match=r"No step named '09'.*01_good, 02_bad, 03_after"):
        select_steps(series, ["09"])


# (plan name, folder under the workspace's folder)
RUN_FOLDERS = [
    ("Riverside Community Health", "runs/riverside-community-health"),
    ("Église & Co. — 2027", "runs/église-co-2027"),
    ("???", "runs/plan"),
]


@pytest.mark.parametrize(("plan", "folder"), RUN_FOLDERS)
def test_run_folder(tmp_path, plan, folder):
    assert run_folder(tmp_path / "workspace.sqlite", plan) == tmp_path / folder


# ---------------------------------------------------------------- running the series


@pytest.mark.slow
def test_a_failing_step_is_named_and_the_steps_before_it_are_written(series, workspace_file, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(SeriesError) as failure:
        run_series(
            workspace=workspace_file, plan=SAMPLE_PLAN, out_dir=out, notebooks=series, progress=False
        )
    assert (
        str(failure.value).startswith(
            "Step 02_bad (Step 2 · Bad) failed: ValueError: the bad step"
        ),
        sorted(p.name for p in out.iterdir()),
    ) == (True, ["01_good.ipynb", "02_bad.ipynb"])


@pytest.mark.slow
def test_a_run_gives_each_step_the_plan(series, workspace_file, tmp_path):
    written = run_series(
        workspace=workspace_file,
        plan=SAMPLE_PLAN,
        out_dir=tmp_path / "out",
        notebooks=series[:1],
        progress=False,
    )
    outputs = json.loads(written[0].read_text(encoding="utf-8"))["cells"][-1]["outputs"]
    assert "".join(outputs[0]["text"]) == f"plan is {SAMPLE_PLAN}\n"


def test_a_step_waits_for_its_last_outputs_as_long_as_a_busy_machine_needs(series, workspace_file, tmp_path,
                                                                            monkeypatch):
    import papermill

    given = {}
    monkeypatch.setattr(papermill, "execute_notebook", lambda *args, **kwargs: given.update(kwargs))
    run_series(workspace=workspace_file, plan=SAMPLE_PLAN, out_dir=tmp_path, notebooks=series[:1], progress=False)
    assert given["iopub_timeout"] == CELL_OUTPUT_WAIT_S


@pytest.mark.slow
def test_a_file_a_step_writes_lands_next_to_the_executed_notebooks(series, workspace_file, tmp_path):
    step = _step(
        series[0].parent, "04_writes.ipynb", "Step 4 · Writes", "open('made.txt', 'w').write('x')"
    )
    run_series(
        workspace=workspace_file,
        plan=SAMPLE_PLAN,
        out_dir=tmp_path / "out",
        notebooks=[step],
        progress=False,
    )
    assert ((tmp_path / "out" / "made.txt").exists(), (step.parent / "made.txt").exists()) == (
        True,
        False,
    )


@pytest.mark.slow
def test_the_first_real_step_runs_on_the_sample_plan(workspace_file, tmp_path):
    first = series_notebooks()[:1]
    written = run_series(
        workspace=workspace_file,
        plan=SAMPLE_PLAN,
        out_dir=tmp_path / "out",
        notebooks=first,
        progress=False,
    )
    cells = json.loads(written[0].read_text(encoding="utf-8"))["cells"]
    errors = [o for c in cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert (len(written), errors) == (1, [])


# ---------------------------------------------------------------- partnerlib run


@pytest.fixture
def workbook(series, monkeypatch):
    """Make the tiny series the workbook's notebooks."""
    monkeypatch.setattr("partnerlib.app.series.repo_dir", lambda: series[0].parent.parent)
    return series


def _run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.slow
def test_run_stops_at_the_failing_step(workbook, workspace_file, tmp_path, capsys):
    code, _, err = _run(
        capsys, "--workspace", workspace_file, "run", SAMPLE_PLAN, "--out", tmp_path / "out"
    )
    assert (
        code,
        err.splitlines()[-1].startswith("partnerlib: Step 02_bad (Step 2 · Bad) failed"),
    ) == (1, True)


@pytest.mark.slow
def test_run_writes_the_chosen_steps(workbook, workspace_file, tmp_path, capsys):
    code, out, _ = _run(
        capsys,
        "--workspace",
        workspace_file,
        "run",
        SAMPLE_PLAN,
        "--out",
        tmp_path / "out",
        "--only",
        "01",
        "03",
    )
    assert (code, sorted(p.name for p in (tmp_path / "out").iterdir())) == (
        0,
        ["01_good.ipynb", "03_after.ipynb"],
    )


@pytest.mark.slow
def test_run_writes_next_to_the_workspace_by_default(workbook, workspace_file, capsys):
    _run(capsys, "--workspace", workspace_file, "run", SAMPLE_PLAN, "--only", "01")
    assert (run_folder(workspace_file, SAMPLE_PLAN) / "01_good.ipynb").exists()


# (arguments after the workspace, words of the one-line error)
RUN_PROBLEMS = [
    (["run", "No such plan"], "No such plan"),
    (["run", SAMPLE_PLAN, "--only", "09"], "No step named '09'"),
]


@pytest.mark.parametrize(("argv", "words"), RUN_PROBLEMS)
def test_run_problems_are_one_line(workbook, workspace_file, capsys, argv, words):
    code, _, err = _run(capsys, "--workspace", workspace_file, *argv)
    assert (code, words in err, len(err.strip().splitlines())) == (1, True, 1)
