"""The workshop room in a real browser: a facilitator and five participants on their own pages.

The facilitator starts and opens a partnership health survey from the room's
page; five participants join by the link in their own browser contexts and
answer on a phone-sized page (one sends a bad value first and keeps what was
chosen); without a reload the facilitator's page shows 5 responses and the
right medians; accepting writes step 11's ratings per person; a participant
is refused the others' answers and the plan; a late answer is refused.

Needs ``/usr/bin/chromium`` (as tests/test_browser.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from test_browser import CHROMIUM, CHROMIUM_ARGS  # the same Chromium, with the same flags

from partnerlib import score_health
from partnerlib.app.room.server import Room, serving
from partnerlib.io.sample import seed_workspace
from partnerlib.models import FACTORS

PLAN = "Riverside Community Health"
#: Milliseconds to wait for a page or a change (the room answers in milliseconds; the machine may be busy).
WAIT = 30_000
#: Each participant's organisation and the score they give every factor: medians 3, quartiles 3–4,
#: our people's mean 2.67 against the clinic's 4.5 (a perception gap).
PEOPLE = [("us", 2), ("us", 3), ("us", 3), ("riverbend-clinic", 4), ("riverbend-clinic", 5)]
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="SKIPPED THE REAL-BROWSER TEST: no /usr/bin/chromium.")


@pytest.fixture(scope="module")
def room(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Room, str]]:
    workspace = seed_workspace(tmp_path_factory.mktemp("room") / "workspace.sqlite")
    try:
        room = Room.open(workspace, PLAN)
        with serving(room) as base:
            yield room, base
    finally:
        workspace.close()


@pytest.fixture(scope="module")
def chromium(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()
    finally:
        playwright.stop()


def _answer(page, party: str, score: int) -> None:
    page.select_option("#party", party)
    for number in range(len(FACTORS)):
        page.check(f'input[name="q{number}"][value="{score}"]')


@pytest.fixture(scope="module")
def workshop(room, chromium) -> dict[str, object]:
    """Run the workshop once; the tests read what each step showed."""
    room_, base = room
    seen: dict[str, object] = {}
    facilitator = chromium.new_context().new_page()
    facilitator.set_default_timeout(WAIT)
    facilitator.goto(f"{base}/f/{room_.secret}")
    facilitator.select_option("#kind", "health")
    facilitator.click("#start button[type=submit]")
    facilitator.get_by_role("button", name="Open").click()
    facilitator.wait_for_selector("text=open to the room")
    facilitator.evaluate("window.notReloaded = true")
    join = facilitator.get_attribute("a.join", "href")

    participants = []
    for index, (party, score) in enumerate(PEOPLE):
        page = chromium.new_context(viewport=PHONE).new_page()
        page.set_default_timeout(WAIT)
        page.goto(join)
        page.get_by_role("link", name="Partnership health survey").click()
        _answer(page, party, score)
        if index == 0:  # a bad value first: one factor left out, another tampered to 9
            page.evaluate("document.querySelectorAll('input[name=q3]').forEach(b => b.checked = false)")
            page.evaluate("document.querySelector('input[name=q5][value=\"2\"]').value = '9'")
            page.click("button[type=submit]")
            seen["bad_q3"] = page.inner_text("#q3 .problem")
            seen["bad_q5"] = page.inner_text("#q5 .problem")
            seen["kept"] = (page.input_value("#party"), page.is_checked('input[name="q0"][value="2"]'))
            seen["stored_after_bad"] = len(room_.workspace.responses(PLAN))
            page.check('input[name="q3"][value="2"]')
            page.check('input[name="q5"][value="2"]')
        page.click("button[type=submit]")
        seen.setdefault("thanks", []).append(page.inner_text("h1"))
        participants.append(page)

    facilitator.wait_for_selector(".count:text-is('5 responses')")
    seen["not_reloaded"] = facilitator.evaluate("window.notReloaded === true")
    seen["medians"] = facilitator.locator("td.median").all_inner_texts()
    seen["counts"] = facilitator.locator("td.responses").all_inner_texts()
    seen["flags"] = facilitator.locator("tr.disagree").count()

    spy = participants[1]
    seen["others_answers"] = spy.evaluate(f"fetch('{base}/f/{room_.token}/state.json').then(r => r.status)")
    seen["plan"] = spy.evaluate(f"fetch('{base}/j/{room_.token}/plan').then(r => r.status)")
    seen["results_unshown"] = spy.evaluate(
        f"fetch(location.origin + '/j/{room_.token}/a/' + '{next(iter(room_.activities))}' + '/results')"
        ".then(r => r.status)")

    facilitator.get_by_role("button", name="Accept all into step 11").click()
    facilitator.wait_for_selector("text=20 items accepted")
    seen["health"] = score_health(room_.workspace.load(PLAN).plan.review)

    late = participants[4]
    late.goto(join)
    late.get_by_role("link", name="Partnership health survey").click()
    _answer(late, "us", 1)
    facilitator.get_by_role("button", name="Close").click()
    facilitator.wait_for_selector("text=· closed")
    late.click("button[type=submit]")
    seen["late"] = late.inner_text("main")
    seen["stored"] = len(room_.workspace.responses(PLAN))
    return seen


def test_a_bad_value_is_named_beside_its_fields(workshop):
    assert (workshop["bad_q3"], workshop["bad_q5"]) == (
        "⚠ Mutual respect, understanding and trust is required",
        "⚠ Collaboration in each member's self-interest must be between 1 and 5 (you typed '9')",
    )


def test_a_bad_value_keeps_what_was_chosen_and_saves_nothing(workshop):
    assert (workshop["kept"], workshop["stored_after_bad"]) == (("us", True), 0)


def test_every_participant_is_thanked(workshop):
    assert workshop["thanks"] == ["Thank you"] * 5


def test_the_facilitator_sees_five_responses_per_factor_without_a_reload(workshop):
    assert (workshop["not_reloaded"], workshop["counts"]) == (True, ["5"] * len(FACTORS))


def test_the_facilitator_sees_the_right_medians(workshop):
    assert workshop["medians"] == ["3"] * len(FACTORS)


def test_the_partners_perception_gap_is_flagged(workshop):
    assert workshop["flags"] == len(FACTORS)


REFUSED = [("others_answers", 403), ("plan", 404), ("results_unshown", 403)]


@pytest.mark.parametrize(("what", "status"), REFUSED)
def test_a_participant_is_refused_others_answers_and_the_plan(workshop, what, status):
    assert workshop[what] == status


def test_accepting_changes_step_11s_results(workshop):
    row = workshop["health"].factors.iloc[0]
    assert (round(float(row["score"]), 2), int(row["ratings"])) == (3.58, 5)


def test_a_late_answer_is_refused_in_words(workshop):
    assert ("is closed" in workshop["late"], workshop["stored"]) == (True, 5)


@pytest.fixture
def new_room(tmp_path) -> Iterator[Room]:
    workspace = seed_workspace(tmp_path / "workspace.sqlite")
    try:
        yield Room.open(workspace, PLAN)
    finally:
        workspace.close()


def _start_and_open(page, kind: str, *ticked: str) -> None:
    """On the facilitator's page: start an activity of a kind (ticking options) and open it to the room."""
    page.select_option("#kind", kind)
    for name in ticked:
        page.check(f"#start input[name={name}]")
    page.click("#start button[type=submit]")
    page.get_by_role("button", name="Open").click()
    page.wait_for_selector("text=open to the room")


