"""The ``partnerlib`` command: what a user does outside a notebook.

``partnerlib lab`` opens the workbook in JupyterLab (adding the sample plan to
a new workspace first); ``seed``, ``plans``, ``export``, ``import-plan``,
``import`` and ``import-register`` look after the workspace; ``export-workspace``,
``import-workspace``, ``migrate`` and ``copy`` look after whole workspaces. Every
command takes ``--workspace``: a file, or a PostgreSQL URL
``postgresql://user@host:port/database`` (default: ``$PARTNERLIB_WORKSPACE`` or
``~/.partnerlib/workspace.sqlite``).

A problem is reported as one clear line on stderr with a non-zero exit code;
``--debug`` shows the full traceback instead.

Adding a command is one function and one decorator::

    @command("hello", "Say hello.", argument("who", help="Whom to greet."))
    def _hello(args):
        print(f"Hello, {args.who}")
        return 0
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from ..core import paths
from ..core.formats import plural
from ..core.problems import InvalidInput, PlanError
from ..io.spreadsheets import REGISTER_KINDS, TABLE_KINDS

__all__ = ["main"]

#: Exit codes: a problem the user can fix, and a bug.
EXIT_PROBLEM = 1
EXIT_BUG = 2
#: Characters of a command's summary in ``partnerlib --help`` (one line of 80 columns).
_SUMMARY_WIDTH = 56


class _Command(NamedTuple):
    run: Callable[[argparse.Namespace], int]
    help: str
    arguments: tuple[tuple[tuple[str, ...], dict[str, Any]], ...]
    description: str


#: The commands, in the order ``--help`` lists them.
COMMANDS: dict[str, _Command] = {}


def argument(*flags: str, **options: Any) -> tuple[tuple[str, ...], dict[str, Any]]:
    """Describe one argument of a command, as ``argparse.add_argument`` takes it."""
    return flags, options


def command(
    name: str, help: str, *arguments: tuple[tuple[str, ...], dict[str, Any]], description: str = ""
) -> Callable[[Callable[[argparse.Namespace], int]], Callable[[argparse.Namespace], int]]:
    """Register a function as a subcommand: it takes the parsed arguments and returns the exit code."""

    def register(function: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
        COMMANDS[name] = _Command(function, help, arguments, description or help)
        return function

    return register


# ---------------------------------------------------------------- helpers


def _workspace(args: argparse.Namespace, *, create: bool = False) -> Any:
    from ..io.store import Workspace

    return Workspace.open(args.workspace, create=create)


def _table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Align rows of text under a header, columns separated by two spaces."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = [header, ["-" * w for w in widths], *rows]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in lines)


def _kind_from_name(path: Path) -> str:
    """Guess what a table holds from its file name: ``risks.csv``, ``2026 KPI register.xlsx``.

    >>> _kind_from_name(Path("data/sample_measurements.csv")), _kind_from_name(Path("Risk register.xlsx"))
    ('measurements', 'risks')
    """
    words = {word for word in re.split(r"[^a-z]+", path.stem.lower()) if word}
    found = [kind for kind in TABLE_KINDS if kind in words or kind.removesuffix("s") in words]
    if len(found) == 1:
        return found[0]
    if found:
        raise PlanError.of("file_fits_several_kinds", file=path.name, found=found, kinds=list(TABLE_KINDS))
    raise PlanError.of("file_kind_unknown", file=path.name, kinds=list(TABLE_KINDS))


def _summary(text: str) -> str:
    """The first clause of a command's help, for the list of commands: short enough for one line."""
    short = re.split(r": | \(", text, maxsplit=1)[0].rstrip(".")
    head = short[: _SUMMARY_WIDTH + 2]  # a ", " may end right at the limit
    if len(short) > _SUMMARY_WIDTH and ", " in head:
        short = short[: head.rindex(", ")]
    return short


# ---------------------------------------------------------------- commands


