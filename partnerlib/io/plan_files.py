"""Export a plan to one JSON file and import it back: for sharing, backups and git.

A plan file holds one plan, its KPI measurements, the shared organisations
and people its candidates and donors are, and the gifts to the plan::

    {"format": "partnerlib-plan", "schema_version": 1, "exported_at": "2026-09-30T12:00:00+00:00",
     "plan": {...}, "measurements": [{"kpi", "date", "value", "group", "source"}, ...],
     "organisations": [...], "people": [...], "gifts": [...]}

Reading a file executes nothing: it is parsed with ``json.loads`` only, refused
before reading when larger than what this machine's free memory can hold
(:func:`plan_file_limit`), and every value goes through the same model checks
as a form. A problem is reported with the
JSON path of the bad value, e.g. ``$.plan.risks.risks[3].impact: 'impact' must
be between 1 and 5 (got 9)``, and all problems are listed at once. A file whose
name ends in ``.gz`` is written compressed with gzip, and a compressed file is
known on import by its first bytes, whatever its name.

Files written by an older partnerlib are brought forward by the steps in
:data:`PLAN_FILE_MIGRATIONS` (applied to the raw JSON, before checking); a
file from a newer partnerlib is refused.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import os
import tempfile
import zlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from json.encoder import encode_basestring
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TextIO

from pydantic import ValidationError

from ..core.problems import InvalidInput, PlanError, Problem, describe, render
from ..core.text import other_encoding
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
    "PLAN_FILE_MIGRATIONS",
    "PLAN_FILE_VERSION",
    "PlanFile",
    "export_plan",
    "import_plan",
    "plan_file_limit",
    "plan_from_bytes",
    "plan_from_json",
    "plan_to_json",
    "read_plan_file",
    "write_plan_json",
]

#: The value of ``format`` in every plan file.
PLAN_FILE_FORMAT = "partnerlib-plan"
#: The plan-file layout this partnerlib writes (and the newest it reads).
PLAN_FILE_VERSION = 1
#: Bytes of memory that reading one byte of plan-file JSON takes at its peak (the
#: text, the parsed objects, the measurements table): measured about 7 for a plan
#: of 1,000,000 measurements, with room to spare.
_MEMORY_PER_BYTE = 10
#: The limit where the free memory cannot be known (not Linux or macOS).
_LIMIT_UNKNOWN_MEMORY = 200_000_000
#: The first bytes of a gzip file (a ``.json.gz`` plan file).
_GZIP_MAGIC = b"\x1f\x8b"
#: The longest whole number read (in digits, with its sign): 10**300 is near the
#: largest float; a longer literal is named at its JSON path instead.
_LONGEST_NUMBER = 300
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
    of a plan compare well line by line (in git, for example); each
    measurement is one line.

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
    text = io.StringIO()
    write_plan_json(text, plan, measurements, organisations, people, gifts, exported_at=exported_at)
    return text.getvalue()


def write_plan_json(
    stream: TextIO,
    plan: Plan,
    measurements: pd.DataFrame | None = None,
    organisations: Iterable[Organisation] = (),
    people: Iterable[Person] = (),
    gifts: Iterable[Gift] = (),
    *,
    exported_at: dt.datetime | None = None,
) -> None:
    """Write the plan-file JSON of :func:`plan_to_json` into a text stream, piece by piece.

    The measurements are written :data:`_MEASUREMENTS_AT_ONCE` rows at a time,
    one compact line each, so a plan of a million measurements never holds its
    whole text in memory (an indented dump of the whole document, which json
    runs in pure Python, took four times as long).
    """
    moment = exported_at or dt.datetime.now(dt.UTC)
    document: dict[str, Any] = {
        "format": PLAN_FILE_FORMAT,
        "schema_version": PLAN_FILE_VERSION,
        "exported_at": moment.isoformat(timespec="seconds"),
        "plan": plan.model_dump(mode="json"),
        "measurements": None,
        "organisations": [o.model_dump(mode="json") for o in organisations],
        "people": [p.model_dump(mode="json") for p in people],
        "gifts": [g.model_dump(mode="json") for g in gifts],
    }
    stream.write("{")
    for number, (key, value) in enumerate(document.items()):
        stream.write(f"{',' if number else ''}\n {json.dumps(key)}: ")
        if key == "measurements":
            _write_measurements(stream, measurements)
        else:
            # One level deeper than a dump of its own: no JSON string holds a raw newline.
            indented = json.dumps(value, indent=1, ensure_ascii=False, allow_nan=False)
            stream.write(indented.replace("\n", "\n "))
    stream.write("\n}\n")


#: Measurements turned into JSON lines at a time when a plan file is written.
_MEASUREMENTS_AT_ONCE = 50_000


def _write_measurements(stream: TextIO, frame: pd.DataFrame | None) -> None:
    """Write the measurements as a JSON list, a compact line per measurement.

    Each line is what ``json.dumps(record, ensure_ascii=False)`` writes for
    the record ``{"kpi", "date", "value", "group", "source"}``, put together
    from columns with json's own string encoder: building a dict per row
    (``DataFrame.to_dict``) and encoding it took three times as long.
    """
    import numpy as np
    import pandas as pd

    if frame is None or frame.empty:
        stream.write("[]")
        return
    text = encode_basestring
    stream.write("[")
    for start in range(0, len(frame), _MEASUREMENTS_AT_ONCE):
        rows = frame.iloc[start:start + _MEASUREMENTS_AT_ONCE]
        values = rows["value"].to_numpy(dtype="float64")
        if not np.isfinite(values).all():  # what json's allow_nan=False refuses
            raise ValueError("Out of range float values are not JSON compliant")
        empty = pd.Series("", index=rows.index)
        columns = (
            rows["kpi"].astype(str).tolist(),
            pd.to_datetime(rows["date"]).dt.strftime("%Y-%m-%d").tolist(),
            values.tolist(),
            rows.get("group", empty).fillna("").astype(str).tolist(),
            rows.get("source", empty).fillna("").astype(str).tolist(),
        )
        stream.write(("," if start else "") + ",".join(
            f'\n  {{"kpi": {text(kpi)}, "date": "{date}", "value": {value!r}, '
            f'"group": {text(group)}, "source": {text(source)}}}'
            for kpi, date, value, group, source in zip(*columns, strict=True)
        ))
    stream.write("\n ]")


def export_plan(workspace: Workspace | str | os.PathLike[str], name: str, path: str | os.PathLike[str]) -> Path:
    """Write a plan of a workspace, with its measurements, to one plan file.

    The register entries the plan points at go into the file too (its
    candidates' and stakeholders' organisations, its governance members, its
    gifts and their donors, and the people at those organisations), so the
    plan keeps its names and links in another workspace. The file is written
    whole or not at all (a temporary file renamed into place), streamed so
    that a plan of a million measurements does not hold its whole text in memory.

    Args:
        workspace: an open Workspace, or the path of a workspace file.
        name: the plan's name.
        path: the file to write, ending in ``.json``, or in ``.json.gz`` for a
            file compressed with gzip (a plan of a million measurements is about
            110 MB as JSON, 8 MB compressed); replaced if it exists.

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
    target = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
    try:
        with os.fdopen(handle, "wb") as raw:
            # mtime 0: the same plan gives the same bytes.
            binary = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=6, mtime=0) \
                if target.suffix.lower() == ".gz" else raw
            with io.TextIOWrapper(binary, encoding="utf-8", newline="\n") as text:
                write_plan_json(text, plan, measurements, organisations, people, gifts)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


