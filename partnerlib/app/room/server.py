"""The workshop room's web server: one tornado process, plain request handlers, no kernel per participant.

``partnerlib workshop PLAN`` runs :func:`run_room`. The room has two secrets:

* the **join token**, in the link participants open (``/j/TOKEN``): it reaches
  only the activities the facilitator has opened, their forms, and the results
  the facilitator shows to the room — never another participant's answers, nor
  the plan;
* the **facilitator secret**, in the facilitator's link (``/f/SECRET``): it
  opens, closes and shows activities, sees the live results and the responses,
  and accepts results into the plan.

Both are compared in constant time. A participant is an anonymous id in a
signed cookie. Every form carries tornado's XSRF token; answers are limited
in size (:data:`MAX_BODY_BYTES`) and rate (:data:`MAX_ANSWERS_PER_MINUTE` per
participant, :data:`MAX_ANSWERS_PER_ADDRESS` per network address).
Pages are Jinja2 templates with autoescape on; the facilitator's live page
writes text with ``textContent`` only, so hostile text stays text.
"""

from __future__ import annotations

import asyncio
import contextlib
import csv
import datetime as dt
import hmac
import io
import json
import os
import queue
import re
import secrets
import signal
import socket
import threading
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tornado.httpserver
import tornado.netutil
import tornado.web
from jinja2 import Environment, PackageLoader
from markupsafe import Markup
from pydantic import ValidationError

from ...analyses.room import latest_answers, party_means, summarise_ratings
from ...core.formats import write_number
from ...core.problems import MESSAGES, PlanError, describe, render, sentence
from ...io.store import Response, RoomActivity, RoomKeys, Workspace
from ...output.document import spreadsheet_text
from .activities import KINDS, WEIGHTS_ITEM, Activity, CandidateScoring, new_activity

__all__ = [
    "MAX_ANSWERS_PER_MINUTE", "MAX_BODY_BYTES", "Room", "base_path", "make_app", "print_room_links", "room_path",
    "run_room", "serving",
]

#: The largest request the room accepts (a full health survey is about 1 KB).
MAX_BODY_BYTES = 64 * 1024
#: How many answers one participant may send in a minute (a typo or two, not a flood).
MAX_ANSWERS_PER_MINUTE = 12
#: How many answers one network address may send in a minute: a room behind one router
#: (30 people answering several times) passes, a flood from one machine does not.
MAX_ANSWERS_PER_ADDRESS = 600
#: How often the facilitator's page asks for new results, in milliseconds.
POLL_MS = 1000
#: The start of the codes in MESSAGES of the room pages' words.
_PAGE_WORDS = "room_page_"
#: Where the pages and their script and style live.
HERE = Path(__file__).parent
_COOKIE = "room_participant"


