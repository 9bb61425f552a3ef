"""The workspace in a PostgreSQL database: one store for many people on many machines (a JupyterHub).

A workspace named ``postgresql://user:password@host:port/database`` lives in
that database's tables (its current schema); the password may also come from
``PGPASSWORD`` or ``~/.pgpass``, as libpq reads them. Opening an empty database
makes the tables; opening an older layout brings it forward in one transaction
(PostgreSQL undoes the whole step if any part fails); a database holding other
tables, or a newer layout, is refused untouched.

Writers of the same plan take turns: a write locks the plan's row
(``SELECT … FOR UPDATE``) before it reads the latest revision, so a stale save
is refused exactly as on SQLite, while saves of different plans run side by
side. A lock not granted within :data:`BUSY_SECONDS` is reported as busy.
Measurements are copied into a temporary table (``COPY``) and merged with one
``INSERT … ON CONFLICT``. A process that dies mid-write leaves nothing: the
server rolls its transaction back.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import compress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.paths import shown_workspace
from .backend import MEASUREMENT_TABLE_COLUMNS, Database, WorkspaceError, measurement_upsert
from .migrations import (
    APPLICATION_ID,
    POSTGRESQL_MIGRATIONS,
    SCHEMA_VERSION,
    WORKSPACE_TABLES,
    migrate,
)

if TYPE_CHECKING:
    import psycopg

__all__ = ["BUSY_SECONDS", "PostgresqlBackend"]

#: Seconds a write waits for another one holding the same plan before giving up.
BUSY_SECONDS = 10.0
#: Seconds to wait for the server to answer when connecting.
CONNECT_SECONDS = 10

#: The session table measurements are copied into before they are merged.
_INCOMING = """CREATE TEMPORARY TABLE IF NOT EXISTS incoming_measurements (
    kpi TEXT COLLATE "C", date TEXT COLLATE "C", value DOUBLE PRECISION,
    "group" TEXT COLLATE "C", source TEXT
) ON COMMIT DELETE ROWS"""
#: The types of its columns, for a binary COPY.
_INCOMING_TYPES = ("text", "text", "float8", "text", "text")


@lru_cache(maxsize=256)
def _with_placeholders(sql: str) -> str:
    """Write the store's ``?`` parameters as psycopg's ``%s`` (and a literal ``%`` as ``%%``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def _first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]


