"""The workshop room over real HTTP on 127.0.0.1: who may see what, forms that keep what was typed, accepting."""

import csv
import dataclasses
import datetime as dt
import io
import os
import re
import signal
import subprocess
import sys
import types
from pathlib import Path

import pytest
import requests
from openpyxl import load_workbook

from partnerlib import score_health
from partnerlib.app.room.server import HUB_PREFIX_ENV, MAX_ANSWERS_PER_MINUTE, Room, serving
from partnerlib.io.sample import seed_workspace
from partnerlib.models import FACTORS

PLAN = "Riverside Community Health"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def room(tmp_path):
    workspace = seed_workspace(tmp_path / "workspace.sqlite")
    try:
        yield Room.open(workspace, PLAN)
    finally:
        workspace.close()


@pytest.fixture
def served(room):
    with serving(room) as base:
        yield room, base


class Facilitator:
    """The facilitator's browser: the secret link, and XSRF on every action."""

    def __init__(self, base, room):
        self.url = f"{base}/f/{room.secret}"
        self.session = requests.Session()
        assert self.session.get(self.url, timeout=10).status_code == 200

    def post(self, path, **fields):
        xsrf = self.session.cookies["_xsrf"]
        return self.session.post(self.url + path, data=fields, headers={"X-XSRFToken": xsrf}, timeout=10)

    def start(self, kind, **fields):
        return self.post("/start", kind=kind, **fields).json()["id"]

    def open_new(self, kind, **fields):
        activity = self.start(kind, **fields)
        self.post(f"/a/{activity}/open")
        return activity

    def state(self, activity_id):
        found = self.session.get(self.url + "/state.json", timeout=10).json()["activities"]
        return next(a for a in found if a["id"] == activity_id)


class Participant:
    """A participant's phone: the join link and an anonymous cookie."""

    def __init__(self, base, room):
        self.url = f"{base}/j/{room.token}"
        self.session = requests.Session()
        self.session.get(self.url, timeout=10)

    def form(self, activity_id):
        return self.session.get(f"{self.url}/a/{activity_id}", timeout=10)

    def answer(self, activity_id, **fields):
        self.form(activity_id)
        xsrf = self.session.cookies.get("_xsrf", "")
        return self.session.post(f"{self.url}/a/{activity_id}", data={"_xsrf": xsrf, **fields}, timeout=10)


def health_answers(score=4, party="us", **changes):
    answers = {"party": party, **{f"q{n}": str(score) for n in range(len(FACTORS))}}
    return answers | changes


@pytest.fixture
def health(served):
    room, base = served
    facilitator = Facilitator(base, room)
    return room, base, facilitator, facilitator.open_new("health")


REFUSED_CASES = [
    ("/f/not-the-secret", 403),
    ("/f/not-the-secret/state.json", 403),
    ("/f/{token}", 403),            # the join token is not the facilitator's secret
    ("/f/{token}/state.json", 403),
    ("/j/not-the-token", 404),
    ("/j/{token}/plan", 404),       # there is no way to the plan through the join link
    ("/plan", 404),
    ("/j/{token}/a/{activity}/results", 403),  # results not shown to the room yet
    ("/f/{token}/a/{activity}/responses.csv", 403),
]


@pytest.mark.parametrize(("path", "status"), REFUSED_CASES)
def test_participants_reach_only_what_is_open_to_them(health, path, status):
    room, base, _, activity = health
    participant = Participant(base, room)
    participant.answer(activity, **health_answers())
    reply = participant.session.get(base + path.format(token=room.token, activity=activity), timeout=10)
    assert reply.status_code == status


def test_a_refusal_never_shows_an_answer(health):
    room, base, _, activity = health
    participant = Participant(base, room)
    participant.answer(activity, **health_answers(party="riverbend-clinic"))
    reply = participant.session.get(f"{base}/f/{room.token}/state.json", timeout=10)
    assert "Riverbend" not in reply.text


