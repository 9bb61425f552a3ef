"""The workspace in one SQLite file: the default, for a laptop or a workshop on one machine.

Opening checks the file read-only first (a partnerlib workspace, not too new,
passing SQLite's quick check), so a damaged or foreign file is left byte for
byte as it was; an older one is copied aside and migrated. Writers take turns
(``BEGIN IMMEDIATE``, waiting up to :data:`BUSY_SECONDS`); readers see one
snapshot each, in WAL mode. A file on a network filesystem is refused: SQLite's
locks do not hold there (see ``partnerlib.io.mounts``).
"""

from __future__ import annotations

import os
import sqlite3
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Any

from .backend import Database, WorkspaceError, measurement_upsert
from .migrations import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION, migrate
from .mounts import MOUNTINFO, shared_mount

__all__ = ["BUSY_SECONDS", "SqliteBackend", "refuse_shared_mount"]

#: Seconds a save waits for another notebook's save to finish before giving up.
BUSY_SECONDS = 10.0


def refuse_shared_mount(path: Path, mountinfo: Path = MOUNTINFO) -> None:
    """Refuse a workspace file on a network or FUSE filesystem (Linux; elsewhere nothing is checked)."""
    if not sys.platform.startswith("linux") or not mountinfo.exists():
        return
    folder = path.resolve()
    while not folder.exists():  # a new file: the folder it will be made in
        folder = folder.parent
    mount = shared_mount(mountinfo.read_text(encoding="utf-8", errors="replace"), PurePosixPath(folder))
    if mount is not None:
        raise WorkspaceError.of("workspace_on_shared_drive", workspace=path, kind=mount.kind, source=mount.source,
                                point=mount.point)


def _check_workspace(path: Path) -> int:
    """Check, without writing a byte, that ``path`` is a healthy workspace; return its version."""
    extras = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    absent = [extra for extra in extras if not extra.exists()]
    try:
        return _read_version(path)
    except WorkspaceError:
        wal_empty = not extras[0].exists() or extras[0].stat().st_size == 0
        for extra in absent:  # SQLite made these while reading a file it then refused
            if wal_empty and extra.exists():
                extra.unlink()
        raise