# ---------------------------------------------------------------- reading


def plan_file_limit() -> int:
    """The largest plan file read by default, in bytes: what this machine's free memory can hold.

    Reading a plan file takes about ten times its size in memory, so the
    limit is a tenth of the memory free now (200 MB where that cannot be
    known). A plan of a million measurements is about 110 MB of JSON.
    """
    try:
        free = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):  # no sysconf (Windows), or no such name
        return _LIMIT_UNKNOWN_MEMORY
    return max(free // _MEMORY_PER_BYTE, 1_000_000)


def read_plan_file(path: str | os.PathLike[str], *, max_bytes: int | None = None) -> PlanFile:
    """Read and check a plan file: refuse it whole, with every problem listed, or return it clean.

    The size is checked before anything is read; the text is parsed as JSON
    only (nothing in it is ever run); an older layout is migrated; then the
    plan, every measurement and every shared record is checked.

    Args:
        path: the plan file (``.json``, or gzip-compressed ``.json.gz``).
        max_bytes: the largest file accepted, and the most a compressed file
            may unpack to (default: :func:`plan_file_limit`).

    Returns:
        The plan, its measurements, organisations and people.

    Raises:
        PlanError: the file is too large, not UTF-8 JSON, not a plan file, or
            from a newer partnerlib. InvalidInput (a PlanError) lists every bad
            value with its JSON path.
    """
    path = Path(path)
    limit = plan_file_limit() if max_bytes is None else max_bytes
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanError.of("no_plan_file", path=str(path)) from None
    if size > limit:
        raise PlanError.of("file_too_large", source=path.name, size=size / 1e6, limit=limit / 1e6)
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:  # the file grew after the check
        raise PlanError.of("file_grew", source=path.name, limit=limit / 1e6)
    return plan_from_bytes(data, source=path.name, max_bytes=limit)


def plan_from_bytes(data: bytes, *, source: str = "the plan file", max_bytes: int | None = None) -> PlanFile:
    """Check the bytes of a plan file and return its contents (see :func:`read_plan_file`).

    >>> plan_from_bytes(plan_to_json(Plan()).encode()).plan == Plan()
    True

    Args:
        data: the file's bytes: UTF-8 JSON text, with or without a byte-order
            mark, or that text compressed with gzip (a ``.json.gz`` file).
        source: what to call the file in messages (usually its name).
        max_bytes: the most compressed data may unpack to (default: :func:`plan_file_limit`).

    Returns:
        The plan, its measurements, organisations and people.
    """
    if data.startswith(_GZIP_MAGIC):
        data = _unpacked(data, source, plan_file_limit() if max_bytes is None else max_bytes)
    encoding = other_encoding(data[: 1 << 12])
    if encoding:
        raise PlanError.of("plan_file_other_encoding", source=source, encoding=encoding)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PlanError.of("plan_file_not_utf8", source=source, position=exc.start) from None
    return plan_from_json(text, source=source)


def _unpacked(data: bytes, source: str, max_bytes: int) -> bytes:
    """Unpack a gzip file, refusing one that unpacks to more than ``max_bytes`` (read no further)."""
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            unpacked = stream.read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        raise PlanError.of("broken_gzip", source=source, reason=str(exc)) from None
    if len(unpacked) > max_bytes:
        raise PlanError.of("unpacks_too_large", source=source, limit=max_bytes / 1e6)
    return unpacked


class _LongNumber(NamedTuple):
    """A whole number too long for any field, in place of its value (Python refuses over 4,300 digits)."""

    digits: int


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
    long_numbers: list[_LongNumber] = []

    def whole_number(literal: str) -> int | _LongNumber:
        if len(literal) <= _LONGEST_NUMBER:
            return int(literal)
        long_numbers.append(_LongNumber(len(literal.lstrip("-"))))
        return long_numbers[-1]

    try:
        document = json.loads(text, parse_int=whole_number)
    except json.JSONDecodeError as exc:
        raise PlanError.of("not_json", source=source, reason=exc.msg, line=exc.lineno, column=exc.colno) from None
    except RecursionError:
        raise PlanError.of("nested_too_deeply", source=source) from None
    if long_numbers:
        raise _refused(_long_number_problems(document), source)
    if not isinstance(document, dict) or document.get("format") != PLAN_FILE_FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        raise PlanError.of("not_a_plan_file", source=source, expected=PLAN_FILE_FORMAT, got=found)
    version = document.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise PlanError.of("schema_version_not_whole", source=source, got=version)
    if version > PLAN_FILE_VERSION:
        raise PlanError.of("newer_plan_file", source=source, version=version, newest=PLAN_FILE_VERSION)
    for step in range(version, PLAN_FILE_VERSION):
        document = PLAN_FILE_MIGRATIONS[step](document)
    return _checked(document, version, source)


def _long_number_problems(document: Any) -> list[Problem]:
    """Find every too-long number in a parsed document, walking it without recursion."""
    problems: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(document, ())]
    while stack:
        node, path = stack.pop()
        if isinstance(node, _LongNumber):
            problems.append(_JsonProblem(path, "number_too_long", {"digits": node.digits}))
        elif isinstance(node, dict):
            stack += [(value, (*path, key)) for key, value in node.items()]
        elif isinstance(node, list):
            stack += [(value, (*path, index)) for index, value in enumerate(node)]
    return sorted(problems, key=lambda p: [(isinstance(k, str), k) for k in p.path])


