"""The workspace: plans, every saved revision, shared records and measurements, in one store.

The store is a SQLite file (the default, for one machine) or a PostgreSQL
database (for many people on a JupyterHub), named by its path or by a
``postgresql://`` URL; every rule below holds on both, and only what differs
between the engines lives in their backends (``partnerlib.io.backend``).

Each section of a plan is saved on its own as validated JSON, and every save
adds a revision, so history, differences and undo come for free; the current
plan is the latest revision of each section. Each save is one transaction.
Two notebooks saving the same section never overwrite each other silently: a
save names the revision its editor loaded, and a save made on top of someone
else's newer revision is refused with :class:`StaleSave`.

The public methods speak in plan names, models, datetimes and DataFrames, never in SQL.

>>> import tempfile, pathlib
>>> from partnerlib.models import Plan, PlanInfo
>>> folder = tempfile.TemporaryDirectory()
>>> with Workspace.open(pathlib.Path(folder.name) / "workspace.sqlite") as ws:
...     snapshot = ws.create_plan(Plan(info=PlanInfo(name="Riverside")), author="Ana")
...     [p.name for p in ws.plans()]
['Riverside']
>>> folder.cleanup()
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import ValidationError

from ..core.paths import WorkspaceTarget, is_database_url
from ..core.problems import InvalidInput, PlanError, Problem, describe, render
from ..models import (
    MEASUREMENT_COLUMNS,
    MEASUREMENT_TYPES,
    REQUIRED_MEASUREMENT_COLUMNS,
    SECTIONS,
    STORED,
    Gift,
    Organisation,
    Person,
    Plan,
    Section,
    register_renames,
)
from .backend import Backend, Database, WorkspaceError
from .migrations import WORKSPACE_TABLES

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "Change",
    "MeasurementCounts",
    "PlanExists",
    "PlanNotFound",
    "PlanSummary",
    "Response",
    "Revision",
    "RoomActivity",
    "RoomKeys",
    "Snapshot",
    "StaleSave",
    "Workspace",
    "WorkspaceError",
    "copy_workspace",
]


# ---- errors ----------------------------------------------------------------


class PlanNotFound(PlanError):
    """No live plan has this name; the message lists the plans there are."""


class PlanExists(PlanError):
    """Another live plan already has this name."""


class StaleSave(PlanError):
    """A section was saved by someone else after the editor loaded it; nothing was saved.

    Attributes:
        section: the section's field name (``"risks"``).
        current: the newer revision that is in the way.
    """

    def __init__(self, message: str, section: str, current: Revision) -> None:
        super().__init__(message)
        self.section = section
        self.current = current


# ---- results ---------------------------------------------------------------


@dataclass(frozen=True)
class PlanSummary:
    """One plan as listed in a workspace: its names, dates and number of revisions."""

    name: str
    organisation: str
    ssu_name: str
    created: dt.datetime
    updated: dt.datetime
    revisions: int
    deleted: dt.datetime | None = None


@dataclass(frozen=True)
class Snapshot:
    """A plan as loaded, with the revision id each section was loaded at.

    Pass ``revisions[section]`` as ``base`` when saving that section, so a
    save on top of someone else's newer save is refused instead of lost.
    """

    name: str
    plan: Plan
    revisions: dict[str, int]


@dataclass(frozen=True)
class Revision:
    """One saved version of one section: who saved it, when (UTC) and why."""

    id: int
    plan: str
    section: str
    saved_at: dt.datetime
    author: str = ""
    note: str = ""


@dataclass(frozen=True)
class Response:
    """One participant's answers to one workshop activity, as submitted (kept, never changed).

    Attributes:
        activity: the activity's id in the room.
        participant: an anonymous id, the same for one participant's answers.
        answers: item → answer (numbers or text), as the activity checked them.
        party: the partner organisation the participant said they belong to ("" if not asked).
        name: the participant's name, only when the activity asks for it.
        received: when it was stored (UTC); set by the store.
        id: its number in the workspace, increasing with time; set by the store.
    """

    activity: str
    participant: str
    answers: dict[str, Any]
    party: str = ""
    name: str = ""
    received: dt.datetime | None = None
    id: int = 0


@dataclass(frozen=True)
class RoomKeys:
    """A plan's workshop room as stored: its number and the two keys its links carry.

    Attributes:
        id: its number in the workspace (a plan's latest room has the largest).
        token: the participants' join token.
        secret: the facilitator's secret.
        opened: when it was first opened (UTC).
    """

    id: int
    token: str
    secret: str
    opened: dt.datetime


@dataclass(frozen=True)
class RoomActivity:
    """A workshop activity as stored: what rebuilds it from the plan, and where it stands.

    Attributes:
        id: the activity's id (also the ``activity`` of its responses).
        kind: its kind (``health``, ``risks`` …).
        title: its name, as everyone reads it.
        options: what it was started with (the records it asks about …), JSON-ready.
        is_open: participants may answer it.
        shown: its results are shown to the room.
        accepted: item → what was written into the plan, JSON-ready.
    """

    id: str
    kind: str
    title: str
    options: dict[str, Any] = field(default_factory=dict)
    is_open: bool = False
    shown: bool = False
    accepted: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """One value that differs between two revisions of a section.

    ``path`` names the field like a gap does (``risks[3].impact``, rows counted
    from 1); ``old`` is None for an added value and ``new`` None for a removed one.
    """

    path: str
    old: Any
    new: Any


class MeasurementCounts(NamedTuple):
    """How many measurements a write added, and how many it updated (same KPI, date and group).

    >>> MeasurementCounts(added=2, updated=1).total
    3
    """

    added: int
    updated: int

    @property
    def total(self) -> int:
        """Rows written: added plus updated."""
        return self.added + self.updated


# ---- helpers ---------------------------------------------------------------


#: The latest revision of a plan's section (parameters: the plan's id, the section).
_LATEST_REVISION = (
    "SELECT id, saved_at, author, note, value FROM revisions "
    "WHERE plan_id = ? AND section = ? ORDER BY id DESC LIMIT 1"
)


def _utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _when(moment: dt.datetime) -> str:
    """Say a moment the way a message shows it: ``2026-11-23 14:02 UTC``."""
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def _moment(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _section_model(section: str) -> type[Section]:
    try:
        return SECTIONS[section]
    except KeyError:
        raise PlanError.of("not_a_section", got=section, sections=list(SECTIONS)) from None


def _checked_json(section: str, value: Section) -> str:
    """Return a section value as JSON after checking it is a valid value of that section."""
    model = _section_model(section)
    if not isinstance(value, model):
        raise PlanError.of("wrong_section_value", title=model.title, expected=model.__name__,
                           kind=type(value).__name__)
    text = value.model_dump_json()
    try:
        model.model_validate_json(text)
    except ValidationError as error:
        raise InvalidInput(describe(error), model.title) from None
    return text


def _plan_exists(name: str) -> PlanExists:
    return PlanExists.of("plan_exists", name=name)


def _renamed(info: Any, new_name: str) -> Any:
    """Return the plan details with another name, refusing a name the model does not allow."""
    try:
        return type(info).model_validate(info.model_dump() | {"name": new_name})
    except ValidationError as error:
        raise InvalidInput(describe(error), "New plan name") from None


def _diff(old: Any, new: Any, path: str) -> Iterator[Change]:
    """Yield the leaves that differ between two JSON-like values (rows with ids matched by id)."""
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            yield from _diff(old.get(key), new.get(key), f"{path}.{key}" if path else key)
    elif isinstance(old, list) and isinstance(new, list):
        old_ids = [row.get("id") if isinstance(row, dict) else None for row in old]
        new_ids = [row.get("id") if isinstance(row, dict) else None for row in new]
        keyed = None not in old_ids + new_ids and len(set(old_ids)) == len(old_ids) and len(
            set(new_ids)
        ) == len(new_ids)
        if not keyed:
            for number in range(max(len(old), len(new))):
                yield from _diff(
                    old[number] if number < len(old) else None,
                    new[number] if number < len(new) else None,
                    f"{path}[{number + 1}]",
                )
            return
        before = dict(zip(old_ids, old, strict=True))
        for number, (row_id, row) in enumerate(zip(new_ids, new, strict=True), start=1):
            yield from _diff(before.get(row_id), row, f"{path}[{number}]")
        kept = set(new_ids)
        for number, (row_id, row) in enumerate(zip(old_ids, old, strict=True), start=1):
            if row_id not in kept:
                yield Change(f"{path}[{number}]", row, None)
        common_old = [i for i in old_ids if i in kept]
        common_new = [i for i in new_ids if i in before]
        if common_old != common_new:
            yield Change(f"{path} order", common_old, common_new)
    elif old != new:
        yield Change(path, old, new)


# ---- the workspace ---------------------------------------------------------


class Workspace:
    """A partnerlib workspace: plans, their revisions, shared records and measurements.

    Open it with :meth:`Workspace.open` (also a context manager). One
    ``Workspace`` is one connection; every notebook or process opens its own.

    Attributes:
        path: the workspace file, or None for a workspace in a PostgreSQL database.
        location: how messages name it: the file, or the URL without its password.
        name: the file's or the database's name, for short messages.
        found_version: the layout version it had when opened (0 for a new one).
    """

    def __init__(self, backend: Backend, clock: Callable[[], dt.datetime] = _utc_now) -> None:
        self._backend = backend
        self._clock = clock
        self.path = backend.path
        self.location = backend.location
        self.name = backend.short_name
        self.found_version: int = backend.found_version

    # -- opening and closing ------------------------------------------------

    @classmethod
    def open(
        cls,
        target: WorkspaceTarget | os.PathLike[str],
        *,
        create: bool = True,
        clock: Callable[[], dt.datetime] | None = None,
    ) -> Workspace:
        """Open a workspace, creating it if it does not exist yet.

        A file is first checked read-only — it must be a partnerlib workspace,
        no newer than this partnerlib, on a local disk, and pass SQLite's quick
        check — so a damaged or foreign file is refused and left byte for byte
        as it was. A workspace from an older partnerlib is brought forward (a
        file's old copy is kept beside it as ``<name>.v<old>-backup``). A
        PostgreSQL database is checked the same way; an empty one gets the tables.

        Args:
            target: the workspace file, or a ``postgresql://user@host:port/database`` URL.
            create: make a new workspace if there is none yet (else refuse).
            clock: returns the current time (UTC) stamped on saves; for tests.

        Returns:
            The open workspace; close it with :meth:`close` or a ``with`` block.
        """
        backend: Backend
        if is_database_url(target):
            from .postgresql_backend import PostgresqlBackend

            backend = PostgresqlBackend.open(str(target), create=create)
        else:
            from .sqlite_backend import SqliteBackend

            backend = SqliteBackend.open(Path(target), create=create)
        return cls(backend, clock or _utc_now)

    def close(self) -> None:
        """Close the workspace (its file or database stays as it is)."""
        self._backend.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Workspace({self.location!r})"

    # -- transactions ---------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Make every change inside the block one transaction: all of them are saved, or none.

        An import uses it so that its plans, their measurements and the register
        entries they bring land together: an error anywhere in the block (raised
        by the store or by the caller) leaves the workspace as it was. Reads in
        the block see its changes; other writers wait until it ends.

        >>> import tempfile, pathlib
        >>> from partnerlib.models import Organisation, Plan, PlanInfo
        >>> folder = tempfile.TemporaryDirectory()
        >>> with Workspace.open(pathlib.Path(folder.name) / "workspace.sqlite") as ws:
        ...     try:
        ...         with ws.transaction():
        ...             _ = ws.create_plan(Plan(info=PlanInfo(name="Riverside")))
        ...             _ = ws.save_register([Organisation(name="Hope Trust")])
        ...             raise KeyboardInterrupt  # stopped halfway
        ...     except KeyboardInterrupt:
        ...         pass
        ...     (ws.plans(), ws.organisations())
        ([], [])
        >>> folder.cleanup()
        """
        with self._write():
            yield

    def _write(self) -> AbstractContextManager[Database]:
        """Run a block as one write transaction; roll back on any error (see the backend)."""
        return self._backend.write()

    def _read(self) -> AbstractContextManager[Database]:
        """Run a block of reads on one consistent snapshot."""
        return self._backend.read()

    def _fill_from(self, origin: Workspace) -> dict[str, int]:
        """Copy every row of ``origin``'s tables into this empty workspace (see :func:`copy_workspace`)."""
        rows_of = {table: f"FROM {table}" for table in WORKSPACE_TABLES}
        rows_of["meta"] = "FROM meta WHERE key <> 'schema_version'"  # the settings
        counts = {}
        with origin._read() as source, self._write() as db:
            taken = [
                table for table, rows in rows_of.items() if db.execute(f"SELECT 1 {rows} LIMIT 1").fetchone()
            ]
            if taken:
                raise WorkspaceError.of("workspace_not_empty", workspace=self.location, tables=taken)
            for table, rows in rows_of.items():
                cursor = source.execute(f"SELECT * {rows}")
                self._backend.bulk_insert(db, table, [column[0] for column in cursor.description], cursor)
                self._backend.continue_ids(db, table)
                (counts[table],) = db.execute(f"SELECT count(*) {rows}").fetchone()
        return counts

    # -- settings -------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """Return a workspace setting (such as the plan chosen in step 0), or None if unset."""
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (f"setting:{key}",)).fetchone()
        return None if row is None else str(row[0])

    def set_setting(self, key: str, value: str) -> None:
        """Store a workspace setting, shared by every notebook that opens this workspace."""
        with self._write() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (f"setting:{key}", value),
            )

    # -- plans ----------------------------------------------------------------

    def _plan_id(self, db: Database, name: str, *, deleted: bool = False, lock: bool = False) -> int:
        """Return the id of the live (or, with ``deleted``, the latest deleted) plan of this name.

        With ``lock`` (in a write), other writers of this plan wait until this one commits.
        """
        lock_plan = self._backend.lock_plan if lock else ""
        if deleted:
            row = db.execute(
                "SELECT id FROM plans WHERE name = ? AND deleted IS NOT NULL "
                "ORDER BY deleted DESC LIMIT 1" + lock_plan,
                (name,),
            ).fetchone()
        else:
            row = db.execute(
                "SELECT id FROM plans WHERE name = ? AND deleted IS NULL" + lock_plan, (name,)
            ).fetchone()
        if row:
            return int(row[0])
        state = "deleted_" if deleted else ""
        names = [
            r[0]
            for r in db.execute(
                "SELECT name FROM plans WHERE deleted IS "
                + ("NOT NULL" if deleted else "NULL")
                + f" ORDER BY {self._backend.nocase('name')}"
            )
        ]
        said = [Problem((), f"no_{state}plan", {"name": name, "workspace": self.name})]
        said += [Problem((), "did_you_mean", {"name": close}) for close in difflib.get_close_matches(name, names, n=1)]
        said.append(Problem((), f"{state}plans_there_are", {"names": [repr(n) for n in names]}) if names
                    else Problem((), f"no_{state}plans_yet"))
        raise PlanNotFound(" ".join(map(render, said)))

    def _refuse_clash(self, db: Database, name: str) -> None:
        if db.execute("SELECT 1 FROM plans WHERE name = ? AND deleted IS NULL", (name,)).fetchone():
            raise _plan_exists(name)

    def _insert_plan(self, db: Database, name: str, created: str) -> int:
        """Add a plan's row, refusing a live name taken (also by a writer that got there first)."""
        self._refuse_clash(db, name)
        try:
            (plan_id,) = db.execute(
                "INSERT INTO plans (name, created) VALUES (?, ?) RETURNING id", (name, created)
            ).fetchone()
        except self._backend.duplicate:
            raise _plan_exists(name) from None
        return int(plan_id)

    def plans(self, *, include_deleted: bool = False) -> list[PlanSummary]:
        """List the plans, by name: who they belong to, when made and last saved, how many revisions.

        Args:
            include_deleted: also list deleted plans (they can be brought back).

        Returns:
            One PlanSummary per plan, sorted by name (deleted ones after live ones of the same name).
        """
        query = """
            SELECT p.name, {organisation}, {ssu_name}, p.created, last.saved_at, s.count, p.deleted
            FROM plans p
            JOIN (SELECT plan_id, count(*) AS count, max(id) AS last_id,
                         max(id) FILTER (WHERE section = 'info') AS info_id
                  FROM revisions GROUP BY plan_id) s ON s.plan_id = p.id
            JOIN revisions last ON last.id = s.last_id
            LEFT JOIN revisions i ON i.id = s.info_id
        """.format(
            organisation=self._backend.json_text("i.value", "organisation"),
            ssu_name=self._backend.json_text("i.value", "ssu_name"),
        )
        if not include_deleted:
            query += " WHERE p.deleted IS NULL"
        query += f" ORDER BY {self._backend.nocase('p.name')}, p.deleted IS NOT NULL, p.deleted DESC"
        with self._read() as db:
            rows = db.execute(query).fetchall()
        return [
            PlanSummary(
                name=name,
                organisation=organisation or "",
                ssu_name=ssu_name or "",
                created=_moment(created),
                updated=_moment(updated),
                revisions=count,
                deleted=None if deleted is None else _moment(deleted),
            )
            for name, organisation, ssu_name, created, updated, count, deleted in rows
        ]

    def create_plan(
        self,
        plan: Plan,
        *,
        author: str = "",
        saved_at: dt.datetime | None = None,
        measurements: pd.DataFrame | None = None,
        replace: bool = False,
    ) -> Snapshot:
        """Add a plan, saving every section as its first revision, in one transaction.

        Args:
            plan: the plan; its name is ``plan.info.name``.
            author: who creates it (shown in the history).
            saved_at: when the plan was written, timezone-aware; None for now. The
                sample plan gives the day it was written, so every copy of it reads the same.
            measurements: its measurements (as for :meth:`add_measurements`), added
                in the same transaction: an import writes all of a plan or nothing.
            replace: delete a live plan of the same name softly, in the same transaction
                (it can be brought back with :meth:`undelete_plan`).

        Returns:
            The plan as saved, with the revision id of each section.
        """
        if not isinstance(plan, Plan):
            raise PlanError.of("not_a_plan", kind=type(plan).__name__)
        if saved_at is not None and saved_at.utcoffset() is None:
            raise PlanError.of("naive_time", moment=saved_at.isoformat())
        values = {name: _checked_json(name, getattr(plan, name)) for name in SECTIONS}
        now = (self._clock() if saved_at is None else saved_at.astimezone(dt.UTC)).isoformat()
        rows = _measurement_rows(measurements)[1] if measurements is not None and len(measurements) else None
        with self._write() as db:
            if replace:
                db.execute("UPDATE plans SET deleted = ? WHERE name = ? AND deleted IS NULL",
                           (self._clock().isoformat(), plan.info.name))
            plan_id = self._insert_plan(db, plan.info.name, now)
            revisions = {
                name: self._insert_revision(db, plan_id, name, text, now, author, "Created")
                for name, text in values.items()
            }
            if rows is not None:
                self._backend.upsert_measurements(db, plan_id, rows)
        return Snapshot(plan.info.name, plan.model_copy(deep=True), revisions)

    @staticmethod
    def _insert_revision(
        db: Database, plan_id: int, section: str, text: str, now: str, author: str, note: str
    ) -> int:
        (revision_id,) = db.execute(
            "INSERT INTO revisions (plan_id, section, saved_at, author, note, value) "
            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            (plan_id, section, now, author, note, text),
        ).fetchone()
        return int(revision_id)

    def load(self, name: str) -> Snapshot:
        """Load a plan: the latest revision of each section.

        Returns:
            The plan, with the revision id each section was loaded at (0 for a
            section never saved, which then shows its defaults).
        """
        with self._read() as db:
            plan_id = self._plan_id(db, name)
            rows = db.execute(
                """SELECT r.section, r.id, r.value FROM revisions r
                   JOIN (SELECT max(id) AS id FROM revisions WHERE plan_id = ? GROUP BY section) m
                   ON r.id = m.id""",
                (plan_id,),
            ).fetchall()
        sections: dict[str, Any] = {}  # field name → its Section, parsed and validated (model_construct's keywords)
        revisions = dict.fromkeys(SECTIONS, 0)
        for section, revision_id, text in rows:
            if section in SECTIONS:
                sections[section] = self._parse(name, section, text)
                revisions[section] = revision_id
        # Each section was validated as it was parsed; Plan(**sections) would run every section's
        # checks again (pydantic runs a model's after-validators even on an instance it keeps).
        return Snapshot(name, Plan.model_construct(**sections), revisions)

    def _parse(self, name: str, section: str, text: str) -> Section:
        try:
            return SECTIONS[section].model_validate_json(text, context=STORED)
        except ValidationError as error:
            raise WorkspaceError.of("section_unreadable", title=SECTIONS[section].title, name=name,
                                    workspace=self.location, problem=str(describe(error)[0])) from None

    # -- sections and their revisions -----------------------------------------

    def save_section(
        self,
        name: str,
        section: str,
        value: Section,
        *,
        base: int | None,
        author: str = "",
        note: str = "",
    ) -> Revision:
        """Save one section of a plan as a new revision, unless someone saved it meanwhile.

        ``base`` is the revision id the editor loaded (``snapshot.revisions[section]``).
        If the section has been saved since, nothing is saved and
        :class:`StaleSave` says who saved it and when. ``base=None`` overwrites
        deliberately (restore, import). A value equal to the current one adds
        no revision: the current revision is returned. Saving the ``info``
        section with another name renames the plan.

        Args:
            name: the plan's name.
            section: the section's field name (``"risks"``).
            value: the section, an instance of ``SECTIONS[section]``.
            base: the revision id the editor loaded, or None to overwrite.
            author: who saves (shown in the history and in stale-save messages).
            note: why, in a few words.

        Returns:
            The new revision (or the current one when nothing changed).
        """
        text = _checked_json(section, value)
        with self._write() as db:
            return self._save(db, name, section, text, base, author, note)

    def _save(
        self,
        db: Database,
        name: str,
        section: str,
        text: str,
        base: int | None,
        author: str,
        note: str,
    ) -> Revision:
        plan_id = self._plan_id(db, name, lock=True)
        now = self._clock()
        # The common case in one statement: add the revision unless the latest one holds
        # the same value or is not the one the editor loaded. (It must be a statement of its
        # own after the lock: one that waited for the lock would judge by what it saw before.)
        added = db.execute(
            "INSERT INTO revisions (plan_id, section, saved_at, author, note, value) "
            "SELECT * FROM (SELECT ? AS plan_id, ? AS section, ? AS saved_at, ? AS author, "
            "? AS note, ? AS value) AS incoming WHERE NOT EXISTS (SELECT 1 FROM (" + _LATEST_REVISION
            + ") AS latest WHERE latest.value = incoming.value OR latest.id <> ?) RETURNING id",
            (plan_id, section, now.isoformat(), author, note, text, plan_id, section, base),
        ).fetchone()
        if added is None:
            row = db.execute(_LATEST_REVISION, (plan_id, section)).fetchone()
            current = Revision(row[0], name, section, _moment(row[1]), row[2], row[3])
            if row[4] == text:
                return current
            said = Problem((), "stale_save" if current.author else "stale_save_by_someone", {
                "title": SECTIONS[section].title, "author": current.author, "moment": _when(current.saved_at)})
            raise StaleSave(render(said), section, current)
        new_name = json.loads(text)["name"] if section == "info" else name
        if new_name != name:  # a clash undoes the revision too
            self._refuse_clash(db, new_name)
            db.execute("UPDATE plans SET name = ? WHERE id = ?", (new_name, plan_id))
            db.execute(  # the plan's gifts follow it to its new name
                f"UPDATE gifts SET plan = ?, value = {self._backend.json_with('value', 'plan')} WHERE plan = ?",
                (new_name, new_name, name),
            )
        return Revision(int(added[0]), new_name, section, now, author, note)

    def history(self, name: str, section: str | None = None) -> list[Revision]:
        """List a plan's revisions, newest first: of one section, or of all.

        Args:
            name: the plan's name.
            section: a section's field name, or None for every section.
        """
        if section is not None:
            _section_model(section)
        with self._read() as db:
            plan_id = self._plan_id(db, name)
            query = "SELECT id, section, saved_at, author, note FROM revisions WHERE plan_id = ?"
            parameters: tuple[Any, ...] = (plan_id,)
            if section is not None:
                query += " AND section = ?"
                parameters += (section,)
            rows = db.execute(query + " ORDER BY id DESC", parameters).fetchall()
        return [
            Revision(revision_id, name, part, _moment(saved_at), author, note)
            for revision_id, part, saved_at, author, note in rows
        ]

    def _revision_row(self, db: Database, name: str, revision_id: int) -> tuple[str, str]:
        plan_id = self._plan_id(db, name)
        row = db.execute(
            "SELECT section, value FROM revisions WHERE id = ? AND plan_id = ?",
            (revision_id, plan_id),
        ).fetchone()
        if not row:
            raise PlanError.of("no_revision", name=name, revision=revision_id)
        return row[0], row[1]

    def revision(self, name: str, revision_id: int) -> Section:
        """Return a section as it was saved in one revision."""
        with self._read() as db:
            section, text = self._revision_row(db, name, revision_id)
        return self._parse(name, section, text)

    def diff(self, name: str, old_id: int, new_id: int) -> list[Change]:
        """List what changed between two revisions of the same section.

        Rows that have an id are matched by id, so inserting a risk does not
        show every later risk as changed; paths count rows from 1 (in the newer
        revision, or in the older one for a removed row).

        >>> import tempfile, pathlib
        >>> from partnerlib.models import Plan, Risk
        >>> folder = tempfile.TemporaryDirectory()
        >>> ws = Workspace.open(pathlib.Path(folder.name) / "w.sqlite")
        >>> first = ws.create_plan(Plan())
        >>> risks = first.plan.risks.model_copy(update={"risks": [Risk(id="r1", impact=2)]})
        >>> second = ws.save_section("Untitled plan", "risks", risks, base=first.revisions["risks"])
        >>> risks.risks[0].impact = 4
        >>> third = ws.save_section("Untitled plan", "risks", risks, base=second.id)
        >>> ws.diff("Untitled plan", second.id, third.id)
        [Change(path='risks[1].impact', old=2, new=4)]
        >>> ws.close(); folder.cleanup()
        """
        with self._read() as db:
            old_section, old_text = self._revision_row(db, name, old_id)
            new_section, new_text = self._revision_row(db, name, new_id)
        if old_section != new_section:
            raise PlanError.of("revisions_of_two_sections", old=old_id, new=new_id,
                               old_title=SECTIONS[old_section].title, new_title=SECTIONS[new_section].title)
        old = self._parse(name, old_section, old_text).model_dump()
        new = self._parse(name, new_section, new_text).model_dump()
        return list(_diff(old, new, ""))

    def restore(self, name: str, revision_id: int, *, author: str = "") -> Revision:
        """Make an old revision's value current again, as a new revision (history is kept).

        Returns:
            The new revision (or the current one if it already holds that value).
        """
        with self._write() as db:
            section, text = self._revision_row(db, name, revision_id)
            return self._save(
                db, name, section, text, None, author, f"Restored revision {revision_id}"
            )

    # -- whole plans ----------------------------------------------------------

    def copy_plan(self, name: str, new_name: str, *, author: str = "") -> Snapshot:
        """Copy a plan (its current sections and its measurements) under a new name.

        The copy starts its own history with one revision per section.
        """
        source = self.load(name).plan
        source.info = _renamed(source.info, new_name)
        values = {part: _checked_json(part, getattr(source, part)) for part in SECTIONS}
        now = self._clock().isoformat()
        with self._write() as db:
            old_id = self._plan_id(db, name)
            plan_id = self._insert_plan(db, source.info.name, now)
            note = f"Copied from {name}"
            revisions = {
                part: self._insert_revision(db, plan_id, part, text, now, author, note)
                for part, text in values.items()
            }
            db.execute(
                'INSERT INTO measurements (plan_id, kpi, date, value, "group", source) '
                'SELECT ?, kpi, date, value, "group", source FROM measurements WHERE plan_id = ?',
                (plan_id, old_id),
            )
        return Snapshot(source.info.name, source, revisions)

    def rename_plan(self, name: str, new_name: str, *, author: str = "") -> Revision:
        """Rename a plan (a new revision of its details); refused if the name is taken."""
        with self._write() as db:
            plan_id = self._plan_id(db, name, lock=True)
            (text,) = db.execute(
                "SELECT value FROM revisions WHERE plan_id = ? AND section = 'info' "
                "ORDER BY id DESC LIMIT 1",
                (plan_id,),
            ).fetchone()
            info = _renamed(self._parse(name, "info", text), new_name)
            return self._save(
                db, name, "info", _checked_json("info", info), None, author, f"Renamed from {name}"
            )

    def delete_plan(self, name: str) -> None:
        """Delete a plan softly: hidden from :meth:`plans`, brought back by :meth:`undelete_plan`."""
        with self._write() as db:
            plan_id = self._plan_id(db, name)
            db.execute(
                "UPDATE plans SET deleted = ? WHERE id = ?", (self._clock().isoformat(), plan_id)
            )

    def undelete_plan(self, name: str) -> None:
        """Bring back the most recently deleted plan of this name (refused if the name is taken)."""
        with self._write() as db:
            plan_id = self._plan_id(db, name, deleted=True)
            self._refuse_clash(db, name)
            db.execute("UPDATE plans SET deleted = NULL WHERE id = ?", (plan_id,))

    def purge_plan(self, name: str) -> None:
        """Remove deleted plans of this name for good, with their revisions and measurements.

        Only a deleted plan can be purged: delete it first.
        """
        with self._write() as db:
            self._plan_id(db, name, deleted=True)
            db.execute(
                "DELETE FROM measurements WHERE plan_id IN "
                "(SELECT id FROM plans WHERE name = ? AND deleted IS NOT NULL)",
                (name,),
            )
            db.execute("DELETE FROM plans WHERE name = ? AND deleted IS NOT NULL", (name,))

    # -- shared records ---------------------------------------------------------

    def _records(self, table: str, model: type[Any]) -> list[Any]:
        with self._read() as db:
            rows = db.execute(f"SELECT value FROM {table} ORDER BY {self._backend.nocase('name')}, id")
            return [model.model_validate_json(text, context=STORED) for (text,) in rows.fetchall()]

    def _save_record(self, table: str, record: Any, model: type[Any]) -> None:
        with self._write() as db:
            _upsert(db, table, record, model)

    def _renames(self, table: str, record: Organisation | Person) -> bool:
        """Tell whether saving ``record`` changes the name of an entry already in the register."""
        with self._read() as db:
            row = db.execute(f"SELECT name FROM {table} WHERE id = ?", (record.id,)).fetchone()
        return row is not None and row[0] != record.name

    def organisations(self) -> list[Organisation]:
        """List the organisations shared by every plan, by name."""
        return self._records("organisations", Organisation)

    def save_organisation(self, organisation: Organisation, *, author: str = "") -> list[Revision]:
        """Add an organisation, or replace the one with the same id, and carry a new name into every plan.

        Returns:
            The revisions that renamed it in plans (see :meth:`sync_register`).
        """
        renamed = self._renames("organisations", organisation)
        self._save_record("organisations", organisation, Organisation)
        return self.sync_register(author=author) if renamed else []

    def people(self) -> list[Person]:
        """List the contact people shared by every plan, by name."""
        return self._records("people", Person)

    def save_person(self, person: Person, *, author: str = "") -> list[Revision]:
        """Add a person, or replace the one with the same id, and carry a new name into every plan.

        Returns:
            The revisions that renamed them in plans (see :meth:`sync_register`).
        """
        renamed = self._renames("people", person)
        self._save_record("people", person, Person)
        return self.sync_register(author=author) if renamed else []

    def delete_record(self, kind: str, record_id: str) -> None:
        """Remove an organisation, a person or a gift from the register.

        Plans that point at a removed organisation or person keep their own
        copy of its name; gifts of a removed donor stay, and list the donor
        as unknown.

        Args:
            kind: ``"organisations"``, ``"people"`` or ``"gifts"``.
            record_id: the record's id.
        """
        if kind not in ("organisations", "people", "gifts"):
            raise PlanError.of("no_such_register", got=kind)
        with self._write() as db:
            db.execute(f"DELETE FROM {kind} WHERE id = ?", (record_id,))

    def sync_register(self, *, author: str = "") -> list[Revision]:
        """Give every plan's linked records the register's current names, one revision per changed section.

        Returns:
            The revisions saved, noted "Names from the register"; none when every plan is up to date.
        """
        organisations, people = self.organisations(), self.people()
        saved = []
        for summary in self.plans():
            snapshot = self.load(summary.name)
            for section, value in register_renames(snapshot.plan, organisations, people).items():
                saved.append(self.save_section(
                    summary.name, section, value, base=snapshot.revisions[section],
                    author=author, note="Names from the register",
                ))
        return saved

    def gifts(self, plan: str | None = None) -> list[Gift]:
        """List the gifts in the register, by date: every plan's, or one plan's."""
        with self._read() as db:
            rows = db.execute(
                "SELECT value FROM gifts WHERE CAST(? AS TEXT) IS NULL OR plan = ? ORDER BY date, id", (plan, plan)
            )
            return [Gift.model_validate_json(text, context=STORED) for (text,) in rows.fetchall()]

    def save_gift(self, gift: Gift) -> None:
        """Add a gift, or replace the one with the same id."""
        with self._write() as db:
            _upsert(db, "gifts", gift, Gift)

    def save_register(
        self,
        organisations: Sequence[Organisation] = (),
        people: Sequence[Person] = (),
        gifts: Sequence[Gift] = (),
        *,
        author: str = "",
    ) -> list[Revision]:
        """Add or replace many organisations, people and gifts in one transaction: all of them, or none.

        An import uses it, so a file's new donors and their gifts land together.
        A new name for an entry already in the register is carried into every
        plan, as by :meth:`save_organisation`.

        Returns:
            The revisions that renamed entries in plans (see :meth:`sync_register`).
        """
        renamed = any(self._renames("organisations", o) for o in organisations) or any(
            self._renames("people", p) for p in people
        )
        with self._write() as db:
            for table, records, model in (
                ("organisations", organisations, Organisation), ("people", people, Person), ("gifts", gifts, Gift)
            ):
                for record in records:
                    _upsert(db, table, record, model)
        return self.sync_register(author=author) if renamed else []

    # -- workshop responses -----------------------------------------------------

    def add_response(self, name: str, response: Response) -> Response:
        """Store one submission of a workshop activity for a plan; earlier ones stay as they were.

        Returns:
            The response as stored, with its ``id`` and ``received`` time.
        """
        now = self._clock()
        with self._write() as db:
            # The plan's row is locked, so responses to one plan commit in the order of their ids
            # (a live view reads those after the last id it saw).
            (number,) = db.execute(
                "INSERT INTO responses (plan_id, activity, received, participant, party, name, answers) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (self._plan_id(db, name, lock=True), response.activity, now.isoformat(), response.participant,
                 response.party, response.name, json.dumps(response.answers, ensure_ascii=False)),
            ).fetchone()
        return replace(response, received=now, id=int(number))

    def responses(self, name: str, activity: str | None = None, *, after: int = 0) -> list[Response]:
        """List a plan's workshop responses, oldest first: of every activity or one.

        Args:
            name: the plan's name.
            activity: an activity's id, or None for all.
            after: only responses with a larger ``id`` (what a live view has not seen yet).
        """
        query = ("SELECT id, activity, received, participant, party, name, answers FROM responses "
                 "WHERE plan_id = ? AND id > ?")
        with self._read() as db:
            parameters: tuple[Any, ...] = (self._plan_id(db, name), after)
            if activity is not None:
                query += " AND activity = ?"
                parameters += (activity,)
            rows = db.execute(query + " ORDER BY id", parameters).fetchall()
        return [
            Response(act, participant, json.loads(answers), party, person, _moment(received), number)
            for number, act, received, participant, party, person, answers in rows
        ]

    # -- workshop rooms ---------------------------------------------------------

    def latest_room(self, name: str) -> RoomKeys | None:
        """Return a plan's latest workshop room (the one a room started again resumes), or None."""
        with self._read() as db:
            row = db.execute(
                "SELECT id, token, secret, opened FROM rooms WHERE plan_id = ? ORDER BY id DESC LIMIT 1",
                (self._plan_id(db, name),),
            ).fetchone()
        return None if row is None else RoomKeys(int(row[0]), row[1], row[2], _moment(row[3]))

    def new_room(self, name: str, *, token: str, secret: str) -> RoomKeys:
        """Record a new workshop room for a plan, with its keys; it becomes the plan's latest."""
        now = self._clock()
        with self._write() as db:
            (number,) = db.execute(
                "INSERT INTO rooms (plan_id, opened, token, secret) VALUES (?, ?, ?, ?) RETURNING id",
                (self._plan_id(db, name), now.isoformat(), token, secret),
            ).fetchone()
        return RoomKeys(int(number), token, secret, now)

    def room_activities(self, room: int) -> list[RoomActivity]:
        """List a room's activities in the order they were started."""
        with self._read() as db:
            rows = db.execute(
                "SELECT id, kind, title, options, is_open, shown, accepted FROM activities "
                "WHERE room_id = ? ORDER BY position",
                (room,),
            ).fetchall()
        return [
            RoomActivity(number, kind, title, json.loads(options), bool(is_open), bool(shown), json.loads(accepted))
            for number, kind, title, options, is_open, shown, accepted in rows
        ]

    def save_activity(self, room: int, activity: RoomActivity) -> None:
        """Add an activity to a room (after those there), or record where one stands now."""
        with self._write() as db:
            db.execute(
                "INSERT INTO activities (room_id, id, position, kind, title, options, is_open, shown, accepted) "
                "VALUES (?, ?, (SELECT count(*) FROM activities WHERE room_id = ?), ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (room_id, id) DO UPDATE SET title = excluded.title, options = excluded.options, "
                "is_open = excluded.is_open, shown = excluded.shown, accepted = excluded.accepted",
                (room, activity.id, room, activity.kind, activity.title, json.dumps(activity.options),
                 int(activity.is_open), int(activity.shown), json.dumps(activity.accepted, ensure_ascii=False)),
            )

    # -- measurements -----------------------------------------------------------

    def add_measurements(self, name: str, frame: pd.DataFrame) -> MeasurementCounts:
        """Add measured KPI values to a plan, or update them, in one transaction.

        A KPI has one value per date and group: a row for a (KPI, date, group)
        the plan already holds replaces that value and its source, so importing
        the same file twice changes nothing. Within ``frame`` the last row of a
        repeated (KPI, date, group) wins; check the file first to refuse them.

        Args:
            name: the plan's name.
            frame: columns ``kpi``, ``date``, ``value`` and optionally ``group``
                and ``source`` (missing means ""), already validated.

        Returns:
            How many rows were added and how many updated.
        """
        count, rows = _measurement_rows(frame)
        with self._write() as db:
            added = self._backend.upsert_measurements(db, self._plan_id(db, name, lock=True), rows)
        return MeasurementCounts(added, count - added)

    def replace_measurements(self, name: str, frame: pd.DataFrame) -> MeasurementCounts:
        """Replace all of a plan's measurements with these, in one transaction.

        Returns:
            How many rows are now stored (as added; a repeated row of ``frame`` counts as updated).
        """
        count, rows = _measurement_rows(frame)
        with self._write() as db:
            plan_id = self._plan_id(db, name, lock=True)
            db.execute("DELETE FROM measurements WHERE plan_id = ?", (plan_id,))
            added = self._backend.upsert_measurements(db, plan_id, rows)
        return MeasurementCounts(added, count - added)

    def measurements(self, name: str, *, kpi: str | None = None) -> pd.DataFrame:
        """Return a plan's measurements, of all KPIs or one, sorted by KPI, date and group.

        Returns:
            Columns ``kpi``, ``date`` (datetime64), ``value`` (float), ``group``, ``source``.
        """
        import pandas as pd

        query = 'SELECT kpi, date, value, "group", source FROM measurements WHERE plan_id = ?'
        with self._read() as db:
            parameters: tuple[Any, ...] = (self._plan_id(db, name),)
            if kpi is not None:
                query += " AND kpi = ?"
                parameters += (kpi,)
            rows = db.execute(query + ' ORDER BY kpi, date, "group"', parameters).fetchall()
        frame = pd.DataFrame(rows, columns=list(MEASUREMENT_COLUMNS))
        return frame.astype({name: kind for name, kind in MEASUREMENT_TYPES.items() if name != "date"}).assign(
            date=pd.to_datetime(frame["date"].astype("str"), format="%Y-%m-%d")
        )


