"""The workspace's layout, version by version, and the steps that bring an old one forward.

A workspace records its layout version in ``meta.schema_version``. Opening an
older workspace runs the missing steps in one transaction; one from a newer
version is refused (see ``partnerlib.io.store``). A brand-new workspace is
simply one at version 0 migrated to the latest version, so new and upgraded
workspaces always end up with exactly the same tables.

Each version has a step for SQLite (:data:`MIGRATIONS`) and its twin for
PostgreSQL (:data:`POSTGRESQL_MIGRATIONS`): the same tables, columns and
indexes in each engine's words. To change the layout: append a step to both
(a tuple of SQL statements, or a function taking the open connection) and
never edit a step that has been released.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

__all__ = [
    "APPLICATION_ID",
    "MIGRATIONS",
    "POSTGRESQL_MIGRATIONS",
    "SCHEMA_VERSION",
    "WORKSPACE_TABLES",
    "migrate",
]

#: Written in the SQLite header (``PRAGMA application_id``): the bytes "PLNR".
#: It tells a partnerlib workspace apart from any other SQLite file.
APPLICATION_ID = 0x504C4E52

Step = Sequence[str] | Callable[[Any], None]

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

#: Version 5: answers given in a workshop room, append-only. One row per
#: submission: when, which activity, the participant's anonymous id, their
#: partner organisation, a name only when the activity asks for one, and the
#: answers as JSON. A participant who answers again adds a row; the latest counts.
_V5 = (
    """CREATE TABLE responses (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        activity TEXT NOT NULL,
        received TEXT NOT NULL,
        participant TEXT NOT NULL,
        party TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        answers TEXT NOT NULL CHECK (json_valid(answers))
    )""",
    "CREATE INDEX responses_plan_activity ON responses (plan_id, activity, id)",
)

#: Version 6: workshop rooms and their activities, so a room started again (a laptop that
#: slept, a crash) keeps its links and which activities are open. A plan's latest room is the
#: one resumed; its two keys are kept as they were given out (whoever can read the workspace
#: can change the plan anyway). An activity keeps what rebuilds it from the plan (its kind,
#: title and options as JSON), whether it is open and shown, and what was accepted from it.
_V6 = (
    """CREATE TABLE rooms (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        opened TEXT NOT NULL,
        token TEXT NOT NULL,
        secret TEXT NOT NULL
    )""",
    "CREATE INDEX rooms_plan ON rooms (plan_id, id)",
    """CREATE TABLE activities (
        room_id INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        id TEXT NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        options TEXT NOT NULL CHECK (json_valid(options)),
        is_open INTEGER NOT NULL DEFAULT 0,
        shown INTEGER NOT NULL DEFAULT 0,
        accepted TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(accepted)),
        PRIMARY KEY (room_id, id)
    )""",
)

#: ``MIGRATIONS[n]`` brings a file from version ``n`` to ``n + 1``.
MIGRATIONS: tuple[Step, ...] = (_V1, _V2, _V3, _V4, _V5, _V6)
#: The layout this partnerlib writes: the number of migration steps.
SCHEMA_VERSION = len(MIGRATIONS)
#: The tables of that layout, each before those that refer to it (the order a copy fills them).
WORKSPACE_TABLES = (
    "meta", "plans", "revisions", "measurements", "organisations", "people", "gifts", "responses", "rooms",
    "activities",
)

# PostgreSQL twins of the steps above. Text compared or sorted (names, KPIs,
# dates, groups) uses the "C" collation, bytewise as SQLite's default, so both
# engines sort and match the same; ids count up from an identity column as
# SQLite's AUTOINCREMENT does; values are double precision (SQLite's REAL).
# Revision values stay text, byte for byte as saved (jsonb would reorder keys).

_POSTGRESQL_V1 = (
    "CREATE TABLE meta (key TEXT COLLATE \"C\" PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE plans (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        created TEXT NOT NULL,
        deleted TEXT
    )""",
    "CREATE UNIQUE INDEX plans_live_name ON plans (name) WHERE deleted IS NULL",
    """CREATE TABLE revisions (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        section TEXT COLLATE "C" NOT NULL,
        saved_at TEXT NOT NULL,
        author TEXT NOT NULL DEFAULT '',
        value TEXT NOT NULL
    )""",
    "CREATE INDEX revisions_plan_section ON revisions (plan_id, section, id)",
    """CREATE TABLE measurements (
        plan_id BIGINT NOT NULL,
        kpi TEXT COLLATE "C" NOT NULL,
        date TEXT COLLATE "C" NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        "group" TEXT COLLATE "C" NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT ''
    )""",
    "INSERT INTO meta (key, value) VALUES ('schema_version', '1')",
)

