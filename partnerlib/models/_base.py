"""Building blocks shared by every plan section: field types, the record base, gaps.

Every field type here carries its bounds once; forms, storage, imports and the
plan document read them from the model instead of repeating them.
"""

import datetime as dt
import functools
import typing
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, ClassVar, Literal, NamedTuple, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticKnownError

from ..core.problems import MODELS_BY_TITLE, Problem, render, rule_error
from ..core.text import FORBIDDEN_CHARACTERS, forbidden_character, writable

#: Party id that stands for the planning organisation itself in governance,
#: resources and reviews (every other party id is a candidate partner's id).
OURSELVES = "us"

LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Insignificant", "Minor", "Moderate", "Major", "Catastrophic")
LEVEL_LABELS = ("Very low", "Low", "Medium", "High", "Very high")
AGREEMENT_LABELS = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")


def _refuse_bool(value: Any, code: Literal["int_type", "float_type"]) -> Any:
    """Refuse true or false where a number belongs: pydantic would read True as 1.

    Raises the error pydantic gives for any other non-number (``int_type`` or
    ``float_type``), so the message is the field's usual one.
    """
    if isinstance(value, bool):
        raise PydanticKnownError(code)
    return value


def _word_scale(*labels: tuple[str, ...]) -> BeforeValidator:
    """Accept a 1–5 score as a number or as one of the scale's words.

    Words are matched case- and space-insensitively ("almost certain",
    "Almost  Certain"); anything else is passed on for the number check, so the
    error message stays the one for the field's bounds.
    """
    lookup = {
        " ".join(label.lower().split()): number
        for scale in labels
        for number, label in enumerate(scale, start=1)
    }

    def to_number(value: Any) -> Any:
        _refuse_bool(value, "int_type")
        if isinstance(value, str):
            key = " ".join(value.lower().split())
            if key in lookup:
                return lookup[key]
        return value

    return BeforeValidator(to_number)


#: Validation context for sections read back from a workspace: text stored before control
#: characters were refused loses them instead of making the whole plan unreadable.
STORED = {"stored": True}


def _plain_text(value: str, info: ValidationInfo) -> str:
    """Refuse text holding a control character or a lone surrogate (see :mod:`partnerlib.core.text`)."""
    if FORBIDDEN_CHARACTERS.search(value) is None:  # nearly always: one search, nothing more
        return value
    if info.context == STORED:
        return writable(value)
    character, position = forbidden_character(value) or ("", 0)
    raise rule_error("forbidden_character", character=character, position=position)


#: Every text field's check of its characters: tab and newline are allowed, other controls not.
PlainText = AfterValidator(_plain_text)


def new_id() -> str:
    """Return a fresh short id for a record (8 hex digits)."""
    return uuid.uuid4().hex[:8]


# ---- field types ---------------------------------------------------------

#: A short single-line text: names, titles, owners (at most 200 characters).
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200), PlainText]
#: A required short text: at least one character once spaces are stripped.
RequiredName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200), PlainText
]
#: A longer free text: descriptions, notes, messages (at most 5,000 characters).
#: Forms show it as a multi-line box.
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000), PlainText]
#: A record id: letters, digits, '-' and '_' (at most 64 characters).
RecordId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    ),
]
#: A reference to another record's id, or empty when not chosen yet.
Ref = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64), PlainText]
#: A number (never true or false, which pydantic would read as 1 and 0).
Number = Annotated[float, BeforeValidator(lambda value: _refuse_bool(value, "float_type"))]
#: A whole number (never true or false).
WholeNumber = Annotated[int, BeforeValidator(lambda value: _refuse_bool(value, "int_type"))]
#: An amount of money in the plan's currency, 0 to 1 trillion.
Money = Annotated[Number, Field(ge=0, le=1e12, allow_inf_nan=False)]
#: A likelihood on the 1–5 scale Rare … Almost certain (words accepted).
Likelihood = Annotated[int, Field(ge=1, le=5), _word_scale(LIKELIHOOD_LABELS)]
#: An impact on the 1–5 scale Insignificant … Catastrophic (words accepted).
Impact = Annotated[int, Field(ge=1, le=5), _word_scale(IMPACT_LABELS)]
#: A 1–5 level (Very low … Very high), for power, interest, legitimacy, urgency.
Level = Annotated[int, Field(ge=1, le=5), _word_scale(LEVEL_LABELS)]
#: A 1–5 agreement score (Strongly disagree … Strongly agree), for surveys.
Agreement = Annotated[int, Field(ge=1, le=5), _word_scale(AGREEMENT_LABELS)]
#: A 1–5 rating for selection criteria and collaboration factors.
Rating = Annotated[WholeNumber, Field(ge=1, le=5)]
#: A percentage from 0 to 100.
Percent = Annotated[Number, Field(ge=0, le=100, allow_inf_nan=False)]
#: A date, or none when not known yet.
OptionalDate = dt.date | None