@dataclass
class Room:
    """One room for one plan: its keys, its activities and who answered.

    Open one with :meth:`Room.open`: the room, its keys and its activities (open
    or closed, shown or not, what was accepted) are kept in the workspace as
    they change, so a room started again for the plan goes on where it was,
    with the same links.

    Attributes:
        workspace: the open workspace holding the plan and the responses.
        plan_name: the plan the room works on.
        keys: the room as stored: its number, join token and facilitator secret.
        activities: the activities started, by id, in the order started.
        not_restored: activities the plan can no longer ask (its records gone), each with why.
        resumed: the room was opened before (and is now started again).
    """

    workspace: Workspace
    plan_name: str
    keys: RoomKeys
    activities: dict[str, Activity] = field(default_factory=dict)
    not_restored: list[str] = field(default_factory=list)
    resumed: bool = False
    _recent: dict[str, deque[float]] = field(default_factory=dict)
    _results: dict[str, tuple[list[Response], dict[str, Any]]] = field(default_factory=dict)

    @classmethod
    def open(cls, workspace: Workspace, plan_name: str, *, new: bool = False) -> Room:
        """Resume the plan's latest room as it was, or open a new one with new links.

        Args:
            workspace: the open workspace.
            plan_name: the plan (it must exist).
            new: open a new room even if the plan has one (new links; the earlier
                room's activities stay in the workspace, with their responses).
        """
        keys = None if new else workspace.latest_room(plan_name)
        resumed = keys is not None
        if keys is None:
            keys = workspace.new_room(plan_name, token=secrets.token_urlsafe(9), secret=secrets.token_urlsafe(18))
        room = cls(workspace, plan_name, keys, resumed=resumed)
        plan = workspace.load(plan_name).plan
        for state in workspace.room_activities(keys.id):
            try:
                activity = new_activity(plan, state.kind, activity_id=state.id, title=state.title, **state.options)
            except PlanError as error:
                room.not_restored.append(sentence("room_not_restored", activity=state.title, reason=str(error)))
                continue
            activity.is_open, activity.shown = state.is_open, state.shown
            activity.accepted = {key: _accepted_kept(kept) for key, kept in state.accepted.items()}
            room.activities[activity.id] = activity
        return room

    @property
    def token(self) -> str:
        """The participants' join token."""
        return self.keys.token

    @property
    def secret(self) -> str:
        """The facilitator's secret."""
        return self.keys.secret

    # -- activities -------------------------------------------------------------

    def start(self, kind: str, **options: Any) -> Activity:
        """Start an activity of one kind from the plan as it is now (closed until opened)."""
        plan = self.workspace.load(self.plan_name).plan
        activity = new_activity(plan, kind, **options)
        self._keep(activity)
        self.activities[activity.id] = activity
        return activity

    def change(self, activity: Activity, *, is_open: bool | None = None, shown: bool | None = None) -> None:
        """Open or close an activity, show its results to the room or hide them; kept in the workspace."""
        activity.is_open = activity.is_open if is_open is None else is_open
        activity.shown = activity.shown if shown is None else shown
        self._keep(activity)

    def _keep(self, activity: Activity) -> None:
        """Record where an activity stands in the workspace (a room started again finds it so)."""
        self.workspace.save_activity(self.keys.id, RoomActivity(
            activity.id, activity.kind, activity.title, activity.options, activity.is_open, activity.shown,
            activity.accepted))

    def activity(self, activity_id: str) -> Activity:
        """Return an activity by id, or raise ``tornado.web.HTTPError`` 404."""
        found = self.activities.get(activity_id)
        if found is None:
            raise tornado.web.HTTPError(404)
        return found

    def open_activities(self) -> list[Activity]:
        """The activities participants can answer now."""
        return [a for a in self.activities.values() if a.is_open]

    # -- answers ----------------------------------------------------------------

    def allow(self, sender: str, limit: int, now: float | None = None) -> bool:
        """Count one answer from a sender (a participant, or an address); False past ``limit`` in a minute."""
        now = time.monotonic() if now is None else now
        recent = self._recent.setdefault(sender, deque())
        while recent and recent[0] < now - 60:
            recent.popleft()
        if len(recent) >= limit:
            return False
        recent.append(now)
        return True

    def responses(self, activity: Activity) -> list[Response]:
        """Every stored submission of an activity, oldest first."""
        return self.workspace.responses(self.plan_name, activity.id)

    @staticmethod
    def answers(responses: list[Response]) -> Any:
        """Each participant's latest answer per item, as a table (``RATING_COLUMNS``)."""
        import pandas as pd

        rows = [(r.participant, r.party, key, value) for r in responses for key, value in r.answers.items()]
        return latest_answers(pd.DataFrame(rows, columns=["participant", "party", "item", "value"]))

    def results(self, activity: Activity, *, for_facilitator: bool) -> dict[str, Any]:
        """The activity's live results: per item the count, median, spread and disagreement.

        Only submissions newer than those already summarised are read; the
        summary is worked out again only when there are some. Participants
        (``for_facilitator=False``) get the room's figures only: no partners'
        means, no individual answers, no consistency per person.
        """
        responses, summary = self._results.get(activity.id, ([], {}))
        new = self.workspace.responses(self.plan_name, activity.id, after=responses[-1].id if responses else 0)
        if new or not summary:
            responses = responses + new
            summary = self._summarise(activity, responses)
            self._results[activity.id] = (responses, summary)
        items = [item | {"accepted": _accepted_words(activity.accepted.get(item["key"]))} for item in summary["items"]]
        if for_facilitator:
            ahp = summary["ahp"] and summary["ahp"] | {"accepted": _accepted_words(activity.accepted.get(WEIGHTS_ITEM))}
            return {"id": activity.id, "kind": activity.kind, "per_person": activity.per_person,
                    "title": activity.title, "open": activity.is_open, "shown": activity.shown,
                    **summary, "items": items, "ahp": ahp}
        return {
            "id": activity.id, "title": activity.title, "kind": activity.kind,
            "respondents": summary["respondents"],
            "items": [{k: item[k] for k in ("label", "group", "responses", "total", "median", "q1", "q3", "low",
                                            "high", "disagreement")} for item in items],
            "comments": [c["text"] for c in summary["comments"]],
        }

    def _summarise(self, activity: Activity, responses: list[Response]) -> dict[str, Any]:
        """What the answers say (everything of the results that changes only with a new submission)."""
        numeric = [q for q in activity.questions if q.numeric and q.summarised]
        answers = self.answers(responses)
        items: list[dict[str, Any]] = []
        if numeric:
            keys = [q.key for q in numeric]
            scored = answers[answers["item"].isin(keys)]
            summary = summarise_ratings(scored, items=keys).set_index("item")
            means = party_means(scored, items=keys)
            for question in numeric:
                row = summary.loc[question.key]
                items.append({
                    "key": question.key, "label": question.label, "group": question.group,
                    "low_end": question.field.low, "high_end": question.field.high,
                    **{name: _number(row[name]) for name in ("responses", "total", "median", "q1", "q3", "low",
                                                             "high", "iqr", "party_gap")},
                    "disagreement": bool(row["disagreement"]), "why": str(row["why"]),
                    "parties": {activity.parties.get(p, p): _number(v)
                                for p, v in means.loc[question.key].items() if v == v},
                })
        asked = {q.key: q for q in activity.questions}  # an item the plan no longer has is left out
        comments = [{"id": r.id, "text": str(value), "received": _time_text(r.received)}
                    for r in responses for key, value in r.answers.items()
                    if key in asked and not asked[key].numeric and str(value).strip()]
        return {
            "respondents": int(answers["participant"].nunique()), "submissions": len(responses),
            "items": items, "comments": comments, "ahp": self._consistency(activity, answers),
        }

    @staticmethod
    def _consistency(activity: Activity, answers: Any) -> dict[str, Any] | None:
        """Each person's consistency ratio and the mean of their criterion weights in % (pairwise comparisons only)."""
        if not isinstance(activity, CandidateScoring) or not activity.criteria:
            return None
        judged = activity.consistency(answers)
        ratios = [round(float(r), 3) for r in judged["consistency_ratio"]]
        consistent = int(judged["consistent"].sum())
        weights = ({activity.names.get(c, c): round(100 * float(judged[c].mean()), 1) for c in activity.criteria}
                   if len(judged) else {})
        none_yet = sentence("none_yet")
        said = [
            sentence("room_ahp_consistency", consistent=consistent, people=len(ratios),
                     ratios=" · ".join(f"{write_number(r)} {'✔' if r < 0.1 else '⚠'}" for r in ratios) or none_yet),
            sentence("room_ahp_weights",
                     weights=" · ".join(f"{name}: {write_number(w)}%" for name, w in weights.items()) or none_yet),
        ]
        return {"item": WEIGHTS_ITEM, "ratios": ratios, "consistent": consistent, "weights": weights, "said": said}

    def state(self) -> dict[str, Any]:
        """Everything the facilitator's page shows, as JSON-ready data."""
        return {"activities": [self.results(a, for_facilitator=True) for a in self.activities.values()]}

    def accept(self, activity: Activity, key: str, value: Any, *, author: str = "Workshop room") -> str:
        """Write one item's result into the plan as a new revision; return what was written, in words.

        Raises:
            PlanError: nothing to accept, a value out of bounds, or someone saved the section meanwhile.
        """
        snapshot = self.workspace.load(self.plan_name)
        responses = self.responses(activity)
        answers = self.answers(responses)
        people: list[tuple[str, str, Any]] = []
        if key == WEIGHTS_ITEM and isinstance(activity, CandidateScoring):  # each person's weights
            judged = activity.consistency(answers)
            people = list(zip(judged["participant"], [""] * len(judged),
                              judged[activity.criteria].to_dict("records"), strict=True))
        elif activity.question(key).numeric:
            people = [tuple(r) for r in answers.loc[answers["item"].eq(key),
                                                    ["participant", "party", "value"]].itertuples(index=False)]
        section, new = activity.accept(snapshot.plan, key, value, people)
        count = len(people) or len(responses)
        note = sentence("room_accepted", activity=activity.title, key=key, count=count)
        self.workspace.save_section(self.plan_name, section, new, base=snapshot.revisions[section],
                                    author=author, note=note)
        activity.accepted[key] = (
            {"how": "weights_mean"} if key == WEIGHTS_ITEM
            else {"how": "each_answer"} if activity.per_person
            else {"how": "median"} if value is None else {"how": "agreed", "value": value})
        self._keep(activity)
        return note

    def export_rows(self, activity: Activity) -> list[list[Any]]:
        """The activity's responses as rows for a spreadsheet (a header first), one answer per row."""
        rows: list[list[Any]] = [["received", "activity", "participant", "party", "name", "item", "answer"]]
        labels = {q.key: q.label for q in activity.questions}
        for r in self.responses(activity):
            for key, value in r.answers.items():
                rows.append([_time_text(r.received), activity.title, r.participant,
                             activity.parties.get(r.party, r.party), r.name, labels.get(key, key), value])
        return rows