def _refused(problems: list[Problem], source: str) -> InvalidInput:
    """The error refusing a file for its problems: "plan.json cannot be imported: …"."""
    return InvalidInput(problems, render(Problem((), "cannot_import_file", {"source": source})))


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
        raise _refused(problems, source)
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

    from .spreadsheets import measurements_frame, repeated_measurements

    if not rows:
        return no_measurements()
    not_objects = [i for i, row in enumerate(rows) if not isinstance(row, dict)]
    problems += [_JsonProblem(("measurements", index), "not_an_object") for index in not_objects]
    if not_objects:
        return no_measurements()
    frame = pd.DataFrame.from_records(rows)
    frame = frame.loc[~_nested_values(frame, problems)]
    for column in frame.columns:
        if column not in MEASUREMENT_COLUMNS:
            problems += [_JsonProblem(("measurements", int(index)), "extra_forbidden", {"field": str(column)})
                         for index in frame.index[frame[column].notna()]]
    for column in REQUIRED_MEASUREMENT_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    clean, bad = measurements_frame(frame)
    for index, found in bad.items():
        problems += [_JsonProblem(("measurements", int(index)), p.code, p.context) for p in found]
    repeated = repeated_measurements(clean, lambda row: _json_path(("measurements", row)))
    problems += [_JsonProblem(("measurements", index), p.code, p.context) for index, p in repeated.items()]
    if kpis is not None:
        unknown = ~clean["kpi"].isin(kpis)
        for index, kpi in clean.loc[unknown, "kpi"].items():
            problems.append(_JsonProblem(("measurements", int(index)), "unknown_kpi",
                                         {"field": "kpi", "got": kpi, "known": sorted(kpis)}))
    return clean.reset_index(drop=True)