#: Where the plan's parties come from: ourselves and the selected partners (see ``Plan.parties``).
PARTIES = "@parties"
#: The plan's partner candidates (a check-in may be with a candidate).
CANDIDATES = "@candidates"
#: The KPIs of the plan's monitoring section (a benchmark may name one).
KPIS = "@kpis"


@dataclass(frozen=True)
class RefersTo:
    """Marks a field holding ids of other records: where those records are, and what they are.

    Declared once on the field (``Annotated[Ref, RefersTo("needs", what="a need")]``)
    and read everywhere: the section's validator refuses an id its list does not
    hold, a form offers the records' names, an import checks rows against the plan.

    Attributes:
        sources: the lists the ids point into: a list of the same section by its
            field name (``"needs"``), or one of :data:`PARTIES`, :data:`CANDIDATES`,
            :data:`KPIS`, read from the whole plan.
        what: one such record, in words for messages (``"a need"``).
    """

    sources: tuple[str, ...]
    what: str

    def __init__(self, *sources: str, what: str) -> None:
        object.__setattr__(self, "sources", sources)
        object.__setattr__(self, "what", what)


@functools.cache
def references_of(model: type[BaseModel]) -> dict[str, RefersTo]:
    """Return the fields of ``model`` that hold ids of other records: field → :class:`RefersTo`.

    Read once per model (every section's validation asks); do not change the dict returned.

    >>> from partnerlib.models import Score
    >>> {field: ref.sources for field, ref in references_of(Score).items()}
    {'candidate': ('candidates',), 'criterion': ('criteria',)}
    """
    return {
        name: marker
        for name, info in model.model_fields.items()
        for marker in info.metadata
        if isinstance(marker, RefersTo)
    }


def check_references(section: BaseModel) -> None:
    """Refuse a row pointing at a record its section's list does not hold.

    Reads the :class:`RefersTo` markers of the section's record lists; a marker
    naming a source outside the section (the plan's parties …) is checked by the
    plan's gaps instead. Empty references are allowed (not chosen yet).

    Raises:
        PydanticCustomError: ``unknown_reference``, naming the row, the field and the id.
    """
    for table, info in type(section).model_fields.items():
        item = typing.get_args(info.annotation)[0] if typing.get_origin(info.annotation) is list else None
        if not (isinstance(item, type) and issubclass(item, BaseModel)):
            continue
        for field, marker in references_of(item).items():
            if not all(source in type(section).model_fields for source in marker.sources):
                continue
            known = {row.id for source in marker.sources for row in getattr(section, source)}
            for index, row in enumerate(getattr(section, table)):
                values = getattr(row, field)
                for value in values if isinstance(values, list) else [values]:
                    if value and value not in known:
                        raise rule_error("unknown_reference", table=table, row=index, field=field, got=value,
                                         what=marker.what, known=sorted(known))


CADENCE_DAYS: dict[str, int] = {
    "weekly": 7,
    "fortnightly": 14,
    "monthly": 30,
    "every two months": 61,
    "quarterly": 91,
    "twice a year": 182,
    "yearly": 365,
}


