"""Plan files: export and import give back the same plan; bad files are refused with JSON paths."""

from __future__ import annotations

import copy
import datetime as dt
import gzip
import json
import os
import string
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from partnerlib import (
    InvalidInput,
    Plan,
    PlanError,
    PlanExists,
    PlanInfo,
    Workspace,
    export_plan,
    import_plan,
    plan_from_json,
    plan_to_json,
    read_plan_file,
)
from partnerlib.io.plan_files import (
    PLAN_FILE_FORMAT,
    PLAN_FILE_MIGRATIONS,
    PLAN_FILE_VERSION,
    plan_file_limit,
)
from partnerlib.io.sample import sample_path
from partnerlib.models import (
    KPI_LEVELS,
    RISK_CATEGORIES,
    Candidate,
    Contribution,
    Kpi,
    Monitoring,
    Need,
    Organisation,
    Partners,
    Person,
    Resources,
    Risk,
    Risks,
)

EXPORTED = dt.datetime(2026, 9, 30, 12, tzinfo=dt.UTC)


def small_plan(name="Test plan"):
    return Plan(
        info=PlanInfo(name=name, organisation="Hope", as_of=dt.date(2026, 9, 30)),
        partners=Partners(
            needs=[Need(id="n1", title="Water")],
            candidates=[Candidate(id="c1", name="ClearFlow", need="n1", status="selected",
                                  organisation_id="org-clearflow")],
        ),
        risks=Risks(risks=[Risk(id="r1", title="Floods", likelihood=4, impact="Major")]),
        monitoring=Monitoring(kpis=[Kpi(id="k1", name="Visits", baseline=0, target=100)]),
    )


MEASUREMENTS = pd.DataFrame(
    {
        "kpi": ["k1", "k1"],
        "date": pd.to_datetime(["2026-01-31", "2026-02-28"]),
        "value": [10.0, 12.5],
        "group": ["", "female"],
        "source": ["register", "survey"],
    }
)
ORGANISATIONS = [Organisation(id="org-clearflow", name="ClearFlow Water Trust"),
                 Organisation(id="org-other", name="Unrelated")]
PEOPLE = [Person(id="p1", name="Maria", organisation="org-clearflow"), Person(id="p2", name="Zed")]


def document(**changes):
    """A valid plan-file document, as parsed JSON, with some parts changed."""
    data = json.loads(plan_to_json(small_plan(), MEASUREMENTS, exported_at=EXPORTED))
    data.update(changes)
    return data


def write(folder, data, name="plan.json"):
    path = Path(folder) / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return path


@pytest.fixture
def workspace(tmp_path):
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        ws.create_plan(small_plan(), author="test")
        ws.add_measurements("Test plan", MEASUREMENTS)
        for organisation in ORGANISATIONS:
            ws.save_organisation(organisation)
        for person in PEOPLE:
            ws.save_person(person)
        yield ws


# ---------------------------------------------------------------- the file


def test_file_layout():
    data = document()
    assert list(data) == ["format", "schema_version", "exported_at", "plan", "measurements",
                          "organisations", "people", "gifts"]


def test_file_header():
    data = document()
    assert (data["format"], data["schema_version"], data["exported_at"]) == (
        PLAN_FILE_FORMAT, PLAN_FILE_VERSION, "2026-09-30T12:00:00+00:00")


def test_measurements_are_written_as_records():
    assert document()["measurements"][1] == {"kpi": "k1", "date": "2026-02-28", "value": 12.5,
                                             "group": "female", "source": "survey"}


#: Text a measurement's KPI, group or source may hold, each hard for a hand-made JSON writer.
AWKWARD_TEXT = ['say "hi"', "back\\slash", "tab\tand\nnewline", "Zürich – 東京 🌍", "</script>", ""]


@pytest.mark.parametrize("awkward", AWKWARD_TEXT)
def test_each_measurement_line_is_what_json_writes(awkward):
    frame = MEASUREMENTS.assign(kpi=awkward, group=awkward, source=awkward, value=[1e300, -0.1])
    lines = [line.strip().rstrip(",") for line in plan_to_json(small_plan(), frame).splitlines()
             if line.startswith("  {")]
    records = frame.assign(date=frame["date"].dt.strftime("%Y-%m-%d")).to_dict("records")
    assert lines == [json.dumps(record, ensure_ascii=False) for record in records]


