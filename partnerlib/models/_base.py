"""Building blocks shared by every plan section: field types, the record base, gaps.

Every field type here carries its bounds once; forms, storage, imports and the
plan document read them from the model instead of repeating them.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any, ClassVar, NamedTuple

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from ..core.problems import MODELS_BY_TITLE

#: Party id that stands for the planning organisation itself in governance,
#: resources and reviews (every other party id is a candidate partner's id).
OURSELVES = "us"

LIKELIHOOD_LABELS = ("Rare", "Unlikely", "Possible", "Likely", "Almost certain")
IMPACT_LABELS = ("Insignificant", "Minor", "Moderate", "Major", "Catastrophic")
LEVEL_LABELS = ("Very low", "Low", "Medium", "High", "Very high")
AGREEMENT_LABELS = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")


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
        if isinstance(value, str):
            key = " ".join(value.lower().split())
            if key in lookup:
                return lookup[key]
        return value

    return BeforeValidator(to_number)


def new_id() -> str:
    """Return a fresh short id for a record (8 hex digits)."""
    return uuid.uuid4().hex[:8]


# ---- field types ---------------------------------------------------------

#: A short single-line text: names, titles, owners (at most 200 characters).
Name = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
#: A required short text: at least one character once spaces are stripped.
RequiredName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
]
#: A longer free text: descriptions, notes, messages (at most 5,000 characters).
#: Forms show it as a multi-line box.
Text = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
#: A record id: letters, digits, '-' and '_' (at most 64 characters).
RecordId = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$"
    ),
]
#: A reference to another record's id, or empty when not chosen yet.
Ref = Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)]
#: An amount of money in the plan's currency, 0 to 1 trillion.
Money = Annotated[float, Field(ge=0, le=1e12, allow_inf_nan=False)]
#: A likelihood on the 1–5 scale Rare … Almost certain (words accepted).
Likelihood = Annotated[int, Field(ge=1, le=5), _word_scale(LIKELIHOOD_LABELS)]
#: An impact on the 1–5 scale Insignificant … Catastrophic (words accepted).
Impact = Annotated[int, Field(ge=1, le=5), _word_scale(IMPACT_LABELS)]
#: A 1–5 level (Very low … Very high), for power, interest, legitimacy, urgency.
Level = Annotated[int, Field(ge=1, le=5), _word_scale(LEVEL_LABELS)]
#: A 1–5 agreement score (Strongly disagree … Strongly agree), for surveys.
Agreement = Annotated[int, Field(ge=1, le=5), _word_scale(AGREEMENT_LABELS)]
#: A 1–5 rating for selection criteria and collaboration factors.
Rating = Annotated[int, Field(ge=1, le=5)]
#: A percentage from 0 to 100.
Percent = Annotated[float, Field(ge=0, le=100, allow_inf_nan=False)]
#: A date, or none when not known yet.
OptionalDate = dt.date | None

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
        message: what is missing, in words a planner understands.
    """

    where: str
    message: str


class Section(Record):
    """A plan section: one step of the method, saved and versioned as a whole."""

    #: The step number in the method (1–11; 0 for the plan's own details).
    step: ClassVar[int] = 0
    #: The section's title as shown in notebooks and the plan document.
    title: ClassVar[str] = ""

    def gaps(self) -> list[Gap]:
        """Return what this section still lacks (nothing by default)."""
        return []


def row_gaps(rows: list[Any], name: str, *checks: tuple[str, str]) -> list[Gap]:
    """List the rows of a table whose named fields are empty.

    Args:
        rows: the records of one table of a section.
        name: the table's field name, used in the path (``risks[3].owner``).
        checks: pairs of (field, message) — the field must not be empty; the message
            is the end of a sentence without its full stop ("has no owner").

    Returns:
        One Gap per empty field, with the row number counted from 1.
    """
    found = []
    for number, row in enumerate(rows, start=1):
        named = (getattr(row, key, "") for key in ("title", "name", "leader", "item", "description"))
        label = next((text for text in named if text), "")
        if not label and getattr(row, "audience", ""):
            label = f"The {name.removesuffix('s')} to {row.audience}"  # "The line to Riverside radio"
        label = label or f"Row {number} of the {name}"
        for field, message in checks:
            if getattr(row, field) in (None, "", []):
                found.append(Gap(f"{name}[{number}].{field}", f"{label}: {message}."))
    return found


def check_refs(rows: list[Any], name: str, field: str, known: set[str], what: str) -> None:
    """Refuse rows that point at a record that does not exist.

    Empty references are allowed (not chosen yet); anything else must be one of
    ``known``. Raises ValueError naming the row, the field and the bad value.
    """
    for number, row in enumerate(rows, start=1):
        values = getattr(row, field)
        for value in values if isinstance(values, list) else [values]:
            if value and value not in known:
                choices = ", ".join(sorted(known)) or "none yet"
                raise ValueError(
                    f"{name} row {number}: '{field}' must be the id of a {what} "
                    f"(got {value!r}; known: {choices})"
                )


def check_unique(rows: list[Any], name: str, fields: tuple[str, ...], message: str) -> None:
    """Refuse two rows of one table that agree on ``fields``, naming the second row.

    Args:
        rows: the records of one table.
        name: the table's field name, used in the message (``scores row 4: …``).
        fields: the fields that together must be unique.
        message: what is wrong, formatted with the row's fields
            (``"{candidate!r} is scored twice on {criterion!r}"``).

    Raises:
        ValueError: naming the first row that repeats an earlier one.
    """
    seen: set[tuple[Any, ...]] = set()
    for number, row in enumerate(rows, start=1):
        key = tuple(getattr(row, field) for field in fields)
        if key in seen:
            raise ValueError(f"{name} row {number}: " + message.format(**dict(zip(fields, key, strict=True))))
        seen.add(key)


def check_unique_ids(rows: list[Any], name: str) -> None:
    """Refuse two rows of one table with the same id, naming the second row."""
    check_unique(rows, name, ("id",), "'id' {id!r} is used twice")