class Record(BaseModel):
    """Base of every plan model: strict about unknown fields, strips text.

    Unknown keys are refused (a misspelt column or JSON key must not vanish
    silently) and models are validated again when a field is assigned, so an
    edited record can never hold a value its type forbids.
    """

    model_config = ConfigDict(
        extra="forbid",
        validate_assignment=True,
        str_strip_whitespace=True,
        use_enum_values=True,
        defer_build=True,
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Make each model findable by its name from a validation error (see ``MODELS_BY_TITLE``)."""
        super().__pydantic_init_subclass__(**kwargs)
        MODELS_BY_TITLE[cls.__name__] = cls


class Gap(NamedTuple):
    """Something a plan section still lacks: saved, but listed as missing.

    Attributes:
        where: the path of the field, such as ``objectives[2].measure``.
        code: what is missing, a code of :data:`~partnerlib.core.problems.MESSAGES` (``gap_…``).
        context: what its words need, such as the record's name (``record``).
    """

    where: str
    code: str
    context: Mapping[str, Any] = {}

    @property
    def message(self) -> str:
        """What is missing, in words a planner understands (worded by the one renderer)."""
        return render(Problem((), self.code, self.context))


class Section(Record):
    """A plan section: one step of the method, saved and versioned as a whole."""

    #: The step number in the method (1–11; 0 for the plan's own details).
    step: ClassVar[int] = 0
    #: The section's title as shown in notebooks and the plan document.
    title: ClassVar[str] = ""

    @model_validator(mode="after")
    def _known_references(self) -> Self:
        check_references(self)
        return self

    def gaps(self) -> list[Gap]:
        """Return what this section still lacks (nothing by default)."""
        return []


#: The fields that name a record, in the order tried: a risk by its title, a line by its audience …
NAMING_FIELDS = ("title", "name", "leader", "item", "description", "audience", "giver", "text")


def record_context(row: BaseModel, number: int) -> dict[str, Any]:
    """Say which record a gap is about, as a gap's context: its kind, the words naming it, its row.

    The renderer words it after the field that names it: ``The risk "Floods"``,
    ``The line to "Riverside radio"``, ``The TOWS strategy in row 2`` (no field names it).

    >>> from partnerlib.models import Risk
    >>> record_context(Risk(title="Floods"), 3)
    {'model': 'Risk', 'record': 'Floods', 'by': 'title', 'number': 3}

    Args:
        row: the record.
        number: its row in its table, counted from 1.
    """
    by = next((field for field in NAMING_FIELDS if getattr(row, field, "")), "")
    return {"model": type(row).__name__, "record": getattr(row, by) if by else "", "by": by, "number": number}


def row_gaps(rows: list[Any], name: str, *checks: tuple[str, str]) -> list[Gap]:
    """List the rows of a table whose named fields are empty.

    Args:
        rows: the records of one table of a section.
        name: the table's field name, used in the path (``risks[3].owner``).
        checks: pairs of (field, code): the field must not be empty, and the code
            says so about the row (``gap_no_owner``: 'The risk "Floods" has no owner yet.').

    Returns:
        One Gap per empty field, with the row number counted from 1.
    """
    return [
        Gap(f"{name}[{number}].{field}", code, record_context(row, number))
        for number, row in enumerate(rows, start=1)
        for field, code in checks
        if getattr(row, field) in (None, "", [])
    ]


def check_unique(rows: list[Any], name: str, fields: tuple[str, ...], code: str) -> None:
    """Refuse two rows of one table that agree on ``fields``, naming the second row.

    Args:
        rows: the records of one table.
        name: the table's field name (the problem's place: ``scores row 4``).
        fields: the fields that together must be unique; their values are the
            problem's context (one field: ``field`` and ``got``).
        code: the rule's code in :data:`partnerlib.core.problems.MESSAGES`
            (``"scored_twice"``).

    Raises:
        PydanticCustomError: naming the first row that repeats an earlier one.
    """
    seen: set[tuple[Any, ...]] = set()
    for index, row in enumerate(rows):
        key = tuple(getattr(row, field) for field in fields)
        if key in seen:
            single = {"field": fields[0], "got": key[0]} if len(fields) == 1 else {}
            raise rule_error(code, table=name, row=index, **dict(zip(fields, key, strict=True)), **single)
        seen.add(key)


def check_unique_ids(rows: list[Any], name: str) -> None:
    """Refuse two rows of one table with the same id, naming the second row."""
    check_unique(rows, name, ("id",), "duplicate_id")