def _measurement_rows(frame: pd.DataFrame) -> tuple[int, tuple[list, ...]]:
    """Turn a measurements table into its number of rows and column lists for the insert.

    The columns are kpi, date (``YYYY-MM-DD``), value, group and source, sorted by KPI, date and group.
    """
    import numpy as np
    import pandas as pd

    missing = [c for c in REQUIRED_MEASUREMENT_COLUMNS if c not in frame.columns]
    if missing:
        raise PlanError.of("measurements_missing_columns", missing=[repr(c) for c in missing],
                           needed=list(REQUIRED_MEASUREMENT_COLUMNS))
    count = len(frame)
    # Rows in index order make the insert append to the index instead of
    # jumping around it, and keep a KPI's rows together in the file.
    frame = frame.assign(date=pd.to_datetime(frame["date"]).to_numpy().astype("datetime64[D]"))
    frame = frame.sort_values(["kpi", "date", "group"] if "group" in frame else ["kpi", "date"], kind="stable")
    codes, days = pd.factorize(frame["date"].to_numpy())  # few distinct dates: format each once
    day_text = np.datetime_as_string(np.asarray(days).astype("datetime64[D]"), unit="D")

    def text(column: str) -> list[str]:
        if column not in frame.columns:
            return [""] * count
        values = frame[column]
        return (values if values.dtype == "str" and not values.hasnans else values.fillna("").astype(str)).tolist()

    return count, (
        frame["kpi"].astype(str).tolist(),
        day_text[codes].tolist(),
        frame["value"].astype("float64").tolist(),
        text("group"),
        text("source"),
    )


