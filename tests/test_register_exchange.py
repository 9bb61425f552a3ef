"""The register in the JSON exchange: a plan file's entries join another register, a whole organisation travels.

A plan file's register entries join another workspace's by the duplicate rules; every plan, the
register and the gifts go to one organisation file and back.
"""

from __future__ import annotations

import json

import pandas as pd
import pytest

from partnerlib import (
    InvalidInput,
    PlanError,
    PlanExists,
    Workspace,
    export_plan,
    export_workspace,
    import_plan,
    import_workspace,
    read_plan_file,
)
from partnerlib.app.cli import main
from partnerlib.io.organisation_files import read_organisation_file
from partnerlib.models import Organisation, Person, merge_register, relinked

PLAN = "Riverside Community Health"
OTHER = "Lakeside Girls' Education"

# ---------------------------------------------------------------- merging registers

REGISTER = ([Organisation(id="o1", name="ClearFlow Water Trust")],
            [Person(id="p1", name="Ann Lee", email="ann@clearflow.org", organisation="o1")])

# (incoming organisations and people, the ids they take, the names added to the register)
MERGES = [
    (([Organisation(id="o1", name="Renamed elsewhere")], []), {"o1": "o1"}, []),
    (([Organisation(id="x", name="Clearflow water trust Ltd")], []), {"x": "o1"}, []),
    (([Organisation(id="x", name="Nimbus")], []), {"x": "x"}, ["Nimbus"]),
    (([], [Person(id="y", name="A. Lee", email="ANN@clearflow.org")]), {"y": "p1"}, []),
    (([], [Person(id="y", name="Ann  Lee")]), {"y": "p1"}, []),
    (([], [Person(id="y", name="Bo Chen")]), {"y": "y"}, ["Bo Chen"]),
    (([Organisation(id="x", name="Nimbus"), Organisation(id="z", name="NIMBUS")], []), {"x": "x", "z": "x"},
     ["Nimbus"]),
    (([], [Person(id="y", name="Ann Lee"), Person(id="y2", name="Bo", email="ann@clearflow.org")]),
     {"y": "p1", "y2": "p1"}, []),
]


@pytest.mark.parametrize(("incoming", "ids", "added"), MERGES)
def test_incoming_entries_take_the_register_s_ids(incoming, ids, added):
    merged = merge_register(REGISTER, incoming)
    assert (merged.ids, [e.name for e in [*merged.organisations, *merged.people]]) == (ids, added)


def test_a_new_person_points_at_the_register_s_organisation():
    merged = merge_register(REGISTER, ([Organisation(id="x", name="The ClearFlow Water Trust")],
                                       [Person(id="y", organisation="x")]))
    assert [p.organisation for p in merged.people] == ["o1"]


def test_relinking_moves_every_link_of_a_plan(book):
    plan = book.load(PLAN).plan
    moved = relinked(plan, {"org-bytebridge": "new-id"})
    assert ([c.organisation_id for c in moved.partners.candidates].count("new-id"),
            [c.organisation_id for c in plan.partners.candidates].count("org-bytebridge")) == (1, 1)


# ---------------------------------------------------------------- a plan file carries its register entries


def test_a_plan_file_carries_the_entries_its_plan_and_gifts_point_at(book, tmp_path):
    contents = read_plan_file(export_plan(book, OTHER, tmp_path / "plan.json"))
    plan = contents.plan
    wanted = ({c.organisation_id for c in plan.partners.candidates if c.organisation_id}
              | {s.organisation_id for s in plan.community.stakeholders if s.organisation_id}
              | {g.donor for g in contents.gifts})
    assert wanted - {o.id for o in contents.organisations} - {p.id for p in contents.people} == set()


def test_a_plan_file_carries_a_governance_member_s_person(book, tmp_path):
    plan = book.load(PLAN).plan
    members = plan.governance.members
    members[0].person_id = "p-grace"
    book.save_section(PLAN, "governance", plan.governance, base=book.load(PLAN).revisions["governance"])
    contents = read_plan_file(export_plan(book, PLAN, tmp_path / "plan.json"))
    assert "p-grace" in {p.id for p in contents.people}


