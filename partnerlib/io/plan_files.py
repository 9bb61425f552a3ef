"""Export a plan to one JSON file and import it back: for sharing, backups and git.

A plan file holds one plan, its KPI measurements, the shared organisations
and people its candidates and donors are, and the gifts to the plan::

    {"format": "partnerlib-plan", "schema_version": 1, "exported_at": "2026-09-30T12:00:00+00:00",
     "plan": {...}, "measurements": [{"kpi", "date", "value", "group", "source"}, ...],
     "organisations": [...], "people": [...], "gifts": [...]}

Reading a file executes nothing: it is parsed with ``json.loads`` only, refused
before reading when larger than a limit (50 MB by default), and every value
goes through the same model checks as a form. A problem is reported with the
JSON path of the bad value, e.g. ``$.plan.risks.risks[3].impact: 'impact' must
be between 1 and 5 (got 9)``, and all problems are listed at once.

Files written by an older partnerlib are brought forward by the steps in
:data:`PLAN_FILE_MIGRATIONS` (applied to the raw JSON, before checking); a
file from a newer partnerlib is refused.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from ..core.problems import InvalidInput, PlanError, Problem, describe, render
from ..models import (
    MEASUREMENT_COLUMNS,
    REQUIRED_MEASUREMENT_COLUMNS,
    Gift,
    Organisation,
    Person,
    Plan,
    merge_register,
    no_measurements,
    register_entries,
    relinked,
)

if TYPE_CHECKING:
    import pandas as pd

    from .store import Snapshot, Workspace

__all__ = [
    "PLAN_FILE_FORMAT",
    "PLAN_FILE_LIMIT",
    "PLAN_FILE_MIGRATIONS",
    "PLAN_FILE_VERSION",
    "PlanFile",
    "export_plan",
    "import_plan",
    "plan_from_json",
    "plan_to_json",
    "read_plan_file",
]

#: The value of ``format`` in every plan file.
PLAN_FILE_FORMAT = "partnerlib-plan"
#: The plan-file layout this partnerlib writes (and the newest it reads).
PLAN_FILE_VERSION = 1
#: The largest plan file read by default, in bytes (50 MB).
PLAN_FILE_LIMIT = 50_000_000
#: Problems listed in one error at most (the rest are counted).
_PROBLEMS_SHOWN = 50
_TOP_LEVEL = (
    "format", "schema_version", "exported_at", "plan", "measurements", "organisations", "people", "gifts",
)


def _v0_to_v1(document: dict[str, Any]) -> dict[str, Any]:
    """Version 0 called a risk's likelihood "probability" (and the residual one "residual_probability")."""
    plan = document.get("plan")
    section = plan.get("risks") if isinstance(plan, dict) else None
    risks = section.get("risks") if isinstance(section, dict) else None
    for risk in risks if isinstance(risks, list) else []:
        if not isinstance(risk, dict):
            continue
        for old, new in (("probability", "likelihood"), ("residual_probability", "residual_likelihood")):
            if old in risk and new not in risk:
                risk[new] = risk.pop(old)
    return document | {"schema_version": 1}


#: Steps that bring an older plan file forward: version → function taking the
#: raw JSON document of that version and returning it at the next version.
#: Never edit a released step; add one for each new version.
PLAN_FILE_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {0: _v0_to_v1}


@dataclass
class PlanFile:
    """The contents of a plan file, checked.

    Attributes:
        plan: the plan.
        measurements: its KPI measurements: columns kpi, date (datetime64),
            value (float), group, source.
        organisations: shared organisations the plan refers to.
        people: shared people at those organisations.
        gifts: the register's gifts to this plan.
        schema_version: the version the file was written in (before migration).
        exported_at: when it was written, as the file says (ISO text, may be empty).
    """

    plan: Plan
    measurements: pd.DataFrame
    organisations: list[Organisation]
    people: list[Person]
    gifts: list[Gift] = field(default_factory=list)
    schema_version: int = PLAN_FILE_VERSION
    exported_at: str = ""


class _JsonProblem(Problem):
    """A Problem whose place is shown as a JSON path: ``$.plan.risks.risks[3].impact``."""

    __slots__ = ()

    def __str__(self) -> str:
        field = self.field
        return f"{_json_path(self.path + ((field,) if field else ()))}: {render(self)}"