@command(
    "seed",
    "Add the sample plan to the workspace (creating the workspace if needed).",
    argument("--replace", action="store_true", help="Put a fresh copy in place of an existing sample plan."),
)
def _seed(args: argparse.Namespace) -> int:
    from ..io.sample import seed_workspace

    workspace = seed_workspace(args.workspace, replace=args.replace)
    workspace.close()
    print(f"The sample plan {paths.SAMPLE_PLAN!r} is in {paths.shown_workspace(args.workspace)}.")
    return 0


@command(
    "plans",
    "List the plans in the workspace.",
    argument("--deleted", action="store_true", help="Also list deleted plans."),
)
def _plans(args: argparse.Namespace) -> int:
    with _workspace(args) as workspace:
        plans = workspace.plans(include_deleted=args.deleted)
    if not plans:
        print(f"There are no plans in {paths.shown_workspace(args.workspace)} yet: "
              "`partnerlib seed` adds the sample plan.")
        return 0
    rows = [
        [
            p.name + (" (deleted)" if p.deleted else ""),
            p.organisation,
            p.ssu_name,
            p.updated.strftime("%Y-%m-%d %H:%M"),
            str(p.revisions),
        ]
        for p in plans
    ]
    print(_table(rows, ["Plan", "Organisation", "SSU", "Last saved (UTC)", "Revisions"]))
    return 0


@command(
    "export",
    "Write a plan, with its measurements, to one JSON file (or to IATI or DHIS2).",
    argument("plan", help="The plan's name (see `partnerlib plans`)."),
    argument("file", type=Path, help="The file to write, e.g. plan.json, or plan.json.gz compressed "
             "(replaced if it exists)."),
    argument("--format", choices=("json", "iati", "dhis2"), default="json",
             help="json: the whole plan, to import again (default); iati: the plan as an IATI 2.03 "
             "activity with its KPIs as results, to publish; dhis2: the measurements as a DHIS2 "
             "dataValueSet (KPIs with a code only)."),
    argument("--org-unit", default="", help="With --format dhis2: the DHIS2 organisation unit of the values."),
    argument("--data-set", default="", help="With --format dhis2: the DHIS2 data set, if any."),
)
def _export(args: argparse.Namespace) -> int:
    if args.format == "dhis2":
        from ..io.dhis2 import export_dhis2

        written, count, skipped = export_dhis2(args.workspace, args.plan, args.file,
                                               org_unit=args.org_unit, data_set=args.data_set)
        print(f"Wrote {count:,} data values of {args.plan!r} to {written}.")
        if skipped:
            print("Not written (no code to use as the data element; give the KPI a code in step 10): "
                  + ", ".join(skipped))
        return 0
    if args.format == "iati":
        from ..output.iati import export_iati

        written = export_iati(args.workspace, args.plan, args.file)
        print(f"Wrote {args.plan!r} as an IATI activity to {written}.")
        return 0
    from ..io.plan_files import export_plan

    written = export_plan(args.workspace, args.plan, args.file)
    print(f"Wrote {args.plan!r} to {written}.")
    return 0


@command(
    "import-plan",
    "Add a plan from a JSON file made by `partnerlib export` (.json, or .json.gz compressed).",
    argument("file", type=Path, help="The plan file."),
    argument("--name", help="Import the plan under this name instead of the one in the file."),
    argument("--replace", action="store_true",
             help="Replace a plan of the same name (the old one is deleted softly and can be brought back)."),
    argument("--max-mb", type=float,
             help="Refuse files larger than this many MB (default: what this computer's free memory can hold)."),
)
def _import_plan(args: argparse.Namespace) -> int:
    from ..io.plan_files import import_plan

    snapshot = import_plan(
        args.workspace, args.file, name=args.name, replace=args.replace,
        max_bytes=None if args.max_mb is None else int(args.max_mb * 1e6),
    )
    print(f"Imported {snapshot.name!r} into {paths.shown_workspace(args.workspace)}.")
    return 0


