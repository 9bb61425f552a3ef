"""The partnerlib command: plain help, one-line errors, plans listed, plans and tables imported."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.request

import pytest

from partnerlib import SAMPLE_PLAN, Workspace
from partnerlib.app.cli import COMMANDS, LAB_CONFIG, argument, command, main
from partnerlib.app.kernel import JUPYTER_DATA
from partnerlib.app.present import free_port, wait_for_server
from partnerlib.app.series import series_notebooks
from partnerlib.app.working_copy import working_folder
from partnerlib.core import paths
from partnerlib.core.paths import WORKSPACE_ENV


@pytest.fixture
def workspace(tmp_path):
    return tmp_path / "workspace.sqlite"


@pytest.fixture
def seeded(workspace, capsys):
    assert main(["--workspace", str(workspace), "seed"]) == 0
    capsys.readouterr()
    return workspace


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- help

# (arguments, words the help must contain)
HELP = [
    ([], "Plan a strategic partnership"),
    (["seed"], "Add the sample plan"),
    (["plans"], "List the plans"),
    (["export"], "Write a plan, with its measurements, to one JSON file"),
    (["import-plan"], "Import the plan under this name"),
    (["import"], "Nothing is written unless every row is valid"),
    (["lab"], "passed on to JupyterLab"),
]


@pytest.mark.parametrize(("argv", "words"), HELP)
def test_help(capsys, argv, words):
    with pytest.raises(SystemExit) as stopped:
        main([*argv, "--help"])
    assert (stopped.value.code, words in " ".join(capsys.readouterr().out.split())) == (0, True)


def test_every_command_has_help():
    assert all(spec.help for spec in COMMANDS.values())


def test_no_command_shows_the_help(capsys):
    code, out, _ = run(capsys)
    assert (code, "commands:" in out) == (0, True)


def test_unknown_option_is_refused(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["plans", "--colour"])
    assert (stopped.value.code, "unrecognised arguments: --colour" in capsys.readouterr().err) == (2, True)


def test_a_command_is_one_function_and_one_registration(capsys, monkeypatch):
    monkeypatch.setattr("partnerlib.app.cli.COMMANDS", dict(COMMANDS))

    @command("hello", "Say hello.", argument("who", help="Whom to greet."))
    def hello(args):
        print(f"Hello, {args.who}")
        return 0

    assert run(capsys, "hello", "Ana")[:2] == (0, "Hello, Ana\n")


# ---------------------------------------------------------------- errors


def test_error_is_one_line_with_a_non_zero_exit(capsys, workspace):
    code, _, err = run(capsys, "--workspace", workspace, "plans")
    assert (code, err.startswith("partnerlib: "), err.count("\n"), str(workspace) in err) == (1, True, 1, True)


def test_debug_shows_the_traceback(capsys, workspace):
    code, _, err = run(capsys, "--workspace", workspace, "--debug", "plans")
    assert (code, err.startswith("Traceback"), "WorkspaceError" in err) == (1, True, True)


def test_options_may_follow_the_command(capsys, workspace):
    code, _, err = run(capsys, "plans", "--workspace", workspace, "--debug")
    assert (code, err.startswith("Traceback")) == (1, True)


def test_missing_file_is_one_line(capsys, seeded, tmp_path):
    code, _, err = run(capsys, "--workspace", seeded, "import-plan", tmp_path / "nope.json")
    assert (code, err.count("\n"), "Traceback" in err) == (1, 1, False)


def test_unknown_plan_is_one_line(capsys, seeded, tmp_path):
    code, _, err = run(capsys, "--workspace", seeded, "export", "Nope", tmp_path / "x.json")
    assert (code, err.count("\n"), "no plan called 'Nope'" in err) == (1, 1, True)


def test_unexpected_error_says_how_to_see_more(capsys, seeded, monkeypatch):
    def broken(*args, **kwargs):
        raise ZeroDivisionError("division by zero")

    monkeypatch.setattr(Workspace, "plans", broken)
    code, _, err = run(capsys, "--workspace", seeded, "plans")
    assert (code, err.count("\n"), "--debug" in err) == (2, 1, True)


# ---------------------------------------------------------------- plans, seed, export, import


def test_seed_then_plans_lists_the_sample(capsys, seeded):
    code, out, _ = run(capsys, "--workspace", seeded, "plans")
    header, rule, *rows = out.splitlines()
    assert (code, header.split()[:2], any(row.startswith(SAMPLE_PLAN) for row in rows)) == (
        0, ["Plan", "Organisation"], True)


def test_plans_columns_are_aligned(capsys, seeded):
    _, out, _ = run(capsys, "--workspace", seeded, "plans")
    header, _, *rows = out.splitlines()
    row = next(row for row in rows if row.startswith(SAMPLE_PLAN))
    assert row[header.index("Organisation"):].startswith("Hope Alliance International")


def test_plans_in_an_empty_workspace_says_what_to_do(capsys, workspace):
    Workspace.open(workspace).close()
    code, out, _ = run(capsys, "--workspace", workspace, "plans")
    assert (code, "partnerlib seed" in out) == (0, True)


def test_workspace_from_the_environment(capsys, seeded, monkeypatch):
    monkeypatch.setenv(WORKSPACE_ENV, str(seeded))
    assert SAMPLE_PLAN in run(capsys, "plans")[1]


def test_export_then_import_plan_round_trip(capsys, seeded, tmp_path):
    path = tmp_path / "plan.json"
    assert run(capsys, "--workspace", seeded, "export", SAMPLE_PLAN, path)[0] == 0
    assert run(capsys, "--workspace", seeded, "import-plan", path, "--name", "Copy")[0] == 0
    with Workspace.open(seeded) as ws:
        assert ws.load("Copy").plan.risks == ws.load(SAMPLE_PLAN).plan.risks


def test_export_writes_a_plan_file(capsys, seeded, tmp_path):
    run(capsys, "--workspace", seeded, "export", SAMPLE_PLAN, tmp_path / "plan.json")
    assert json.loads((tmp_path / "plan.json").read_text())["format"] == "partnerlib-plan"


def test_import_plan_of_a_name_in_use_fails_in_one_line(capsys, seeded, tmp_path):
    run(capsys, "--workspace", seeded, "export", SAMPLE_PLAN, tmp_path / "plan.json")
    code, _, err = run(capsys, "--workspace", seeded, "import-plan", tmp_path / "plan.json")
    assert (code, err.count("\n"), "--replace" in err) == (1, 1, True)


def test_import_plan_replace(capsys, seeded, tmp_path):
    run(capsys, "--workspace", seeded, "export", SAMPLE_PLAN, tmp_path / "plan.json")
    code, out, _ = run(capsys, "--workspace", seeded, "import-plan", tmp_path / "plan.json", "--replace")
    assert (code, out) == (0, f"Imported {SAMPLE_PLAN!r} into {seeded}.\n")


def test_import_plan_size_limit(capsys, seeded, tmp_path):
    run(capsys, "--workspace", seeded, "export", SAMPLE_PLAN, tmp_path / "plan.json")
    code, _, err = run(capsys, "--workspace", seeded, "import-plan", tmp_path / "plan.json", "--max-mb", "0.01")
    assert (code, "MB" in err) == (1, True)


def test_bad_plan_file_lists_its_problems_by_json_path(capsys, seeded, tmp_path):
    path = tmp_path / "plan.json"
    run(capsys, "--workspace", seeded, "export", SAMPLE_PLAN, path)
    data = json.loads(path.read_text())
    data["plan"]["risks"]["risks"][3]["impact"] = 9
    path.write_text(json.dumps(data))
    _, _, err = run(capsys, "--workspace", seeded, "import-plan", path, "--name", "Copy")
    assert "$.plan.risks.risks[3].impact: 'impact' must be between 1 and 5 (got 9)" in err


RISKS = "Risk,Probability,Severity\nLandslide,Likely,Major\nFire,2,9\n"


def test_import_table_with_a_bad_row_writes_nothing_and_fails(capsys, seeded, tmp_path):
    (tmp_path / "risks.csv").write_text(RISKS)
    code, out, _ = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "risks.csv",
                       "--kind", "risks")
    assert (code, "row 3, column 'Severity': must be between 1 and 5 (got 9)" in out, "Nothing was written" in out) == (
        1, True, True)


def test_import_table_keep_valid(capsys, seeded, tmp_path):
    (tmp_path / "risks.csv").write_text(RISKS)
    code, out, _ = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "risks.csv",
                       "--kind", "risks", "--keep-valid")
    assert (code, "Written to the plan: 1 risk added." in out) == (0, True)


def test_import_table_dayfirst(capsys, seeded, tmp_path):
    (tmp_path / "m.csv").write_text("kpi,date,value\nk-vaccination,31/10/2026,80\n")
    code, _, _ = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "m.csv",
                     "--kind", "measurements", "--dayfirst")
    assert code == 0


def test_import_table_reads_kpis_by_name_and_a_site_column_as_the_group(capsys, seeded, tmp_path):
    (tmp_path / "kobo.csv").write_text(
        "Indicator,Date,Value,Site\nchildren under five  fully vaccinated,2026-10-31,80,Abura\n")
    run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "kobo.csv",
        "--kind", "measurements", "--group-column", "Site")
    with Workspace.open(seeded) as ws:
        written = ws.measurements(SAMPLE_PLAN).query("group == 'Abura'")
    assert written[["kpi", "value"]].to_dict("records") == [{"kpi": "k-vaccination", "value": 80.0}]


def test_import_table_without_a_kind_it_cannot_guess_lists_the_kinds(capsys, seeded, tmp_path):
    (tmp_path / "register.csv").write_text(RISKS)
    code, _, err = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "register.csv")
    assert (code, "--kind: one of answers, candidates, contributions, kpis, measurements, ratings, risks" in err) == (
        1, True)


# (file name, kind guessed)
GUESSES = [
    ("risks.csv", "risks"),
    ("Risk register.xlsx", "risks"),
    ("candidates.xlsx", "candidates"),
    ("2026_KPIs.csv", "kpis"),
    ("kpi.csv", "kpis"),
    ("sample_measurements.csv", "measurements"),
    ("contribution-list.csv", "contributions"),
]


@pytest.mark.parametrize(("name", "kind"), GUESSES)
def test_import_table_guesses_the_kind_from_the_file_name(capsys, seeded, tmp_path, monkeypatch, name, kind):
    seen = []
    monkeypatch.setattr("partnerlib.io.spreadsheets.import_table", lambda *a, **k: seen.append(a[3]) or _Report())
    code, out, _ = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / name)
    assert (code, seen, f"as {kind} (guessed from the file name" in out) == (0, [kind], True)


class _Report:
    rejected: list = []
    written = 1


def test_a_file_name_naming_two_kinds_is_refused(capsys, seeded, tmp_path):
    code, _, err = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "risks_and_kpis.csv")
    assert (code, "fits several kinds of table (kpis, risks)" in err) == (1, True)


def test_importing_the_sample_measurements_twice_says_they_were_updated(capsys, seeded):
    sample = paths.data_dir() / "sample_measurements.csv"
    run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, sample, "--kind", "measurements")
    code, out, _ = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, sample, "--kind", "measurements")
    with Workspace.open(seeded) as workspace:
        stored = len(workspace.measurements(SAMPLE_PLAN))
    assert (code, "360 measurements updated, 0 added" in out, stored) == (0, True, 360)


def test_importing_candidates_twice_adds_no_twin(capsys, seeded, tmp_path):
    (tmp_path / "candidates.csv").write_text("Partner name,Type\nNorthgate Health Centre,ngo\n")
    for _ in range(2):
        code, out, _ = run(capsys, "--workspace", seeded, "import", SAMPLE_PLAN, tmp_path / "candidates.csv")
    with Workspace.open(seeded) as workspace:
        names = [c.name for c in workspace.load(SAMPLE_PLAN).plan.partners.candidates]
    assert (code, names.count("Northgate Health Centre"), "1 candidate updated, 0 added" in out) == (0, 1, True)


# ---------------------------------------------------------------- no workspace yet

NO_WORKSPACE = [
    ("plans", lambda folder: ["plans"]),
    ("export", lambda folder: ["export", SAMPLE_PLAN, folder / "plan.json"]),
    ("import", lambda folder: ["import", SAMPLE_PLAN, folder / "risks.csv"]),
    ("run", lambda folder: ["run", SAMPLE_PLAN]),
]


@pytest.mark.parametrize(("case", "argv"), NO_WORKSPACE, ids=[c[0] for c in NO_WORKSPACE])
def test_a_command_without_a_workspace_says_how_to_make_one(capsys, tmp_path, case, argv):
    (tmp_path / "risks.csv").write_text(RISKS)
    code, _, err = run(capsys, "--workspace", tmp_path / "none.sqlite", *argv(tmp_path))
    assert (code, err) == (1, f"partnerlib: There is no workspace at {tmp_path / 'none.sqlite'} yet. Run "
                              "`partnerlib seed` to create one with the sample plan, or `partnerlib lab` to start.\n")


def test_a_command_without_a_workspace_creates_no_file(capsys, tmp_path):
    run(capsys, "--workspace", tmp_path / "none.sqlite", "plans")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- PostgreSQL workspaces


def test_a_postgresql_url_is_not_taken_for_a_file_name(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "--workspace", "postgresql://ana:s3cret@127.0.0.1:1/plans", "plans")
    assert (code, err.startswith("partnerlib: Cannot reach the PostgreSQL workspace "
                                 "postgresql://ana@127.0.0.1:1/plans: "), list(tmp_path.iterdir())) == (1, True, [])


def test_a_postgresql_url_from_the_environment(capsys, monkeypatch):
    monkeypatch.setenv(WORKSPACE_ENV, "postgresql://ana@127.0.0.1:1/plans")
    assert run(capsys, "plans")[2].startswith("partnerlib: Cannot reach the PostgreSQL workspace postgresql://ana@")


@pytest.fixture
def seeded_url(postgres_url, capsys):
    assert main(["--workspace", postgres_url, "seed"]) == 0
    capsys.readouterr()
    return postgres_url


# (command, its arguments given a scratch folder, the start of what it prints)
ON_POSTGRESQL = [
    ("plans", lambda folder: ["plans"], "Plan "),
    ("export", lambda folder: ["export", SAMPLE_PLAN, folder / "plan.json"], f"Wrote {SAMPLE_PLAN!r}"),
    ("import-plan", lambda folder: ["import-plan", paths.data_dir() / "sample_plan.json", "--name", "Copy"],
     "Imported 'Copy' into postgresql://postgres@"),
    ("import", lambda folder: ["import", SAMPLE_PLAN, paths.data_dir() / "sample_measurements.csv"],
     "Reading sample_measurements.csv as measurements"),
    ("report", lambda folder: ["report", SAMPLE_PLAN, "--html", folder / "plan.html"], "Wrote "),
    ("migrate", lambda folder: ["migrate", "WORKSPACE"], "The workspace postgresql://postgres@"),
]


@pytest.mark.parametrize(("case", "argv", "said"), ON_POSTGRESQL, ids=[c[0] for c in ON_POSTGRESQL])
def test_commands_work_on_a_postgresql_workspace(capsys, seeded_url, tmp_path, case, argv, said):
    arguments = [seeded_url if part == "WORKSPACE" else part for part in argv(tmp_path)]
    code, out, err = run(capsys, "--workspace", seeded_url, *arguments)
    assert (code, out[: len(said)], err) == (0, said, "")


MIGRATE = [
    # (what is there before, what migrate says)
    ("nothing", lambda path: None, "Made the workspace's tables in {path} (layout version {version})."),
    ("a workspace", lambda path: Workspace.open(path).close(), "The workspace {path} is up to date (layout version {version})."),
]


@pytest.mark.parametrize(("case", "make", "said"), MIGRATE, ids=[c[0] for c in MIGRATE])
def test_migrate_says_what_it_did(capsys, tmp_path, case, make, said):
    from partnerlib.io.migrations import SCHEMA_VERSION

    path = tmp_path / "w.sqlite"
    make(path)
    assert run(capsys, "migrate", path)[1] == said.format(path=path, version=SCHEMA_VERSION) + "\n"


def test_copy_moves_a_workspace_to_postgresql_and_back(capsys, seeded, postgres_url, tmp_path):
    there = run(capsys, "copy", seeded, postgres_url)
    back = run(capsys, "copy", postgres_url, tmp_path / "back.sqlite")
    with Workspace.open(tmp_path / "back.sqlite") as ws, Workspace.open(seeded) as original:
        same = (ws.plans(), ws.load(SAMPLE_PLAN), len(ws.measurements(SAMPLE_PLAN))) == (
            original.plans(), original.load(SAMPLE_PLAN), len(original.measurements(SAMPLE_PLAN)))
    assert (there[0], back[0], there[1].split(":")[-1], same) == (
        0, 0, " 2 plans, 24 revisions, 378 measurements, 12 organisations, 13 people, 7 gifts, 0 workshop responses, 0 workshop rooms, 0 settings.\n", True
    )


# ---------------------------------------------------------------- the list of commands


def _top_help(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    return capsys.readouterr().out


def test_help_lists_every_command_on_one_line(capsys):
    lines = _top_help(capsys).splitlines()
    listed = [line.split()[0] for line in lines if line.startswith("    ") and not line[4].isspace()]
    assert listed == list(COMMANDS)


def test_help_lines_fit_80_columns(capsys):
    assert max(map(len, _top_help(capsys).splitlines())) <= 80


def test_help_lists_run_present_and_report():
    assert {"run", "present", "report"} <= set(COMMANDS)


# ---------------------------------------------------------------- lab


@pytest.fixture
def lab(monkeypatch, tmp_path):
    """Run `partnerlib lab` without starting JupyterLab: record what would be run."""
    calls = []
    (tmp_path / "repo" / "notebooks").mkdir(parents=True)
    shutil.copy(series_notebooks()[0], tmp_path / "repo" / "notebooks")
    monkeypatch.setattr(paths, "repo_dir", lambda: tmp_path / "repo")
    monkeypatch.setattr("partnerlib.app.cli._start", lambda line, env: calls.append((line, env)) or 0)
    return calls


def test_lab_seeds_a_new_workspace(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab")
    with Workspace.open(workspace) as ws:
        assert SAMPLE_PLAN in [p.name for p in ws.plans()]


def test_lab_starts_jupyterlab_on_a_working_copy_beside_the_workspace(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab")
    assert lab[0][0][:4] == [sys.executable, "-m", "jupyterlab", str(working_folder(workspace))]


def test_lab_copies_the_notebooks_into_the_working_copy(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab")
    assert sorted(p.name for p in working_folder(workspace).glob("*.ipynb")) == [series_notebooks()[0].name]


def test_lab_finds_the_workbooks_kernel_first(capsys, lab, workspace, monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", "/somewhere/of/the/users")
    run(capsys, "--workspace", workspace, "lab")
    assert lab[0][1]["JUPYTER_PATH"].split(os.pathsep) == [str(JUPYTER_DATA), "/somewhere/of/the/users"]


def test_lab_passes_options_on(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab", "--no-browser", "--port", "8890")
    assert lab[0][0][-3:] == ["--no-browser", "--port", "8890"] or lab[0][0][-4:] == [
        "--no-browser", "--allow-root", "--port", "8890"]


def test_lab_tells_the_notebooks_which_workspace(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab")
    assert lab[0][1][WORKSPACE_ENV] == str(workspace.resolve())


# (option JupyterLab is started with, why)
LAB_OPTIONS = [
    ("--ServerApp.log_level=WARN", "a quiet log that still shows the address"),
    ("--LabApp.log_level=WARN", "no JupyterLab start-up lines"),
    ("--LabApp.news_url=None", "no request for news"),
    ("--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", "no update pop-up"),
    ("notebook_shim=False", "no DeprecationWarning about ServerApp.token"),
]


@pytest.mark.parametrize(("option", "why"), LAB_OPTIONS, ids=[o[1] for o in LAB_OPTIONS])
def test_lab_options_for_non_programmers(capsys, lab, workspace, option, why):
    run(capsys, "--workspace", workspace, "lab")
    assert option in lab[0][0]


def test_lab_reads_the_workbook_settings_before_the_users(capsys, lab, workspace, monkeypatch):
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", "/somewhere/of/the/users")
    run(capsys, "--workspace", workspace, "lab")
    assert lab[0][1]["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [str(LAB_CONFIG), "/somewhere/of/the/users"]


@pytest.mark.slow
def test_jupyterlab_started_by_lab_does_not_ask_about_news(capsys, lab, workspace):
    # The question "Would you like to get notified about official Jupyter news?" is a pop-up a
    # workshop does not need: JupyterLab, started as `partnerlib lab` starts it, answers it with no.
    run(capsys, "--workspace", workspace, "lab")
    line, environment = lab[0]
    port = free_port(None)
    server = subprocess.Popen(
        [*line, "--no-browser", f"--port={port}", "--ServerApp.ip=127.0.0.1", "--IdentityProvider.token="],
        env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_for_server(port, server, timeout=120), "JupyterLab did not start"
        address = f"http://127.0.0.1:{port}/lab/api/settings/@jupyterlab/apputils-extension:notification"
        with urllib.request.urlopen(address, timeout=60) as answer:  # noqa: S310 - our own server on loopback
            settings = json.load(answer)["schema"]["properties"]
    finally:
        server.terminate()  # no kernel was started: the server is the only process
        server.wait(timeout=60)
    assert (settings["fetchNews"]["default"], settings["checkForUpdates"]["default"]) == ("false", False)


def test_lab_passes_no_deprecated_token_option(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab")
    assert [o for o in lab[0][0] if "ServerApp.token" in o or "NotebookApp" in o] == []


def test_lab_options_given_by_the_user_come_last_and_win(capsys, lab, workspace):
    run(capsys, "--workspace", workspace, "lab", "--ServerApp.log_level=INFO")
    assert lab[0][0][-1] == "--ServerApp.log_level=INFO"


def test_lab_allows_root_only_as_root(capsys, lab, workspace, monkeypatch):
    monkeypatch.setattr("partnerlib.app.cli.os.geteuid", lambda: 0)
    run(capsys, "--workspace", workspace, "lab")
    assert "--allow-root" in lab[0][0]


def test_lab_as_a_normal_user(capsys, lab, workspace, monkeypatch):
    monkeypatch.setattr("partnerlib.app.cli.os.geteuid", lambda: 1000)
    run(capsys, "--workspace", workspace, "lab")
    assert "--allow-root" not in lab[0][0]


class Replaced(Exception):
    """Stands for os.execve, which never returns."""


def test_lab_replaces_this_process_with_jupyterlab(monkeypatch):
    from partnerlib.app.cli import _start

    def execve(*args):
        raise Replaced(args)

    monkeypatch.setattr("partnerlib.app.cli.os.name", "posix")
    monkeypatch.setattr("partnerlib.app.cli.os.execve", execve)
    with pytest.raises(Replaced) as caught:
        _start([sys.executable, "-m", "jupyterlab"], {"A": "1"})
    assert caught.value.args[0] == (sys.executable, [sys.executable, "-m", "jupyterlab"], {"A": "1"})


def test_lab_without_notebooks_is_one_line(capsys, workspace, monkeypatch):
    monkeypatch.setattr(paths, "repo_dir", lambda: None)
    code, _, err = run(capsys, "--workspace", workspace, "lab")
    assert (code, err.count("\n"), "notebooks" in err) == (1, 1, True)