def _json_path(path: Sequence[str | int]) -> str:
    """Write a path of keys and indexes as JSON path text.

    >>> _json_path(("plan", "risks", "risks", 3, "impact"))
    '$.plan.risks.risks[3].impact'
    """
    text = "$"
    for key in path:
        if isinstance(key, int):
            text += f"[{key}]"
        elif key.isidentifier():
            text += f".{key}"
        else:
            text += f"[{json.dumps(key)}]"
    return text


def _model_problems(exc: ValidationError, prefix: tuple[str | int, ...]) -> list[Problem]:
    """A model's problems (see :func:`partnerlib.core.problems.describe`), shown at their full JSON path."""
    return [_JsonProblem(*problem) for problem in describe(exc, prefix)]


# ---------------------------------------------------------------- writing


def plan_to_json(
    plan: Plan,
    measurements: pd.DataFrame | None = None,
    organisations: Iterable[Organisation] = (),
    people: Iterable[Person] = (),
    gifts: Iterable[Gift] = (),
    *,
    exported_at: dt.datetime | None = None,
) -> str:
    """Write a plan, its measurements and shared records as plan-file JSON text.

    The text is indented and keeps the models' field order, so two versions
    of a plan compare well line by line (in git, for example).

    >>> text = plan_to_json(Plan(), exported_at=dt.datetime(2026, 9, 30, tzinfo=dt.UTC))
    >>> json.loads(text)["format"], json.loads(text)["exported_at"]
    ('partnerlib-plan', '2026-09-30T00:00:00+00:00')

    Args:
        plan: the plan.
        measurements: its measurements (columns kpi, date, value, optionally
            group and source), or None for none.
        organisations: shared organisations to include.
        people: shared people to include.
        gifts: the plan's gifts to include.
        exported_at: the moment written into the file (default: now, UTC).

    Returns:
        The JSON text.
    """
    moment = exported_at or dt.datetime.now(dt.UTC)
    document = {
        "format": PLAN_FILE_FORMAT,
        "schema_version": PLAN_FILE_VERSION,
        "exported_at": moment.isoformat(timespec="seconds"),
        "plan": plan.model_dump(mode="json"),
        "measurements": _measurement_records(measurements),
        "organisations": [o.model_dump(mode="json") for o in organisations],
        "people": [p.model_dump(mode="json") for p in people],
        "gifts": [g.model_dump(mode="json") for g in gifts],
    }
    return json.dumps(document, indent=1, ensure_ascii=False, allow_nan=False) + "\n"


def _measurement_records(frame: pd.DataFrame | None) -> list[dict[str, Any]]:
    import pandas as pd

    if frame is None or frame.empty:
        return []
    table = pd.DataFrame(
        {
            "kpi": frame["kpi"].astype(str),
            "date": pd.to_datetime(frame["date"]).dt.strftime("%Y-%m-%d"),
            "value": frame["value"].astype("float64"),
            "group": frame["group"].fillna("").astype(str) if "group" in frame else "",
            "source": frame["source"].fillna("").astype(str) if "source" in frame else "",
        }
    )
    return table.to_dict("records")


def export_plan(workspace: Workspace | str | os.PathLike[str], name: str, path: str | os.PathLike[str]) -> Path:
    """Write a plan of a workspace, with its measurements, to one plan file.

    The register entries the plan points at go into the file too (its
    candidates' and stakeholders' organisations, its governance members, its
    gifts and their donors, and the people at those organisations), so the
    plan keeps its names and links in another workspace. The file is written
    whole or not at all (a temporary file renamed into place).

    Args:
        workspace: an open Workspace, or the path of a workspace file.
        name: the plan's name.
        path: the file to write (usually ending in ``.json``); replaced if it exists.

    Returns:
        The path written.
    """
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=False)
    try:
        plan = ws.load(name).plan
        measurements = ws.measurements(name)
        gifts = ws.gifts(name)
        organisations, people = register_entries(plan, gifts, ws.organisations(), ws.people())
    finally:
        if opened:
            ws.close()
    text = plan_to_json(plan, measurements, organisations, people, gifts)
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


# ---------------------------------------------------------------- reading


