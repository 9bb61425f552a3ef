import datetime as dt
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from partnerlib import (
    InvalidInput,
    PlanError,
    PlanExists,
    PlanNotFound,
    StaleSave,
    Workspace,
    WorkspaceError,
    import_plan,
    import_workspace,
    plan_to_json,
)
from partnerlib.io.migrations import (
    MIGRATIONS,
    POSTGRESQL_MIGRATIONS,
    SCHEMA_VERSION,
    WORKSPACE_TABLES,
)
from partnerlib.io.organisation_files import ORGANISATION_FILE_FORMAT, ORGANISATION_FILE_VERSION
from partnerlib.io.store import Change, Response, RoomActivity, RoomKeys, copy_workspace
from partnerlib.models import (
    Goals,
    Kpi,
    Monitoring,
    Objective,
    Organisation,
    Person,
    Plan,
    PlanInfo,
    Risk,
    Risks,
)

AT = dt.datetime(2026, 11, 23, 14, 2, tzinfo=dt.UTC)
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def make_plan(name="Riverside"):
    return Plan(
        info=PlanInfo(name=name, organisation="Hope Trust", ssu_name="Riverside", as_of=AT.date()),
        goals=Goals(organisation_goal="Healthy families", objectives=[Objective(id="o1", title="Clinic")]),
        risks=Risks(
            risks=[
                Risk(id="r1", title="Floods", likelihood=2, impact=4),
                Risk(id="r2", title="Staff leave", likelihood=3, impact=3),
            ]
        ),
        monitoring=Monitoring(kpis=[Kpi(id="k1", name="Visits"), Kpi(id="k2", name="Referrals")]),
    )


def with_risks(plan, *risks):
    return plan.risks.model_copy(update={"risks": list(risks)})


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run_child(code, *args):
    """Run Python code in another process (a second notebook kernel, in effect)."""
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code), *map(str, args)],
        cwd=ROOT, capture_output=True, text=True, timeout=60, check=True,
    )



def query(target, sql):
    """Read rows straight from a workspace's database, beside the store."""
    if isinstance(target, str):
        import psycopg

        with psycopg.connect(target) as db:
            return [tuple(row) for row in db.execute(sql).fetchall()]
    db = sqlite3.connect(target)
    try:
        return db.execute(sql).fetchall()
    finally:
        db.close()


@pytest.fixture
def ws(workspace_target):
    with Workspace.open(workspace_target, clock=lambda: AT) as workspace:
        workspace.create_plan(make_plan(), author="Ben")
        yield workspace


# ---- plans -----------------------------------------------------------------


def test_new_plan_is_listed_with_its_details(ws):
    assert [(p.name, p.organisation, p.ssu_name, p.created, p.revisions, p.deleted) for p in ws.plans()] == [
        ("Riverside", "Hope Trust", "Riverside", AT, 12, None)
    ]


def test_a_plan_can_say_when_it_was_written(ws):
    written = dt.datetime(2026, 9, 30, 11, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    ws.create_plan(make_plan("Hillside"), saved_at=written)
    times = {revision.saved_at for revision in ws.history("Hillside")}
    created = next(p.created for p in ws.plans() if p.name == "Hillside")
    assert (times, created) == ({dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)}, written)


def test_a_written_time_without_a_time_zone_is_refused(ws):
    with pytest.raises(PlanError, match="saved_at needs a time zone"):
        ws.create_plan(make_plan("Hillside"), saved_at=dt.datetime(2026, 9, 30, 9, 0))
    assert [p.name for p in ws.plans()] == ["Riverside"]


def test_a_live_plan_name_cannot_be_used_twice(ws):
    with pytest.raises(PlanExists, match="already a plan called 'Riverside'"):
        ws.create_plan(make_plan())


def test_load_returns_the_plan_as_created(ws):
    assert ws.load("Riverside").plan == make_plan()


def test_load_gives_the_revision_of_every_section(ws):
    assert sorted(ws.load("Riverside").revisions.values()) == list(range(1, 13))


def test_an_unknown_plan_is_named_with_the_plans_there_are(ws):
    with pytest.raises(PlanNotFound, match=r"no plan called 'Rivrside'.*Did you mean 'Riverside'.*'Riverside'"):
        ws.load("Rivrside")


def test_copy_has_the_same_sections_under_the_new_name(ws):
    ws.copy_plan("Riverside", "Riverside 2027")
    expected = make_plan("Riverside 2027")
    assert ws.load("Riverside 2027").plan == expected