@command(
    "import",
    "Import a table from a CSV or xlsx file: risks, candidates, KPIs, measurements or contributions.",
    argument("plan", help="The plan to import into."),
    argument("file", type=Path, help="The .csv or .xlsx file; its first row names the columns."),
    argument("--kind", choices=TABLE_KINDS,
             help="What the file holds (default: guessed from the file name, e.g. risks.csv)."),
    argument("--sheet", help="The xlsx sheet to read (default: the first)."),
    argument("--dayfirst", action="store_true", help="Read dates like 31/03/2026 as day first."),
    argument("--keep-valid", action="store_true",
             help="Write the valid rows even when some rows are rejected (default: all or nothing)."),
    argument("--replace", action="store_true", help="Replace the whole table instead of adding to it."),
    argument("--group-column", metavar="HEADING",
             help="Read this column as the measurements' disaggregation group (e.g. Site)."),
    description="Import a table from a CSV or xlsx file. Nothing is written unless every row is valid "
    "(or --keep-valid is given); the report lists each rejected row by its spreadsheet row number. "
    "A KPI, partner, need or rate may be given by its id, its name or its code.",
)
def _import_table(args: argparse.Namespace) -> int:
    from ..io.spreadsheets import import_table

    kind = args.kind
    if kind is None:
        kind = _kind_from_name(args.file)
        print(f"Reading {args.file.name} as {kind} (guessed from the file name; --kind says otherwise).")
    report = import_table(
        args.workspace, args.plan, args.file, kind, dayfirst=args.dayfirst,
        keep_valid=args.keep_valid, mode="replace" if args.replace else "append", sheet=args.sheet,
        columns={args.group_column: "group"} if args.group_column else None,
    )
    print(report)
    return EXIT_PROBLEM if report.rejected and not report.written else 0


#: Words in a file's name that say which register it holds: CiviCRM names its contribution
#: export "CiviCRM_Contribution_Search.csv".
_REGISTER_WORDS = {"gift": "gifts", "gifts": "gifts", "contribution": "gifts", "contributions": "gifts",
                   "donation": "gifts", "donations": "gifts", "contact": "contacts", "contacts": "contacts",
                   "people": "contacts"}


@command(
    "import-register",
    "Import gifts or contacts into the register: from a CSV or xlsx file, such as a CiviCRM export.",
    argument("file", type=Path, help="The .csv or .xlsx file; its first row names the columns."),
    argument("--kind", choices=REGISTER_KINDS,
             help="What the file holds (default: guessed from the file name, e.g. gifts.csv or contacts.csv)."),
    argument("--plan", help="The SSU plan the gifts are for (see `partnerlib plans`); required for gifts."),
    argument("--sheet", help="The xlsx sheet to read (default: the first)."),
    argument("--dayfirst", action="store_true", help="Read dates like 31/03/2026 as day first."),
    argument("--keep-valid", action="store_true",
             help="Write the valid rows even when some are rejected (default: all or nothing)."),
    description="Import gifts or contacts into the organisation's register, shared by every plan. A CiviCRM "
    "contribution or contact export is read as CiviCRM writes it. Each donor, and each contact's organisation, "
    "is found in the register by name or email, or added to it. Importing the same file again updates instead "
    "of doubling. Nothing is written unless every row is valid (or --keep-valid is given).",
)
def _import_register(args: argparse.Namespace) -> int:
    from ..io.spreadsheets import import_register

    kind = args.kind
    if kind is None:
        words = {word for word in re.split(r"[^a-z]+", args.file.stem.lower()) if word}
        found = sorted({_REGISTER_WORDS[word] for word in words if word in _REGISTER_WORDS})
        if len(found) != 1:
            raise PlanError.of("register_file_kind_unknown", file=args.file.name)
        kind = found[0]
        print(f"Reading {args.file.name} as {kind} (guessed from the file name; --kind says otherwise).")
    report = import_register(args.workspace, args.file, kind, plan=args.plan, dayfirst=args.dayfirst,
                             keep_valid=args.keep_valid, sheet=args.sheet)
    print(report)
    return EXIT_PROBLEM if report.rejected and not report.written else 0