def read_plan_file(path: str | os.PathLike[str], *, max_bytes: int = PLAN_FILE_LIMIT) -> PlanFile:
    """Read and check a plan file: refuse it whole, with every problem listed, or return it clean.

    The size is checked before anything is read; the text is parsed as JSON
    only (nothing in it is ever run); an older layout is migrated; then the
    plan, every measurement and every shared record is checked.

    Args:
        path: the plan file.
        max_bytes: the largest file accepted (default 50 MB).

    Returns:
        The plan, its measurements, organisations and people.

    Raises:
        PlanError: the file is too large, not UTF-8 JSON, not a plan file, or
            from a newer partnerlib. InvalidInput (a PlanError) lists every bad
            value with its JSON path.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanError(f"There is no file {path}.") from None
    if size > max_bytes:
        raise PlanError(
            f"{path.name} is {size / 1e6:,.1f} MB, more than the {max_bytes / 1e6:,.1f} MB a plan "
            "file may be; nothing was read. If you trust the file, raise the size limit (--max-mb)."
        )
    with path.open("rb") as stream:
        data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:  # the file grew after the check
        raise PlanError(f"{path.name} is more than the {max_bytes / 1e6:,.1f} MB a plan file may be.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError(f"{path.name} is not UTF-8 text (byte {exc.start:,} cannot be read).") from None
    return plan_from_json(text, source=path.name)


def plan_from_json(text: str, *, source: str = "the plan file") -> PlanFile:
    """Check plan-file JSON text and return its contents (see :func:`read_plan_file`).

    >>> plan_from_json(plan_to_json(Plan())).plan == Plan()
    True

    Args:
        text: the JSON text.
        source: what to call the text in messages (usually the file name).

    Returns:
        The plan, its measurements, organisations and people.
    """
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(
            f"{source} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        ) from None
    except RecursionError:
        raise PlanError(f"{source} is nested too deeply to be a plan file.") from None
    if not isinstance(document, dict) or document.get("format") != PLAN_FILE_FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise PlanError(
            f"{source} is not a partnerlib plan file ('format' must be {PLAN_FILE_FORMAT!r}, "
            f"got {found!r})."
        )
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise PlanError(f"{source}: $.schema_version must be a whole number (got {version!r}).")
    if version > PLAN_FILE_VERSION:
        raise PlanError(
            f"{source} was written by a newer partnerlib (plan file version {version}; this one "
            f"reads up to version {PLAN_FILE_VERSION}): update partnerlib to import it."
        )
    for step in range(version, PLAN_FILE_VERSION):
        document = PLAN_FILE_MIGRATIONS[step](document)
    return _checked(document, version, source)


def _checked(document: dict[str, Any], version: int, source: str) -> PlanFile:
    """Check every part of a (current-version) document; raise InvalidInput listing all problems."""
    problems: list[Problem] = [
        _JsonProblem((), "not_in_plan_file", {"field": key}) for key in document if key not in _TOP_LEVEL
    ]
    plan = None
    if "plan" not in document:
        problems.append(_JsonProblem((), "missing", {"field": "plan"}))
    else:
        try:
            plan = Plan.model_validate(document["plan"])
        except ValidationError as exc:
            problems += _model_problems(exc, ("plan",))
    records: dict[str, list[Any]] = {}
    for key, model in (("organisations", Organisation), ("people", Person), ("gifts", Gift)):
        records[key] = []
        rows = _list(document, key, problems)
        for index, row in enumerate(rows):
            try:
                records[key].append(model.model_validate(row))
            except ValidationError as exc:
                problems += _model_problems(exc, (key, index))
    kpis = {k.id for k in plan.monitoring.kpis} if plan else None
    measurements = _measurements(_list(document, "measurements", problems), kpis, problems)
    if problems:
        shown = problems[:_PROBLEMS_SHOWN]
        if len(problems) > _PROBLEMS_SHOWN:
            shown.append(Problem((), "more_problems", {"count": len(problems) - _PROBLEMS_SHOWN}))
        raise InvalidInput(shown, f"{source} cannot be imported")
    assert plan is not None
    exported = document.get("exported_at", "")
    return PlanFile(
        plan, measurements, records["organisations"], records["people"], records["gifts"], version,
        exported if isinstance(exported, str) else "",
    )


def _list(document: dict[str, Any], key: str, problems: list[Problem]) -> list[Any]:
    value = document.get(key, [])
    if isinstance(value, list):
        return value
    problems.append(_JsonProblem((), "not_a_list", {"field": key, "kind": type(value).__name__}))
    return []


def _measurements(rows: list[Any], kpis: set[str] | None, problems: list[Problem]) -> pd.DataFrame:
    """Check the measurements column by column (there may be a million) and return them clean."""
    import pandas as pd

    from .spreadsheets import measurements_frame

    empty = no_measurements()
    if not rows:
        return empty
    not_objects = [i for i, row in enumerate(rows) if not isinstance(row, dict)]
    for index in not_objects[:_PROBLEMS_SHOWN]:
        problems.append(_JsonProblem(("measurements", index), "not_an_object"))
    if not_objects:
        return empty
    frame = pd.DataFrame.from_records(rows)
    for column in frame.columns:
        if column not in MEASUREMENT_COLUMNS:
            for index in frame.index[frame[column].notna()][:_PROBLEMS_SHOWN]:
                problems.append(_JsonProblem(("measurements", int(index)), "extra_forbidden",
                                             {"field": str(column)}))
    for column in REQUIRED_MEASUREMENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    clean, bad = measurements_frame(frame)
    for index, found in bad.items():
        problems += [_JsonProblem(("measurements", int(index)), p.code, p.context) for p in found]
    if kpis is not None:
        unknown = ~clean["kpi"].isin(kpis)
        for index, kpi in clean.loc[unknown, "kpi"].items():
            problems.append(_JsonProblem(("measurements", int(index)), "unknown_kpi",
                                         {"field": "kpi", "got": kpi, "known": sorted(kpis)}))
    return clean.reset_index(drop=True)


# ---------------------------------------------------------------- importing


def import_plan(
    workspace: Workspace | str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    replace: bool = False,
    author: str = "",
    max_bytes: int = PLAN_FILE_LIMIT,
) -> Snapshot:
    """Add the plan of a plan file to a workspace, with its measurements and shared records.

    Nothing is written unless the whole file is valid. A plan of the same
    name is refused unless ``name`` gives another one or ``replace`` is true;
    then the old plan is deleted softly (it can be brought back). The file's
    organisations and people join the workspace's register: one the register
    already holds (the same id, the same name once normalised, or a person's
    same email) is not added again, and the plan's links and gifts point at the
    register's own entry, whose record is kept. Gifts the workspace already
    holds (by id) are kept as they are.

    Args:
        workspace: an open Workspace, or the path of a workspace file (created if missing).
        path: the plan file.
        name: the name to give the plan (default: the name in the file).
        replace: replace a plan of the same name.
        author: who imports (shown in the history).
        max_bytes: the largest file accepted (default 50 MB).

    Returns:
        The plan as saved, with its revision ids.
    """
    from .store import PlanExists

    contents = read_plan_file(path, max_bytes=max_bytes)
    plan = contents.plan
    if name is not None:
        try:
            plan.info.name = name
        except ValidationError as exc:
            raise InvalidInput(_model_problems(exc, ("plan", "info")), "the new name") from None
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=True)
    try:
        title = plan.info.name
        # the file's register entries join this workspace's: an entry it already holds (same id, or a
        # duplicate by name or email) is not added again, and the plan points at the one kept, by its name
        register = (ws.organisations(), ws.people())
        merged = merge_register(register, (contents.organisations, contents.people))
        plan = relinked(plan, merged.ids, *register)
        if any(p.name == title for p in ws.plans()):
            if not replace:
                raise PlanExists(
                    f"There is already a plan called {title!r} in {ws.name}: import it under "
                    "another name (--name) or replace the old one (--replace)."
                )
            ws.delete_plan(title)
        snapshot = ws.create_plan(plan, author=author)
        try:
            if len(contents.measurements):
                ws.add_measurements(title, contents.measurements)
        except BaseException:
            ws.delete_plan(title)  # no half-imported plan is left live
            raise
        known_gifts = {g.id for g in ws.gifts()}
        ws.save_register(merged.organisations, merged.people, [  # a gift keeps to the plan it came with
            gift.model_copy(update={"plan": title, "donor": merged.ids.get(gift.donor, gift.donor)})
            for gift in contents.gifts if gift.id not in known_gifts
        ], author=author)
    finally:
        if opened:
            ws.close()
    return snapshot
