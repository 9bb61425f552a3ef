"""The workspace file's layout, version by version, and the steps that bring an old file forward.

A workspace records its layout version in ``meta.schema_version``. Opening an
older file runs the missing steps of :data:`MIGRATIONS` in one transaction;
a file from a newer version is refused (see ``partnerlib.io.store``). A brand-new
file is simply a file at version 0 migrated to the latest version, so new and
upgraded workspaces always end up with exactly the same tables.

To change the layout: append a step (a tuple of SQL statements, or a function
taking the open connection) and never edit a step that has been released.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

__all__ = ["APPLICATION_ID", "MIGRATIONS", "SCHEMA_VERSION", "migrate"]

#: Written in the SQLite header (``PRAGMA application_id``): the bytes "PLNR".
#: It tells a partnerlib workspace apart from any other SQLite file.
APPLICATION_ID = 0x504C4E52

Step = Sequence[str] | Callable[[sqlite3.Connection], None]

#: Version 1, the first layout: plans, one row per saved section revision
#: (JSON), and measurements.
_V1 = (
    f"PRAGMA application_id = {APPLICATION_ID}",
    "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE plans (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        created TEXT NOT NULL,
        deleted TEXT
    )""",
    "CREATE UNIQUE INDEX plans_live_name ON plans (name) WHERE deleted IS NULL",
    """CREATE TABLE revisions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        section TEXT NOT NULL,
        saved_at TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        value TEXT NOT NULL CHECK (json_valid(value))
    )""",
    "CREATE INDEX revisions_plan_section ON revisions (plan_id, section, id)",
    # No foreign key here: checking it costs about a third of a large insert;
    # the store deletes a purged plan's measurements itself.
    """CREATE TABLE measurements (
        plan_id INTEGER NOT NULL,
        kpi TEXT NOT NULL,
        date TEXT NOT NULL,
        value REAL NOT NULL,
        "group" TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT ''
    )""",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
)

#: Version 2: a note on each revision, shared organisations and people, and
#: measurements indexed by (plan, KPI, date, group): the order they are read in.
_V2 = (
    "ALTER TABLE revisions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE organisations (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value))
    )""",
    """CREATE TABLE people (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value))
    )""",
    "CREATE INDEX measurements_plan_kpi_date ON measurements (plan_id, kpi, date, \"group\")",
)

#: Version 3: one value per (plan, KPI, date, group). Rows repeated by earlier
#: imports are resolved first, keeping the one inserted last (the largest rowid);
#: the unique index then replaces the plain index of version 2 (same columns,
#: same order, so reads are unchanged) and lets an import update a value in place.
_V3 = (
    """DELETE FROM measurements WHERE rowid NOT IN
        (SELECT max(rowid) FROM measurements GROUP BY plan_id, kpi, date, "group")""",
    "DROP INDEX measurements_plan_kpi_date",
    'CREATE UNIQUE INDEX measurements_one_value ON measurements (plan_id, kpi, date, "group")',
)

#: Version 4: gifts to the SSU plans, from organisations and people of the register.
_V4 = (
    """CREATE TABLE gifts (
        id TEXT PRIMARY KEY,
        plan TEXT NOT NULL,
        date TEXT NOT NULL,
        value TEXT NOT NULL CHECK (json_valid(value))
    )""",
    "CREATE INDEX gifts_plan_date ON gifts (plan, date)",
)

#: ``MIGRATIONS[n]`` brings a file from version ``n`` to ``n + 1``.
MIGRATIONS: tuple[Step, ...] = (_V1, _V2, _V3, _V4)
#: The layout this partnerlib writes: the number of migration steps.
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(connection: sqlite3.Connection, version: int) -> int:
    """Run the steps that bring a workspace from ``version`` to :data:`SCHEMA_VERSION`.

    The caller holds the write transaction, so either every step is applied or
    none is. The version in ``meta`` is updated at the end.

    Args:
        connection: an open connection inside ``BEGIN IMMEDIATE``.
        version: the file's current layout version (0 for an empty file).

    Returns:
        The new version, :data:`SCHEMA_VERSION`.
    """
    for step in MIGRATIONS[version:]:
        if callable(step):
            step(connection)
        else:
            for statement in step:
                connection.execute(statement)
    connection.execute(
        "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),)
    )
    return SCHEMA_VERSION