@pytest.fixture
def elsewhere(tmp_path):
    """Another organisation's workspace: it knows ByteBridge under its own id and a legal form, and Chloe by email."""
    with Workspace.open(tmp_path / "elsewhere.sqlite") as ws:
        ws.save_organisation(Organisation(id="their-bytebridge", name="ByteBridge Solutions Ltd"))
        ws.save_person(Person(id="their-chloe", name="C. Martin", email="Chloe@hope-alliance.example.org"))
        yield ws


def test_an_imported_plan_points_at_the_register_s_own_entry_by_its_name(book, elsewhere, tmp_path):
    import_plan(elsewhere, export_plan(book, OTHER, tmp_path / "plan.json"))
    candidates = elsewhere.load(OTHER).plan.partners.candidates
    assert [(c.organisation_id, c.name) for c in candidates if c.name.startswith("ByteBridge")] == [
        ("their-bytebridge", "ByteBridge Solutions Ltd")]


def test_an_imported_plan_adds_no_duplicate_to_the_register(book, elsewhere, tmp_path):
    import_plan(elsewhere, export_plan(book, OTHER, tmp_path / "plan.json"))
    names = [o.name for o in elsewhere.organisations()]
    assert [n for n in names if "ByteBridge" in n] == ["ByteBridge Solutions Ltd"]


def test_an_imported_gift_goes_to_the_register_s_donor(book, elsewhere, tmp_path):
    import_plan(elsewhere, export_plan(book, OTHER, tmp_path / "plan.json"))
    assert [g.donor for g in elsewhere.gifts(OTHER) if g.id == "gift-chloe-sponsors"] == ["their-chloe"]


def test_an_imported_plan_keeps_its_names_in_a_new_workspace(book, tmp_path):
    with Workspace.open(tmp_path / "new.sqlite") as new:
        import_plan(new, export_plan(book, OTHER, tmp_path / "plan.json"))
        names = {o.id: o.name for o in new.organisations()}
        candidates = new.load(OTHER).plan.partners.candidates
        assert [names.get(c.organisation_id) for c in candidates if c.organisation_id] == [
            c.name for c in candidates if c.organisation_id]


def test_importing_a_plan_twice_adds_its_register_once(book, tmp_path):
    path = export_plan(book, OTHER, tmp_path / "plan.json")
    with Workspace.open(tmp_path / "new.sqlite") as new:
        import_plan(new, path)
        count = (len(new.organisations()), len(new.people()), len(new.gifts()))
        import_plan(new, path, name="Again")
        assert (len(new.organisations()), len(new.people()), len(new.gifts())) == count


# ---------------------------------------------------------------- the whole organisation


@pytest.fixture
def copied(book, tmp_path):
    """The sample organisation exported to a file and imported into a new workspace."""
    path = export_workspace(book, tmp_path / "organisation.json")
    with Workspace.open(tmp_path / "copy.sqlite") as copy:
        summary = import_workspace(copy, path)
        yield book, copy, summary


def test_the_organisation_file_holds_every_plan_and_the_register_once(book, tmp_path):
    data = json.loads(export_workspace(book, tmp_path / "organisation.json").read_text(encoding="utf-8"))
    assert (list(data), [list(p) for p in data["plans"]]) == (
        ["format", "schema_version", "exported_at", "plans", "organisations", "people", "gifts"],
        [["format", "schema_version", "plan", "measurements"]] * 2,
    )


def test_the_copy_holds_the_same_plans(copied):
    book, copy, _ = copied
    assert [copy.load(p.name).plan for p in copy.plans()] == [book.load(p.name).plan for p in book.plans()]


def test_the_copy_holds_the_same_measurements(copied):
    book, copy, _ = copied
    pd.testing.assert_frame_equal(copy.measurements(PLAN), book.measurements(PLAN))


def test_the_copy_holds_the_same_register(copied):
    book, copy, _ = copied
    assert (copy.organisations(), copy.people(), copy.gifts()) == (book.organisations(), book.people(), book.gifts())


def test_the_import_says_what_it_added(copied):
    assert str(copied[2]) == (
        "Imported 2 plans (Lakeside Girls' Education, Riverside Community Health); new in the register: "
        "12 organisations, 13 people, 7 gifts; 0 entries of the file already in the register."
    )


