import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from partnerlib import (
    FACTORS,
    KPI_LEVELS,
    KPI_UNITS,
    SAMPLE_PLAN,
    Gift,
    Kpi,
    Organisation,
    Person,
    Plan,
    Workspace,
    calendar_gaps,
    check_raci,
    check_structure,
    checkin_schedule,
    evaluate_kpis,
    load_sample,
    overdue,
    plan_to_json,
    read_plan_file,
    read_table,
    records_table,
    sample_measurements,
    sample_path,
    seed_workspace,
)

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
PLAN = load_sample()
DOCUMENT = json.loads(sample_path().read_text(encoding="utf-8"))
MEASUREMENTS = sample_measurements()
PARTIES = set(PLAN.parties())


# ---------------------------------------------------------------- helpers


def _overdue_relationships(plan: Plan) -> int:
    return len(overdue(checkin_schedule(plan, as_of=plan.info.as_of)))


def _quadrants(plan: Plan) -> int:
    return len({(s.power >= 3, s.interest >= 3) for s in plan.community.stakeholders})


def _above_appetite(plan: Plan) -> int:
    appetite = {a.category: a.max_score for a in plan.risks.appetite}
    return sum(
        r.residual_likelihood * r.residual_impact > appetite[r.category] for r in plan.risks.risks
    )


def _parties_with_both_forms(plan: Plan) -> int:
    forms = {(c.party, c.form) for c in plan.resources.contributions}
    return sum((p, "cash") in forms and (p, "in kind") in forms for p in PARTIES)


def _vision_gap(plan: Plan) -> float:
    lines = plan.resources.vision_budget
    return sum(v.amount for v in lines if v.kind == "expense") - sum(
        v.amount for v in lines if v.kind == "income"
    )


def _quarter_gaps(plan: Plan) -> int:
    return len(calendar_gaps(plan.communication, start=plan.info.as_of).gaps)


def _calendar_months(plan: Plan) -> int:
    return len({(i.date.year, i.date.month) for i in plan.communication.calendar})


def _review_means(plan: Plan) -> list[float]:
    frame = pd.DataFrame([r.model_dump() for r in plan.review.ratings])
    order = [r.id for r in sorted(plan.review.reviews, key=lambda r: r.date)]
    return frame.groupby("review")["score"].mean().loc[order].tolist()


def _latest_concerns(plan: Plan) -> int:
    frame = pd.DataFrame([r.model_dump() for r in plan.review.ratings])
    latest = max(plan.review.reviews, key=lambda r: r.date).id
    means = frame[frame["review"] == latest].groupby("factor")["score"].mean()
    return int((means <= 2.5).sum())


def _status_counts(plan: Plan, measurements: pd.DataFrame) -> Counter:
    kpis = records_table(plan.monitoring.kpis, Kpi)
    return Counter(evaluate_kpis(kpis, measurements, as_of=plan.info.as_of)["status"])


# ---------------------------------------------------------------- counts