def test_measurements_written_in_several_pieces_read_back_whole(monkeypatch):
    monkeypatch.setattr("partnerlib.io.plan_files._MEASUREMENTS_AT_ONCE", 3)
    frame = pd.DataFrame({"kpi": "k1", "date": pd.date_range("2026-01-01", periods=7), "value": range(7),
                          "group": "", "source": ""})
    read = plan_from_json(plan_to_json(small_plan(), frame)).measurements
    assert read["value"].tolist() == list(range(7))


def test_a_value_json_cannot_hold_is_refused():
    with pytest.raises(ValueError, match="JSON"):
        plan_to_json(small_plan(), MEASUREMENTS.assign(value=[1.0, float("inf")]))


def test_round_trip_of_the_text_keeps_the_plan():
    assert plan_from_json(plan_to_json(small_plan(), MEASUREMENTS)).plan == small_plan()


def test_round_trip_of_the_text_keeps_the_measurements():
    read = plan_from_json(plan_to_json(small_plan(), MEASUREMENTS)).measurements
    pd.testing.assert_frame_equal(read, MEASUREMENTS, check_dtype=False)


def test_round_trip_keeps_shared_records():
    read = plan_from_json(plan_to_json(small_plan(), None, ORGANISATIONS, PEOPLE))
    assert (read.organisations, read.people) == (ORGANISATIONS, PEOPLE)


def test_the_sample_plan_file_reads_cleanly():
    assert read_plan_file(sample_path()).plan.info.name == "Riverside Community Health"


# ---------------------------------------------------------------- export and import through a workspace