#: What rooms kept as accepted before they kept a code: the words the facilitator's page showed.
_ACCEPTED_BEFORE_CODES = {"median": "median", "each person's answer": "each_answer",
                          "the mean of each person's weights": "weights_mean"}


def _accepted_kept(kept: Any) -> dict[str, Any]:
    """Read how an item was accepted, as a room keeps it: ``{"how": code}``, with ``"value"`` when agreed.

    The codes: ``median`` (of the answers), ``agreed`` (a value the room agreed),
    ``each_answer`` (every person's answer kept) and ``weights_mean`` (the mean of each
    person's criterion weights). A room kept before the codes holds the words it
    showed, or the value agreed itself.
    """
    if isinstance(kept, dict):
        return kept
    if isinstance(kept, str) and kept in _ACCEPTED_BEFORE_CODES:
        return {"how": _ACCEPTED_BEFORE_CODES[kept]}
    return {"how": "agreed", "value": kept}


def _accepted_words(accepted: dict[str, Any] | None) -> str | None:
    """Say how an item was accepted, for the facilitator's page (None while it is not)."""
    if accepted is None:
        return None
    how = accepted["how"]
    if how == "agreed":
        return sentence("room_accepted_agreed", value=accepted["value"])
    if how == "each_answer":
        return sentence("room_accepted_each_answer")
    if how == "weights_mean":
        return sentence("room_accepted_weights_mean")
    return sentence("room_accepted_median")