#: (description, count, minimum): what the sample must show for every step.
COUNTS = [
    ("objectives", lambda p: len(p.goals.objectives), 5),
    ("objectives without a measure", lambda p: sum(not o.measure for o in p.goals.objectives), 1),
    ("motivations", lambda p: len(p.goals.motivations), 3),
    ("team conversations", lambda p: len(p.alignment.conversations), 3),
    ("team members", lambda p: len(p.alignment.team_members), 3),
    ("peer departments", lambda p: len(p.alignment.peers), 3),
    ("check-ins", lambda p: len(p.alignment.checkins), 6),
    ("relationships overdue at as_of", _overdue_relationships, 1),
    ("partner needs", lambda p: len(p.partners.needs), 3),
    ("candidates for the least-served need",
     lambda p: min(Counter(c.need for c in p.partners.candidates).values()), 3),
    ("selected partners", lambda p: len(p.partners.selected()), 3),
    ("criteria", lambda p: len(p.partners.criteria), 4),
    ("gate criteria", lambda p: sum(c.gate for c in p.partners.criteria), 1),
    ("audit concerns", lambda p: sum(a.result == "concern" for a in p.partners.audit), 2),
    ("audit fails", lambda p: sum(a.result == "fail" for a in p.partners.audit), 1),
    ("stakeholder feedback", lambda p: len(p.partners.feedback), 2),
    ("audiences", lambda p: len(p.business_case.audiences), 2),
    ("fewest SWOT factors in a quadrant",
     lambda p: min(Counter(f.kind for f in p.business_case.swot).values()), 4),
    ("SWOT quadrants", lambda p: len({f.kind for f in p.business_case.swot}), 4),
    ("TOWS strategy kinds", lambda p: len({s.kind for s in p.business_case.strategies}), 4),
    ("players", lambda p: len(p.business_case.players), 3),
    ("budget costs", lambda p: sum(b.kind == "cost" for b in p.business_case.budget), 2),
    ("budget returns", lambda p: sum(b.kind == "return" for b in p.business_case.budget), 2),
    ("benchmarks linked to a KPI", lambda p: sum(bool(b.kpi) for b in p.business_case.benchmarks), 3),
    ("governance group kinds", lambda p: len({g.kind for g in p.governance.groups}), 3),
    ("partner roles", lambda p: len(p.governance.roles), 4),
    ("activities", lambda p: len(p.governance.activities), 8),
    ("risks", lambda p: len(p.risks.risks), 15),
    ("risk categories used", lambda p: len({r.category for r in p.risks.risks}), 7),
    ("risks above appetite after mitigation", _above_appetite, 2),
    ("risks assessed in due diligence",
     lambda p: sum(r.phase == "due diligence" for r in p.risks.risks), 1),
    ("stakeholders", lambda p: len(p.community.stakeholders), 10),
    ("power/interest quadrants", _quadrants, 4),
    ("target-audience stakeholders", lambda p: sum(s.target_audience for s in p.community.stakeholders), 2),
    ("engagement kinds", lambda p: len({e.kind for e in p.community.engagements}), 5),
    ("survey questions", lambda p: len(p.community.questions), 5),
    ("survey respondents", lambda p: len({a.respondent for a in p.community.answers}), 35),
    ("survey groups", lambda p: len({a.group for a in p.community.answers}), 2),
    ("rates", lambda p: len(p.resources.rates), 2),
    ("parties giving cash and in kind", _parties_with_both_forms, 4),
    ("parties who paid costs", lambda p: len({c.paid_by for c in p.resources.costs}), 3),
    ("vision budget impact areas", lambda p: len({v.impact_area for v in p.resources.vision_budget}), 2),
    ("vision budget gap (expenses above income)", _vision_gap, 1),
    ("core messages", lambda p: len(p.communication.messages), 2),
    ("communication lines", lambda p: len(p.communication.lines), 8),
    ("calendar months", _calendar_months, 12),
    ("audience quarters with nothing planned", _quarter_gaps, 1),
    ("testimonials without permission",
     lambda p: sum(not t.permission for t in p.communication.testimonials), 1),
    ("KPIs", lambda p: len(p.monitoring.kpis), 10),
    ("cumulative KPIs", lambda p: sum(k.cumulative for k in p.monitoring.kpis), 2),
    ("disaggregated KPIs", lambda p: sum(bool(k.disaggregation) for k in p.monitoring.kpis), 1),
    ("falling KPIs", lambda p: sum(k.direction == "decrease" for k in p.monitoring.kpis), 2),
    ("reviews", lambda p: len(p.review.reviews), 2),
    ("factors of concern in the latest review", _latest_concerns, 1),
    ("recommendations", lambda p: len(p.review.recommendations), 2),
]


@pytest.mark.parametrize(("description", "count", "minimum"), COUNTS, ids=[c[0] for c in COUNTS])
def test_sample_has_at_least(description, count, minimum):
    assert count(PLAN) >= minimum


# ---------------------------------------------------------------- the file


def test_document_header():
    head = {k: DOCUMENT[k] for k in ("format", "schema_version", "exported_at")}
    assert head == {"format": "partnerlib-plan", "schema_version": 1,
                    "exported_at": "2026-09-30T12:00:00+00:00"}


def test_document_keys_in_order():
    assert list(DOCUMENT) == ["format", "schema_version", "exported_at", "plan", "measurements",
                              "organisations", "people", "gifts"]


def test_plan_round_trips_unchanged():
    assert Plan.model_validate(DOCUMENT["plan"]).model_dump(mode="json") == DOCUMENT["plan"]


