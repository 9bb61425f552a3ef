"""The register in the workspace: gifts kept, and a name changed in the register changed in every plan."""

import datetime as dt

import pytest

from partnerlib import SAMPLE_PLAN, Workspace, seed_workspace
from partnerlib.core.problems import PlanError
from partnerlib.models import Gift, Person, Plan, PlanInfo


@pytest.fixture
def workspace(tmp_path):
    """The sample workspace: two plans, the register they use, and their gifts."""
    with seed_workspace(tmp_path / "workspace.sqlite") as ws:
        yield ws


@pytest.fixture
def empty(tmp_path):
    """A workspace with one empty plan, the sample's name, and no register."""
    with Workspace.open(tmp_path / "empty.sqlite") as ws:
        ws.create_plan(Plan(info=PlanInfo(name=SAMPLE_PLAN)))
        yield ws


def gift(**fields) -> Gift:
    return Gift(**{"donor": "org-clearflow", "plan": SAMPLE_PLAN, "date": dt.date(2026, 5, 1), "amount": 100, **fields})


def test_gifts_are_kept_by_date_and_per_plan(empty):
    empty.save_gift(gift(id="late", date=dt.date(2026, 6, 1)))
    empty.save_gift(gift(id="early", date=dt.date(2026, 1, 1)))
    empty.save_gift(gift(id="other", plan="Elsewhere"))
    assert ([g.id for g in empty.gifts()], [g.id for g in empty.gifts(SAMPLE_PLAN)]) == (
        ["early", "other", "late"], ["early", "late"])


def test_saving_a_gift_again_replaces_it(empty):
    empty.save_gift(gift(id="g", amount=100))
    empty.save_gift(gift(id="g", amount=250))
    assert [g.amount for g in empty.gifts()] == [250.0]


def test_a_gift_can_be_deleted(empty):
    empty.save_gift(gift(id="g"))
    empty.delete_record("gifts", "g")
    assert empty.gifts() == []


def test_an_unknown_register_is_refused(workspace):
    with pytest.raises(PlanError, match="organisations, people or gifts"):
        workspace.delete_record("plans", "x")


def test_renaming_an_organisation_renames_it_in_every_plan(workspace):
    workspace.copy_plan(SAMPLE_PLAN, "Copy")
    clearflow = next(o for o in workspace.organisations() if o.id == "org-clearflow")
    saved = workspace.save_organisation(clearflow.model_copy(update={"name": "ClearFlow Water"}))
    names = {
        plan: [c.name for c in workspace.load(plan).plan.partners.candidates if c.organisation_id == "org-clearflow"]
        for plan in (SAMPLE_PLAN, "Copy")
    }
    assert (names, sorted({(r.section, r.note) for r in saved})) == (
        {SAMPLE_PLAN: ["ClearFlow Water"], "Copy": ["ClearFlow Water"]},
        [("partners", "Names from the register")],
    )


def test_saving_an_organisation_unchanged_adds_no_revision(workspace):
    clearflow = next(o for o in workspace.organisations() if o.id == "org-clearflow")
    assert workspace.save_organisation(clearflow) == []


def test_renaming_a_person_renames_the_governance_members_linked_to_them(workspace):
    snapshot = workspace.load(SAMPLE_PLAN)
    governance = snapshot.plan.governance
    member = governance.members[0].model_copy(update={"person_id": "p-ann"})
    workspace.save_section(SAMPLE_PLAN, "governance", governance.model_copy(
        update={"members": [member, *governance.members[1:]]}), base=snapshot.revisions["governance"])
    workspace.save_person(Person(id="p-ann", name="Ann"))
    workspace.save_person(Person(id="p-ann", name="Ann Okoye"))
    assert workspace.load(SAMPLE_PLAN).plan.governance.members[0].person == "Ann Okoye"


def test_renaming_a_plan_moves_its_gifts(empty):
    empty.save_gift(gift(id="g"))
    snapshot = empty.load(SAMPLE_PLAN)
    empty.save_section(SAMPLE_PLAN, "info", snapshot.plan.info.model_copy(update={"name": "Riverside 2"}),
                           base=snapshot.revisions["info"])
    assert [(g.plan, g.id) for g in empty.gifts("Riverside 2")] == [("Riverside 2", "g")]


def test_a_new_workspace_has_no_gifts(empty):
    assert empty.gifts() == []


def test_the_sample_brings_gifts_for_both_plans(workspace):
    assert sorted({g.plan for g in workspace.gifts()}) == ["Lakeside Girls' Education", SAMPLE_PLAN]