def test_the_facilitator_accepts_the_rooms_criterion_weights_into_step_3(new_room, chromium):
    import requests

    with serving(new_room) as base:
        facilitator = chromium.new_page()
        facilitator.set_default_timeout(WAIT)
        facilitator.goto(f"{base}/f/{new_room.secret}")
        _start_and_open(facilitator, "candidates", "pairwise")
        activity = next(iter(new_room.activities.values()))
        participant = requests.Session()
        participant.get(f"{base}/j/{new_room.token}", timeout=10)
        answers = {slot: "0" if q.key.startswith("ahp:") else "3" for slot, q in activity.slots.items()}
        participant.post(f"{base}/j/{new_room.token}/a/{activity.id}", timeout=10,
                         data={"_xsrf": participant.cookies["_xsrf"], "party": "us", **answers})  # all criteria equal
        facilitator.get_by_role("button", name="Accept these weights into step 3").click()
        facilitator.wait_for_selector("text=✔ accepted: the mean of each person's weights")
        facilitator.close()
    weights = [c.weight for c in new_room.workspace.load(PLAN).plan.partners.criteria]
    assert weights == [16.7] * len(weights)


def test_under_a_hub_prefix_the_pages_work_from_start_to_thanks(new_room, chromium):
    prefix = "/services/workshop/"
    failed: list[str] = []
    with serving(new_room, base_url=prefix) as base:
        context = chromium.new_context()
        context.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        facilitator = context.new_page()
        facilitator.set_default_timeout(WAIT)
        facilitator.goto(f"{base}/f/{new_room.secret}")
        _start_and_open(facilitator, "parking")
        join = facilitator.get_attribute("a.join", "href")
        participant = chromium.new_context(viewport=PHONE).new_page()
        participant.set_default_timeout(WAIT)
        participant.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        participant.goto(join)
        participant.get_by_role("link", name="Parking lot").click()
        participant.fill("textarea", "Who follows up with the district?")
        participant.click("button[type=submit]")
        thanks = participant.inner_text("h1")
        facilitator.wait_for_selector(".count:text-is('1 response')")
        context.close()
    assert (join.startswith(f"{base}/j/"), prefix in join, thanks, failed) == (True, True, "Thank you", [])


