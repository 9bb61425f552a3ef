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

__all__ = ["Backend", "Database", "MEASUREMENT_TABLE_COLUMNS", "WorkspaceError"]

#: The columns of the measurements table, in the order a bulk write gives them.
MEASUREMENT_TABLE_COLUMNS = ("plan_id", "kpi", "date", "value", "group", "source")


class WorkspaceError(PlanError):
    """The workspace cannot be used: missing, damaged, not a workspace, too new, busy or unreachable."""


class Cursor(Protocol):
    """The rows of one statement (sqlite3's and psycopg's cursors both fit)."""

    description: Any  # one tuple per column, its name first

    def fetchone(self) -> Any: ...  # noqa: D102

    def fetchall(self) -> list[Any]: ...  # noqa: D102

    def __iter__(self) -> Iterator[Any]: ...  # noqa: D105


class Database(Protocol):
    """A connection inside a transaction: ``execute`` takes SQL with ``?`` parameters."""

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> Cursor: ...  # noqa: D102


class Backend(Protocol):
    """One open workspace on one engine: the connection and what differs between engines.

    Attributes:
        path: the workspace file (SQLite), or None.
        location: how messages name the workspace: its file, or its URL without the password.
        short_name: the file's or the database's name, for one-line messages.
        lock_plan: what ends the SELECT of a plan's row in a write, so writers of the same
            plan wait for each other (PostgreSQL's ``FOR UPDATE``; SQLite already lets one
            writer in at a time).
        duplicate: the exceptions a unique index raises (two plans of one name at once).
        found_version: the layout version the workspace had when opened (0 for a new one).
    """

    path: Path | None
    location: str
    short_name: str
    lock_plan: str
    duplicate: tuple[type[Exception], ...]
    found_version: int

    def write(self) -> AbstractContextManager[Database]:
        """Run a block as one write transaction; roll back on any error."""

    def read(self) -> AbstractContextManager[Database]:
        """Run a block of reads on one consistent snapshot."""

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