def test_plan_name_and_date():
    assert (PLAN.info.name, PLAN.info.as_of) == (SAMPLE_PLAN, dt.date(2026, 9, 30))


def test_csv_agrees_with_json():
    expected = pd.DataFrame(DOCUMENT["measurements"], columns=list(MEASUREMENTS.columns))
    expected["date"] = pd.to_datetime(expected["date"], format="%Y-%m-%d")
    pd.testing.assert_frame_equal(MEASUREMENTS, expected, check_dtype=False)


def test_exchange_writes_the_same_file():
    text = plan_to_json(
        PLAN,
        MEASUREMENTS,
        [Organisation.model_validate(o) for o in DOCUMENT["organisations"]],
        [Person.model_validate(p) for p in DOCUMENT["people"]],
        [Gift.model_validate(g) for g in DOCUMENT["gifts"]],
        exported_at=dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC),
    )
    assert text == sample_path().read_text(encoding="utf-8")


def test_exchange_reads_the_file():
    read = read_plan_file(sample_path())
    assert (read.plan, len(read.measurements)) == (PLAN, len(MEASUREMENTS))


def test_gaps_show_the_deliberate_flaws():
    messages = " ".join(gap.message for _, gap in PLAN.gaps())
    assert all(word in messages for word in ("has no measure", "no permission"))


# ---------------------------------------------------------------- one check per rule


def test_every_candidate_scored_on_every_criterion():
    scored = {(s.candidate, s.criterion) for s in PLAN.partners.scores}
    assert scored == {(c.id, k.id) for c in PLAN.partners.candidates for k in PLAN.partners.criteria}


def test_every_candidate_audited_on_every_check():
    audited = Counter(a.candidate for a in PLAN.partners.audit)
    assert set(audited.values()) == {7} and len(audited) == len(PLAN.partners.candidates)


def test_a_candidate_fails_the_gate():
    gates = {c.id: c.minimum for c in PLAN.partners.criteria if c.gate}
    assert any(s.criterion in gates and s.score < gates[s.criterion] for s in PLAN.partners.scores)


@pytest.mark.parametrize(
    ("side", "kinds"),
    [("internal", ("strength", "weakness")), ("external", ("opportunity", "threat"))],
)
def test_swot_weights_sum_to_one(side, kinds):
    assert sum(f.weight for f in PLAN.business_case.swot if f.kind in kinds) == pytest.approx(1)


def test_benchmarks_point_at_kpis():
    kpis = {k.id for k in PLAN.monitoring.kpis}
    assert {b.kpi for b in PLAN.business_case.benchmarks if b.kpi} <= kpis


@pytest.mark.parametrize(("group", "role"), [("strategic", None), ("project", "project manager")])
def test_every_party_sits_in_group(group, role):
    ids = {g.id for g in PLAN.governance.groups if g.kind == group}
    seated = [m.party for m in PLAN.governance.members
              if m.group in ids and (role is None or m.role == role)]
    assert sorted(seated) == sorted(PARTIES)


def test_implementing_group_reports_to_project_group():
    groups = {g.kind: g for g in PLAN.governance.groups}
    assert groups["implementing"].reports_to == groups["project"].id


def test_raci_is_complete():
    cells = {(a.activity, a.party) for a in PLAN.governance.assignments}
    assert cells == {(a.id, p) for a in PLAN.governance.activities for p in PARTIES}


def test_exactly_one_activity_has_two_accountables():
    accountable = Counter(a.activity for a in PLAN.governance.assignments if a.role == "A")
    assert sorted(accountable.values()) == [1] * (len(accountable) - 1) + [2]


def test_raci_check_finds_only_the_deliberate_flaw():
    found = check_raci(PLAN.governance.activities, PLAN.governance.assignments,
                       parties=PLAN.parties())
    assert found["rule"].tolist() == ["one accountable"]


def test_structure_check_finds_nothing():
    assert check_structure(PLAN).empty


def test_appetite_for_every_category_used():
    assert {r.category for r in PLAN.risks.risks} <= {a.category for a in PLAN.risks.appetite}


def test_every_engagement_has_a_date():
    assert all(e.date for e in PLAN.community.engagements)