def test_the_form_asks_every_factor_with_the_models_scale(health):
    room, base, _, activity = health
    page = Participant(base, room).form(activity).text
    assert (page.count('type="radio"'), "Your organisation" in page) == (5 * len(FACTORS), True)


def test_the_form_says_how_to_answer_above_the_questions(health):
    room, base, _, activity = health
    page = Participant(base, room).form(activity).text
    assert '<p class="intro">How true is each statement of our partnership today? 1 means' in page


def test_a_bad_value_is_named_beside_its_field_and_keeps_what_was_chosen(health):
    room, base, _, activity = health
    reply = Participant(base, room).answer(activity, **health_answers(q3="9", q5=""))
    expected = [
        "Mutual respect, understanding and trust must be between 1 and 5 (you typed &#39;9&#39;)",
        "Collaboration in each member&#39;s self-interest is required",
        'name="q0" value="4" checked',
        'value="us" selected',
    ]
    assert (reply.status_code, [text in reply.text for text in expected]) == (400, [True] * 4)


def test_a_bad_value_stores_nothing(health):
    room, base, _, activity = health
    Participant(base, room).answer(activity, **health_answers(q3="9"))
    assert room.workspace.responses(PLAN) == []


def test_answers_show_on_the_facilitators_results(health):
    room, base, facilitator, activity = health
    for score in (1, 2, 4, 4, 5):
        assert Participant(base, room).answer(activity, **health_answers(score)).status_code == 200
    item = facilitator.state(activity)["items"][0]
    assert (item["responses"], item["median"], item["q1"], item["q3"]) == (5, 4, 2, 4)


def test_answering_again_replaces_a_participants_answer(health):
    room, base, facilitator, activity = health
    participant = Participant(base, room)
    participant.answer(activity, **health_answers(1))
    participant.answer(activity, **health_answers(5))
    state = facilitator.state(activity)
    assert (state["respondents"], state["submissions"], state["items"][0]["median"]) == (1, 2, 5)


def test_a_closed_activity_refuses_a_late_answer_with_a_clear_message(health):
    room, base, facilitator, activity = health
    participant = Participant(base, room)
    participant.form(activity)
    facilitator.post(f"/a/{activity}/close")
    xsrf = participant.session.cookies["_xsrf"]
    reply = participant.session.post(f"{participant.url}/a/{activity}", data={"_xsrf": xsrf, **health_answers()})
    assert (reply.status_code, "is closed" in reply.text, room.workspace.responses(PLAN)) == (409, True, [])


def test_an_answer_without_the_forms_xsrf_token_is_refused(health):
    room, base, _, activity = health
    participant = Participant(base, room)
    reply = participant.session.post(f"{participant.url}/a/{activity}", data=health_answers(), timeout=10)
    assert reply.status_code == 403


def test_answers_are_limited_in_rate(health):
    room, base, _, activity = health
    participant = Participant(base, room)
    codes = [participant.answer(activity, **health_answers()).status_code for _ in range(MAX_ANSWERS_PER_MINUTE + 1)]
    assert codes[-2:] == [200, 429]


def test_answers_are_limited_in_size(health):
    room, base, _, activity = health
    participant = Participant(base, room)
    participant.form(activity)
    try:
        reply = participant.session.post(f"{participant.url}/a/{activity}", data={"q0": "x" * 200_000}, timeout=10)
        status = reply.status_code
    except requests.RequestException:  # tornado may close the connection instead of answering
        status = "closed"
    assert status in (400, 413, "closed")


def test_results_are_shown_to_the_room_only_on_demand_and_without_parties(health):
    room, base, facilitator, activity = health
    participant = Participant(base, room)
    participant.answer(activity, **health_answers(party="riverbend-clinic"))
    facilitator.post(f"/a/{activity}/show")
    page = participant.session.get(f"{participant.url}/a/{activity}/results", timeout=10)
    assert (page.status_code, "History of collaboration" in page.text, "Riverbend" in page.text) == (200, True, False)