def _number(value: Any) -> float | int | None:
    """A figure for JSON: None for a missing one, an int for a whole count."""
    if value is None or value != value:
        return None
    return int(value) if isinstance(value, (int,)) or float(value).is_integer() else round(float(value), 2)


def _time_text(moment: dt.datetime | None) -> str:
    return "" if moment is None else moment.strftime("%Y-%m-%d %H:%M:%S")


def _safe_cell(value: Any) -> Any:
    """A cell value for a spreadsheet: numbers as they are, text with a formula start neutralised."""
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else spreadsheet_text(str(value))


# ---- handlers ------------------------------------------------------------------------------

#: What a page says for an HTTP error, by status: a code of :data:`~partnerlib.core.problems.MESSAGES`.
_ERROR_CODES = {403: "room_not_open_to_you", 404: "room_nothing_here", 413: "room_too_much_text",
                429: "room_too_fast"}


class _Base(tornado.web.RequestHandler):
    """Common to every page: the room, the templates, no caching, strict headers."""

    room: Room
    templates: Environment

    def initialize(self, room: Room, templates: Environment) -> None:
        self.room = room
        self.templates = templates

    def set_default_headers(self) -> None:
        self.set_header("Cache-Control", "no-store")
        self.set_header("X-Content-Type-Options", "nosniff")
        self.set_header("Referrer-Policy", "no-referrer")
        self.set_header("X-Frame-Options", "DENY")
        self.set_header("Content-Security-Policy",
                        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                        "frame-ancestors 'none'")

    @property
    def base(self) -> str:
        """The path every address of the room starts with (``/``, or a hub's service prefix)."""
        return str(self.application.settings["base_url"])

    def page(self, name: str, status: int = 200, **values: Any) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        xsrf = Markup(self.xsrf_form_html())  # noqa: S704 (tornado's own hidden input)
        self.finish(self.templates.get_template(name).render(xsrf=xsrf, room=self.room, base=self.base, **values))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        reason = getattr(kwargs.get("exc_info", (None, None))[1], "log_message", None)
        message = reason if status_code in (409, 429) and reason else sentence(
            _ERROR_CODES.get(status_code, "room_went_wrong"))
        self.page("message.html", status_code, title=sentence("room_page_not_available"), message=message)


