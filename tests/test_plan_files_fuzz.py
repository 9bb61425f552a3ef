"""Fuzzed plan files: every one ends as an accepted plan or as a PlanError, and a refused import leaves nothing.

Each case mutates the sample plan's file, cut to one row per table so that ten
thousand cases check in seconds (every section and field type is still there):
values of other types, huge and boolean numbers, deep nesting, lone surrogates
and control characters, dropped, unknown and repeated keys and rows, and, on
the text, truncation, numbers of thousands of digits, broken bytes and other
encodings. The cases come from one seeded generator, so a failure repeats.

Accepted contents must write out and read back the same; a refused file must
name the JSON path of every problem (InvalidInput), or be refused whole
(PlanError: not JSON, not UTF-8, not a plan file), in text that prints. A sample
of the cases also goes through ``import_plan`` into a workspace, which must hold
exactly what it held before whenever the import is refused.

The whole module takes about half a minute of CPU (most of it checking ten
thousand plans), so it is marked slow: ``pytest -m "not slow"`` leaves it out.
"""

from __future__ import annotations

import json
import random

import pytest

from partnerlib import (
    InvalidInput,
    Plan,
    PlanError,
    Workspace,
    import_plan,
    load_sample,
    plan_to_json,
    sample_measurements,
)
from partnerlib.io.migrations import WORKSPACE_TABLES
from partnerlib.io.plan_files import plan_from_bytes

pytestmark = pytest.mark.slow

SEED = 17
CASES = 10_000
#: Every IMPORT_EVERY-th case also goes through import_plan into a workspace.
IMPORT_EVERY = 50


def _cut(node, rows=1):
    """The document with every list cut to its first rows."""
    if isinstance(node, dict):
        return {key: _cut(value, rows) for key, value in node.items()}
    if isinstance(node, list):
        return [_cut(value, rows) for value in node[:rows]]
    return node


def _base():
    """The sample plan's file, one row per table, with the references the cut broke mended."""
    document = _cut(json.loads(plan_to_json(load_sample(), sample_measurements().head(2))))
    document["measurements"] = json.loads(plan_to_json(load_sample(), sample_measurements().head(2)))["measurements"]
    plan = document["plan"]
    swot = {factor["id"] for factor in plan["business_case"]["swot"]}
    for strategy in plan["business_case"]["strategies"]:
        strategy["factors"] = [f for f in strategy["factors"] if f in swot]
    stakeholders = {s["id"] for s in plan["community"]["stakeholders"]}
    for engagement in plan["community"]["engagements"]:
        engagement["stakeholders"] = [s for s in engagement["stakeholders"] if s in stakeholders]
    return document


BASE = _base()
BASE_TEXT = json.dumps(BASE)
BASE_TEXT_WITHOUT_MEASUREMENTS = json.dumps(BASE | {"measurements": []})

#: Values put where another belongs.
ODD_VALUES = [
    True, False, None, 0, -1, 1.5, -0.0, 1e308, 10**400, -(10**299), float("nan"), float("inf"),
    "", " ", "x" * 6000, "\ud800", "a\udfffb", "A\x00B", "\x1f", "\x0b", "tab\tnew\nline", "2026-02-30",
    "2026-01-31", "NaN", "1,250.5", "Likely", "us", "k1", "=cmd()", "é" * 70,
    {}, [], {"a": 1}, [1, [2]], {"id": "x"}, [{"id": "x"}],
]


def _paths(node, path=()):
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


PATHS = [p for p in _paths(BASE) if p and p[0] != "measurements"]
#: Paths into the measurements, which are checked by another road (column by column).
MEASUREMENT_PATHS = [p for p in _paths(BASE) if p and p[0] == "measurements"]


def _parent(document, path):
    for key in path[:-1]:
        document = document[key]
    return document