def test_accepting_writes_each_persons_ratings_into_step_11(health):
    room, base, facilitator, activity = health
    for score, party in ((2, "us"), (2, "us"), (4, "riverbend-clinic")):
        Participant(base, room).answer(activity, **health_answers(score, party))
    assert "accepted" in facilitator.post(f"/a/{activity}/accept").json()["done"]
    scored = score_health(room.workspace.load(PLAN).plan.review)
    assert (scored.review, scored.factors.loc[0, "score"], scored.factors.loc[0, "ratings"]) == (activity, 3.0, 3)


def test_accepting_is_an_ordinary_revision_naming_the_activity_and_the_count(health):
    room, base, facilitator, activity = health
    for _ in range(2):
        Participant(base, room).answer(activity, **health_answers())
    facilitator.post(f"/a/{activity}/accept", item="flexibility")
    note = room.workspace.history(PLAN, "review")[0].note
    assert note == "Accepted from the workshop room: Partnership health survey, flexibility, 2 responses"


RISK_CASES = [("", 4), ("2", 2)]  # empty: the median of 3, 4, 5; else the value agreed


def _rate_and_accept_a_risk(served, agreed):
    """Three people rate the first risk's likelihood 3, 4 and 5; accept it (the median, or ``agreed``)."""
    room, base = served
    facilitator = Facilitator(base, room)
    risk = room.workspace.load(PLAN).plan.risks.risks[0]
    activity = facilitator.open_new("risks", risks_item=risk.id)
    for score in (3, 4, 5):
        Participant(base, room).answer(activity, party="us", q0=str(score), q1="3")
    facilitator.post(f"/a/{activity}/accept", item=f"{risk.id}:likelihood", value=agreed)
    return room, facilitator, activity, f"{risk.id}:likelihood"


@pytest.mark.parametrize(("agreed", "expected"), RISK_CASES)
def test_a_risk_takes_the_median_or_the_agreed_value(served, agreed, expected):
    room, *_ = _rate_and_accept_a_risk(served, agreed)
    assert room.workspace.load(PLAN).plan.risks.risks[0].likelihood == expected


ACCEPTED_WORDS = [("", "the median"), ("2", "2, as agreed")]  # as RISK_CASES: the median 4, or 2 agreed


@pytest.mark.parametrize(("agreed", "words"), ACCEPTED_WORDS)
def test_the_facilitator_reads_how_an_item_was_accepted(served, agreed, words):
    _, facilitator, activity, key = _rate_and_accept_a_risk(served, agreed)
    item = next(i for i in facilitator.state(activity)["items"] if i["key"] == key)
    assert item["accepted"] == words


# (what a room kept before it kept codes, how it is read back): the words it showed, or the value agreed
KEPT_BEFORE_CODES = [
    ("median", {"how": "median"}),
    ("each person's answer", {"how": "each_answer"}),
    ("the mean of each person's weights", {"how": "weights_mean"}),
    (3, {"how": "agreed", "value": 3}),
]


@pytest.mark.parametrize(("kept", "read"), KEPT_BEFORE_CODES)
def test_a_room_kept_before_codes_is_read_back_as_codes(served, kept, read):
    room, base = served
    activity = Facilitator(base, room).open_new("risks")
    stored = next(a for a in room.workspace.room_activities(room.keys.id) if a.id == activity)
    room.workspace.save_activity(room.keys.id, dataclasses.replace(stored, accepted={"r1:impact": kept}))
    assert Room.open(room.workspace, PLAN).activities[activity].accepted == {"r1:impact": read}


def test_an_agreed_value_out_of_bounds_is_refused_by_the_models_rule(served):
    room, base = served
    facilitator = Facilitator(base, room)
    risk = room.workspace.load(PLAN).plan.risks.risks[0]
    activity = facilitator.start("risks", risks_item=risk.id)
    reply = facilitator.post(f"/a/{activity}/accept", item=f"{risk.id}:impact", value="9")
    assert (reply.status_code, "between 1 and 5" in reply.json()["error"]) == (400, True)


HOSTILE = '<script>alert("x")</script> =HYPERLINK("http://evil")'