@command(
    "import-dhis2",
    "Import measurements from a DHIS2 dataValueSet (JSON), matching data elements to KPI codes.",
    argument("plan", help="The plan to import into."),
    argument("file", type=Path, help="The .json file exported from DHIS2 (/api/dataValueSets.json)."),
    argument("--keep-valid", action="store_true",
             help="Write the valid values even when some are refused (default: all or nothing)."),
    argument("--summary", type=Path, metavar="FILE", help="Also write DHIS2's import summary JSON here."),
    description="Import measurements from a DHIS2 dataValueSet. A data element is a KPI's code (or name or "
    "id); a period becomes its last day; a category option combo is the group. Nothing is written unless "
    "every value is valid (or --keep-valid is given).",
)
def _import_dhis2(args: argparse.Namespace) -> int:
    import json

    from ..io.dhis2 import import_dhis2

    summary = import_dhis2(args.workspace, args.plan, args.file, keep_valid=args.keep_valid)
    print(summary)
    if args.summary:
        args.summary.write_text(json.dumps(summary.as_json(), indent=1) + "\n", encoding="utf-8")
    return EXIT_PROBLEM if summary.status == "ERROR" else 0


@command(
    "import-kobo",
    "Import measurements from a KoboToolbox export (xlsx or CSV), a question per KPI.",
    argument("plan", help="The plan to import into."),
    argument("file", type=Path, help="The .xlsx (all sheets, repeat groups too) or .csv export."),
    argument("--mapping", type=Path, metavar="YAML",
             help="Which question is which KPI (kpis: {question: KPI}), and the date and group questions. "
             "Without it, questions named as KPI codes are read, dated by their submission time."),
    argument("--keep-valid", action="store_true",
             help="Write the valid answers even when some are refused (default: all or nothing)."),
    description="Import measurements from a KoboToolbox export. Answers of one KPI on one date and group "
    "become one measurement; importing a later export of the same form updates them.",
)
def _import_kobo(args: argparse.Namespace) -> int:
    from ..io.kobo import import_kobo

    report = import_kobo(args.workspace, args.plan, args.file, args.mapping, keep_valid=args.keep_valid)
    print(report)
    return EXIT_PROBLEM if report.rejected and not report.written else 0


@command(
    "export-workspace",
    "Write every plan and the register to one JSON file: to share or keep the whole organisation.",
    argument("file", type=Path, help="The file to write, e.g. organisation.json (replaced if it exists)."),
    description="Write every plan of the workspace (its current version and measurements) and the register "
    "(organisations, people and gifts) to one JSON file, to share with another workspace or keep in git. "
    "`partnerlib copy` copies a whole workspace with every revision instead.",
)
def _export_workspace(args: argparse.Namespace) -> int:
    from ..io.organisation_files import export_workspace

    written = export_workspace(args.workspace, args.file)
    print(f"Wrote every plan of {paths.shown_workspace(args.workspace)} and the register to {written}.")
    return 0


@command(
    "import-workspace",
    "Add the plans and the register of an organisation file (made by `partnerlib export-workspace`).",
    argument("file", type=Path, help="The organisation file."),
    argument("--replace", action="store_true",
             help="Replace plans of the same names (the old ones are deleted softly and can be brought back)."),
    argument("--max-mb", type=float, default=200.0, help="Refuse files larger than this many MB (default 200)."),
    description="Add the plans and the register of an organisation file to the workspace. Its organisations "
    "and people join the register: one already there (same name, or a person's same email) is not added "
    "again, and the plans point at it. Nothing is written unless the whole file is valid and no plan name "
    "is taken (or --replace is given).",
)
def _import_workspace(args: argparse.Namespace) -> int:
    from ..io.organisation_files import import_workspace

    summary = import_workspace(args.workspace, args.file, replace=args.replace, max_bytes=int(args.max_mb * 1e6))
    print(f"{summary} Into {paths.shown_workspace(args.workspace)}.")
    return 0


