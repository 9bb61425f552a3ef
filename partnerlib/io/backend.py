"""What differs between the engines a workspace can live in: SQLite (a file) and PostgreSQL (a server).

The workspace (``partnerlib.io.store.Workspace``) holds every rule of the
store — revisions, stale saves, soft delete, measurements — and speaks one SQL
that both engines understand, with ``?`` for each parameter. A backend gives it
what is not common: connecting and checking the workspace, transactions, how
writers wait for each other, a few words of SQL, and bulk writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any, Protocol

from ..core.problems import PlanError

__all__ = [
    "Backend",
    "Database",
    "MEASUREMENT_KEY",
    "MEASUREMENT_TABLE_COLUMNS",
    "WorkspaceError",
    "measurement_upsert",
]

#: The columns of the measurements table, in the order a bulk write gives them.
MEASUREMENT_TABLE_COLUMNS = ("plan_id", "kpi", "date", "value", "group", "source")
#: What one stored measurement is known by: a plan has one value per KPI, date and group (a unique index).
MEASUREMENT_KEY = ("plan_id", "kpi", "date", "group")


def measurement_upsert(rows: str) -> str:
    """Return the statement that writes measurements, which both engines speak.

    ``rows`` is the VALUES or SELECT giving :data:`MEASUREMENT_TABLE_COLUMNS`;
    a row of a (plan, KPI, date, group) already stored updates its value and source.

    >>> print(measurement_upsert("VALUES (?, ?, ?, ?, ?, ?)"))
    INSERT INTO measurements ("plan_id", "kpi", "date", "value", "group", "source") VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT ("plan_id", "kpi", "date", "group") DO UPDATE SET "value" = excluded."value",
    "source" = excluded."source"
    """
    columns = ", ".join(f'"{column}"' for column in MEASUREMENT_TABLE_COLUMNS)
    key = ", ".join(f'"{column}"' for column in MEASUREMENT_KEY)
    updated = ", ".join(
        f'"{column}" = excluded."{column}"' for column in MEASUREMENT_TABLE_COLUMNS if column not in MEASUREMENT_KEY
    )
    return f"INSERT INTO measurements ({columns}) {rows} ON CONFLICT ({key}) DO UPDATE SET {updated}"


class WorkspaceError(PlanError):
    """The workspace cannot be used: missing, damaged, not a workspace, too new, busy or unreachable."""


class Cursor(Protocol):
    """The rows of one statement (sqlite3's and psycopg's cursors both fit)."""

    @property
    def description(self) -> Any:
        """One tuple per column, its name first."""

    def fetchone(self) -> Any: ...  # noqa: D102

    def fetchall(self) -> list[Any]: ...  # noqa: D102

    def __iter__(self) -> Iterator[Any]: ...  # noqa: D105


class Database(Protocol):
    """A connection inside a transaction: ``execute`` takes SQL with ``?`` parameters.

    The parameters are passed by position only, as sqlite3's connection and the
    PostgreSQL backend's wrapper both take them, so both fit this protocol as they are.
    """

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> Cursor: ...  # noqa: D102


class Backend(Protocol):
    """One open workspace on one engine: the connection and what differs between engines.

    ``SqliteBackend`` and ``PostgresqlBackend`` fit it as they are (the type
    checker verifies it where the workspace opens one): what the workspace reads
    is read-only here, and the database a transaction gives is a :class:`Database`.
    """

    @property
    def path(self) -> Path | None:
        """The workspace file (SQLite), or None."""

    @property
    def location(self) -> str:
        """How messages name the workspace: its file, or its URL without the password."""

    @property
    def short_name(self) -> str:
        """The file's or the database's name, for one-line messages."""

    @property
    def lock_plan(self) -> str:
        """What ends the SELECT of a plan's row in a write, so writers of the same plan wait for each other.

        PostgreSQL's ``FOR UPDATE``; SQLite already lets one writer in at a time.
        """

    @property
    def duplicate(self) -> tuple[type[Exception], ...]:
        """The exceptions a unique index raises (two plans of one name at once)."""

    @property
    def found_version(self) -> int:
        """The layout version the workspace had when opened (0 for a new one)."""

    def write(self) -> AbstractContextManager[Database]:
        """Run a block as one write transaction; roll back on any error.

        Inside another write the block is a savepoint of it: undone on an error,
        and kept only when the outer transaction commits.
        """

    def read(self) -> AbstractContextManager[Database]:
        """Run a block of reads on one consistent snapshot; inside a write, on that transaction."""

    def json_text(self, column: str, key: str) -> str:
        """SQL for the text of ``key`` in the JSON object held in ``column``."""

    def json_with(self, column: str, key: str) -> str:
        """SQL for the JSON object in ``column`` with ``key`` set to the next parameter (text)."""

    def nocase(self, expression: str) -> str:
        """SQL that sorts ``expression`` without regard to case."""

    def upsert_measurements(self, db: Database, plan_id: int, rows: Sequence[list[Any]]) -> int:
        """Write measurement columns (kpi, date, value, group, source); return how many rows are new.

        A row of a (KPI, date, group) already stored updates it; of a repeated one, the last wins.
        """

    def bulk_insert(
        self, db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert many rows at once, ids included (copying a workspace)."""

    def continue_ids(self, db: Database, table: str) -> None:
        """Make the next id of ``table`` follow the largest one there (after a bulk insert)."""

    def close(self) -> None:
        """Close the connection."""