@pytest.fixture
def parking(served):
    room, base = served
    facilitator = Facilitator(base, room)
    activity = facilitator.open_new("parking")
    Participant(base, room).answer(activity, q0=HOSTILE)
    facilitator.post(f"/a/{activity}/show")
    return room, base, facilitator, activity


def test_hostile_text_stays_text_on_the_results_page(parking):
    room, base, _, activity = parking
    page = Participant(base, room).session.get(f"{base}/j/{room.token}/a/{activity}/results", timeout=10).text
    assert ("<script>alert" in page, "&lt;script&gt;alert" in page) == (False, True)


FORMULA_CASES = [("=1+1", "'=1+1"), ("@SUM(A1)", "'@SUM(A1)"), ("-2+3", "'-2+3"), ("plain", "plain")]


@pytest.mark.parametrize(("typed", "cell"), FORMULA_CASES)
def test_formula_cells_are_neutralised_in_the_csv_export(served, typed, cell):
    room, base = served
    facilitator = Facilitator(base, room)
    activity = facilitator.open_new("parking")
    Participant(base, room).answer(activity, q0=typed)
    csv_text = facilitator.session.get(f"{facilitator.url}/a/{activity}/responses.csv", timeout=10).text
    assert list(csv.reader(io.StringIO(csv_text)))[1][-1] == cell


def test_formula_cells_are_neutralised_in_the_xlsx_export(served):
    room, base = served
    facilitator = Facilitator(base, room)
    activity = facilitator.open_new("parking")
    Participant(base, room).answer(activity, q0="=1+1")
    content = facilitator.session.get(f"{facilitator.url}/a/{activity}/responses.xlsx", timeout=10).content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.cell(row=2, column=7).value == "'=1+1"


def test_a_kept_comment_becomes_a_recommendation(parking):
    room, _, facilitator, activity = parking
    facilitator.post(f"/a/{activity}/accept", item="comment", value=HOSTILE)
    assert room.workspace.load(PLAN).plan.review.recommendations[-1].text == HOSTILE


def test_the_facilitator_page_shows_the_join_link_and_its_qr_code(served):
    room, base = served
    page = requests.get(f"{base}/f/{room.secret}", timeout=10).text
    assert (f"{base}/j/{room.token}" in page, "<svg" in page) == (True, True)


def test_the_facilitator_page_offers_each_kind_by_its_name(served):
    room, base = served
    page = requests.get(f"{base}/f/{room.secret}", timeout=10).text
    assert '<option value="risks">Risk rating (step 6)</option>' in page


def test_a_started_activity_is_closed_until_opened(served):
    room, base = served
    activity = Facilitator(base, room).start("health")
    assert Participant(base, room).form(activity).status_code == 409


def test_a_started_activity_is_said_to_be_ready(served):
    room, base = served
    reply = Facilitator(base, room).post("/start", kind="health")
    assert reply.json()["done"] == "Partnership health survey is ready: open it to the room when you want answers."


def test_an_unknown_kind_is_refused_in_words(served):
    room, base = served
    reply = Facilitator(base, room).post("/start", kind="poll")
    assert reply.json()["error"] == "There is no activity 'poll' (there are health, candidates, risks, stakeholders, survey, votes, parking)."


def test_the_date_of_the_review_is_the_workshops(health):
    room, base, facilitator, activity = health
    Participant(base, room).answer(activity, **health_answers())
    facilitator.post(f"/a/{activity}/accept")
    review = next(r for r in room.workspace.load(PLAN).plan.review.reviews if r.id == activity)
    assert review.date == dt.date.today()


def test_pairwise_comparisons_show_each_persons_consistency(served):
    room, base = served
    facilitator = Facilitator(base, room)
    activity = facilitator.open_new("candidates", pairwise="1")
    pairs = {slot: q for slot, q in room.activities[activity].slots.items() if q.key.startswith("ahp:")}
    scores = {slot: "3" for slot, q in room.activities[activity].slots.items() if not q.key.startswith("ahp:")}
    Participant(base, room).answer(activity, party="us", **scores, **dict.fromkeys(pairs, "0"))  # all equal
    Participant(base, room).answer(activity, party="us", **scores,  # contradicting itself
                                   **{slot: str(4 if n % 2 else -4) for n, slot in enumerate(pairs)})
    ahp = facilitator.state(activity)["ahp"]
    assert (ahp["ratios"][0], ahp["consistent"], ahp["ratios"][1] >= 0.1) == (0.0, 1, True)