@command(
    "template",
    "Write a spreadsheet to fill in and import: the plan's names in dropdown lists.",
    argument("plan", help="The plan whose names fill the lists."),
    argument("kind", choices=TABLE_KINDS, help="What the spreadsheet is for."),
    argument("file", type=Path, help="The .xlsx file to write (replaced if it exists)."),
    description="Write an xlsx template for one kind of table: a column per field with a help row, dropdown "
    "lists of the plan's KPIs, partners, needs and rates and of each field's choices, and checked dates and "
    "numbers. Fill it in and read it back with `partnerlib import PLAN FILE --kind KIND`.",
)
def _template(args: argparse.Namespace) -> int:
    from ..io.templates import write_template

    with _workspace(args) as workspace:
        plan = workspace.load(args.plan).plan
    written = write_template(plan, args.kind, args.file)
    print(f"Wrote the {args.kind} template of {args.plan!r} to {written}.")
    return 0


@command(
    "report",
    "Write the plan document (or, with --portfolio, the organisation's): a web page and/or a spreadsheet.",
    argument("plan", nargs="?", help="The plan's name (see `partnerlib plans`); not with --portfolio."),
    argument("--portfolio", action="store_true",
             help="Write the organisation document instead: every plan side by side, and the register."),
    argument("--html", type=Path, metavar="FILE",
             help="The web page to write, e.g. plan.html (replaced if it exists)."),
    argument("--xlsx", type=Path, metavar="FILE",
             help="The spreadsheet to write, e.g. plan.xlsx (replaced if it exists)."),
    description="Write a plan's document: cover, executive summary, every step's tables and charts, and what "
    "is still missing, read at the plan's date with its measurements. With --portfolio, write the "
    "organisation document: every plan's readiness and headline figures side by side, budgets against gifts, "
    "shared partners and contacts not reached. Give --html, --xlsx or both.",
)
def _report(args: argparse.Namespace) -> int:
    if args.html is None and args.xlsx is None:
        raise PlanError.of("report_needs_a_file")
    if args.portfolio:
        if args.plan is not None:
            raise PlanError.of("portfolio_names_no_plan")
        _write_portfolio(args)
    elif args.plan is None:
        raise PlanError.of("report_needs_a_plan")
    else:
        from ..output.document import report_from_workspace

        report_from_workspace(args.workspace, args.plan, html=args.html, xlsx=args.xlsx)
    for written in (args.html, args.xlsx):
        if written is not None:
            print(f"Wrote {written}.")
    return 0


def _write_portfolio(args: argparse.Namespace) -> None:
    from ..io.store import Workspace
    from ..output.portfolio import report_portfolio

    with Workspace.open(args.workspace, create=False) as workspace:
        report_portfolio(workspace, html=args.html, xlsx=args.xlsx)