def test_export_then_import_gives_the_same_plan(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json")
    import_plan(workspace, path, name="Copy")
    assert workspace.load("Copy").plan.model_dump(exclude={"info": {"name"}}) == small_plan().model_dump(
        exclude={"info": {"name"}})


def test_export_then_import_gives_the_same_measurements(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json")
    import_plan(workspace, path, name="Copy")
    pd.testing.assert_frame_equal(workspace.measurements("Copy"), workspace.measurements("Test plan"))


def test_export_takes_the_shared_records_the_plan_refers_to(workspace, tmp_path):
    contents = read_plan_file(export_plan(workspace, "Test plan", tmp_path / "out.json"))
    assert ([o.id for o in contents.organisations], [p.id for p in contents.people]) == (
        ["org-clearflow"], ["p1"])


def test_export_to_a_workspace_path(workspace, tmp_path):
    path = export_plan(workspace.path, "Test plan", tmp_path / "out.json")
    assert read_plan_file(path).plan == small_plan()


def test_import_into_a_new_workspace_adds_shared_records(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json")
    with Workspace.open(tmp_path / "other.sqlite") as other:
        import_plan(other, path)
        assert [o.id for o in other.organisations()] == ["org-clearflow"]


def test_import_keeps_the_workspace_s_own_shared_records(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json")
    workspace.save_organisation(Organisation(id="org-clearflow", name="ClearFlow (edited)"))
    import_plan(workspace, path, name="Copy")
    assert {o.id: o.name for o in workspace.organisations()}["org-clearflow"] == "ClearFlow (edited)"


def test_import_of_a_name_in_use_is_refused(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json")
    with pytest.raises(PlanExists, match="already a plan called 'Test plan'.*--name.*--replace"):
        import_plan(workspace, path)


def test_refused_import_changes_nothing(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json")
    before = [(p.name, p.revisions) for p in workspace.plans(include_deleted=True)]
    with pytest.raises(PlanExists):
        import_plan(workspace, path)
    assert [(p.name, p.revisions) for p in workspace.plans(include_deleted=True)] == before


def test_import_with_replace_keeps_the_old_plan_deleted(workspace, tmp_path):
    data = document()
    data["plan"]["risks"]["risks"][0]["title"] = "Floods, revised"
    import_plan(workspace, write(tmp_path, data), replace=True)
    assert ([r.title for r in workspace.load("Test plan").plan.risks.risks],
            [p.deleted is not None for p in workspace.plans(include_deleted=True)]) == (
        ["Floods, revised"], [False, True])


def test_import_under_a_bad_name_is_refused(workspace, tmp_path):
    with pytest.raises(InvalidInput, match=r"\$\.plan\.info\.name"):
        import_plan(workspace, write(tmp_path, document()), name="  ")


def test_text_that_looks_like_code_stays_text(tmp_path):
    data = document()
    data["plan"]["info"]["author"] = "__import__('os').system('echo hacked')"
    data["plan"]["info"]["ssu_description"] = "!!python/object/apply:os.system ['echo hacked']"
    plan = read_plan_file(write(tmp_path, data)).plan
    assert plan.info.author == "__import__('os').system('echo hacked')"


# ---------------------------------------------------------------- refusals


def test_oversize_file_is_refused_before_reading(tmp_path, monkeypatch):
    path = write(tmp_path, "not even json " * 100)
    monkeypatch.setattr(Path, "open", lambda self, *a, **k: pytest.fail("the file was opened"))
    with pytest.raises(PlanError, match=r"plan\.json is 0\.0 MB, more than the 0\.0 MB.*nothing was read"):
        read_plan_file(path, max_bytes=1000)


def test_oversize_limit_in_the_message(tmp_path):
    path = write(tmp_path, " " * 2_000_001)
    with pytest.raises(PlanError, match="is 2.0 MB, more than the 1.0 MB"):
        read_plan_file(path, max_bytes=1_000_000)


def test_file_within_a_raised_limit_is_read(tmp_path):
    path = write(tmp_path, document())
    assert read_plan_file(path, max_bytes=path.stat().st_size).plan == small_plan()


def test_the_default_limit_is_a_tenth_of_the_free_memory(monkeypatch):
    pages = {"SC_AVPHYS_PAGES": 5_000_000, "SC_PAGE_SIZE": 4096}  # 20.5 GB free
    monkeypatch.setattr(os, "sysconf", pages.__getitem__)
    assert plan_file_limit() == 2_048_000_000


def test_the_default_limit_where_free_memory_is_unknown(monkeypatch):
    monkeypatch.delattr(os, "sysconf")
    assert plan_file_limit() == 200_000_000


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(PlanError, match="There is no file .*nowhere.json"):
        read_plan_file(tmp_path / "nowhere.json")


def test_a_gz_file_is_written_compressed(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json.gz")
    assert json.loads(gzip.decompress(path.read_bytes()))["plan"] == json.loads(plan_to_json(small_plan()))["plan"]


def test_a_compressed_file_is_known_by_its_first_bytes(workspace, tmp_path):
    path = export_plan(workspace, "Test plan", tmp_path / "out.json.gz").rename(tmp_path / "plan.json")
    assert read_plan_file(path).plan == small_plan()


def test_a_compressed_file_unpacking_beyond_the_limit_is_refused(tmp_path):
    path = tmp_path / "plan.json.gz"
    path.write_bytes(gzip.compress(b" " * 5_000_000))
    with pytest.raises(PlanError, match="plan.json.gz unpacks to more than the 1.0 MB a plan file may be"):
        read_plan_file(path, max_bytes=1_000_000)


def test_a_broken_compressed_file_is_refused(tmp_path):
    path = tmp_path / "plan.json.gz"
    path.write_bytes(gzip.compress(json.dumps(document()).encode())[:-20])
    with pytest.raises(PlanError, match="plan.json.gz is a broken gzip file"):
        read_plan_file(path)


#: Measurements of the large plan below (1,000,000 round-trip the same; the benchmark times them).
LARGE = 60_000


def test_a_large_plan_round_trips_compressed(tmp_path):
    days = pd.date_range("2000-01-31", periods=LARGE, freq="D")
    measurements = pd.DataFrame({"kpi": "k1", "date": days, "value": range(LARGE), "group": "", "source": "s"})
    with Workspace.open(tmp_path / "a.sqlite") as source, Workspace.open(tmp_path / "b.sqlite") as target:
        source.create_plan(small_plan(), measurements=measurements)
        import_plan(target, export_plan(source, "Test plan", tmp_path / "plan.json.gz"))
        assert target.measurements("Test plan").equals(source.measurements("Test plan"))


# (file text, start of the message)
REFUSED = [
    ("{", "plan.json is not valid JSON: Expecting property name enclosed in double quotes (line 1, column 2)"),
    ("[]", "plan.json is not a partnerlib plan file ('format' must be 'partnerlib-plan', got None)"),
    ('{"format": "budget"}', "plan.json is not a partnerlib plan file ('format' must be 'partnerlib-plan', "
                             "got 'budget')"),
    ('{"format": "partnerlib-plan", "schema_version": "1"}', "plan.json: $.schema_version must be a whole"),
    ('{"format": "partnerlib-plan", "schema_version": 99}', "plan.json was written by a newer partnerlib "
                                                            "(plan file version 99"),
    ('{"format": "partnerlib-plan", "schema_version": 1}', "plan.json cannot be imported: $.plan: 'plan' is "
                                                           "required"),
    ("[" * 100_000, "plan.json is nested too deeply"),
    ('{"format": "partnerlib-plan", "schema_version": 1, "plan": ' + "9" * 5000 + "}",
     "plan.json cannot be imported: $.plan: a number of 5,000 digits is larger than any value a plan holds"),
]


@pytest.mark.parametrize(("text", "message"), REFUSED)
def test_refused_files(tmp_path, text, message):
    with pytest.raises(PlanError) as caught:
        read_plan_file(write(tmp_path, text))
    assert str(caught.value).startswith(message)


def test_non_utf8_file_is_refused(tmp_path):
    path = tmp_path / "plan.json"
    path.write_bytes(b'{"format": "partnerlib-plan", "x": "\xe9"}')
    with pytest.raises(PlanError, match="not UTF-8"):
        read_plan_file(path)


# (encoding, what the message says it looks like)
OTHER_ENCODINGS = [
    ("utf-16-le", "UTF-16 (every other byte is zero)"),
    ("utf-16", "UTF-16 (it starts with that encoding's byte-order mark)"),
    ("utf-32-be", "UTF-32 (three bytes of every four are zero)"),
]


@pytest.mark.parametrize(("encoding", "looks_like"), OTHER_ENCODINGS)
def test_a_utf16_file_is_named_as_such(tmp_path, encoding, looks_like):
    path = tmp_path / "plan.json"
    path.write_bytes(json.dumps(document()).encode(encoding))
    with pytest.raises(PlanError) as caught:
        read_plan_file(path)
    assert str(caught.value) == (f"plan.json is not UTF-8 text: it looks like {looks_like}. "
                                 "Plan files are read in UTF-8 only (as partnerlib writes them): save it as UTF-8.")


def _broken(change):
    data = document()
    change(data)
    return data


# (how the document is broken, the line that names it)
JSON_PATH_ERRORS = [
    (lambda d: d["plan"]["risks"]["risks"][0].update(impact=9),
     "$.plan.risks.risks[0].impact: 'impact' must be between 1 and 5 (got 9)"),
    (lambda d: d["plan"]["risks"]["risks"][0].update(likelihood="often"),
     "$.plan.risks.risks[0].likelihood: 'likelihood' must be a whole number (got 'often')"),
    (lambda d: d["plan"]["info"].update(currency="usd"),
     "$.plan.info.currency: 'currency' must be a three-letter currency code in capitals, like USD or KES (got 'usd')"),
    (lambda d: d["plan"]["monitoring"]["kpis"][0].update(colour="red"),
     "$.plan.monitoring.kpis[0].colour: 'colour' is not a field here (check the spelling)"),
    (lambda d: d["plan"]["monitoring"]["kpis"][0].update(target=0),
     "$.plan.monitoring.kpis[0].target: 'target' must differ from the baseline (both are 0)"),
    (lambda d: d["measurements"][1].update(value="x"),
     "$.measurements[1].value: 'value' must be a number (got 'x')"),
    (lambda d: d["measurements"][0].update(date="31/01/2026"),
     "$.measurements[0].date: 'date' '31/01/2026' is not an ISO date"),
    (lambda d: d["measurements"][0].update(kpi="k9"),
     "$.measurements[0].kpi: 'kpi' must be the id of one of the plan's KPIs (got 'k9'; known: k1)"),
    (lambda d: d["measurements"][0].update(unit="kg"),
     "$.measurements[0].unit: 'unit' is not a field here (check the spelling)"),
    (lambda d: d.update(organisations=[{"id": "o 1", "name": "X"}]),
     "$.organisations[0].id: 'id' must be letters, digits, '-' and '_' only (got 'o 1')"),
    (lambda d: d.update(people={"p1": {}}), "$.people: 'people' must be a list (got dict)"),
    (lambda d: d.update(extra=1), "$.extra: 'extra' is not a part of a plan file (check the spelling)"),
    (lambda d: d.update({"a\ud800": 1}),
     '$["a\\ud800"]: \'a\\ud800\' is not a part of a plan file (check the spelling)'),
    (lambda d: d["measurements"][1].update(value=True), "$.measurements[1].value: 'value' must be a number (got 'True')"),
    (lambda d: d["plan"]["risks"]["risks"][0].update(impact=True),
     "$.plan.risks.risks[0].impact: 'impact' must be a whole number (got True)"),
    (lambda d: d["plan"]["monitoring"]["kpis"][0].update(target=False),
     "$.plan.monitoring.kpis[0].target: 'target' must be a number (got False)"),
    (lambda d: d["plan"]["risks"]["risks"][0].update(title="Flo\x00ods"),
     "$.plan.risks.risks[0].title: 'title' must not contain the unprintable character U+0000 (character 4)"),
    (lambda d: d["measurements"][0].update(group="fe\ud800male"),
     "$.measurements[0].group: 'group' must not contain the unprintable character U+D800 (character 3)"),
    (lambda d: d["plan"]["risks"]["risks"][0].update(impact=10**299),
     "$.plan.risks.risks[0].impact: 'impact' must be between 1 and 5"),
]


@pytest.mark.parametrize(("change", "line"), JSON_PATH_ERRORS)
def test_errors_name_the_json_path(tmp_path, change, line):
    with pytest.raises(InvalidInput) as caught:
        read_plan_file(write(tmp_path, _broken(change)))
    assert any(str(p).startswith(line) for p in caught.value.problems)


def test_every_problem_is_listed_at_once(tmp_path):
    def break_three(d):
        d["plan"]["risks"]["risks"][0]["impact"] = 9
        d["plan"]["info"]["currency"] = "usd"
        d["measurements"][1]["value"] = "x"

    with pytest.raises(InvalidInput) as caught:
        read_plan_file(write(tmp_path, _broken(break_three)))
    assert len(caught.value.problems) == 3


# (a measurement's field, its values in the two rows): an object among other values is named
NESTED = [("group", [{"value": ""}, 5]), ("source", [["a"], "b"]), ("kpi", [{}, {}]), ("value", [[2], 1.5])]


@pytest.mark.parametrize(("field", "values"), NESTED)
def test_an_object_or_list_in_a_measurement_is_named(tmp_path, field, values):
    data = document()
    for row, value in zip(data["measurements"], values, strict=True):
        row[field] = value
    with pytest.raises(InvalidInput) as caught:
        read_plan_file(write(tmp_path, data))
    assert f"$.measurements[0].{field}: '{field}' must be" in str(caught.value)


def test_repeated_measurements_are_refused_naming_both_paths(tmp_path):
    data = document()
    data["measurements"].append(dict(data["measurements"][1], value=99))
    with pytest.raises(InvalidInput) as caught:
        read_plan_file(write(tmp_path, data))
    assert [str(p) for p in caught.value.problems] == [
        f"$.measurements[{row}]: KPI 'k1' has another value for 2026-02-28 (group 'female') in "
        f"$.measurements[{other}]: a KPI has one value per date and group, keep one of them"
        for row, other in ((1, 2), (2, 1))
    ]


def test_a_value_repeated_many_times_names_twenty_others(tmp_path):
    data = document(measurements=[document()["measurements"][0]] * 1000)
    with pytest.raises(InvalidInput) as caught:
        read_plan_file(write(tmp_path, data))
    assert str(caught.value.problems[0]).split(" in ", 1)[1].startswith(
        ", ".join(f"$.measurements[{n}]" for n in range(1, 21)) + ", … and 979 more: a KPI")


def test_the_same_date_in_another_group_is_no_repeat(tmp_path):
    data = document()
    data["measurements"].append(dict(data["measurements"][1], group="male"))
    assert len(read_plan_file(write(tmp_path, data)).measurements) == 3


def test_many_problems_are_counted_after_the_first_twenty(tmp_path):
    data = document(measurements=[{"kpi": "k1", "date": "2026-01-31", "value": "x"}] * 1000)
    with pytest.raises(InvalidInput) as caught:
        read_plan_file(write(tmp_path, data))
    assert str(caught.value).splitlines()[-2:] == [
        "  $.measurements[19].value: 'value' must be a number (got 'x')", "  … and 980 more"]


def test_bad_file_writes_nothing(workspace, tmp_path):
    data = document()
    data["measurements"][1]["value"] = "x"
    with pytest.raises(InvalidInput):
        import_plan(workspace, write(tmp_path, data), name="Copy")
    assert [p.name for p in workspace.plans(include_deleted=True)] == ["Test plan"]


# ---------------------------------------------------------------- migrations


def version_0():
    """A plan file as partnerlib wrote it before version 1: risks had a 'probability'."""
    data = document()
    for risk in data["plan"]["risks"]["risks"]:
        risk["probability"] = risk.pop("likelihood")
        risk["residual_probability"] = 2
        del risk["residual_likelihood"]
    data["schema_version"] = 0
    return data


def test_every_older_version_has_a_migration():
    assert sorted(PLAN_FILE_MIGRATIONS) == list(range(PLAN_FILE_VERSION))


def test_version_0_probability_becomes_likelihood(tmp_path):
    risk = read_plan_file(write(tmp_path, version_0())).plan.risks.risks[0]
    assert (risk.likelihood, risk.residual_likelihood) == (4, 2)


def test_version_0_file_says_its_version(tmp_path):
    assert read_plan_file(write(tmp_path, version_0())).schema_version == 0


def test_version_0_imports(workspace, tmp_path):
    snapshot = import_plan(workspace, write(tmp_path, version_0()), name="Old")
    assert snapshot.plan.risks.risks[0].likelihood == 4


def test_version_0_step_leaves_odd_input_to_the_checks():
    assert PLAN_FILE_MIGRATIONS[0]({"plan": {"risks": {"risks": ["odd"]}}}) == {
        "plan": {"risks": {"risks": ["odd"]}}, "schema_version": 1}


# ---------------------------------------------------------------- property: export → import is the identity

ids = st.text(string.ascii_letters + string.digits + "-_", min_size=1, max_size=12)
words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
names = words.filter(lambda s: s.strip())
scores = st.integers(1, 5)
amounts = st.floats(0, 1e12, allow_nan=False, allow_infinity=False)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31))

risks = st.builds(
    Risk, id=ids, title=names, category=st.sampled_from(RISK_CATEGORIES), cause=words, owner=words,
    likelihood=scores, impact=scores, residual_likelihood=st.none() | scores,
    residual_impact=st.none() | scores, reviewed=st.none() | dates,
)


@st.composite
def kpis(draw):
    baseline = draw(st.none() | st.floats(-1e6, 1e6, allow_nan=False))
    target = draw(st.none() | st.floats(-1e6, 1e6, allow_nan=False).filter(lambda t: t != baseline))
    falling = baseline is not None and target is not None and target < baseline
    return Kpi(id=draw(ids), name=draw(names), level=draw(st.sampled_from(KPI_LEVELS)), baseline=baseline,
               target=target, direction="decrease" if falling else "increase",
               cumulative=draw(st.booleans()), decimals=draw(st.integers(0, 3)))


contributions = st.builds(
    Contribution, id=ids, party=ids, description=names, amount=amounts,
    hours=st.floats(0, 1e7, allow_nan=False), year=st.none() | st.integers(1990, 2100),
)


def unique(records):
    return st.lists(records, max_size=5, unique_by=lambda r: r.id)


plans = st.builds(
    Plan,
    info=st.builds(PlanInfo, name=names, organisation=names, ssu_name=words, as_of=dates),
    risks=st.builds(Risks, risks=unique(risks)),
    monitoring=st.builds(Monitoring, kpis=unique(kpis())),
    resources=st.builds(Resources, contributions=unique(contributions)),
)


@given(plans)
@settings(max_examples=60, deadline=None)
def test_property_text_round_trip_is_the_identity(plan):
    assert plan_from_json(plan_to_json(plan)).plan == plan


@given(plans)
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_property_export_import_through_workspaces_is_the_identity(plan):
    with tempfile.TemporaryDirectory() as folder:
        with Workspace.open(Path(folder) / "a.sqlite") as source:
            source.create_plan(copy.deepcopy(plan))
            path = export_plan(source, plan.info.name, Path(folder) / "plan.json")
        with Workspace.open(Path(folder) / "b.sqlite") as target:
            assert import_plan(target, path).plan == plan and target.load(plan.info.name).plan == plan