# ---- pairwise comparisons accepted as step 3's weights ------------------------------------

#: Three criteria compared in pairs: one person consistent (9 : 3 : 1, so weights 9/13, 3/13 and
#: 1/13), one finding them all equal (1/3 each); the room's weights are the mean of the two, in %.
THREE_CRITERIA = ["cr-safeguarding", "cr-values", "cr-capacity"]
JUDGED = [{"0": 1, "1": 4, "2": 1}, {"0": 0, "1": 0, "2": 0}]  # pair number → Saaty code (−4 … 4)
WEIGHT_CASES = [("cr-safeguarding", 51.3), ("cr-values", 28.2), ("cr-capacity", 20.5)]


@pytest.fixture
def compared(served):
    """A candidate scoring with pairwise comparisons of three criteria, answered by two people."""
    room, base = served
    snapshot = room.workspace.load(PLAN)
    partners = snapshot.plan.partners
    room.workspace.save_section(PLAN, "partners", partners.model_copy(update={
        "criteria": [c for c in partners.criteria if c.id in THREE_CRITERIA],
        "scores": [s for s in partners.scores if s.criterion in THREE_CRITERIA],
    }), base=snapshot.revisions["partners"])
    facilitator = Facilitator(base, room)
    activity = facilitator.open_new("candidates", pairwise="1")
    slots = room.activities[activity].slots
    pairs = [slot for slot, q in slots.items() if q.key.startswith("ahp:")]
    scores = {slot: "3" for slot, q in slots.items() if not q.key.startswith("ahp:")}
    for judged in JUDGED:
        Participant(base, room).answer(activity, party="us", **scores,
                                       **{pairs[int(n)]: str(code) for n, code in judged.items()})
    return room, facilitator, activity


@pytest.mark.parametrize(("criterion", "weight"), WEIGHT_CASES)
def test_accepting_the_pairwise_comparisons_writes_the_mean_weights_into_step_3(compared, criterion, weight):
    room, facilitator, activity = compared
    facilitator.post(f"/a/{activity}/accept", item="criterion weights")
    criteria = room.workspace.load(PLAN).plan.partners.criteria
    assert next(c.weight for c in criteria if c.id == criterion) == weight


def test_accepted_weights_are_a_revision_naming_the_activity_and_the_count(compared):
    room, facilitator, activity = compared
    facilitator.post(f"/a/{activity}/accept", item="criterion weights")
    assert room.workspace.history(PLAN, "partners")[0].note == (
        "Accepted from the workshop room: Candidate scoring, criterion weights, 2 responses")


def test_the_facilitator_sees_the_weights_and_that_they_were_accepted(compared):
    room, facilitator, activity = compared
    before = facilitator.state(activity)["ahp"]
    facilitator.post(f"/a/{activity}/accept", item="criterion weights")
    after = facilitator.state(activity)["ahp"]
    assert (list(before["weights"].values()), before["accepted"], after["accepted"]) == (
        [51.3, 28.2, 20.5], None, "the mean of each person's weights")


def test_the_facilitator_reads_the_comparisons_in_words(compared):
    room, facilitator, activity = compared
    names = [room.activities[activity].names[c] for c in THREE_CRITERIA]
    assert facilitator.state(activity)["ahp"]["said"] == [
        "2 of 2 people consistent (ratio below 0.1). Each person's ratio: 0 ✔ · 0 ✔",
        f"Criterion weights, mean of the people's: {names[0]}: 51.3% · {names[1]}: 28.2% · {names[2]}: 20.5%"]