@pytest.mark.parametrize("kind", ["survey", "interview", "briefing", "group meeting", "town hall"])
def test_engagement_kind_present(kind):
    assert kind in {e.kind for e in PLAN.community.engagements}


def test_every_party_contributes():
    assert {c.party for c in PLAN.resources.contributions} == PARTIES


def test_rule_is_proportional():
    assert PLAN.resources.rule == "proportional to contribution"


@pytest.mark.parametrize("audience_kind", ["partner", "donor", "community"])
def test_communication_lines_reach(audience_kind):
    assert audience_kind in {line.audience_kind for line in PLAN.communication.lines}


@pytest.mark.parametrize(("field", "values"), [("level", KPI_LEVELS), ("unit", KPI_UNITS),
                                               ("direction", ("increase", "decrease"))])
def test_kpis_cover_every(field, values):
    assert {getattr(k, field) for k in PLAN.monitoring.kpis} == set(values)


def test_collection_plan_covers_every_kpi():
    assert {c.kpi for c in PLAN.monitoring.collection} == {k.id for k in PLAN.monitoring.kpis}


def test_reviews_about_a_year_apart():
    first, second = sorted(r.date for r in PLAN.review.reviews)
    assert 330 <= (second - first).days <= 400


def test_every_party_rates_every_factor_in_every_review():
    rated = Counter((r.review, r.party) for r in PLAN.review.ratings)
    expected = {(v.id, p): len(FACTORS) for v in PLAN.review.reviews for p in PARTIES}
    assert rated == expected


def test_partnership_improves_between_reviews():
    first, second = _review_means(PLAN)
    assert second > first


def test_selected_partners_have_shared_records():
    organisations = {o["id"] for o in DOCUMENT["organisations"]}
    assert {c.organisation_id for c in PLAN.partners.selected()} <= organisations


def test_people_belong_to_shared_organisations():
    organisations = {o["id"] for o in DOCUMENT["organisations"]}
    assert {p["organisation"] for p in DOCUMENT["people"]} <= organisations


# ---------------------------------------------------------------- measurements


def test_measurements_only_for_known_kpis():
    assert set(MEASUREMENTS["kpi"]) <= {k.id for k in PLAN.monitoring.kpis}


def test_exactly_one_kpi_without_data():
    assert len({k.id for k in PLAN.monitoring.kpis} - set(MEASUREMENTS["kpi"])) == 1


def test_two_years_of_months_per_kpi():
    months = MEASUREMENTS.groupby("kpi")["date"].nunique()
    assert set(months) == {24}


def test_measurements_span_oct_2024_to_as_of():
    span = (MEASUREMENTS["date"].min().date(), MEASUREMENTS["date"].max().date())
    assert span == (dt.date(2024, 10, 31), PLAN.info.as_of)


def test_disaggregated_kpis_have_a_row_per_group():
    broken = {k.id for k in PLAN.monitoring.kpis if k.disaggregation}
    rows = MEASUREMENTS[MEASUREMENTS["kpi"].isin(broken)]
    assert set(rows.groupby(["kpi", "date"])["group"].nunique()) == {2}


def test_undisaggregated_kpis_have_no_group():
    plain = {k.id for k in PLAN.monitoring.kpis if not k.disaggregation}
    assert set(MEASUREMENTS.loc[MEASUREMENTS["kpi"].isin(plain), "group"]) == {""}


def test_percentages_stay_in_range():
    percent = {k.id for k in PLAN.monitoring.kpis if k.unit == "percentage"}
    values = MEASUREMENTS.loc[MEASUREMENTS["kpi"].isin(percent), "value"]
    assert values.between(0, 100).all()


@pytest.mark.parametrize(("status", "minimum"), [("on track", 3), ("at risk", 2),
                                                 ("off track", 1), ("no data", 1)])
def test_kpi_status_mix(status, minimum):
    assert _status_counts(PLAN, MEASUREMENTS)[status] >= minimum


# ---------------------------------------------------------------- spreadsheets a user can copy

TEMPLATES = [("risks.csv", "risks"), ("candidates.csv", "candidates"), ("kpis.csv", "kpis"),
             ("contributions.csv", "contributions")]