class _Participant(_Base):
    """A page reached through the join token; gives the participant an anonymous id."""

    participant: str

    def prepare(self) -> None:
        token = self.path_kwargs.get("token", "")
        if not hmac.compare_digest(token.encode(), self.room.token.encode()):
            raise tornado.web.HTTPError(404)
        known = self.get_signed_cookie(_COOKIE, max_age_days=2)
        self.participant = known.decode() if known else secrets.token_urlsafe(9)
        if not known:
            self.set_signed_cookie(_COOKIE, self.participant, expires_days=2, httponly=True, samesite="Strict",
                                   path=self.base)

    def open_activity(self, activity_id: str) -> Activity:
        activity = self.room.activity(activity_id)
        if not activity.is_open:
            raise tornado.web.HTTPError(409, sentence("room_closed", activity=activity.title))
        return activity


class JoinPage(_Participant):
    """The participant's start page: the open activities, and results shown to the room."""

    def get(self, token: str) -> None:
        shown = [a for a in self.room.activities.values() if a.shown]
        self.page("join.html", activities=self.room.open_activities(), shown=shown, token=token)


class AnswerPage(_Participant):
    """One activity's form: shown, checked, stored; a bad value keeps everything typed."""

    def get(self, token: str, activity_id: str) -> None:
        activity = self.open_activity(activity_id)
        self.page("answer.html", activity=activity, token=token, typed={}, problems={})

    def post(self, token: str, activity_id: str) -> None:
        activity = self.open_activity(activity_id)
        if not (self.room.allow(self.participant, MAX_ANSWERS_PER_MINUTE)
                and self.room.allow(f"address {self.request.remote_ip}", MAX_ANSWERS_PER_ADDRESS)):
            raise tornado.web.HTTPError(429, sentence("room_too_fast"))
        form = {name: self.get_body_argument(name, "") for name in self.request.body_arguments}
        checked = activity.check(form)
        if checked.problems:
            self.page("answer.html", 400, activity=activity, token=token, typed=checked.typed,
                      problems=checked.problems)
            return
        self.room.workspace.add_response(self.room.plan_name, Response(
            activity.id, self.participant, checked.answers, checked.party, checked.name))
        self.page("message.html", title=sentence("room_page_thanks"), token=token,
                  message=sentence("room_answers_saved", activity=activity.title))


class ResultsPage(_Participant):
    """The results of an activity, once the facilitator shows them to the room."""

    def get(self, token: str, activity_id: str) -> None:
        activity = self.room.activity(activity_id)
        if not activity.shown:
            raise tornado.web.HTTPError(403)
        self.page("results.html", results=self.room.results(activity, for_facilitator=False), token=token)


class _Facilitator(_Base):
    """A page reached only with the facilitator's secret."""

    def prepare(self) -> None:
        secret = self.path_kwargs.get("secret", "")
        if not hmac.compare_digest(secret.encode(), self.room.secret.encode()):
            raise tornado.web.HTTPError(403)


class FacilitatorPage(_Facilitator):
    """The facilitator's page: the join link and QR code, activities, live results."""

    def get(self, secret: str) -> None:
        import segno

        origin = self.application.settings["origin"] or f"{self.request.protocol}://{self.request.host}"
        join = f"{origin}{self.base}j/{self.room.token}"
        qr = Markup(segno.make(join, error="m").svg_inline(scale=6, dark="#000"))  # noqa: S704 (our own link)
        kinds = {kind: sentence(activity.summary) for kind, activity in KINDS.items()}
        self.page("facilitator.html", join=join, qr=qr, secret=secret, kinds=kinds, poll_ms=POLL_MS,
                  risks=self.room.workspace.load(self.room.plan_name).plan.risks.risks, words=_page_words())


def _page_words() -> dict[str, str]:
    """The room pages' words from MESSAGES, by name without ``room_page_``, for the facilitator's script.

    A word with a ``{name}`` in it (``"{count} responses"``) keeps it: the script fills it in.
    """
    return {code.removeprefix(_PAGE_WORDS): sentence(code) for code in MESSAGES if code.startswith(_PAGE_WORDS)}


class StateData(_Facilitator):
    """The live results, as JSON, polled by the facilitator's page."""

    def get(self, secret: str) -> None:
        self.set_header("Content-Type", "application/json; charset=utf-8")
        self.finish(json.dumps(self.room.state(), ensure_ascii=False))