def test_weights_are_refused_when_step_3s_criteria_changed_meanwhile(compared):
    room, facilitator, activity = compared
    snapshot = room.workspace.load(PLAN)
    partners = snapshot.plan.partners
    room.workspace.save_section(PLAN, "partners", partners.model_copy(update={
        "criteria": partners.criteria[:2], "scores": [s for s in partners.scores if s.criterion in THREE_CRITERIA[:2]],
    }), base=snapshot.revisions["partners"])
    reply = facilitator.post(f"/a/{activity}/accept", item="criterion weights")
    assert (reply.status_code, "criteria have changed" in reply.json()["error"]) == (400, True)


def test_one_comparison_is_not_accepted_as_a_weight(compared):
    room, facilitator, activity = compared
    pair = next(q.key for q in room.activities[activity].questions if q.key.startswith("ahp:"))
    reply = facilitator.post(f"/a/{activity}/accept", item=pair)
    assert reply.json()["error"] == "One comparison is not a weight: accept the criterion weights instead."


# ---- a room started again -------------------------------------------------------------------


@pytest.fixture
def restarted(health):
    """A room with one open survey and one closed parking lot, its server stopped, then the room started again."""
    room, base, facilitator, survey = health
    parking = facilitator.open_new("parking")
    facilitator.post(f"/a/{parking}/close")
    facilitator.post(f"/a/{survey}/show")
    Participant(base, room).answer(survey, **health_answers())
    facilitator.post(f"/a/{survey}/accept", item="flexibility")
    again = Room.open(room.workspace, PLAN)
    with serving(again) as new_base:
        yield room, again, new_base, survey, parking


RESTART_CASES = [
    ("the same join token", lambda old, new: new.token == old.token),
    ("the same facilitator secret", lambda old, new: new.secret == old.secret),
    ("the same activities in order", lambda old, new: list(new.activities) == list(old.activities)),
    ("open or closed as they were", lambda old, new: [a.is_open for a in new.activities.values()] == [True, False]),
    ("shown as they were", lambda old, new: [a.shown for a in new.activities.values()] == [True, False]),
    ("what was accepted", lambda old, new: next(iter(new.activities.values())).accepted == {
        "flexibility": {"how": "each_answer"}}),
    ("said to be resumed", lambda old, new: new.resumed),
]


@pytest.mark.parametrize(("what", "kept"), RESTART_CASES, ids=[c[0] for c in RESTART_CASES])
def test_a_room_started_again_goes_on_as_it_was(restarted, what, kept):
    old, new, *_ = restarted
    assert kept(old, new)


def test_a_room_started_again_still_refuses_a_late_answer(restarted):
    _, room, base, _, parking = restarted
    reply = Participant(base, room).answer(parking, q0="After the restart")
    assert (reply.status_code, "is closed" in reply.text) == (409, True)


def test_a_room_started_again_takes_answers_to_its_open_activities(restarted):
    _, room, base, survey, _ = restarted
    reply = Participant(base, room).answer(survey, **health_answers())
    assert (reply.status_code, Facilitator(base, room).state(survey)["respondents"]) == (200, 2)


def test_a_new_room_has_new_links_and_no_activities(restarted):
    old, *_ = restarted
    new = Room.open(old.workspace, PLAN, new=True)
    assert (new.token != old.token, new.secret != old.secret, new.activities, new.resumed) == (True, True, {}, False)


def test_an_activity_whose_records_are_gone_is_named_not_brought_back(served):
    room, base = served
    risk = room.workspace.load(PLAN).plan.risks.risks[0]
    Facilitator(base, room).start("risks", risks_item=risk.id)
    snapshot = room.workspace.load(PLAN)
    risks = snapshot.plan.risks.model_copy(update={"risks": snapshot.plan.risks.risks[1:]})
    room.workspace.save_section(PLAN, "risks", risks, base=snapshot.revisions["risks"])
    again = Room.open(room.workspace, PLAN)
    assert (again.activities, again.not_restored) == (
        {}, ["Risk rating: The plan has no risks to rate yet: add them in step 6."])


# ---- under a path prefix (a JupyterHub service) ---------------------------------------------