#: Text a page may show that is not a sentence: numbers, dates, marks and the separators between them.
NOT_WORDS = re.compile(r"^[\d\s.,:;·–—/%()✔⚠+-]*$")
#: Every text node and every label a reader meets (title, aria-label, placeholder), as shown.
SHOWN_TEXT = """() => {
  const found = [document.title];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest("svg, script, style") && node.textContent.trim()) found.push(node.textContent.trim());
  }
  for (const element of document.querySelectorAll("[title], [aria-label], [placeholder]")) {
    for (const name of ["title", "aria-label", "placeholder"]) {
      if (element.getAttribute(name)) found.push(element.getAttribute(name));
    }
  }
  return found;
}"""


def _not_from_messages(page, data: set[str], mark: str) -> list[str]:
    """The texts of a page that are neither (in) a sentence of MESSAGES, nor the plan's data and numbers.

    A text made of data and numbers ("Hope Alliance International: 4", a factor
    written with a capital) is data; a web address (the join link) is too.
    """
    pieces = re.compile("|".join(re.escape(words) for words in sorted(data, key=len, reverse=True)), re.IGNORECASE)
    return [text for text in page.evaluate(SHOWN_TEXT)
            if mark not in text and "://" not in text and not NOT_WORDS.match(pieces.sub("", text))]


def test_every_word_of_the_room_pages_comes_from_messages(new_room, chromium, pseudo_translated):
    """Pseudo-translated: with every sentence of MESSAGES marked, each text the pages show carries a mark.

    The facilitator's page (its form and the live results its script draws), the
    room a participant joins, an activity's questions and the results shown to
    the room. What is not a sentence is the plan's own data (names of risks,
    organisations and factors) and numbers; anything else was written in a
    template or the script, where a translation could not reach it.
    """
    plan = new_room.workspace.load(PLAN).plan
    data = ({risk.title for risk in plan.risks.risks} | set(FACTORS) | set(FACTORS.values())
            | set(plan.parties().values()) | {PLAN})
    seen = {}
    with serving(new_room) as base:
        facilitator = chromium.new_page()
        facilitator.set_default_timeout(WAIT)
        facilitator.goto(f"{base}/f/{new_room.secret}")
        seen["facilitator, before any activity"] = _not_from_messages(facilitator, data, pseudo_translated)
        facilitator.select_option("#kind", "health")
        facilitator.click("#start button[type=submit]")
        facilitator.locator("button", has_text="Open").click()
        facilitator.wait_for_selector("button:has-text('Close')")

        participant = chromium.new_page(viewport=PHONE)
        participant.set_default_timeout(WAIT)
        participant.goto(facilitator.get_attribute("a.join", "href"))
        seen["join"] = _not_from_messages(participant, data, pseudo_translated)
        participant.locator("a.button").first.click()
        seen["answer"] = _not_from_messages(participant, data, pseudo_translated)
        participant.click("button[type=submit]")  # nothing chosen: every question is named
        seen["answer with problems"] = _not_from_messages(participant, data, pseudo_translated)
        _answer(participant, "us", 4)
        participant.click("button[type=submit]")
        seen["thanks"] = _not_from_messages(participant, data, pseudo_translated)

        facilitator.wait_for_selector("td.responses:text-is('1')")
        facilitator.locator("button", has_text="Show results").click()
        facilitator.wait_for_selector("button:has-text('Hide results')")
        seen["facilitator, live results"] = _not_from_messages(facilitator, data, pseudo_translated)
        participant.goto(facilitator.get_attribute("a.join", "href"))
        participant.locator("ul.activities a").last.click()
        participant.wait_for_selector("table.results")
        seen["results shown to the room"] = _not_from_messages(participant, data, pseudo_translated)
    assert seen == dict.fromkeys(seen, [])