class StartActivity(_Facilitator):
    """Start an activity of a kind (closed until opened)."""

    def post(self, secret: str) -> None:
        kind = self.get_body_argument("kind", "")
        items = tuple(self.get_body_arguments(f"{kind}_item"))  # the records picked for this kind, if any
        try:
            activity = self.room.start(kind, items=items, tows=bool(self.get_body_argument("tows", "")),
                                       pairwise=bool(self.get_body_argument("pairwise", "")))
        except PlanError as error:
            raise tornado.web.HTTPError(400, str(error)) from None
        self.finish({"id": activity.id, "title": activity.title,
                     "done": sentence("room_ready", activity=activity.title)})

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        _json_error(self, status_code, kwargs)


class ChangeActivity(_Facilitator):
    """Open, close, show or hide an activity; or accept one item's result into the plan."""

    def post(self, secret: str, activity_id: str, action: str) -> None:
        activity = self.room.activity(activity_id)
        if action in ("open", "close"):
            self.room.change(activity, is_open=action == "open")
        elif action in ("show", "hide"):
            self.room.change(activity, shown=action == "show")
        elif action == "accept":
            value_text = self.get_body_argument("value", "").strip()
            keys = self.get_body_arguments("item") or [q.key for q in activity.questions
                                                        if q.numeric and q.summarised]
            value: Any = None
            if value_text:
                value = value_text if not activity.question(keys[0]).numeric else _agreed(value_text)
            try:
                notes = [self.room.accept(activity, key, value) for key in keys]
            except ValidationError as error:  # an agreed value the model refuses
                words = "; ".join(render(p, form=True) for p in describe(error))
                raise tornado.web.HTTPError(400, sentence("room_nothing_saved", problems=words)) from None
            except PlanError as error:
                raise tornado.web.HTTPError(400, " ".join(str(error).split())) from None
            self.finish({"done": notes[-1] if len(notes) == 1 else sentence("room_items_accepted", count=len(notes))})
            return
        else:
            raise tornado.web.HTTPError(404)
        self.finish({"done": action})

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        _json_error(self, status_code, kwargs)


def _agreed(text: str) -> int | float:
    """Read the value the room agreed on, as typed by the facilitator."""
    try:
        number = float(text.replace(",", "."))
    except ValueError:
        raise PlanError.of("room_agreed_not_a_number", got=text[:20]) from None
    return int(number) if number.is_integer() else number


def _json_error(handler: tornado.web.RequestHandler, status_code: int, kwargs: dict[str, Any]) -> None:
    error = kwargs.get("exc_info", (None, None))[1]
    message = getattr(error, "log_message", None) or sentence("room_needs_facilitator")
    handler.set_header("Content-Type", "application/json; charset=utf-8")
    handler.finish(json.dumps({"error": message}, ensure_ascii=False))