class _Database:
    """A psycopg connection that takes the store's SQL (``?`` parameters)."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        if not parameters:
            return self.connection.execute(sql)
        return self.connection.execute(_with_placeholders(sql), parameters)


class PostgresqlBackend:
    """A workspace in a PostgreSQL database (see :class:`partnerlib.io.backend.Backend`)."""

    path: Path | None = None
    lock_plan = " FOR UPDATE"

    def __init__(self, url: str, connection: psycopg.Connection[Any]) -> None:
        import psycopg

        self.url = url
        self.location = shown_workspace(url)
        self.short_name = connection.info.dbname
        self.connection = connection
        self.duplicate = (psycopg.errors.UniqueViolation,)
        self.found_version = 0
        self._db = _Database(connection)
        self._lock = threading.RLock()
        self._depth = 0  # how many transactions (and savepoints) are under way

    @staticmethod
    def _connect(url: str) -> psycopg.Connection[Any]:
        import psycopg

        try:
            connection = psycopg.connect(
                url, autocommit=True, connect_timeout=CONNECT_SECONDS, application_name="partnerlib"
            )
        except psycopg.Error as error:
            raise WorkspaceError.of(
                "database_unreachable", workspace=shown_workspace(url), reason=_first_line(error)
            ) from None
        connection.execute(f"SET lock_timeout = {int(BUSY_SECONDS * 1000)}")
        return connection

    @classmethod
    def open(cls, url: str, *, create: bool) -> PostgresqlBackend:
        """Connect to the database named by ``url`` and check (or make, or bring forward) its tables."""
        connection = cls._connect(url)
        backend = cls(url, connection)
        try:
            backend._prepare(create=create)
        except BaseException:
            connection.close()
            raise
        return backend

    def _version(self, db: _Database) -> int | None:
        """Return the layout version in this schema: None when it holds no tables at all."""
        tables = {
            name
            for (name,) in db.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = current_schema()"
            )
        }
        if "meta" not in tables:
            if tables:
                raise WorkspaceError.of("database_not_a_workspace", workspace=self.location, tables=sorted(tables)[:5])
            return None
        row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise WorkspaceError.of(
                "workspace_too_new", workspace=self.location, version=version, newest=SCHEMA_VERSION
            )
        if version == SCHEMA_VERSION and not tables.issuperset(WORKSPACE_TABLES):
            missing = sorted(set(WORKSPACE_TABLES) - tables)
            raise WorkspaceError.of("database_tables_missing", workspace=self.location, tables=missing)
        return version

    def _prepare(self, *, create: bool) -> None:
        """Check the tables; make or migrate them (one process at a time) when they are missing or old."""
        with self.read() as db:
            version = self._version(db)
        if version is None and not create:
            raise WorkspaceError.of("database_empty", workspace=self.location)
        self.found_version = version or 0
        if version == SCHEMA_VERSION:
            return
        with self.write() as db:
            db.execute("SELECT pg_advisory_xact_lock(?)", (APPLICATION_ID,))
            version = self._version(db) or 0  # another process may have done it meanwhile
            if version < SCHEMA_VERSION:
                migrate(db, version, POSTGRESQL_MIGRATIONS)

    def close(self) -> None:
        """Close the connection (the database stays as it is)."""
        with self._lock:
            self.connection.close()

    @contextmanager
    def _transaction(self) -> Iterator[_Database]:
        """One transaction, or a savepoint of the one under way (psycopg nests them so)."""
        import psycopg

        with self._lock:
            if self.connection.broken and not self._depth:  # the server restarted, or dropped an idle session
                self.connection = self._connect(self.url)
                self._db = _Database(self.connection)
            try:
                with self.connection.transaction():
                    self._depth += 1
                    try:
                        yield self._db
                    finally:
                        self._depth -= 1
            except (psycopg.errors.LockNotAvailable, psycopg.errors.DeadlockDetected) as error:
                raise WorkspaceError.of(
                    "database_busy", workspace=self.location, reason=_first_line(error)
                ) from None
            except psycopg.OperationalError as error:
                raise WorkspaceError.of(
                    "database_connection_lost", workspace=self.location, reason=_first_line(error)
                ) from None

    @contextmanager
    def write(self) -> Iterator[_Database]:
        """Run a block as one write transaction; roll back on any error.

        Inside another write, the block is a savepoint of it (kept only when the outer one commits).
        """
        with self._transaction() as db:
            yield db

    @contextmanager
    def read(self) -> Iterator[_Database]:
        """Run a block of reads on one snapshot (REPEATABLE READ, READ ONLY); inside a write, on that transaction."""
        with self._lock:
            if self._depth:  # a write's own reads see what it has written so far
                yield self._db
                return
            with self._transaction() as db:
                db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                yield db

    @staticmethod
    def json_text(column: str, key: str) -> str:
        """SQL for a JSON object's text at ``key``."""
        return f"(({column})::json ->> '{key}')"

    @staticmethod
    def json_with(column: str, key: str) -> str:
        """SQL for the JSON object in ``column`` with ``key`` set to the next parameter (text)."""
        return f"jsonb_set(({column})::jsonb, '{{{key}}}', to_jsonb(CAST(? AS TEXT)))::text"

    @staticmethod
    def nocase(expression: str) -> str:
        """SQL sorting ``expression`` without regard to case."""
        return f"lower({expression})"

    def upsert_measurements(self, db: Database, plan_id: int, rows: Sequence[list[Any]]) -> int:
        """COPY measurements into a session table, then merge them; return how many are new.

        One INSERT cannot update a row twice, so of a repeated (KPI, date, group)
        only the last row is sent, as SQLite would have kept it. The rows come
        sorted by KPI, date and group (``store._measurement_rows``), so a repeated
        row is next to its twin: comparing neighbours finds it, at a third of the
        cost of hashing every key.
        """
        import numpy as np

        kpi, date, group = (np.array(rows[column], dtype=object) for column in (0, 1, 3))
        repeated = (kpi[1:] == kpi[:-1]) & (date[1:] == date[:-1]) & (group[1:] == group[:-1])
        if repeated.any():
            kept = np.append(~repeated, True)
            rows = [list(compress(column, kept)) for column in rows]
        db.execute(_INCOMING)
        db.execute("TRUNCATE incoming_measurements")  # emptied at commit, and here for a second call
        incoming = MEASUREMENT_TABLE_COLUMNS[1:]  # all but the plan's id
        self._copy("incoming_measurements", incoming, zip(*rows, strict=True), _INCOMING_TYPES)
        names = ", ".join(f'"{column}"' for column in incoming)
        result = db.execute(
            f"WITH written AS ({measurement_upsert(f'SELECT ?, {names} FROM incoming_measurements')} "
            "RETURNING xmax = 0 AS inserted) "
            "SELECT count(*) FILTER (WHERE inserted) FROM written",
            (plan_id,),
        ).fetchone()
        assert result is not None  # count(*) always gives one row
        (added,) = result
        return int(added)

    def bulk_insert(
        self, db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> None:
        """Insert many rows with COPY."""
        self._copy(table, columns, rows)

    def _copy(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
        types: Sequence[str] = (),
    ) -> None:
        """COPY rows into a table: as text, or in binary when the columns' types are given.

        Binary takes about half the client's time of text for measurements (no
        number formatting, no escaping), and a third less of the server's.
        """
        names = ", ".join(f'"{column}"' for column in columns)
        binary = " (FORMAT BINARY)" if types else ""
        with self.connection.cursor().copy(f"COPY {table} ({names}) FROM STDIN{binary}") as copy:
            if types:
                copy.set_types(types)
            for row in rows:
                copy.write_row(row)

    @staticmethod
    def continue_ids(db: Database, table: str) -> None:
        """Move the sequence of each identity column of ``table`` past the largest value there."""
        counted = db.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND table_name = ? AND is_identity = 'YES'",
            (table,),
        ).fetchall()
        for (column,) in counted:
            db.execute(
                f"SELECT setval(pg_get_serial_sequence(?, ?), coalesce(max({column}), 0) + 1, false) "
                f"FROM {table}",
                (table, column),
            )