@pytest.mark.parametrize(("name", "kind"), TEMPLATES)
def test_template_imports_cleanly(name, kind):
    report = read_table(DATA / "templates" / name, kind)
    assert (report.ok, len(report.accepted) >= 2, report.unknown_columns) == (True, True, [])


def test_risk_template_uses_words():
    header = (DATA / "templates" / "risks.csv").read_text(encoding="utf-8").splitlines()[1]
    assert "Likely" in header and "Major" in header


# ---------------------------------------------------------------- the generator


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    subprocess.run([sys.executable, str(ROOT / "tools" / "make_sample.py"), "--out", str(folder)],
                   check=True, capture_output=True)
    return folder


def test_generator_reproduces_the_committed_files(generated):
    made = sorted(p.relative_to(generated) for p in generated.rglob("*") if p.is_file())
    assert all((generated / p).read_bytes() == (DATA / p).read_bytes() for p in made)


def test_generator_writes_every_sample_file(generated):
    made = {p.relative_to(generated).as_posix() for p in generated.rglob("*") if p.is_file()}
    assert made == {"sample_plan.json", "sample_plan_lakeside.json", "sample_measurements.csv", "templates/risks.csv",
                    "templates/candidates.csv", "templates/kpis.csv",
                    "templates/contributions.csv"}


# ---------------------------------------------------------------- seeding a workspace


def test_seed_adds_the_sample(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        assert [p.name for p in ws.plans()] == ["Lakeside Girls' Education", SAMPLE_PLAN]


def test_seed_adds_measurements(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        assert len(ws.measurements(SAMPLE_PLAN)) == len(MEASUREMENTS)


def test_seed_adds_shared_records(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        counts = (len(ws.organisations()), len(ws.people()))
    assert counts == (len(DOCUMENT["organisations"]), len(DOCUMENT["people"]))


def test_seeded_plan_equals_the_sample(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        assert ws.load(SAMPLE_PLAN).plan == PLAN


def test_every_copy_of_the_sample_has_the_same_history(tmp_path):
    # Dated when the sample was written, not when it was seeded: notebooks built from it read the same.
    histories = []
    for name in ("a.sqlite", "b.sqlite"):
        with seed_workspace(tmp_path / name) as ws:
            histories.append([(r.section, r.saved_at, r.author) for r in ws.history(SAMPLE_PLAN)])
    assert (histories[0] == histories[1], {when for _, when, _ in histories[0]}) == (
        True, {dt.datetime(2026, 9, 30, 9, 0, tzinfo=dt.UTC)})


def test_seed_twice_keeps_one_copy(tmp_path):
    seed_workspace(tmp_path / "w.sqlite").close()
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        assert (len(ws.plans()), len(ws.measurements(SAMPLE_PLAN)), len(ws.gifts())) == (2, len(MEASUREMENTS), 7)


def test_seed_keeps_the_users_edits(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        snapshot = ws.load(SAMPLE_PLAN)
        info = snapshot.plan.info.model_copy(update={"author": "Someone else"})
        ws.save_section(SAMPLE_PLAN, "info", info, base=snapshot.revisions["info"])
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        assert ws.load(SAMPLE_PLAN).plan.info.author == "Someone else"


def test_seed_replace_puts_a_fresh_copy(tmp_path):
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        snapshot = ws.load(SAMPLE_PLAN)
        info = snapshot.plan.info.model_copy(update={"author": "Someone else"})
        ws.save_section(SAMPLE_PLAN, "info", info, base=snapshot.revisions["info"])
    with seed_workspace(tmp_path / "w.sqlite", replace=True) as ws:
        assert ws.load(SAMPLE_PLAN).plan.info.author == PLAN.info.author


def test_seed_leaves_a_sample_seeded_meanwhile(tmp_path, monkeypatch):
    seed_workspace(tmp_path / "w.sqlite").close()
    monkeypatch.setattr(Workspace, "plans", lambda self, **options: [])
    with seed_workspace(tmp_path / "w.sqlite") as ws:
        assert len(ws.measurements(SAMPLE_PLAN)) == len(MEASUREMENTS)


def test_seed_uses_the_default_workspace(tmp_path, monkeypatch):
    monkeypatch.setenv("PARTNERLIB_WORKSPACE", str(tmp_path / "default.sqlite"))
    seed_workspace().close()
    assert (tmp_path / "default.sqlite").is_file()