class ExportResponses(_Facilitator):
    """Download an activity's responses as CSV or xlsx (text neutralised against formulas)."""

    def get(self, secret: str, activity_id: str, extension: str) -> None:
        activity = self.room.activity(activity_id)
        rows = [[_safe_cell(cell) for cell in row] for row in self.room.export_rows(activity)]
        name = f"{activity.id}-responses.{extension}"
        self.set_header("Content-Disposition", f'attachment; filename="{name}"')
        if extension == "csv":
            buffer = io.StringIO()
            csv.writer(buffer).writerows(rows)
            self.set_header("Content-Type", "text/csv; charset=utf-8")
            self.finish(buffer.getvalue().encode("utf-8-sig"))
            return
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.title = "Responses"
        for row in rows:
            sheet.append(row)
        buffer_bytes = io.BytesIO()
        book.save(buffer_bytes)
        self.set_header("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        self.finish(buffer_bytes.getvalue())


# ---- the application ------------------------------------------------------------------------


def base_path(text: str | None) -> str:
    """The path the room's addresses start with: ``/``, or a prefix such as ``/services/workshop/``.

    >>> base_path(None), base_path("services/workshop"), base_path("/rooms/a/")
    ('/', '/services/workshop/', '/rooms/a/')
    """
    inner = (text or "").strip().strip("/")
    return f"/{inner}/" if inner else "/"


def make_app(room: Room, *, base_url: str = "/", origin: str = "") -> tornado.web.Application:
    """Build the room's web application (handlers, templates, static files, cookie and XSRF secrets).

    Args:
        room: the room to serve.
        base_url: the path every address starts with (see :func:`base_path`): a
            JupyterHub service's prefix, or a reverse proxy's.
        origin: the scheme, host and port participants reach the room at, for the
            join link and its QR code; empty: the address the facilitator's page
            was asked at (through a hub's proxy, the hub's own).
    """
    base = base_path(base_url)
    prefix = re.escape(base)
    templates = Environment(loader=PackageLoader("partnerlib.app.room", "templates"), autoescape=True)
    templates.globals["say"] = sentence  # every word a page shows comes from MESSAGES
    context = {"room": room, "templates": templates}
    token, secret = r"(?P<token>[A-Za-z0-9_-]+)", r"(?P<secret>[A-Za-z0-9_-]+)"
    activity = r"(?P<activity_id>[a-z]+-[0-9a-f]+)"
    routes = [
        (rf"{prefix}j/{token}/?", JoinPage, context),
        (rf"{prefix}j/{token}/a/{activity}", AnswerPage, context),
        (rf"{prefix}j/{token}/a/{activity}/results", ResultsPage, context),
        (rf"{prefix}f/{secret}/?", FacilitatorPage, context),
        (rf"{prefix}f/{secret}/state.json", StateData, context),
        (rf"{prefix}f/{secret}/start", StartActivity, context),
        (rf"{prefix}f/{secret}/a/{activity}/(?P<action>open|close|show|hide|accept)", ChangeActivity, context),
        (rf"{prefix}f/{secret}/a/{activity}/responses\.(?P<extension>csv|xlsx)", ExportResponses, context),
    ]
    return tornado.web.Application(
        routes,
        static_path=str(HERE / "static"),
        static_url_prefix=f"{base}static/",
        cookie_secret=secrets.token_bytes(32),
        xsrf_cookies=True,
        xsrf_cookie_kwargs={"httponly": False, "samesite": "Strict", "path": base},
        base_url=base,
        origin=origin,
        default_handler_class=_NotFound,
        default_handler_args=context,
    )


class _NotFound(_Base):
    def prepare(self) -> None:
        raise tornado.web.HTTPError(404)


def lan_address() -> str:
    """The machine's address on the local network (the one other devices reach it at).

    No packet is sent: connecting a UDP socket only picks the outgoing interface.
    """
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("10.254.254.254", 1))
            return str(probe.getsockname()[0])
        except OSError:
            return "127.0.0.1"


#: The variable JupyterHub gives a service it runs: the path its addresses start with.
HUB_PREFIX_ENV = "JUPYTERHUB_SERVICE_PREFIX"
#: The room's usual port: a room started again gets it back, so its links still work.
DEFAULT_PORT = 8870


def _room_host(share: bool) -> str:
    """The address the room listens on: the local network's with ``share`` (phones join), else this computer's."""
    return lan_address() if share else "127.0.0.1"


def room_path(base_url: str | None = None) -> str:
    """The path the room serves under: ``base_url`` if given, else the hub's service prefix, else ``/``."""
    return base_path(base_url or os.environ.get(HUB_PREFIX_ENV))


def _listen(room: Room, host: str, port: int, base_url: str) -> tuple[tornado.httpserver.HTTPServer, str]:
    """Start serving a room on ``host:port`` (0: a free port); return the server and its address.

    Under a path prefix the room sits behind a proxy (JupyterHub's, or another): the
    join link then follows the address the facilitator's page was asked at, and the
    participant's network address is the one the proxy forwards (for the rate limit).
    """
    sockets = tornado.netutil.bind_sockets(port, address=host)
    address = f"http://{host}:{sockets[0].getsockname()[1]}"
    behind_proxy = base_url != "/"
    application = make_app(room, base_url=base_url, origin="" if behind_proxy else address)
    server = tornado.httpserver.HTTPServer(application, max_body_size=MAX_BODY_BYTES, xheaders=behind_proxy)
    server.add_sockets(sockets)
    return server, address