#: pandas' names for columns of only text, numbers or true/false (and no object or list).
_PLAIN_KINDS = frozenset({"empty", "string", "integer", "floating", "mixed-integer-float", "boolean"})


def _nested_values(frame: pd.DataFrame, problems: list[Problem]) -> Any:
    """Name every measurement field holding an object or a list; return which rows have one."""
    import numpy as np
    import pandas as pd

    nested = np.zeros(len(frame), dtype=bool)
    for column in frame.columns.intersection(MEASUREMENT_COLUMNS):
        if pd.api.types.infer_dtype(frame[column], skipna=True) in _PLAIN_KINDS:  # no loop
            continue
        for position, value in enumerate(frame[column]):
            if isinstance(value, dict | list):
                nested[position] = True
                code = ("object_not_" if isinstance(value, dict) else "list_not_") + (
                    "number" if column == "value" else "text")
                problems.append(_JsonProblem(("measurements", int(frame.index[position])), code, {"field": column}))
    return nested


# ---------------------------------------------------------------- importing


def import_plan(
    workspace: Workspace | str | os.PathLike[str],
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    replace: bool = False,
    author: str = "",
    max_bytes: int | None = None,
) -> Snapshot:
    """Add the plan of a plan file to a workspace, with its measurements and shared records.

    Nothing is written unless the whole file is valid, and the plan, its
    measurements, the register entries and gifts it brings and the soft
    deletion of a plan it replaces are one transaction: a refused or failed
    import leaves the workspace as it was. A
    plan of the same name is refused unless ``name`` gives another one or
    ``replace`` is true; then the old plan is deleted softly (it can be brought
    back). The file's organisations and people join the workspace's register:
    one the register already holds (the same id, the same name once normalised,
    or a person's same email) is not added again, and the plan's links and
    gifts point at the register's own entry, whose record is kept. Gifts the
    workspace already holds (by id) are kept as they are.

    Args:
        workspace: an open Workspace, or the path of a workspace file (created if missing).
        path: the plan file (``.json``, or gzip-compressed ``.json.gz``).
        name: the name to give the plan (default: the name in the file).
        replace: replace a plan of the same name.
        author: who imports (shown in the history).
        max_bytes: the largest file accepted (default: :func:`plan_file_limit`).

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
            raise InvalidInput(_model_problems(exc, ("plan", "info")),
                               render(Problem((), "new_plan_name"))) from None
    from .store import opened_workspace

    ws, opened = opened_workspace(workspace, create=True)
    try:
        # one transaction: the plan, its measurements, the old plan's deletion and the register entries, or nothing
        with ws.transaction():
            title = plan.info.name
            # the file's register entries join this workspace's: an entry it already holds (same id, or a
            # duplicate by name or email) is not added again, and the plan points at the one kept, by its name
            register = (ws.organisations(), ws.people())
            merged = merge_register(register, (contents.organisations, contents.people))
            plan = relinked(plan, merged.ids, *register)
            if not replace and any(p.name == title for p in ws.plans()):
                raise PlanExists.of("import_name_taken", name=title, workspace=ws.name)
            snapshot = ws.create_plan(plan, author=author, measurements=contents.measurements, replace=replace)
            known_gifts = {g.id for g in ws.gifts()}
            ws.save_register(merged.organisations, merged.people, [  # a gift keeps to the plan it came with
                gift.model_copy(update={"plan": title, "donor": merged.ids.get(gift.donor, gift.donor)})
                for gift in contents.gifts if gift.id not in known_gifts
            ], author=author)
    finally:
        if opened:
            ws.close()
    return snapshot