def _upsert(db: Database, table: str, record: Any, model: type[Any]) -> None:
    """Add a register entry or a gift, or replace the one with its id (inside a write transaction)."""
    if not isinstance(record, model):
        raise PlanError.of("not_a_record", expected=model.__name__, kind=type(record).__name__)
    if table == "gifts":
        db.execute(
            "INSERT INTO gifts (id, plan, date, value) VALUES (?, ?, ?, ?) ON CONFLICT (id) "
            "DO UPDATE SET plan = excluded.plan, date = excluded.date, value = excluded.value",
            (record.id, record.plan, record.date.isoformat(), record.model_dump_json()),
        )
    else:
        db.execute(
            f"INSERT INTO {table} (id, name, value) VALUES (?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET name = excluded.name, value = excluded.value",
            (record.id, record.name, record.model_dump_json()),
        )


def copy_workspace(source: WorkspaceTarget, target: WorkspaceTarget) -> dict[str, int]:
    """Copy a whole workspace into a new, empty one, between SQLite and PostgreSQL either way.

    Everything is copied as it is: every plan (deleted ones too) with all its
    revisions (their ids, authors, times and notes), the measurements, the
    shared organisations, people and gifts, the workshop rooms with their
    activities and responses, and the settings. The copy is one
    transaction: if anything fails, the target is left as it was.

    Args:
        source: the workspace to copy (a file or a PostgreSQL URL); it is only read.
        target: a new workspace: a file not yet made, or an empty database.

    Returns:
        The number of rows copied, per table.
    """
    with Workspace.open(source, create=False) as origin, Workspace.open(target) as copy:
        return copy._fill_from(origin)


def opened_workspace(
    workspace: Workspace | str | os.PathLike[str], *, create: bool
) -> tuple[Workspace, bool]:
    """Return an open workspace and whether this call opened it (and so must close it).

    Args:
        workspace: an open Workspace (returned as it is), a workspace file or a PostgreSQL URL.
        create: make the workspace when it does not exist yet.
    """
    if isinstance(workspace, Workspace):
        return workspace, False
    return Workspace.open(workspace, create=create), True