def test_copy_takes_the_measurements_along(ws):
    ws.add_measurements("Riverside", pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"], "value": [5.0]}))
    ws.copy_plan("Riverside", "Copy")
    assert ws.measurements("Copy")["value"].tolist() == [5.0]


def test_rename_moves_the_plan_to_the_new_name(ws):
    ws.rename_plan("Riverside", "Riverbank")
    assert ([p.name for p in ws.plans()], ws.load("Riverbank").plan.info.name) == (["Riverbank"], "Riverbank")


def test_rename_to_an_empty_name_is_refused(ws):
    with pytest.raises(PlanError, match="'name' must not be empty"):
        ws.rename_plan("Riverside", "  ")


def test_rename_onto_a_taken_name_is_refused(ws):
    ws.create_plan(make_plan("Hillside"))
    with pytest.raises(PlanExists, match="Hillside"):
        ws.rename_plan("Riverside", "Hillside")


def test_saving_the_details_with_a_new_name_renames(ws):
    snapshot = ws.load("Riverside")
    info = snapshot.plan.info.model_copy(update={"name": "Riverbank"})
    ws.save_section("Riverside", "info", info, base=snapshot.revisions["info"])
    assert [p.name for p in ws.plans()] == ["Riverbank"]


def test_deleted_plan_is_hidden_but_listed_with_deleted(ws):
    ws.delete_plan("Riverside")
    assert (ws.plans(), [(p.name, p.deleted) for p in ws.plans(include_deleted=True)]) == (
        [], [("Riverside", AT)]
    )


def test_undelete_brings_the_plan_back(ws):
    ws.delete_plan("Riverside")
    ws.undelete_plan("Riverside")
    assert ws.load("Riverside").plan == make_plan()


def test_a_live_plan_cannot_be_purged(ws):
    with pytest.raises(PlanNotFound, match="no deleted plan called 'Riverside'"):
        ws.purge_plan("Riverside")


def test_purge_removes_revisions_and_measurements(ws, workspace_target):
    ws.add_measurements("Riverside", pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"], "value": [5.0]}))
    ws.delete_plan("Riverside")
    ws.purge_plan("Riverside")
    counts = [query(workspace_target, f"SELECT count(*) FROM {t}")[0][0] for t in ("plans", "revisions", "measurements")]
    assert (counts, ws.plans(include_deleted=True)) == ([0, 0, 0], [])


# ---- a whole plan in one transaction (an import) ------------------------------------

#: Measurements a new plan brings along.
BROUGHT = pd.DataFrame({"kpi": ["k1", "k2"], "date": pd.to_datetime(["2026-01-31", "2026-02-28"]),
                        "value": [5.0, 7.5], "group": ["", "female"], "source": ["register", ""]})


def everything(target):
    """Every row of every table of a workspace, beside the store: what an import could leave behind."""
    return {table: sorted(map(repr, query(target, f"SELECT * FROM {table}"))) for table in WORKSPACE_TABLES}


def test_a_plan_is_created_with_its_measurements(ws):
    ws.create_plan(make_plan("Hillside"), measurements=BROUGHT)
    assert ws.measurements("Hillside").equals(BROUGHT)


def test_a_plan_created_in_place_of_another_deletes_it_softly(ws):
    ws.create_plan(make_plan(), measurements=BROUGHT, replace=True)
    assert ([p.deleted for p in ws.plans(include_deleted=True)], len(ws.measurements("Riverside"))) == (
        [None, AT], 2)


def test_a_plan_whose_measurements_fail_leaves_nothing(ws, workspace_target, monkeypatch):
    before = everything(workspace_target)

    def broken(*args):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(ws._backend, "upsert_measurements", broken)
    with pytest.raises(RuntimeError):
        ws.create_plan(make_plan(), measurements=BROUGHT, replace=True)
    assert everything(workspace_target) == before


def test_a_refused_plan_file_leaves_nothing(ws, workspace_target, tmp_path):
    path = tmp_path / "plan.json"
    document = json.loads(plan_to_json(make_plan(), BROUGHT))
    document["measurements"][1]["value"] = "many"
    path.write_text(json.dumps(document), encoding="utf-8")
    before = everything(workspace_target)
    with pytest.raises(InvalidInput):
        import_plan(ws, path, replace=True)
    assert everything(workspace_target) == before


def test_an_import_failing_as_it_writes_leaves_nothing(ws, workspace_target, tmp_path, monkeypatch):
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(make_plan(), BROUGHT), encoding="utf-8")
    before = everything(workspace_target)
    monkeypatch.setattr(ws._backend, "upsert_measurements", lambda *args: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        import_plan(ws, path, replace=True)
    assert everything(workspace_target) == before


#: A register entry an imported file brings along.
NIMBUS = Organisation(id="o9", name="Nimbus")


def plan_file(path):
    """A plan file of a new plan, with measurements and a register entry."""
    path.write_text(plan_to_json(make_plan("Hillside"), BROUGHT, [NIMBUS]), encoding="utf-8")
    return path


def organisation_file(path):
    """An organisation file of a new plan, with measurements, and a register entry."""
    plan = json.loads(plan_to_json(make_plan("Hillside"), BROUGHT))
    for key in ("exported_at", "organisations", "people", "gifts"):  # said once, for the whole file
        del plan[key]
    path.write_text(json.dumps({
        "format": ORGANISATION_FILE_FORMAT, "schema_version": ORGANISATION_FILE_VERSION, "plans": [plan],
        "organisations": [NIMBUS.model_dump(mode="json")],
    }), encoding="utf-8")
    return path


def written(ws):
    """What an import of :func:`plan_file` or :func:`organisation_file` adds: the plans, measurements, register."""
    plans = [p.name for p in ws.plans()]
    return plans, len(ws.measurements("Hillside")) if "Hillside" in plans else 0, [o.name for o in ws.organisations()]


#: (how a file is imported, a file bringing a plan, its measurements and a register entry)
IMPORTS = [(import_plan, plan_file), (import_workspace, organisation_file)]


@pytest.mark.parametrize(("importer", "write"), IMPORTS)
def test_an_import_writes_the_plan_its_measurements_and_its_register_entries(ws, tmp_path, importer, write):
    importer(ws, write(tmp_path / "import.json"))
    assert written(ws) == (["Hillside", "Riverside"], 2, ["Nimbus"])


@pytest.mark.parametrize(("importer", "write"), IMPORTS)
def test_an_import_failing_after_the_plan_is_created_leaves_no_plan_and_no_register_entry(
    ws, workspace_target, tmp_path, importer, write, monkeypatch
):
    path = write(tmp_path / "import.json")
    before = everything(workspace_target)
    seen = []  # what the import had written when it failed
    save_register = ws.save_register

    def saved_then_failing(*args, **kwargs):
        save_register(*args, **kwargs)
        seen.append(written(ws))
        raise RuntimeError("the connection dropped")

    monkeypatch.setattr(ws, "save_register", saved_then_failing)
    with pytest.raises(RuntimeError):
        importer(ws, path, replace=True)
    assert (seen, everything(workspace_target) == before) == ([(["Hillside", "Riverside"], 2, ["Nimbus"])], True)


def test_a_save_failing_inside_a_transaction_is_undone_alone(ws, monkeypatch):
    with ws.transaction():
        ws.save_organisation(NIMBUS)
        monkeypatch.setattr(ws._backend, "upsert_measurements", lambda *args: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            ws.create_plan(make_plan("Hillside"), measurements=BROUGHT)
        monkeypatch.undo()
        ws.create_plan(make_plan("Lakeside"))
    assert ([p.name for p in ws.plans()], [o.name for o in ws.organisations()]) == (["Lakeside", "Riverside"],
                                                                                    ["Nimbus"])


def test_a_plan_file_is_imported_in_place_of_the_plan(ws, tmp_path):
    path = tmp_path / "plan.json"
    path.write_text(plan_to_json(make_plan(), BROUGHT), encoding="utf-8")
    import_plan(ws, path, replace=True)
    assert ([p.deleted for p in ws.plans(include_deleted=True)], ws.measurements("Riverside").equals(BROUGHT)) == (
        [None, AT], True)


def test_text_stored_with_control_characters_loads_without_them(ws):
    text = make_plan().risks.model_dump_json().replace("Floods", "Flo\\u0000ods\\u000b")
    with ws._write() as db:  # as a partnerlib that did not refuse them yet saved it
        db.execute("UPDATE revisions SET value = ? WHERE section = 'risks'", (text,))
    assert ws.load("Riverside").plan.risks.risks[0].title == "Floods"


# ---- sections and revisions ---------------------------------------------------


def test_save_adds_a_revision_newest_first_in_history(ws):
    snapshot = ws.load("Riverside")
    risks = with_risks(snapshot.plan, Risk(id="r1", title="Floods", likelihood=5, impact=4))
    saved = ws.save_section("Riverside", "risks", risks, base=snapshot.revisions["risks"], author="Ana", note="Rains")
    assert [(r.id, r.author, r.note) for r in ws.history("Riverside", "risks")] == [
        (saved.id, "Ana", "Rains"), (snapshot.revisions["risks"], "Ben", "Created")
    ]


def test_history_of_the_whole_plan_is_newest_first(ws):
    ids = [r.id for r in ws.history("Riverside")]
    assert ids == sorted(ids, reverse=True) and len(ids) == 12


def test_the_saved_value_is_loaded_and_the_old_one_kept(ws):
    snapshot = ws.load("Riverside")
    risks = with_risks(snapshot.plan, Risk(id="r9", title="Fire"))
    ws.save_section("Riverside", "risks", risks, base=snapshot.revisions["risks"])
    assert (ws.load("Riverside").plan.risks, ws.revision("Riverside", snapshot.revisions["risks"])) == (
        risks, snapshot.plan.risks
    )


def test_an_identical_save_adds_no_revision(ws):
    snapshot = ws.load("Riverside")
    saved = ws.save_section("Riverside", "risks", snapshot.plan.risks, base=snapshot.revisions["risks"])
    assert (saved.id, len(ws.history("Riverside", "risks"))) == (snapshot.revisions["risks"], 1)


def test_a_section_of_the_wrong_kind_is_refused(ws):
    with pytest.raises(PlanError, match="Risk and conflict section must be a Risks"):
        ws.save_section("Riverside", "risks", Goals(), base=None)


def test_an_unknown_section_is_refused(ws):
    with pytest.raises(PlanError, match="'risk' is not a plan section"):
        ws.history("Riverside", "risk")


def test_stale_save_names_section_author_and_time(ws):
    snapshot = ws.load("Riverside")
    ws.save_section("Riverside", "risks", with_risks(snapshot.plan), base=snapshot.revisions["risks"], author="Ana")
    with pytest.raises(StaleSave) as refused:
        ws.save_section("Riverside", "risks", with_risks(snapshot.plan, Risk()), base=snapshot.revisions["risks"])
    assert str(refused.value) == (
        "Risk and conflict was saved by Ana at 2026-11-23 14:02 UTC after you opened it; "
        "reload to see their changes (nothing was saved)."
    )


def test_base_none_overwrites_deliberately(ws):
    snapshot = ws.load("Riverside")
    ws.save_section("Riverside", "risks", with_risks(snapshot.plan), base=snapshot.revisions["risks"])
    ws.save_section("Riverside", "risks", snapshot.plan.risks, base=None)
    assert ws.load("Riverside").plan.risks == snapshot.plan.risks


STALE_CHILD = """
    import sys
    from partnerlib import Workspace
    from partnerlib.models import Risk
    with Workspace.open(sys.argv[1]) as ws:
        snapshot = ws.load("Riverside")
        risks = snapshot.plan.risks.model_copy(update={"risks": [Risk(id="a1", title="Ana's risk")]})
        ws.save_section("Riverside", "risks", risks, base=snapshot.revisions["risks"], author="Ana")
"""


@pytest.mark.slow
def test_stale_save_from_another_process_is_refused_and_theirs_survives(ws, workspace_target):
    mine = ws.load("Riverside")
    run_child(STALE_CHILD, workspace_target)
    with pytest.raises(StaleSave, match="^Risk and conflict was saved by Ana at .* UTC after you opened it"):
        ws.save_section("Riverside", "risks", with_risks(mine.plan, Risk(id="b1")), base=mine.revisions["risks"])
    assert [r.title for r in ws.load("Riverside").plan.risks.risks] == ["Ana's risk"]


DIFF_CASES = [
    ("changed field", [Risk(id="r1", title="Floods", likelihood=2, impact=5), Risk(id="r2", title="Staff leave")],
     [Change("risks[1].impact", 4, 5)]),
    ("added row", [Risk(id="r1", title="Floods", likelihood=2, impact=4), Risk(id="r2", title="Staff leave"),
                   Risk(id="r3", title="Fire")],
     [Change("risks[3]", None, Risk(id="r3", title="Fire").model_dump())]),
    ("removed row", [Risk(id="r2", title="Staff leave")],
     [Change("risks[1]", Risk(id="r1", title="Floods", likelihood=2, impact=4).model_dump(), None)]),
    ("inserted row matched by id", [Risk(id="r0", title="Fire"), Risk(id="r1", title="Floods", likelihood=2, impact=4),
                                    Risk(id="r2", title="Staff leave")],
     [Change("risks[1]", None, Risk(id="r0", title="Fire").model_dump())]),
]


@pytest.mark.parametrize(("case", "risks", "expected"), DIFF_CASES, ids=[c[0] for c in DIFF_CASES])
def test_diff_names_the_changed_paths(ws, case, risks, expected):
    snapshot = ws.load("Riverside")
    saved = ws.save_section("Riverside", "risks", with_risks(snapshot.plan, *risks), base=snapshot.revisions["risks"])
    assert ws.diff("Riverside", snapshot.revisions["risks"], saved.id) == expected


def test_diff_of_two_sections_is_refused(ws):
    revisions = ws.load("Riverside").revisions
    with pytest.raises(PlanError, match="different sections"):
        ws.diff("Riverside", revisions["goals"], revisions["risks"])


def test_restore_makes_the_old_value_current_as_a_new_revision(ws):
    snapshot = ws.load("Riverside")
    ws.save_section("Riverside", "risks", with_risks(snapshot.plan), base=snapshot.revisions["risks"])
    restored = ws.restore("Riverside", snapshot.revisions["risks"], author="Ana")
    assert (ws.load("Riverside").plan.risks, [r.id for r in ws.history("Riverside", "risks")][0], restored.note) == (
        snapshot.plan.risks, restored.id, f"Restored revision {snapshot.revisions['risks']}"
    )


# ---- shared records -------------------------------------------------------------


def test_organisations_are_upserted_by_id(ws):
    ws.save_organisation(Organisation(id="o1", name="Clinic"))
    ws.save_organisation(Organisation(id="o1", name="Riverside Clinic"))
    ws.save_organisation(Organisation(id="o2", name="Church"))
    assert [(o.id, o.name) for o in ws.organisations()] == [("o2", "Church"), ("o1", "Riverside Clinic")]


def test_people_are_upserted_by_id(ws):
    ws.save_person(Person(id="p1", name="Ana"))
    ws.save_person(Person(id="p1", name="Ana Silva", role="Nurse"))
    assert ws.people() == [Person(id="p1", name="Ana Silva", role="Nurse")]


# ---- opening files ------------------------------------------------------------------


def test_a_missing_file_is_refused_without_create(tmp_path):
    with pytest.raises(WorkspaceError, match="There is no workspace at"):
        Workspace.open(tmp_path / "none.sqlite", create=False)


def test_a_new_file_gets_the_current_schema(tmp_path):
    Workspace.open(tmp_path / "new" / "w.sqlite").close()
    db = sqlite3.connect(tmp_path / "new" / "w.sqlite")
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    db.close()
    assert row == (str(SCHEMA_VERSION),)


TABLES_OF = {
    "sqlite": "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
    "postgresql": "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
}


def test_a_new_workspace_has_the_same_tables_on_each_engine(workspace_target):
    Workspace.open(workspace_target).close()
    engine = "postgresql" if isinstance(workspace_target, str) else "sqlite"
    assert [name for (name,) in query(workspace_target, TABLES_OF[engine])] == sorted(WORKSPACE_TABLES)


def test_each_engine_has_a_step_for_every_layout_version():
    assert len(POSTGRESQL_MIGRATIONS) == len(MIGRATIONS)


def _foreign_database(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (name TEXT)")
    db.commit()
    db.close()


def _truncated_workspace(path):
    with Workspace.open(path) as ws:
        for number in range(20):
            ws.create_plan(make_plan(f"Plan {number}"))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _newer_workspace(path):
    Workspace.open(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    db.commit()
    db.close()


BAD_FILES = [
    ("random bytes", lambda p: p.write_bytes(np.random.default_rng(1).bytes(40_000)), "damaged or is not a partnerlib"),
    ("text file", lambda p: p.write_text("name,value\nA,1\n" * 100), "damaged or is not a partnerlib"),
    ("truncated workspace", _truncated_workspace, "damaged"),
    ("another sqlite database", _foreign_database, "is not a partnerlib workspace"),
    ("newer workspace", _newer_workspace, "made by a newer partnerlib"),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_refused_naming_it(tmp_path, case, make, message):
    path = tmp_path / "w.sqlite"
    make(path)
    with pytest.raises(WorkspaceError, match=f"{path}.*{message}|{message}.*{path}"):
        Workspace.open(path)


@pytest.mark.parametrize(("case", "make", "message"), BAD_FILES, ids=[c[0] for c in BAD_FILES])
def test_a_bad_file_is_left_byte_for_byte_untouched(tmp_path, case, make, message):
    path = tmp_path / "w.sqlite"
    make(path)
    before = digest(path)
    with pytest.raises(WorkspaceError):
        Workspace.open(path)
    assert (digest(path), sorted(os.listdir(tmp_path))) == (before, ["w.sqlite"])


def _version_1_workspace(path, plan):
    """Write a workspace as the first partnerlib did, by hand: no notes, no shared records."""
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA application_id = 1347178066;  -- "PLNR"
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE plans (id INTEGER PRIMARY KEY, name TEXT NOT NULL, created TEXT NOT NULL, deleted TEXT);
        CREATE UNIQUE INDEX plans_live_name ON plans (name) WHERE deleted IS NULL;
        CREATE TABLE revisions (id INTEGER PRIMARY KEY AUTOINCREMENT,
            plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE, section TEXT NOT NULL,
            saved_at TEXT NOT NULL, author TEXT NOT NULL DEFAULT '', value TEXT NOT NULL);
        CREATE INDEX revisions_plan_section ON revisions (plan_id, section, id);
        CREATE TABLE measurements (plan_id INTEGER NOT NULL, kpi TEXT NOT NULL, date TEXT NOT NULL,
            value REAL NOT NULL, "group" TEXT NOT NULL DEFAULT '', source TEXT NOT NULL DEFAULT '');
        INSERT INTO meta VALUES ('schema_version', '1');
        INSERT INTO plans VALUES (1, 'Riverside', '2025-01-01T00:00:00+00:00', NULL);
        INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 7.5, '', 'register');
    """)
    for section in type(plan).model_fields:
        db.execute(
            "INSERT INTO revisions (plan_id, section, saved_at, author, value) VALUES (1, ?, ?, 'Ana', ?)",
            (section, "2025-01-01T00:00:00+00:00", getattr(plan, section).model_dump_json()),
        )
    db.commit()
    db.close()


def test_a_version_1_workspace_is_migrated_and_keeps_its_plan(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_1_workspace(path, make_plan())
    with Workspace.open(path) as ws:
        ws.save_person(Person(id="p1", name="Ana"))
        loaded = ws.load("Riverside").plan
        measured = ws.measurements("Riverside")["value"].tolist()
        notes = {r.note for r in ws.history("Riverside")}
    assert (loaded, measured, notes) == (make_plan(), [7.5], {""})


def _schema_version(path):
    db = sqlite3.connect(path)
    (version,) = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    db.close()
    return version


def test_migration_records_the_new_version_and_keeps_a_backup(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_1_workspace(path, make_plan())
    Workspace.open(path).close()
    assert (_schema_version(path), _schema_version(tmp_path / "old.sqlite.v1-backup")) == (str(SCHEMA_VERSION), "1")


# ---- workshop rooms and their responses ----------------------------------------------------


def test_responses_are_kept_in_the_order_received(ws):
    for number in range(3):
        ws.add_response("Riverside", Response("health-1", f"p{number}", {"trust": number + 1}, "us"))
    assert [(r.participant, r.answers, r.received) for r in ws.responses("Riverside", "health-1", after=1)] == [
        ("p1", {"trust": 2}, AT), ("p2", {"trust": 3}, AT)]


def test_a_plan_without_a_room_has_no_latest_room(ws):
    assert ws.latest_room("Riverside") is None


def test_the_latest_room_is_the_last_opened(ws):
    ws.new_room("Riverside", token="t1", secret="s1")
    second = ws.new_room("Riverside", token="t2", secret="s2")
    assert ws.latest_room("Riverside") == RoomKeys(second.id, "t2", "s2", AT)


SURVEY = RoomActivity("health-1", "health", "Health survey", {"items": ["a", "b"]})
ROOM_CASES = [
    ("started", [SURVEY], [SURVEY]),
    ("opened", [SURVEY, replace(SURVEY, is_open=True)], [replace(SURVEY, is_open=True)]),
    ("closed and shown", [replace(SURVEY, is_open=True), replace(SURVEY, shown=True)], [replace(SURVEY, shown=True)]),
    ("accepted", [replace(SURVEY, accepted={"trust": "médiane"})], [replace(SURVEY, accepted={"trust": "médiane"})]),
    ("two, in the order started", [replace(SURVEY, id="votes-2", kind="votes"), SURVEY, replace(SURVEY, is_open=True)],
     [replace(SURVEY, id="votes-2", kind="votes"), replace(SURVEY, is_open=True)]),
]


@pytest.mark.parametrize(("case", "saved", "found"), ROOM_CASES, ids=[c[0] for c in ROOM_CASES])
def test_a_rooms_activities_are_kept_as_they_stand(ws, case, saved, found):
    room = ws.new_room("Riverside", token="t", secret="s")
    for activity in saved:
        ws.save_activity(room.id, activity)
    assert ws.room_activities(room.id) == found


def test_another_rooms_activities_are_its_own(ws):
    first = ws.new_room("Riverside", token="t1", secret="s1")
    ws.save_activity(first.id, SURVEY)
    assert ws.room_activities(ws.new_room("Riverside", token="t2", secret="s2").id) == []


def test_a_purged_plan_takes_its_rooms_and_responses_along(ws, workspace_target):
    room = ws.new_room("Riverside", token="t", secret="s")
    ws.save_activity(room.id, SURVEY)
    ws.add_response("Riverside", Response("health-1", "p1", {"trust": 4}))
    ws.delete_plan("Riverside")
    ws.purge_plan("Riverside")
    counts = [query(workspace_target, f"SELECT count(*) FROM {t}")[0][0] for t in ("rooms", "activities", "responses")]
    assert counts == [0, 0, 0]


# ---- many processes at once ---------------------------------------------------------------

WRITER = 20

WRITER_CHILD = """
    import json, sys
    import pandas as pd
    from partnerlib import StaleSave, Workspace
    from partnerlib.models import Risk
    target, number = sys.argv[1], int(sys.argv[2])
    with Workspace.open(target) as ws:
        snapshot = ws.load("Riverside")
        print("ready", flush=True)
        sys.stdin.readline()  # every writer saves at the same moment, on top of the same revision
        risks = snapshot.plan.risks.model_copy(update={"risks": [Risk(id=f"w{number}", title=f"Writer {number}")]})
        try:
            saved = ws.save_section("Riverside", "risks", risks, base=snapshot.revisions["risks"], author=f"w{number}")
        except StaleSave:
            saved = None
        first_try = saved is not None
        frame = pd.DataFrame({"kpi": [f"k{number}"] * 50 + ["shared"] * 50, "value": float(number),
                              "date": list(pd.date_range("2026-01-01", periods=50)) * 2})
        counts = ws.add_measurements("Riverside", frame)
        while saved is None:  # as a person would: reload, then save again
            snapshot = ws.load("Riverside")
            try:
                saved = ws.save_section("Riverside", "risks", risks, base=snapshot.revisions["risks"],
                                        author=f"w{number}")
            except StaleSave:
                pass
        print(json.dumps({"first_try": first_try, "revision": saved.id, "added": counts.added,
                          "updated": counts.updated}), flush=True)
"""


def test_twenty_processes_saving_and_importing_at_once_lose_nothing(ws, workspace_target):
    children = [
        subprocess.Popen([sys.executable, "-c", textwrap.dedent(WRITER_CHILD), str(workspace_target), str(number)],
                         cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for number in range(WRITER)
    ]
    ready = [child.stdout.readline().strip() for child in children]
    for child in children:
        child.stdin.write("go\n")
        child.stdin.flush()
    said = [json.loads(child.communicate(timeout=300)[0]) for child in children]
    saved = {number: ws.revision("Riverside", result["revision"]).risks[0].title for number, result in enumerate(said)}
    shared = ws.measurements("Riverside", kpi="shared")["value"]
    assert (
        ready,
        [child.returncode for child in children],
        sum(result["first_try"] for result in said),  # one save lands; the others were stale and said so
        saved,  # every acknowledged save is there, as it was saved
        len(ws.history("Riverside", "risks")),
        (sum(r["added"] for r in said), sum(r["updated"] for r in said), len(ws.measurements("Riverside"))),
        shared.nunique(),  # the shared rows all come from one import: none was half applied
    ) == (
        ["ready"] * WRITER,
        [0] * WRITER,
        1,
        {number: f"Writer {number}" for number in range(WRITER)},
        1 + WRITER,
        (WRITER * 50 + 50, (WRITER - 1) * 50, WRITER * 50 + 50),
        1,
    )


# ---- crashes -----------------------------------------------------------------------

KILLED_CHILD = """
    import sys, time
    import numpy as np, pandas as pd
    from partnerlib import Workspace
    from partnerlib.models import Risk, Risks
    rows = int(sys.argv[2])
    frame = pd.DataFrame({"kpi": np.repeat(["k1", "k2"], rows // 2),
                          "date": np.tile(pd.date_range("2000-01-01", periods=rows // 2, freq="D"), 2),
                          "value": np.arange(rows, dtype=float)})
    with Workspace.open(sys.argv[1]) as ws:
        for number in range(2):
            ws.save_section("Riverside", "risks", Risks(risks=[Risk(id="r1", title=f"Round {number}")]),
                            base=None)
            if number == 0:
                ws.add_measurements("Riverside", frame)
        calls = 0

        def pause():  # SQLite calls this every 1,000 steps of the insert (about 35 rows)
            global calls
            calls += ws._backend.connection.in_transaction
            if calls == 3000:  # some 100,000 rows in, more than the page cache holds
                print("inserting", flush=True)
                time.sleep(60)
            return 0

        ws._backend.connection.set_progress_handler(pause, 1000)
        ws.add_measurements("Riverside", frame)
        print("finished", flush=True)
"""


@pytest.mark.slow
def test_a_process_killed_mid_insert_leaves_the_last_commit_intact(tmp_path):
    ws = Workspace.open(tmp_path / "workspace.sqlite")
    ws.create_plan(make_plan())
    rows = 150_000
    child = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(KILLED_CHILD), str(ws.path), str(rows)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    said = child.stdout.readline().strip()
    child.send_signal(signal.SIGKILL)
    child.wait()
    child.stdout.close()
    ws.close()
    with Workspace.open(ws.path) as again:  # as the user would, straight after the crash
        title = again.load("Riverside").plan.risks.risks[0].title
        count = len(again.measurements("Riverside"))
    db = sqlite3.connect(ws.path)
    integrity = db.execute("PRAGMA integrity_check").fetchall()
    db.close()
    assert (said, child.returncode, integrity, count, title) == (
        "inserting", -signal.SIGKILL, [("ok",)], rows, "Round 1"
    )


# ---- measurements ---------------------------------------------------------------------


def test_measurements_round_trip_sorted_with_missing_columns_empty(ws):
    frame = pd.DataFrame({
        "kpi": ["k2", "k1", "k1"],
        "date": pd.to_datetime(["2026-03-31", "2026-02-28", "2026-01-31"]),
        "value": [3.0, 2.0, 1.5],
    })
    assert ws.add_measurements("Riverside", frame) == (3, 0)
    assert ws.measurements("Riverside").to_dict("list") == {
        "kpi": ["k1", "k1", "k2"],
        "date": list(pd.to_datetime(["2026-01-31", "2026-02-28", "2026-03-31"])),
        "value": [1.5, 2.0, 3.0],
        "group": ["", "", ""],
        "source": ["", "", ""],
    }


def test_measurements_of_one_kpi(ws):
    frame = pd.DataFrame({"kpi": ["k1", "k2"], "date": [dt.date(2026, 1, 1)] * 2, "value": [1, 2],
                          "group": ["female", "male"], "source": ["register", "survey"]})
    ws.add_measurements("Riverside", frame)
    assert ws.measurements("Riverside", kpi="k2")[["kpi", "value", "group", "source"]].values.tolist() == [
        ["k2", 2.0, "male", "survey"]
    ]


def test_measurement_dtypes(ws):
    ws.add_measurements("Riverside", pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"], "value": [1]}))
    dtypes = ws.measurements("Riverside").dtypes
    assert (pd.api.types.is_datetime64_dtype(dtypes["date"]), dtypes["value"]) == (True, np.dtype("float64"))


def test_no_measurements_is_an_empty_table_with_the_columns(ws):
    assert list(ws.measurements("Riverside").columns) == ["kpi", "date", "value", "group", "source"]


def test_replace_measurements_drops_the_old_ones(ws):
    ws.add_measurements("Riverside", pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"], "value": [1.0]}))
    ws.replace_measurements("Riverside", pd.DataFrame({"kpi": ["k2"], "date": ["2026-02-28"], "value": [9.0]}))
    assert ws.measurements("Riverside")["kpi"].tolist() == ["k2"]


def test_an_empty_measurements_table_adds_nothing(ws):
    empty = pd.DataFrame({"kpi": [], "date": pd.to_datetime([]), "value": []})
    assert (ws.add_measurements("Riverside", empty), len(ws.measurements("Riverside"))) == ((0, 0), 0)


def test_measurements_without_a_value_column_are_refused(ws):
    with pytest.raises(PlanError, match="no 'value' column"):
        ws.add_measurements("Riverside", pd.DataFrame({"kpi": ["k1"], "date": ["2026-01-31"]}))


def test_a_million_measurements_are_stored(ws):
    rows = 1_000_000
    rng = np.random.default_rng(7)
    frame = pd.DataFrame({
        "kpi": np.repeat([f"k{n}" for n in range(10)], rows // 10),
        "date": np.tile(pd.date_range("2000-01-01", periods=rows // 20, freq="D"), 20),
        "value": rng.random(rows),
        "group": np.tile(np.repeat(["female", "male"], rows // 20), 10),
    }).sample(frac=1, random_state=7)
    stored = ws.add_measurements("Riverside", frame)
    one = ws.measurements("Riverside", kpi="k3")
    expected = frame[frame["kpi"] == "k3"]
    assert (stored, len(one), one["value"].sum()) == (
        (rows, 0), len(expected), pytest.approx(expected["value"].sum())
    )


MEASUREMENT_WRITES = [
    # (first write, second write, counts of the second, values stored after both)
    ("same rows again", [("k1", "2026-01-31", "", 1.0)], [("k1", "2026-01-31", "", 2.0)], (0, 1), [2.0]),
    ("another date", [("k1", "2026-01-31", "", 1.0)], [("k1", "2026-02-28", "", 2.0)], (1, 0), [1.0, 2.0]),
    ("another group", [("k1", "2026-01-31", "f", 1.0)], [("k1", "2026-01-31", "m", 2.0)], (1, 0), [1.0, 2.0]),
    ("one new, one old", [("k1", "2026-01-31", "", 1.0)],
     [("k1", "2026-01-31", "", 3.0), ("k2", "2026-01-31", "", 4.0)], (1, 1), [3.0, 4.0]),
    ("repeated inside the frame: last wins", [], [("k1", "2026-01-31", "", 1.0), ("k1", "2026-01-31", "", 5.0)],
     (1, 1), [5.0]),
]


def _frame(rows):
    return pd.DataFrame(rows, columns=["kpi", "date", "group", "value"]).assign(source="file")


@pytest.mark.parametrize(("case", "first", "second", "counts", "values"), MEASUREMENT_WRITES,
                         ids=[c[0] for c in MEASUREMENT_WRITES])
def test_adding_measurements_updates_the_same_kpi_date_and_group(ws, case, first, second, counts, values):
    if first:
        ws.add_measurements("Riverside", _frame(first))
    written = ws.add_measurements("Riverside", _frame(second))
    assert (written, ws.measurements("Riverside")["value"].tolist()) == (counts, values)


def test_an_updated_measurement_takes_the_new_source(ws):
    ws.add_measurements("Riverside", _frame([("k1", "2026-01-31", "", 1.0)]))
    ws.add_measurements("Riverside", _frame([("k1", "2026-01-31", "", 2.0)]).assign(source="survey"))
    assert ws.measurements("Riverside")["source"].tolist() == ["survey"]


def test_importing_the_same_measurements_twice_keeps_one_of_each(ws):
    frame = _frame([("k1", f"2026-01-{day:02d}", "", float(day)) for day in range(1, 31)])
    ws.add_measurements("Riverside", frame)
    assert (ws.add_measurements("Riverside", frame), len(ws.measurements("Riverside"))) == ((0, 30), 30)


def test_a_version_2_workspace_with_repeated_measurements_keeps_the_last_inserted(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_1_workspace(path, make_plan())
    db = sqlite3.connect(path)
    db.executescript("""
        INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 8.5, '', 'second import');
        INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 9.5, 'f', 'other group');
        INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 10.5, '', 'third import');
    """)
    db.commit()
    db.close()
    with Workspace.open(path) as ws:
        stored = ws.measurements("Riverside")[["group", "value", "source"]].values.tolist()
    assert stored == [["", 10.5, "third import"], ["f", 9.5, "other group"]]


def test_a_migrated_workspace_refuses_a_second_value_for_the_same_kpi_date_and_group(tmp_path):
    path = tmp_path / "old.sqlite"
    _version_1_workspace(path, make_plan())
    Workspace.open(path).close()
    db = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        db.execute("INSERT INTO measurements VALUES (1, 'k1', '2025-02-01', 1.0, '', '')")
    db.close()


# ---- copying a whole workspace ------------------------------------------------------------


def _full_workspace(target):
    """A workspace using every table: plans (one deleted), revisions with notes, records, settings, a room."""
    with Workspace.open(target, clock=lambda: AT) as ws:
        ws.create_plan(make_plan(), author="Ben")
        snapshot = ws.load("Riverside")
        ws.save_section("Riverside", "risks", with_risks(snapshot.plan), base=snapshot.revisions["risks"],
                        author="Ana", note="No risks left")
        ws.restore("Riverside", snapshot.revisions["risks"], author="Ben")
        ws.create_plan(make_plan("Old plan"))
        ws.delete_plan("Old plan")
        ws.add_measurements("Riverside", _frame([("k1", "2026-01-31", "f", 1.5), ("k2", "2026-02-28", "", 2.0)]))
        ws.save_organisation(Organisation(id="o1", name="Clinic"))
        ws.save_person(Person(id="p1", name="Ana"))
        ws.set_setting("current_plan", "Riverside")
        room = ws.new_room("Riverside", token="t", secret="s")
        ws.save_activity(room.id, RoomActivity("health-1", "health", "Health survey", is_open=True))
        ws.add_response("Riverside", Response("health-1", "p1", {"trust": 4, "comment": "=1+1"}, "us"))


def _tables(target):
    return {table: sorted(query(target, f"SELECT * FROM {table}")) for table in WORKSPACE_TABLES}


def test_a_workspace_copied_to_postgresql_and_back_keeps_every_row(tmp_path, postgres_url):
    _full_workspace(tmp_path / "first.sqlite")
    copied = copy_workspace(tmp_path / "first.sqlite", postgres_url)
    copy_workspace(postgres_url, tmp_path / "again.sqlite")
    assert (copied["revisions"], _tables(postgres_url), _tables(tmp_path / "again.sqlite")) == (
        26, _tables(tmp_path / "first.sqlite"), _tables(tmp_path / "first.sqlite")
    )


def test_a_copy_goes_on_counting_revisions_after_the_last_one_copied(workspace_target, tmp_path):
    _full_workspace(tmp_path / "first.sqlite")
    copy_workspace(tmp_path / "first.sqlite", workspace_target)
    with Workspace.open(workspace_target) as ws:
        snapshot = ws.load("Riverside")
        saved = ws.save_section("Riverside", "risks", with_risks(snapshot.plan, Risk(id="r7")),
                                base=snapshot.revisions["risks"])
    assert saved.id == 27


def test_a_copy_into_a_workspace_with_plans_is_refused(workspace_target, tmp_path):
    _full_workspace(tmp_path / "first.sqlite")
    with Workspace.open(workspace_target) as ws:
        ws.create_plan(make_plan("Mine"))
    with pytest.raises(WorkspaceError, match="already holds plans, revisions: copy into a new file or an empty"):
        copy_workspace(tmp_path / "first.sqlite", workspace_target)