PREFIX = "/services/workshop/"
#: Every address a page of the room gives: links, form actions, scripts and style sheets.
ADDRESS = re.compile(r'(?:href|src|action|data-base)="([^"]*)"')


@pytest.fixture
def prefixed(room):
    with serving(room, base_url=PREFIX) as base:
        facilitator = Facilitator(base, room)
        activity = facilitator.open_new("parking")
        facilitator.post(f"/a/{activity}/show")
        yield room, base, facilitator, activity


def _pages(room, base, facilitator, activity):
    participant = Participant(base, room)
    return {
        "facilitator": facilitator.session.get(facilitator.url, timeout=10).text,
        "join": participant.session.get(participant.url, timeout=10).text,
        "form": participant.form(activity).text,
        "refused": participant.answer(activity, q0="").text,
        "thanks": participant.answer(activity, q0="A comment").text,
        "results": participant.session.get(f"{participant.url}/a/{activity}/results", timeout=10).text,
        "not found": participant.session.get(f"{base}/j/{room.token}/nothing", timeout=10).text,
    }


@pytest.mark.parametrize("page", ["facilitator", "join", "form", "refused", "thanks", "results", "not found"])
def test_under_a_prefix_every_address_of_a_page_starts_with_it(prefixed, page):
    base = prefixed[1]  # the room's address, its prefix included: the join link starts with it
    addresses = ADDRESS.findall(_pages(*prefixed)[page])
    outside = [a for a in addresses if not (a.startswith((PREFIX, f"{base}/", "data:")))]
    assert (len(addresses) > 0, outside) == (True, [])


def test_under_a_prefix_the_static_files_are_served(prefixed):
    room, base, facilitator, _ = prefixed
    replies = [facilitator.session.get(f"{base}/static/{name}", timeout=10).status_code
               for name in ("room.css", "facilitator.js")]
    assert replies == [200, 200]


def test_under_a_prefix_nothing_is_served_outside_it(prefixed):
    room, base, *_ = prefixed
    outside = base.removesuffix(PREFIX.rstrip("/"))
    assert requests.get(f"{outside}/j/{room.token}", timeout=10).status_code == 404


def test_under_a_prefix_the_cookies_are_the_rooms_own(prefixed):
    room, base, *_ = prefixed
    participant = Participant(base, room)
    assert sorted({cookie.path for cookie in participant.session.cookies}) == [PREFIX]


def test_behind_the_hubs_proxy_the_join_link_and_its_qr_code_follow_the_hubs_address(prefixed):
    import segno

    room, base, facilitator, _ = prefixed
    page = facilitator.session.get(facilitator.url, timeout=10, headers={
        "Host": "hub.example.org", "X-Forwarded-Proto": "https"}).text
    join = f"https://hub.example.org{PREFIX}j/{room.token}"
    qr = segno.make(join, error="m").svg_inline(scale=6, dark="#000")
    assert (f'class="join" href="{join}"' in page, qr in page) == (True, True)


PREFIX_CASES = [
    (None, None, "/"),
    (None, "/services/workshop/", "/services/workshop/"),
    ("rooms/riverside", "/services/workshop/", "/rooms/riverside/"),  # --base-url wins
]


@pytest.mark.parametrize(("given", "hub", "expected"), PREFIX_CASES)
def test_the_rooms_path_comes_from_base_url_else_the_hubs_service_prefix(monkeypatch, given, hub, expected):
    from partnerlib.app.room.server import room_path

    if hub is None:
        monkeypatch.delenv(HUB_PREFIX_ENV, raising=False)
    else:
        monkeypatch.setenv(HUB_PREFIX_ENV, hub)
    assert room_path(given) == expected


# ---- `partnerlib workshop` stopped and started again ------------------------------------------