@command(
    "lab",
    "Open the workbook's notebooks in JupyterLab (adds the sample plan to a new workspace).",
    argument("--no-browser", action="store_true", help="Do not open a browser (print the address instead)."),
    description="Open the workbook's notebooks in JupyterLab. Options after the command that partnerlib "
    "does not know (e.g. --port 8890) are passed on to JupyterLab.",
)
def _lab(args: argparse.Namespace) -> int:
    from ..ui.workbook import open_workspace
    from .kernel import jupyter_environment
    from .working_copy import refresh_working_copy, working_folder

    top = paths.repo_dir()
    if top is None:
        raise PlanError.of("notebooks_not_found")
    with open_workspace(args.workspace) as workspace:  # seeds the sample plan into a new workspace
        count = len(workspace.plans())
    folder = working_folder(args.workspace)
    for line in refresh_working_copy(folder, top / "notebooks"):
        print(line)
    print(f"Your workspace: {paths.shown_workspace(args.workspace)} ({count} plan{'' if count == 1 else 's'}).")
    print(f"Your notebooks: {folder} (a working copy of the workbook's; save and change them freely).")
    command = [sys.executable, "-m", "jupyterlab", str(folder), *_LAB_OPTIONS]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")
    command += args.passed_on
    config_path = os.pathsep.join(filter(None, [str(LAB_CONFIG), os.environ.get("JUPYTER_CONFIG_PATH")]))
    environment = jupyter_environment() | {
        paths.WORKSPACE_ENV: str(paths.resolved_workspace(args.workspace)),
        "JUPYTER_CONFIG_PATH": config_path,
    }
    return _start(command, environment)


#: Jupyter configuration for the workbook's JupyterLab, looked up before the user's own:
#: labconfig/default_setting_overrides.json answers "Would you like to get notified about
#: official Jupyter news?" with no, once for everyone, so no one is asked about a feed they do
#: not need. A user can still turn the news on in JupyterLab's settings.
LAB_CONFIG = Path(__file__).with_name("jupyter_config")

#: JupyterLab options for people who are not programmers (jupyter_server 2, JupyterLab 4): warnings
#: and the address only, no request for news (``news_url=None``) and no check for updates.
#: notebook_shim only carries classic-notebook settings over, which JupyterLab does not
#: need, and it reads the deprecated ``ServerApp.token`` while linking, which printed a
#: DeprecationWarning. Options given after ``partnerlib lab`` come later and win.
_LAB_OPTIONS = (
    "--ServerApp.log_level=WARN",
    "--LabApp.log_level=WARN",
    "--ServerApp.jpserver_extensions", "notebook_shim=False",
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
)


def _start(line: list[str], environment: dict[str, str]) -> int:
    """Run a program in place of this one (POSIX), so signals reach it; elsewhere wait for it.

    JupyterLab then is the process a service manager or a terminal stops: on SIGTERM, SIGINT
    or SIGHUP it shuts its kernels down itself and frees its port.
    """
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(line[0], line, environment)  # does not return
    return subprocess.call(line, env=environment)


@command(
    "run",
    "Run every step for a plan without opening the notebooks, keeping the executed notebooks.",
    argument("plan", help="The plan's name (see `partnerlib plans`)."),
    argument("--out", type=Path, metavar="DIR",
             help="Where to write the executed notebooks (default: runs/<plan> next to the workspace file, "
             "e.g. ~/.partnerlib/runs/riverside-community-health)."),
    argument("--only", nargs="+", action="extend", default=[], metavar="STEP",
             help="Run only these steps, named by the start of their file name (e.g. --only 06 07_community)."),
    description="Run every step of the workbook for one plan, without a browser, and write each executed "
    "notebook (with its tables and charts) to a folder. Stops at the first step that fails and names it.",
)
def _run(args: argparse.Namespace) -> int:
    from .series import (
        run_folder,
        run_series,
        select_steps,
        series_notebooks,
    )

    with _workspace(args) as workspace:
        workspace.load(args.plan)  # an unknown plan is named before any step runs
    steps = select_steps(series_notebooks(), args.only)
    out = args.out or run_folder(args.workspace, args.plan)
    written = run_series(workspace=args.workspace, plan=args.plan, out_dir=out, notebooks=steps)
    print(f"Ran {plural(len(written), 'step')} for {args.plan!r}: "
          f"the executed notebooks are in {out}.")
    return 0