def test_a_plan_name_in_use_refuses_the_whole_file(book, tmp_path):
    path = export_workspace(book, tmp_path / "organisation.json")
    before = [p.name for p in book.plans()]
    with pytest.raises(PlanExists, match="already holds .*Lakeside Girls. Education.*Riverside Community Health"):
        import_workspace(book, path)
    assert [p.name for p in book.plans()] == before


def test_replacing_keeps_the_register_single(book, tmp_path):
    path = export_workspace(book, tmp_path / "organisation.json")
    count = (len(book.organisations()), len(book.people()), len(book.gifts()))
    summary = import_workspace(book, path, replace=True)
    assert ((len(book.organisations()), len(book.people()), len(book.gifts())), summary.merged) == (count, 25)


def test_a_bad_plan_in_the_file_is_named_with_its_place(book, tmp_path):
    path = export_workspace(book, tmp_path / "organisation.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    place = [p["plan"]["info"]["name"] for p in data["plans"]].index(PLAN)
    data["plans"][place]["plan"]["risks"]["risks"][0]["impact"] = 9
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InvalidInput, match=rf"plans row {place + 1}, 'plan.risks.risks' row 1: 'impact' must be between"):
        read_organisation_file(path)


# (a change to the file, the start of the message)
BAD_FILES = [
    (lambda d: d.update(format="partnerlib-plan"), "organisation.json is not a partnerlib organisation file"),
    (lambda d: d.update(schema_version=2), "organisation.json was written by a newer partnerlib"),
    (lambda d: d.update(schema_version=0),
     "organisation.json: $.schema_version must be a whole number from 1 (got 0)."),
    (lambda d: d["plans"][0].update(format="partnerlib-organisation"),
     "organisation.json, plan 1, is not a partnerlib plan file ('format' must be 'partnerlib-plan', "
     "got 'partnerlib-organisation')."),
    (lambda d: d.update(people={}), "organisation.json cannot be imported: 'people' must be a list (got dict)"),
    (lambda d: d.update(extra=1), "organisation.json cannot be imported: 'extra' is not a part of an organisation"),
    (lambda d: d["plans"].append(next(p for p in d["plans"] if p["plan"]["info"]["name"] == PLAN)),
     "organisation.json cannot be imported: the plan 'Riverside Community Health' is in the file twice"),
    (lambda d: d["gifts"][0].update(amount=-1), "organisation.json cannot be imported: gifts row 1"),
]


@pytest.mark.parametrize(("change", "message"), BAD_FILES)
def test_a_bad_organisation_file_is_refused(book, tmp_path, change, message):
    path = export_workspace(book, tmp_path / "organisation.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(PlanError) as caught:
        read_organisation_file(path)
    assert str(caught.value)[: len(message)] == message


# (the file's bytes, the words refusing it)
UNREADABLE = [
    (b"\xff\xfe{}", "organisation.json is not UTF-8 text (byte 0 cannot be read). Organisation files are read in "
                   "UTF-8 only (as partnerlib writes them): save it as UTF-8."),
    (b"[" * 100_000, "organisation.json is nested too deeply to be an organisation file."),
    (b"{" + b" " * 2_000_000 + b"}", "organisation.json is 2.0 MB, more than the 1.0 MB an organisation file may "
                                    "be; nothing was read. If you trust the file, raise the size limit (--max-mb)."),
]


@pytest.mark.parametrize(("data", "message"), UNREADABLE)
def test_an_unreadable_organisation_file_is_refused(tmp_path, data, message):
    path = tmp_path / "organisation.json"
    path.write_bytes(data)
    with pytest.raises(PlanError) as caught:
        read_organisation_file(path, max_bytes=1_000_000)
    assert str(caught.value) == message


def test_the_commands_export_and_import_the_organisation(workspace_file, tmp_path, capsys):
    path = tmp_path / "organisation.json"
    codes = (main(["export-workspace", str(path), "--workspace", str(workspace_file)]),
             main(["import-workspace", str(path), "--workspace", str(tmp_path / "copy.sqlite")]))
    assert (codes, "Imported 2 plans" in capsys.readouterr().out) == ((0, 0), True)