_POSTGRESQL_V2 = (
    "ALTER TABLE revisions ADD COLUMN note TEXT NOT NULL DEFAULT ''",
    """CREATE TABLE organisations (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE people (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        value TEXT NOT NULL
    )""",
    'CREATE INDEX measurements_plan_kpi_date ON measurements (plan_id, kpi, date, "group")',
)

_POSTGRESQL_V3 = (
    """DELETE FROM measurements WHERE ctid NOT IN
        (SELECT max(ctid) FROM measurements GROUP BY plan_id, kpi, date, "group")""",
    "DROP INDEX measurements_plan_kpi_date",
    'CREATE UNIQUE INDEX measurements_one_value ON measurements (plan_id, kpi, date, "group")',
)

_POSTGRESQL_V4 = (
    """CREATE TABLE gifts (
        id TEXT COLLATE "C" PRIMARY KEY,
        plan TEXT COLLATE "C" NOT NULL,
        date TEXT COLLATE "C" NOT NULL,
        value TEXT NOT NULL
    )""",
    "CREATE INDEX gifts_plan_date ON gifts (plan, date)",
)

_POSTGRESQL_V5 = (
    """CREATE TABLE responses (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        activity TEXT COLLATE "C" NOT NULL,
        received TEXT NOT NULL,
        participant TEXT NOT NULL,
        party TEXT NOT NULL DEFAULT '',
        name TEXT NOT NULL DEFAULT '',
        answers TEXT NOT NULL
    )""",
    "CREATE INDEX responses_plan_activity ON responses (plan_id, activity, id)",
)

_POSTGRESQL_V6 = (
    """CREATE TABLE rooms (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        plan_id BIGINT NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
        opened TEXT NOT NULL,
        token TEXT NOT NULL,
        secret TEXT NOT NULL
    )""",
    "CREATE INDEX rooms_plan ON rooms (plan_id, id)",
    """CREATE TABLE activities (
        room_id BIGINT NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
        id TEXT COLLATE "C" NOT NULL,
        position INTEGER NOT NULL,
        kind TEXT NOT NULL,
        title TEXT NOT NULL,
        options TEXT NOT NULL,
        is_open INTEGER NOT NULL DEFAULT 0,
        shown INTEGER NOT NULL DEFAULT 0,
        accepted TEXT NOT NULL DEFAULT '{}',
        PRIMARY KEY (room_id, id)
    )""",
)

#: ``POSTGRESQL_MIGRATIONS[n]`` brings a PostgreSQL workspace from version ``n`` to ``n + 1``.
POSTGRESQL_MIGRATIONS: tuple[Step, ...] = (
    _POSTGRESQL_V1, _POSTGRESQL_V2, _POSTGRESQL_V3, _POSTGRESQL_V4, _POSTGRESQL_V5, _POSTGRESQL_V6,
)


def migrate(connection: Any, version: int, steps: Sequence[Step] = MIGRATIONS) -> int:
    """Run the steps that bring a workspace from ``version`` to :data:`SCHEMA_VERSION`.

    The caller holds the write transaction, so either every step is applied or
    none is. The version in ``meta`` is updated at the end.

    Args:
        connection: an open connection inside the write transaction (SQLite's
            ``BEGIN IMMEDIATE``, or a PostgreSQL transaction holding the workspace's lock).
        version: the workspace's current layout version (0 for an empty one).
        steps: :data:`MIGRATIONS` for SQLite, :data:`POSTGRESQL_MIGRATIONS` for PostgreSQL.

    Returns:
        The new version, :data:`SCHEMA_VERSION`.
    """
    for step in steps[version:]:
        if callable(step):
            step(connection)
        else:
            for statement in step:
                connection.execute(statement)
    connection.execute(f"UPDATE meta SET value = '{SCHEMA_VERSION}' WHERE key = 'schema_version'")
    return SCHEMA_VERSION