@command(
    "present",
    "Show the workbook in the browser with Voilà, for a workshop: explanations, forms and results, no code.",
    argument("--port", type=int, help="The port to serve on (default: 8866, or a free one if it is taken)."),
    argument("--no-browser", action="store_true", help="Do not open a browser (print the address instead)."),
    description="Show the workbook with Voilà on this computer (127.0.0.1), starting at the first step, "
    "with the code hidden. Saved answers go to the workspace, and the results below a form follow each "
    "Save. The pages are a working copy of the notebooks in a 'workbook' folder beside the workspace. "
    "Press Ctrl+C to stop.",
)
def _present(args: argparse.Namespace) -> int:
    from .present import present

    return present(args.workspace, port=args.port, open_browser=not args.no_browser)


@command(
    "workshop",
    "Open a workshop room for a plan: participants answer from their own devices, you see the room live.",
    argument("plan", help="The plan's name (see `partnerlib plans`)."),
    argument("--share", action="store_true",
             help="Listen on this computer's local network address, so phones and laptops in the room can join."),
    argument("--port", type=int, default=0, help="The port to serve on (default: 8870, or a free one if it is taken)."),
    argument("--base-url", metavar="PATH",
             help="The path every address of the room starts with, behind a proxy (default: "
             "$JUPYTERHUB_SERVICE_PREFIX when JupyterHub runs the room as a service, else /)."),
    argument("--new-room", action="store_true",
             help="Open a new room with new links, instead of going on with the plan's last room."),
    argument("--links", action="store_true",
             help="Only print the links of the plan's room, which may be running elsewhere (a room JupyterHub "
             "runs as a service prints them to the hub's log), and stop."),
    argument("--at", metavar="ADDRESS",
             help="With --links: the room's address as people reach it, for example "
             "https://hub.example.org/services/workshop/ (default: where this command would serve it)."),
    description="Open a workshop room for one plan. It prints two links: the facilitator's page (keep it to "
    "yourself) and the participants' join link, also shown there as a QR code. Without --share the room "
    "is reachable from this computer only. Press Ctrl+C to close it; answers are saved as they arrive. "
    "Started again, the room goes on with the same links and its activities open or closed as they were.",
)
def _workshop(args: argparse.Namespace) -> int:
    from .room.server import print_room_links, run_room

    with _workspace(args) as workspace:
        if args.links:
            return print_room_links(workspace, args.plan, at=args.at, share=args.share, port=args.port,
                                    base_url=args.base_url)
        return run_room(workspace, args.plan, share=args.share, port=args.port, base_url=args.base_url,
                        new=args.new_room)


@command(
    "migrate",
    "Create or bring up to date a workspace's tables (a file, or a PostgreSQL database).",
    argument("target", type=paths.workspace_target, metavar="WORKSPACE",
             help="The workspace: a file, or postgresql://user@host:port/database."),
    description="Create a workspace's tables, or bring those of an older partnerlib up to date, in one "
    "transaction. Opening a workspace does this too; run it on a shared PostgreSQL workspace before the "
    "first users arrive, or after updating partnerlib (take a pg_dump first).",
)
def _migrate(args: argparse.Namespace) -> int:
    from ..io.migrations import SCHEMA_VERSION
    from ..io.store import Workspace

    with Workspace.open(args.target) as workspace:
        found, where = workspace.found_version, workspace.location
    if found == SCHEMA_VERSION:
        print(f"The workspace {where} is up to date (layout version {SCHEMA_VERSION}).")
    elif found == 0:
        print(f"Made the workspace's tables in {where} (layout version {SCHEMA_VERSION}).")
    else:
        print(f"Brought the workspace {where} from layout version {found} to {SCHEMA_VERSION}.")
    return 0