def _nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def _mutate(document, rng):
    """Change one thing in the parsed document (a path may no longer exist: then nothing changes)."""
    path = rng.choice(MEASUREMENT_PATHS if document.get("measurements") and rng.random() < 0.6 else PATHS)
    try:
        parent = _parent(document, path)
        key = path[-1]
        kind = rng.randrange(7)
        if kind <= 1:
            parent[key] = rng.choice(ODD_VALUES)
        elif kind == 2:
            parent[key] = json.loads(json.dumps(_parent(document, (*rng.choice(PATHS), None))))  # another part
        elif kind == 3 and isinstance(parent, dict):
            del parent[key]
        elif kind == 3:
            parent.insert(key, json.loads(json.dumps(parent[key])))  # a repeated row: same id, KPI and date
        elif kind == 4 and isinstance(parent, dict):
            parent[rng.choice(["colour", "", "\ud800", "a" * 300, "ID"])] = rng.choice(ODD_VALUES)
        elif kind == 5:
            parent[key] = _nested(rng.choice([5, 50, 150]))  # deeper: "[" * 100_000 in _bytes
        else:
            parent[key] = rng.choice([[parent[key]], {"value": parent[key]}, str(parent[key])])
    except (KeyError, IndexError, TypeError, AttributeError):
        pass


def _bytes(document, rng):
    """The file's bytes, sometimes broken as text or bytes."""
    text = json.dumps(document, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 1]))
    roll = rng.random()
    if roll < 0.04:
        text = text[: rng.randrange(len(text))]  # truncated
    elif roll < 0.08:
        at = text.find(": ", rng.randrange(len(text)))
        text = text[: at + 2] + rng.choice(["-", ""]) + "9" * rng.choice([400, 5000]) + ", " + text[at + 2:]
    elif roll < 0.10:
        text = text.replace('"', "", 1) if rng.random() < 0.5 else "[" * 100_000 + text
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate as its (invalid) UTF-8 bytes
    roll = rng.random()
    if roll < 0.03:
        data = text.encode(rng.choice(["utf-16", "utf-16-le", "utf-16-be", "utf-32"]), "surrogatepass")
    elif roll < 0.05:
        data = text.encode("latin-1", "replace")
    elif roll < 0.07:
        data = b"\xef\xbb\xbf" + data
    elif roll < 0.09:
        at = rng.randrange(len(data))
        data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1:]
    return data


def _case(rng):
    # measurements in a few cases only: checking them (with pandas) takes most of a case's time
    document = json.loads(BASE_TEXT if rng.random() < 0.15 else BASE_TEXT_WITHOUT_MEASUREMENTS)
    for _ in range(rng.choice([1, 1, 2, 3])):
        _mutate(document, rng)
    return _bytes(document, rng)


def _outcome(data):
    """What reading the bytes gave: 'accepted', or the refusal's kind; fails on anything else."""
    try:
        contents = plan_from_bytes(data, source="plan.json")
    except InvalidInput as refused:
        assert refused.problems, "an InvalidInput without problems"
        assert [str(p) for p in refused.problems if not str(p).startswith("$")] == []
        str(refused).encode("utf-8")  # the message can be printed
        return "named"
    except PlanError as refused:
        assert str(refused).startswith("plan.json")
        str(refused).encode("utf-8")
        return "refused"
    assert Plan.model_validate_json(contents.plan.model_dump_json().encode()) == contents.plan  # storable
    return "accepted"


def _workspace_state(ws):
    """Everything an import could leave behind."""
    with ws._read() as db:
        return [db.execute(f"SELECT count(*) FROM {table}").fetchone()[0]  # noqa: S608 - our own table names
                for table in WORKSPACE_TABLES]


@pytest.fixture(scope="module")
def outcomes():
    rng = random.Random(SEED)
    found = {"accepted": 0, "named": 0, "refused": 0}
    for _ in range(CASES):
        found[_outcome(_case(rng))] += 1
    return found


def test_the_base_file_is_accepted():
    assert _outcome(json.dumps(BASE).encode()) == "accepted"


def test_ten_thousand_fuzzed_files_end_accepted_or_refused_in_words(outcomes):
    assert sum(outcomes.values()) == CASES


def test_the_fuzzing_reaches_every_outcome(outcomes):
    assert min(outcomes.values()) > CASES // 100


def test_a_refused_import_leaves_the_workspace_as_it_was(tmp_path):
    rng = random.Random(SEED + 1)
    with Workspace.open(tmp_path / "workspace.sqlite") as ws:
        imported = 0
        for number in range(CASES // IMPORT_EVERY):
            path = tmp_path / f"plan{number}.json"
            path.write_bytes(_case(rng))
            before = _workspace_state(ws)
            try:
                snapshot = import_plan(ws, path)
            except PlanError:
                assert _workspace_state(ws) == before
                continue
            imported += 1
            ws.delete_plan(snapshot.name)
            ws.purge_plan(snapshot.name)
        assert imported > 0