def run_room(
    workspace: Workspace,
    plan_name: str,
    *,
    share: bool = False,
    port: int = 0,
    base_url: str | None = None,
    new: bool = False,
) -> int:
    """Serve the plan's room until Ctrl+C or SIGTERM; print the facilitator's and the join link.

    The plan's latest room is resumed as it was (same links, activities open or
    closed as they were), unless ``new`` asks for a new one.

    Args:
        workspace: the open workspace.
        plan_name: the plan the room works on (it must exist).
        share: listen on the LAN address (participants' own devices) instead of 127.0.0.1.
        port: the port (0: :data:`DEFAULT_PORT`, or a free one if it is taken).
        base_url: the path every address starts with (default: ``$JUPYTERHUB_SERVICE_PREFIX``
            when JupyterHub runs the room as a service, else ``/``).
        new: open a new room with new links instead of resuming the plan's latest.

    Returns:
        The exit code (0).
    """
    workspace.load(plan_name)  # refuse an unknown plan before printing links
    host = _room_host(share)
    base = room_path(base_url)
    room = Room.open(workspace, plan_name, new=new)

    async def serve() -> None:
        try:
            server, address = _listen(room, host, port or DEFAULT_PORT, base)
        except OSError:
            if port:
                raise PlanError.of("port_in_use", port=port) from None
            server, address = _listen(room, host, 0, base)
        print(sentence("room_open_shared", plan=plan_name, host=host) if share
              else sentence("room_open_here", plan=plan_name))
        if room.resumed:
            print(sentence("room_resumed", opened=f"{room.keys.opened:%d %b %Y %H:%M}", count=len(room.activities)))
        for line in room.not_restored:
            print(sentence("room_not_brought_back", activity=line))
        print(sentence("room_facilitator_link", link=f"{address}{base}f/{room.secret}"))
        print(sentence("room_join_link", link=f"{address}{base}j/{room.token}"))
        if base != "/":
            print(sentence("room_behind_proxy", base=base))
        print(sentence("room_until_stopped"), flush=True)
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(number, stopped.set)
        await stopped.wait()
        server.stop()
        await server.close_all_connections()
        print(sentence("room_shut"))

    asyncio.run(serve())
    return 0


def print_room_links(
    workspace: Workspace,
    plan_name: str,
    *,
    at: str | None = None,
    share: bool = False,
    port: int = 0,
    base_url: str | None = None,
) -> int:
    """Print the links of the plan's latest room, without serving it.

    For a room that prints its links where the facilitator does not look: run by
    JupyterHub as a service, its words go to the hub's log. The links hold the
    room's keys, which anyone who may open the workspace can read anyway.

    Args:
        workspace: the open workspace.
        plan_name: the plan (it must exist, and have had a room).
        at: the room's address as people reach it, with its path
            (``https://hub.example.org/services/workshop/``); None for the address
            ``run_room`` serves at with the same ``share``, ``port`` and ``base_url``.
        share: as for :func:`run_room`.
        port: as for :func:`run_room` (0: :data:`DEFAULT_PORT`).
        base_url: as for :func:`run_room`.

    Returns:
        The exit code (0).

    Raises:
        PlanError: the plan has no room yet, or ``at`` is not a web address.
    """
    workspace.load(plan_name)  # an unknown plan is refused by name
    keys = workspace.latest_room(plan_name)
    if keys is None:
        raise PlanError.of("room_none_yet", plan=plan_name)
    if at is None:
        at = f"http://{_room_host(share)}:{port or DEFAULT_PORT}{room_path(base_url)}"
    elif not re.fullmatch(r"https?://[^/\s]+(/\S*)?", at):
        raise PlanError.of("room_address_not_a_link", got=at)
    address = at.rstrip("/") + "/"
    print(sentence("room_facilitator_link", link=f"{address}f/{keys.secret}"))
    print(sentence("room_join_link", link=f"{address}j/{keys.token}"))
    return 0


@contextlib.contextmanager
def serving(room: Room, *, base_url: str = "/") -> Iterator[str]:
    """Serve a room on 127.0.0.1 (a free port) in a background thread; yield its address; stop it after.

    For tests and benchmarks: the server stops and its thread ends when the block ends.
    The address yielded ends with the path prefix, without its last ``/`` (``http://127.0.0.1:PORT``).
    """
    started: queue.Queue[Any] = queue.Queue()
    base = base_path(base_url)

    def run() -> None:
        async def serve() -> None:
            server, address = _listen(room, "127.0.0.1", 0, base)
            stop = asyncio.Event()
            started.put((address, asyncio.get_running_loop(), stop))
            await stop.wait()
            server.stop()
            await server.close_all_connections()

        asyncio.run(serve())

    thread = threading.Thread(target=run, name="workshop-room", daemon=True)
    thread.start()
    address, loop, stop = started.get(timeout=30)
    try:
        yield address + base.rstrip("/")
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(timeout=30)
