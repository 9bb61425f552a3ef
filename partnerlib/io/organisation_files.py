"""Export a whole organisation to one JSON file and import it into another workspace.

An organisation file holds every live plan of a workspace (each as a plan file's
``plan`` and ``measurements``), and the register once: organisations, people and
gifts::

    {"format": "partnerlib-organisation", "schema_version": 1, "exported_at": "2026-09-30T12:00:00+00:00",
     "plans": [{"format": "partnerlib-plan", "schema_version": 1, "plan": {...}, "measurements": [...]}, ...],
     "organisations": [...], "people": [...], "gifts": [...]}

It is for sharing an organisation's plans with another organisation or a new
workspace, and for keeping them in git: the plans' current versions, not
their histories. ``partnerlib copy`` copies a whole workspace with every
revision instead, between SQLite and PostgreSQL.

Reading it goes through the plan files' checks (:mod:`partnerlib.io.plan_files`):
each plan is checked, and migrated, as a plan file is; nothing is executed; the
file is refused whole, with every problem listed, before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..core.problems import InvalidInput, PlanError, Problem, counted, describe, render
from ..models import Gift, Organisation, Person, merge_register, relinked
from .plan_files import PlanFile, plan_from_json, plan_to_json

if TYPE_CHECKING:
    from .store import Workspace

__all__ = [
    "ORGANISATION_FILE_FORMAT",
    "ORGANISATION_FILE_LIMIT",
    "ORGANISATION_FILE_VERSION",
    "OrganisationFile",
    "WorkspaceImport",
    "export_workspace",
    "import_workspace",
    "read_organisation_file",
]

#: The value of ``format`` in every organisation file.
ORGANISATION_FILE_FORMAT = "partnerlib-organisation"
#: The organisation-file layout this partnerlib writes (and the newest it reads).
ORGANISATION_FILE_VERSION = 1
#: The largest organisation file read by default, in bytes (200 MB).
ORGANISATION_FILE_LIMIT = 200_000_000
_TOP_LEVEL = ("format", "schema_version", "exported_at", "plans", "organisations", "people", "gifts")
_REGISTER = (("organisations", Organisation), ("people", Person), ("gifts", Gift))


@dataclass
class OrganisationFile:
    """The contents of an organisation file, checked.

    Attributes:
        plans: each plan with its measurements (its register lists are empty:
            the register is the file's own, below).
        organisations: the register's organisations.
        people: the register's people.
        gifts: the register's gifts to every plan.
        exported_at: when it was written, as the file says (ISO text, may be empty).
    """

    plans: list[PlanFile]
    organisations: list[Organisation] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    gifts: list[Gift] = field(default_factory=list)
    exported_at: str = ""


def export_workspace(workspace: Workspace | str | os.PathLike[str], path: str | os.PathLike[str]) -> Path:
    """Write every live plan of a workspace, with its measurements, and the register to one file.

    The file is written whole or not at all (a temporary file renamed into place).

    Args:
        workspace: an open Workspace, a workspace file or a PostgreSQL URL.
        path: the file to write (usually ending in ``.json``); replaced if it exists.

    Returns:
        The path written.
    """
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        plans = [json.loads(plan_to_json(ws.load(summary.name).plan, ws.measurements(summary.name)))
                 for summary in ws.plans()]
        register: dict[str, list[Any]] = {"organisations": ws.organisations(), "people": ws.people(),
                                          "gifts": ws.gifts()}
    finally:
        if opened:
            ws.close()
    for document in plans:  # a plan's own file keeps these; here the register is said once, below
        for key in ("exported_at", "organisations", "people", "gifts"):
            document.pop(key)
    document = {
        "format": ORGANISATION_FILE_FORMAT,
        "schema_version": ORGANISATION_FILE_VERSION,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "plans": plans,
        **{key: [record.model_dump(mode="json") for record in records] for key, records in register.items()},
    }
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(document, stream, indent=1, ensure_ascii=False, allow_nan=False)
            stream.write("\n")
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def read_organisation_file(
    path: str | os.PathLike[str], *, max_bytes: int = ORGANISATION_FILE_LIMIT
) -> OrganisationFile:
    """Read and check an organisation file: refuse it whole, with every problem listed, or return it clean.

    Args:
        path: the organisation file.
        max_bytes: the largest file accepted (default 200 MB).

    Raises:
        PlanError: the file is too large, not UTF-8 JSON, not an organisation
            file, or from a newer partnerlib. InvalidInput lists every bad value,
            a plan's by the plan's place in the file and its JSON path in it.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanError.of("no_plan_file", path=str(path)) from None
    source = path.name
    if size > max_bytes:
        raise PlanError.of("organisation_file_too_large", source=source, size=size / 1e6, limit=max_bytes / 1e6)
    try:
        document = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise PlanError.of("organisation_file_not_utf8", source=source, position=exc.start) from None
    except json.JSONDecodeError as exc:
        raise PlanError.of("not_json", source=source, reason=exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise PlanError.of("organisation_nested_too_deeply", source=source) from None
    if not isinstance(document, dict) or document.get("format") != ORGANISATION_FILE_FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise PlanError.of("not_an_organisation_file", source=source, expected=ORGANISATION_FILE_FORMAT, got=found)
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PlanError.of("organisation_schema_version", source=source, got=version)
    if version > ORGANISATION_FILE_VERSION:
        raise PlanError.of("newer_organisation_file", source=source, version=version,
                           newest=ORGANISATION_FILE_VERSION)
    return _checked(document, source)


def _checked(document: dict[str, Any], source: str) -> OrganisationFile:
    """Check the plans and the register of a document; raise InvalidInput listing every problem."""
    problems: list[Problem] = [
        Problem((), "not_in_organisation_file", {"field": key}) for key in document if key not in _TOP_LEVEL
    ]
    lists: dict[str, Any] = {}
    for key in ("plans", *(key for key, _ in _REGISTER)):
        lists[key] = document.get(key, [])
        if not isinstance(lists[key], list):
            problems.append(Problem((), "not_a_list", {"field": key, "kind": type(lists[key]).__name__}))
            lists[key] = []
    plans: list[PlanFile] = []
    for index, entry in enumerate(lists["plans"]):
        try:  # each plan is checked, and brought forward, exactly as a plan file is
            where = render(Problem((), "plan_in_organisation_file", {"source": source, "number": index + 1}))
            plans.append(plan_from_json(json.dumps(entry), source=where))
        except InvalidInput as exc:
            problems += [Problem(("plans", index, *p.path), p.code, p.context) for p in exc.problems]
    records: dict[str, list[Any]] = {}
    for key, model in _REGISTER:
        records[key] = []
        for index, row in enumerate(lists[key]):
            try:
                records[key].append(model.model_validate(row))
            except ValidationError as exc:
                problems += describe(exc, (key, index))
    names = [p.plan.info.name for p in plans]
    problems += [Problem((), "plan_twice", {"got": name}) for name in sorted({n for n in names if names.count(n) > 1})]
    if problems:
        raise InvalidInput(problems, render(Problem((), "cannot_import_file", {"source": source})))
    exported = document.get("exported_at", "")
    return OrganisationFile(plans, records["organisations"], records["people"], records["gifts"],
                            exported if isinstance(exported, str) else "")


@dataclass
class WorkspaceImport:
    """What an organisation file brought into a workspace.

    Attributes:
        plans: the names of the plans added.
        organisations: how many organisations were new to the register.
        people: how many people were new to the register.
        gifts: how many gifts were added.
        merged: how many of the file's organisations and people the register
            already held (by id, or as duplicates by name or email).
    """

    plans: list[str]
    organisations: int
    people: int
    gifts: int
    merged: int

    def __str__(self) -> str:
        context = {
            "plans": counted(len(self.plans), "plans"), "names": self.plans,
            "organisations": counted(self.organisations, "organisations"), "people": counted(self.people, "people"),
            "gifts": counted(self.gifts, "gifts"), "merged": counted(self.merged, "entries"),
        }
        return render(Problem((), "workspace_imported" if self.plans else "workspace_imported_no_plans", context))


def import_workspace(
    workspace: Workspace | str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    author: str = "",
    max_bytes: int = ORGANISATION_FILE_LIMIT,
) -> WorkspaceImport:
    """Add the plans and the register of an organisation file to a workspace.

    The whole file is checked first, and a plan whose name the workspace
    already holds is refused (nothing is written) unless ``replace`` is true;
    then the old plan is deleted softly (it can be brought back). Everything is
    written in one transaction: a refused or failed import leaves the
    workspace as it was. The file's
    organisations and people join the register as a plan file's do
    (:func:`partnerlib.io.plan_files.import_plan`): one the register already
    holds, by id or as a duplicate by name or email, is not added again, and
    the plans and gifts point at the register's entry. Gifts the workspace
    holds (by id) are kept as they are.

    Args:
        workspace: an open Workspace, a workspace file (created if missing) or a PostgreSQL URL.
        path: the organisation file.
        replace: replace plans of the same names.
        author: who imports (shown in the history).
        max_bytes: the largest file accepted (default 200 MB).

    Returns:
        What was added.
    """
    from .store import PlanExists, opened_workspace

    contents = read_organisation_file(path, max_bytes=max_bytes)
    ws, opened = opened_workspace(workspace, create=True)
    try:
        # one transaction: every plan with its measurements, the old plans' deletion and the register, or nothing
        with ws.transaction():
            held = {p.name for p in ws.plans()} & {p.plan.info.name for p in contents.plans}
            if held and not replace:
                raise PlanExists.of("workspace_holds_plans", workspace=ws.name,
                                    names=[repr(name) for name in sorted(held)])
            register = (ws.organisations(), ws.people())
            merged = merge_register(register, (contents.organisations, contents.people))
            for entry in contents.plans:
                ws.create_plan(relinked(entry.plan, merged.ids, *register), author=author,
                               measurements=entry.measurements, replace=entry.plan.info.name in held)
            known_gifts = {g.id for g in ws.gifts()}
            gifts = [gift.model_copy(update={"donor": merged.ids.get(gift.donor, gift.donor)})
                     for gift in contents.gifts if gift.id not in known_gifts]
            ws.save_register(merged.organisations, merged.people, gifts, author=author)
    finally:
        if opened:
            ws.close()
    incoming = len(contents.organisations) + len(contents.people)
    return WorkspaceImport(
        [p.plan.info.name for p in contents.plans], len(merged.organisations), len(merged.people), len(gifts),
        incoming - len(merged.organisations) - len(merged.people),
    )