@command(
    "copy",
    "Copy a whole workspace into a new one, between SQLite and PostgreSQL either way.",
    argument("source", type=paths.workspace_target, help="The workspace to copy (a file or a URL)."),
    argument("destination", type=paths.workspace_target,
             help="A new workspace: a file not yet made, or an empty PostgreSQL database."),
    description="Copy a whole workspace into a new one: every plan (deleted ones too) with all its "
    "revisions, authors, times and notes, the measurements, shared organisations and people, and the "
    "settings. The source is only read; the copy is all or nothing.",
)
def _copy(args: argparse.Namespace) -> int:
    from ..io.store import copy_workspace

    counts = copy_workspace(args.source, args.destination)
    print(f"Copied {paths.shown_workspace(args.source)} to {paths.shown_workspace(args.destination)}: "
          f"{counts['plans']} plans, {counts['revisions']} revisions, {counts['measurements']} measurements, "
          f"{counts['organisations']} organisations, {counts['people']} people, {counts['gifts']} gifts, "
          f"{counts['responses']} workshop responses, {counts['rooms']} workshop rooms, {counts['meta']} settings.")
    return 0


# ---------------------------------------------------------------- parser and main


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--workspace", type=paths.workspace_target, default=argparse.SUPPRESS, metavar="PATH|URL",
        help="The workspace: a file, or postgresql://user@host:port/database "
        "(default: $PARTNERLIB_WORKSPACE or ~/.partnerlib/workspace.sqlite).",
    )
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                        help="Show the full traceback when something goes wrong.")
    parser = argparse.ArgumentParser(
        prog="partnerlib",
        description="Plan a strategic partnership: open the workbook, list, export and import plans.",
        parents=[common],
        epilog="Run `partnerlib COMMAND --help` for the options of one command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", title="commands")
    for name, spec in COMMANDS.items():
        sub = commands.add_parser(name, help=_summary(spec.help), description=spec.description, parents=[common])
        for flags, options in spec.arguments:
            sub.add_argument(*flags, **options)
        sub.set_defaults(run=spec.run)
    return parser


def _one_line(error: BaseException) -> str:
    """Say what went wrong in words, without a traceback."""
    if isinstance(error, OSError) and error.strerror:
        where = f": {error.filename}" if error.filename else ""
        return f"{error.strerror}{where}"
    if isinstance(error, InvalidInput):
        return str(error)
    return " ".join(str(error).split()) or type(error).__name__


def _no_workspace(error: BaseException, workspace: paths.WorkspaceTarget) -> bool:
    """True when a command failed because the workspace file has not been made yet."""
    from ..io.store import WorkspaceError

    if paths.is_database_url(workspace):
        return False
    path = Path(workspace)
    return isinstance(error, WorkspaceError) and not (path.exists() and path.stat().st_size > 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``partnerlib`` command with these arguments (default: the command line).

    Args:
        argv: the arguments after the program name.

    Returns:
        The exit code: 0 when all went well, 1 for a problem the user can fix
        (explained on stderr), 2 for an unexpected error.
    """
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command != "lab":
        parser.error(f"unrecognised arguments: {' '.join(unknown)}")
    args.passed_on = [a for a in unknown if a != "--"]
    args.workspace = getattr(args, "workspace", None) or paths.default_workspace()
    args.debug = getattr(args, "debug", False)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("partnerlib: interrupted.", file=sys.stderr)
        return 130
    except (PlanError, OSError) as error:
        if args.debug:
            traceback.print_exc()
        elif _no_workspace(error, args.workspace):
            print(
                f"partnerlib: There is no workspace at {args.workspace} yet. Run `partnerlib seed` to "
                "create one with the sample plan, or `partnerlib lab` to start.",
                file=sys.stderr,
            )
        else:
            print(f"partnerlib: {_one_line(error)}", file=sys.stderr)
        return EXIT_PROBLEM
    except Exception as error:  # a bug: say so plainly, the traceback is one flag away
        if args.debug:
            traceback.print_exc()
        else:
            print(
                f"partnerlib: unexpected error ({type(error).__name__}: {_one_line(error)}); "
                "run again with --debug to see where.",
                file=sys.stderr,
            )
        return EXIT_BUG


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