def _workshop(workspace, port):
    """Start `partnerlib workshop` for the sample plan on a port; return the process, its words and its two links."""
    process = subprocess.Popen(
        [sys.executable, "-m", "partnerlib.app.cli", "--workspace", str(workspace), "workshop", PLAN,
         "--port", str(port)],
        stdout=subprocess.PIPE, text=True, env=os.environ | {"PYTHONPATH": str(ROOT)},
    )
    said = []
    while not any("Participants join at" in line for line in said):
        line = process.stdout.readline()
        if not line:
            pytest.fail(f"the room did not start: {''.join(said)}")
        said.append(line)
    links = [line.split()[-1] for line in said if "/f/" in line or "/j/" in line]
    return process, "".join(said), links


def _stop(process):
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=30)


def test_the_workshop_command_started_again_goes_on_with_the_same_links_and_closed_activities(tmp_path):
    from partnerlib.app.present import free_port

    workspace, port = tmp_path / "workspace.sqlite", free_port(None)
    seed_workspace(workspace).close()
    process, _, links = _workshop(workspace, port)
    try:
        address, secret = links[0].split("/f/")
        keys = types.SimpleNamespace(secret=secret, token=links[1].split("/j/")[1])
        facilitator = Facilitator(address, keys)
        parking = facilitator.open_new("parking")
        Participant(address, keys).answer(parking, q0="Before the break")
        facilitator.post(f"/a/{parking}/close")
    finally:
        _stop(process)
    process, said, again = _workshop(workspace, port)
    try:
        late = Participant(address, keys).answer(parking, q0="After the break")
    finally:
        _stop(process)
    assert (again, "It goes on from the room opened" in said, late.status_code) == (links, True, 409)


# ---- `partnerlib workshop --links`: the links of a room running elsewhere ---------------------


@pytest.fixture
def opened(tmp_path):
    """A sample workspace whose sample plan has had a room; its keys."""
    workspace = seed_workspace(tmp_path / "workspace.sqlite")
    keys = Room.open(workspace, PLAN).keys
    workspace.close()
    return tmp_path / "workspace.sqlite", keys


# (options, the room's address the links start with)
LINK_CASES = [
    (["--at", "https://hub.example.org/services/workshop/"], "https://hub.example.org/services/workshop/"),
    (["--at", "https://hub.example.org/services/workshop"], "https://hub.example.org/services/workshop/"),
    ([], "http://127.0.0.1:8870/"),
    (["--port", "9001", "--base-url", "rooms/a"], "http://127.0.0.1:9001/rooms/a/"),
]


@pytest.mark.parametrize(("options", "address"), LINK_CASES)
def test_the_links_of_a_room_are_printed_without_serving_it(opened, capsys, monkeypatch, options, address):
    from partnerlib.app.cli import main

    workspace, keys = opened
    monkeypatch.delenv(HUB_PREFIX_ENV, raising=False)
    code = main(["--workspace", str(workspace), "workshop", PLAN, "--links", *options])
    assert (code, capsys.readouterr().out.splitlines()) == (0, [
        f"Facilitator (keep this link to yourself): {address}f/{keys.secret}",
        f"Participants join at: {address}j/{keys.token}",
    ])


# (the plan, --at, what is said)
LINK_REFUSALS = [
    ("Another plan", None, "There is no plan called 'Another plan'"),
    (PLAN, "hub.example.org/workshop", "The room's address must be a web address such as"),
]


@pytest.mark.parametrize(("plan", "at", "said"), LINK_REFUSALS)
def test_links_are_refused_for_no_plan_or_no_address(opened, capsys, plan, at, said):
    from partnerlib.app.cli import main

    workspace, _ = opened
    code = main(["--workspace", str(workspace), "workshop", plan, "--links", *(["--at", at] if at else [])])
    assert (code != 0, said in capsys.readouterr().err) == (True, True)


def test_a_plan_without_a_room_says_how_to_open_one(tmp_path, capsys):
    from partnerlib.app.cli import main

    seed_workspace(tmp_path / "workspace.sqlite").close()
    code = main(["--workspace", str(tmp_path / "workspace.sqlite"), "workshop", PLAN, "--links"])
    assert (code != 0, capsys.readouterr().err.strip()) == (
        True, f"partnerlib: The plan {PLAN!r} has had no workshop room yet: open one with partnerlib workshop \"{PLAN}\".")
