"""Find a plan's records by what people call them: their id, their name or an external code.

An import names a KPI the way its author knows it ("Households with safe
water", or the code ``HH_WATER`` a DHIS2 or KoboToolbox form uses), not by
the workbook's internal id. :class:`Names` is one table of a plan (its KPIs,
partners, needs or rates) looked up by any of the three, ignoring case and
spaces. A text that is exactly a record's id is that record; otherwise it must
match one record's id, name or code once case and spaces are set aside. A
text matching two records, or none, is refused with the reason, listing the
records it could have meant.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import NamedTuple

from pydantic import BaseModel

from ..core.problems import Problem
from ..models import OURSELVES, Plan
from ..models._base import KPIS, PARTIES, references_of

__all__ = [
    "Found",
    "Names",
    "kpi_names",
    "name_key",
    "names_for",
    "need_names",
    "party_names",
    "question_names",
    "rate_names",
    "review_names",
]

#: How many of the known names a message lists before "… and N more".
NAMES_SHOWN = 10


def name_key(text: str) -> str:
    """What a name is compared by: lower case (casefolded), without any spaces.

    >>> name_key("  Households with  Safe water "), name_key("HH_Water")
    ('householdswithsafewater', 'hh_water')
    """
    return "".join(str(text).casefold().split())


class Found(NamedTuple):
    """The result of looking up one text: the record's id, or the problem why none was found.

    Attributes:
        id: the record's id ('' when not found).
        problem: why the text names no single record (None when found): ``unknown_name``,
            ``unknown_name_more``, ``no_names_yet`` or ``ambiguous_name``.
    """

    id: str
    problem: Problem | None


class Names:
    """One table of a plan, to be searched by id, name or code.

    >>> kpis = Names("KPI", "KPIs", [("k1", "Wells built", "WELLS"), ("k2", "Water points", "")])
    >>> kpis.find("wells BUILT", "kpi"), kpis.find("wells", "kpi").id, kpis.find("k2", "kpi").id
    (Found(id='k1', problem=None), 'k1', 'k2')
    >>> print(kpis.find("Latrines", "kpi").problem.message)
    'kpi' 'Latrines' is not one of the plan's KPIs (known: Wells built, Water points)

    Args:
        one: what one record is called in messages ("KPI").
        many: what several are called ("KPIs").
        records: (id, name, code) of every record, in the plan's order
            (code '' when it has none).
    """

    def __init__(self, one: str, many: str, records: Iterable[tuple[str, str, str]]) -> None:
        self.one, self.many = one, many
        self.records = tuple(records)
        self._names = {record_id: name for record_id, name, _ in self.records}
        self._keys: dict[str, list[str]] = {}
        for record_id, name, code in self.records:
            for text in filter(None, (record_id, name, code)):
                found = self._keys.setdefault(name_key(text), [])
                if record_id not in found:
                    found.append(record_id)

    def find(self, text: str, column: str) -> Found:
        """Look a text up: exactly an id, else one id, name or code ignoring case and spaces.

        Args:
            text: what the file gave (stripped; not empty).
            column: the field it came from, the problem's ``field``.

        Returns:
            The record's id, or a problem naming the text and the records it could be.
        """
        if text in self._names:
            return Found(text, None)
        matches = self._keys.get(name_key(text), [])
        if len(matches) == 1:
            return Found(matches[0], None)
        context = {"field": column, "got": text, "many": self.many}
        if matches:
            return Found("", Problem((), "ambiguous_name", {
                **context, "count": len(matches), "ids": matches[:NAMES_SHOWN]}))
        names = [name or record_id for record_id, name, _ in self.records]
        if not names:
            return Found("", Problem((), "no_names_yet", context))
        more = len(names) - NAMES_SHOWN
        code = "unknown_name_more" if more > 0 else "unknown_name"
        return Found("", Problem((), code, {**context, "known": names[:NAMES_SHOWN], "more": more}))


def kpi_names(plan: Plan) -> Names:
    """The plan's KPIs, by id, name or external code."""
    return Names("KPI", "KPIs", [(k.id, k.name, k.code) for k in plan.monitoring.kpis])


def party_names(plan: Plan) -> Names:
    """The parties a contribution can come from: ourselves ('us' or our name), then every candidate."""
    ourselves = (OURSELVES, plan.info.organisation, "")
    return Names("partner", "partners", [ourselves] + [(c.id, c.name, "") for c in plan.partners.candidates])


def need_names(plan: Plan) -> Names:
    """The plan's needs (what a partner is sought for), by id or title."""
    return Names("need", "needs", [(n.id, n.title, "") for n in plan.partners.needs])


def rate_names(plan: Plan) -> Names:
    """The plan's rates for in-kind hours, by id or name."""
    return Names("rate", "rates", [(r.id, r.name, "") for r in plan.resources.rates])


def question_names(plan: Plan) -> Names:
    """The plan's survey questions (step 7), by id or by the statement people rate."""
    return Names("question", "questions", [(q.id, q.text, "") for q in plan.community.questions])


def review_names(plan: Plan) -> Names:
    """The plan's partnership reviews (step 11), by id or name."""
    return Names("review", "reviews", [(r.id, r.name, "") for r in plan.review.reviews])


#: Where a reference's records are (its :class:`~partnerlib.models._base.RefersTo` sources)
#: → the plan's table of them, by name. An import resolves a row's references through it.
NAMES_OF: dict[tuple[str, ...], Callable[[Plan], Names]] = {
    (KPIS,): kpi_names,
    ("kpis",): kpi_names,
    (PARTIES,): party_names,
    ("needs",): need_names,
    ("rates",): rate_names,
    ("questions",): question_names,
    ("reviews",): review_names,
}


def names_for(model: type[BaseModel], plan: Plan) -> dict[str, Names]:
    """The references a row of ``model`` makes, field → the plan's records it can name.

    Read from the model's ``RefersTo`` markers, so a reference declared on a model is
    found by name in every import without a second list.

    >>> from partnerlib.models import Contribution
    >>> sorted(names_for(Contribution, Plan()))
    ['party', 'rate']
    """
    return {
        field: NAMES_OF[marker.sources](plan)
        for field, marker in references_of(model).items()
        if marker.sources in NAMES_OF
    }