def _read_version(path: Path) -> int:
    """Read a workspace's layout version read-only, refusing a foreign, too new or damaged file."""
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise WorkspaceError.of("cannot_open_workspace", workspace=path, reason=str(error)) from None
    try:
        (application_id,) = connection.execute("PRAGMA application_id").fetchone()
        has_meta = connection.execute(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if application_id != APPLICATION_ID or not has_meta:
            raise WorkspaceError.of("not_a_workspace_file", workspace=path)
        row = connection.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        version = int(row[0]) if row else 0
        if version > SCHEMA_VERSION:
            raise WorkspaceError.of("workspace_too_new", workspace=path, version=version, newest=SCHEMA_VERSION)
        problems = [r[0] for r in connection.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            raise WorkspaceError.of("workspace_damaged", workspace=path, reason="; ".join(problems))
        return version
    except (sqlite3.DatabaseError, ValueError) as error:
        raise WorkspaceError.of("workspace_unreadable", workspace=path, reason=str(error)) from None
    finally:
        connection.close()


def _back_up(path: Path, copy: Path) -> None:
    """Copy a workspace (with any changes still in its WAL file) before it is migrated."""
    source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


class SqliteBackend:
    """A workspace file opened with SQLite (see :class:`partnerlib.io.backend.Backend`)."""

    lock_plan = ""
    duplicate = (sqlite3.IntegrityError,)

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.location = str(path)
        self.short_name = path.name
        self.connection = connection
        self.found_version = 0
        self._lock = threading.RLock()

    @classmethod
    def open(cls, path: str | os.PathLike[str], *, create: bool) -> SqliteBackend:
        """Open a workspace file, making it if it does not exist and ``create`` is set.

        An older file is copied to ``<name>.v<old>-backup`` beside it and brought forward.
        """
        path = Path(path).expanduser()
        exists = path.exists() and path.stat().st_size > 0
        if not exists and not create:
            raise WorkspaceError.of("no_workspace", workspace=path)
        if path.exists() and not path.is_file():
            raise WorkspaceError.of("workspace_is_folder", workspace=path)
        refuse_shared_mount(path)
        version = _check_workspace(path) if exists else 0
        if not exists:
            path.parent.mkdir(parents=True, exist_ok=True)
        elif version < SCHEMA_VERSION:
            _back_up(path, path.with_name(f"{path.name}.v{version}-backup"))
        try:
            connection = sqlite3.connect(
                path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
            )
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_SECONDS * 1000)}")
            connection.execute("PRAGMA journal_mode = WAL")
            connection.execute("PRAGMA synchronous = NORMAL")
            connection.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as error:
            raise WorkspaceError.of("cannot_open_workspace", workspace=path, reason=str(error)) from None
        backend = cls(path, connection)
        backend.found_version = version
        if version < SCHEMA_VERSION:
            backend._upgrade()
        return backend

    def _upgrade(self) -> None:
        """Create the tables of a new file, or migrate an old one, in one transaction."""
        with self.write() as db:
            has_meta = db.execute(
                "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'"
            ).fetchone()
            row = has_meta and db.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'"
            ).fetchone()
            version = int(row[0]) if row else 0
            if version < SCHEMA_VERSION:  # another process may have done it meanwhile
                migrate(db, version, MIGRATIONS)

    def close(self) -> None:
        """Close the connection (the file stays as it is)."""
        with self._lock:
            self.connection.close()

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """Run a block as one write transaction (BEGIN IMMEDIATE); roll back on any error.

        Inside another write, the block is a savepoint of it (kept only when the outer one commits).
        """
        with self._lock:
            db = self.connection
            nested = db.in_transaction
            try:
                db.execute("SAVEPOINT nested" if nested else "BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                raise WorkspaceError.of("workspace_busy", workspace=self.path, reason=str(error)) from None
            try:
                yield db
            except BaseException:
                if db.in_transaction and nested:
                    db.execute("ROLLBACK TO nested")
                    db.execute("RELEASE nested")
                elif db.in_transaction:  # SQLite may have rolled back already (disk full …)
                    db.execute("ROLLBACK")
                raise
            db.execute("RELEASE nested" if nested else "COMMIT")

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """Run a block of reads on one consistent snapshot of the file; inside a write, on that transaction."""
        with self._lock:
            db = self.connection
            if db.in_transaction:  # a write's own reads see what it has written so far
                yield db
                return
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("COMMIT")

    @staticmethod
    def json_text(column: str, key: str) -> str:
        """SQL for a JSON object's text at ``key``."""
        return f"json_extract({column}, '$.{key}')"

    @staticmethod
    def json_with(column: str, key: str) -> str:
        """SQL for the JSON object in ``column`` with ``key`` set to the next parameter (text)."""
        return f"json_set({column}, '$.{key}', ?)"

    @staticmethod
    def nocase(expression: str) -> str:
        """SQL sorting ``expression`` without regard to (ASCII) case."""
        return f"{expression} COLLATE NOCASE"

    def upsert_measurements(self, db: Database, plan_id: int, rows: Sequence[list[Any]]) -> int:
        """Write measurements, updating those of the same KPI, date and group; return how many are new.

        ``db`` is this backend's connection inside :meth:`write`, so its own ``executemany`` is used.
        """
        # New rows get rowids above the largest one so far; an updated row keeps its own.
        (last,) = db.execute("SELECT coalesce(max(rowid), 0) FROM measurements").fetchone()
        self.connection.executemany(  # the plan id is our own integer: one parameter fewer per row
            measurement_upsert(f"VALUES ({int(plan_id)}, ?, ?, ?, ?, ?)"), zip(*rows, strict=True)
        )
        (added,) = db.execute("SELECT count(*) FROM measurements WHERE rowid > ?", (last,)).fetchone()
        return int(added)

    def bulk_insert(self, db: Database, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """Insert many rows with one prepared statement (on this backend's connection, as ``db`` is)."""
        names = ", ".join(f'"{column}"' for column in columns)
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)

    @staticmethod
    def continue_ids(db: Database, table: str) -> None:
        """Nothing to do: SQLite's AUTOINCREMENT follows the largest id inserted."""
