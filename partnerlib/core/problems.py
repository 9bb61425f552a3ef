"""Problems as data, and the one renderer that turns them into words.

A rule that fails says *what* failed as a code and its context (the field,
the limit, what arrived …): a model raises :func:`rule_error` (pydantic's
``PydanticCustomError``), an import or an analysis builds a :class:`Problem`.
Only :func:`render` makes words of them, from the templates of
:data:`MESSAGES`, so a rule reads the same wherever it came from and a
translation swaps one table. Nothing reads a message back.

The renderer names the field as its reader knows it: a form by the label by
its box (``Impact must be between 1 and 5 (you typed 9)``), an import by the
key or column of the user's file (``'impact' must be between 1 and 5 (got 9)``).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping
from typing import Any, NamedTuple

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from .fields import field_bounds, field_label, field_of
from .formats import DATE_EXAMPLE, write_number

__all__ = [
    "InvalidInput",
    "PlanError",
    "Problem",
    "describe",
    "not_available",
    "render",
    "where_text",
]


#: partnerlib's models by name, so a ValidationError, which carries only its model's
#: name (its title), finds the model's field bounds. The models' base class adds each
#: model as it is defined (this layer sits below the models and cannot import them).
MODELS_BY_TITLE: dict[str, type[BaseModel]] = {}

_DATE = "{field} must be a date like 2026-03-31 ({arrived})"
_WHOLE = "{field} must be a whole number ({arrived})"
_NUMBER = "{field} must be a number ({arrived})"
_YES_NO = "{field} must be yes or no ({arrived})"

#: Every sentence a problem becomes, by code: ``str.format`` templates over the
#: problem's context. ``{field}`` is the field as the reader knows it (a form's
#: label, a file's quoted key or column), ``{arrived}`` says what arrived
#: ("got 9"), ``{now}`` a value a rule between fields found ("got 2"); other
#: names are the context's own values (text shown with ``!r`` is quoted).
#: Pydantic's own error types keep their names as codes. A translation replaces
#: this table (and :data:`FORM_MESSAGES`) as a whole.
MESSAGES: dict[str, str] = {
    # the words the renderer builds its parts from
    "arrived": "got {got!r}",
    "now": "got {now!r}",
    "none_yet": "none yet",
    # pydantic's checks of one field
    "missing": "{field} is required",
    "extra_forbidden": "{field} is not a field here (check the spelling)",
    "literal_error": "{field} must be one of {expected} ({arrived})",
    "greater_than_equal": "{field} must be at least {ge:g} ({arrived})",
    "greater_than": "{field} must be more than {gt:g} ({arrived})",
    "less_than_equal": "{field} must be at most {le:g} ({arrived})",
    "less_than": "{field} must be less than {lt:g} ({arrived})",
    "between": "{field} must be between {ge:g} and {le:g} ({arrived})",
    "more_than_and_at_most": "{field} must be more than {gt:g} and at most {le:g} ({arrived})",
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": _NUMBER,
    "bool_parsing": _YES_NO,
    "bool_type": _YES_NO,
    "string_too_short": "{field} must not be empty",
    "string_too_long": "{field} must be at most {max_length} characters (got {length})",
    "string_pattern_mismatch": "{field} must be {pattern} ({arrived})",
    "pattern:[A-Z]{3}": "a three-letter currency code in capitals, like USD or KES",
    "pattern:[A-Za-z0-9_-]+": "letters, digits, '-' and '_' only",
    "pattern:[^\\s]*": "without spaces",
    "pattern:[^\\s/&|?]*": "without spaces, '/', '&', '|' or '?'",
    "pattern": "in the expected form",
    "kind:strength": "a strength",
    "kind:weakness": "a weakness",
    "kind:opportunity": "an opportunity",
    "kind:threat": "a threat",
    "unknown_rule": "{field}: {rule} ({arrived})",
    "forbidden_character": (
        "{field} must not contain the unprintable character {character} (character {position}) ({arrived})"
    ),
    # a rule about a value of a table's column, and the phrases naming what a good value is
    "broken_rule": "{field} must be {rule} ({arrived})",
    "required_rule": "{field} is required ({rule})",
    "rule:choice": "one of {choices}",
    "rule:id": "the id of {what}",
    "rule:whole_number": "a whole number from {low} to {high}",
    "rule:date": "a date like 2026-03-31",
    "rule:number": "a number",
    "rule:positive": "a number above 0",
    "rule:fraction": "a number from 0 to 1",
    "rule:party": "a party of the plan ({known})",
    "rule:scale": "a whole number from 1 to {size} or one of {labels}",
    # the models' own rules
    "unknown_reference": "{field} must be the id of {what} ({arrived}; known: {known})",
    "duplicate_id": "{field} {got!r} is used twice",
    "code_used_twice": "{field} {got!r} is used by another KPI",
    "listed_twice": "{got!r} is listed twice",
    "scored_twice": "{candidate!r} is scored twice on {criterion!r}",
    "two_roles": "{party!r} has two roles in {activity!r}",
    "rated_twice": "{party!r} rated {factor!r} twice in {review!r}",
    "rating_outside_kind": "{field} of {kind} must be between {low} and {high} ({now})",
    "target_equals_baseline": "{field} must differ from the baseline (both are {got:g})",
    "dates_out_of_order": "{field} must come after {other} (got {got} and {other_value})",
    "percentage_out_of_range": "{field} is a percentage and must be between 0 and 100 (got {value:g})",
    "target_above_baseline": "{field} is {got} but the target ({target:g}) is above the baseline ({baseline:g})",
    "target_below_baseline": "{field} is {got} but the target ({target:g}) is below the baseline ({baseline:g})",
    "shares_not_100": "{field} must add up to 100 % under agreed shares (got {total:g} %)",
    "received_pledge": "{field} of a pledge cannot be 'received': a pledge that arrives is recorded as cash or "
    "in kind, received",
    # forms
    "row_open": "A row is still open: press {keep} or Cancel under the table first.",
    # imports: plan files and spreadsheets
    "not_in_plan_file": "{field} is not a part of a plan file (check the spelling)",
    "not_a_list": "{field} must be a list (got {kind})",
    "not_an_object": "each measurement must be an object",
    "more_problems": "… and {count:,} more problems",
    "empty_cell": "{field} must not be empty",
    "ambiguous_date": (
        "{field} {got!r} is not an ISO date: is the day or the month first? Write dates as "
        "2026-03-31, or import again with the day-first option (--dayfirst) if the day comes first"
    ),
    "not_a_real_date": "{field} is not a real date ({arrived})",
    "formula_without_value": (
        "{column!r} holds a formula whose result was never saved "
        "(open the file in a spreadsheet program and save it, or type the value)"
    ),
    "duplicate_columns": "columns {first!r} and {second!r} both give {what}: keep one of them",
    "missing_column": "no column for {what}: name one {choices} (the file's columns: {found})",
    "no_such_column": "there is no column {heading!r} to read as {what} (the file's columns: {found})",
    "not_a_field_of": "{field} is not a field of {many} (choose one of {choices})",
    "only_unknown_columns": "the row has values only in columns that are not imported",
    "unknown_name": "{field} {got!r} is not one of the plan's {many} (known: {known})",
    "unknown_name_more": "{field} {got!r} is not one of the plan's {many} (known: {known} … and {more:,} more)",
    "no_names_yet": "{field} {got!r} is not one of the plan's {many} (the plan has none yet: add them first)",
    "ambiguous_name": "{field} {got!r} could be any of {count} {many} (ids {ids}): give its id or code instead",
    "unknown_kpi": "{field} must be the id of one of the plan's KPIs ({arrived}; known: {known})",
    "no_kpis_yet": "{field} must be the id of one of the plan's KPIs ({arrived}; none yet: add the KPIs first)",
    "repeated_measurement": (
        "KPI {kpi!r} has another value for {date} in row {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "repeated_measurement_rows": (
        "KPI {kpi!r} has another value for {date} in rows {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "repeated_group_measurement": (
        "KPI {kpi!r} has another value for {date} (group {group!r}) in row {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "repeated_group_measurement_rows": (
        "KPI {kpi!r} has another value for {date} (group {group!r}) in rows {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "id_used_twice_in_file": "{field} {got!r} is used twice (also in row {first})",
    "same_title": "the same title as row {first}: keep one of the two rows",
    "same_name": "the same name as row {first}: keep one of the two rows",
    "same_party_and_description": "the same party and description as row {first}: keep one of the two rows",
    "updates_same_record": "updates the same {record} as row {first}: keep one of the two rows",
    "same_gift": (
        "the same donor, date and amount as row {first}: keep one of the two rows, or give each gift its id "
        "(a Contribution ID column)"
    ),
    "not_a_gift_status": (
        "{field} {got!r} is not a gift: only completed contributions (received) and pending, in progress or "
        "overdue ones (expected) are imported"
    ),
    "not_in_organisation_file": "{field} is not a part of an organisation file (check the spelling)",
    "plan_twice": "the plan {got!r} is in the file twice: keep one of them",
    # imports: DHIS2 and KoboToolbox
    "not_a_dhis2_period": "{got!r} is not a DHIS2 period like 202401, 2024Q1, 2024S1, 2024W3 or 2024",
    "not_a_data_value": "must be an object with a dataElement",
    "not_finite": "{field} must be a finite number ({arrived})",
    "repeated_data_value": (
        "another value in this file has the same data element, period and category option combo: keep one of them"
    ),
    # exports: IATI
    "no_iati_organisation": (
        "{field} is empty: IATI requires the organisation's identifier (e.g. GB-CHC-1234567); "
        "add it in the plan's details (step 0)"
    ),
    "no_iati_activity": (
        "{field} is empty: IATI requires the activity's identifier (e.g. GB-CHC-1234567-SSU1); "
        "add it in the plan's details (step 0)"
    ),
    "iati_activity_prefix": (
        "{field} must start with the organisation's identifier and '-' ({organisation}-…; {arrived}): "
        "IATI requires it"
    ),
    # analyses: tables handed to them
    "not_a_table": "expected a table (DataFrame), got {kind}",
    "missing_columns": "the {table} table has no column {columns}",
    "missing_columns_plural": "the {table} table has no columns {columns}",
    "more_rows": "… and {count} more rows like these",
    "two_results": "{candidate!r} has two results for {check!r}",
    "kind_rating": "{field} of {kind} must be a whole number from {low} to {high} ({arrived})",
    "wrong_pairing": "{field}: an {kind} strategy pairs {inner} with {outer}, but {got!r} is {factor_kind}",
    "no_weights": "there are no {side} weights ({first} and {second}) above 0 yet: add some first",
    "weights_not_one": (
        "the {side} weights ({first} and {second}) sum to {total:g}, not 1: adjust them, "
        "or score with normalise=True to rescale them"
    ),
    "not_square": "the comparison table must be square (got {rows} rows and {columns} columns)",
    "labels_differ": (
        "rows and columns must name the same criteria in the same order (rows {rows}, columns {columns})"
    ),
    "too_many_criteria": "at most {most} criteria can be compared in pairs (got {got})",
    "not_positive": "{first} vs {second} must be a positive number ({arrived})",
    "diagonal_not_one": "{first} vs {second} must be 1 (got {got:g})",
    "not_reciprocal": (
        "{second} vs {first} must be 1/{value:g} = {reciprocal:.3g}, the reciprocal of "
        "{first} vs {second} (got {got:g})"
    ),
}

#: Templates a form words differently: what the user typed, a record pointed at
#: that is no longer in its list. Any code not here reads as in :data:`MESSAGES`.
#: A form's dates read as every page writes them; a file's dates are ISO (2026-03-31).
_FORM_DATE = f"{{field}} must be a date like {DATE_EXAMPLE} ({{arrived}})"
FORM_MESSAGES: dict[str, str] = {
    **dict.fromkeys(("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"),
                    _FORM_DATE),
    "arrived": "you typed {got!r}",
    "now": "now {now!r}",
    "string_too_long": "{field} must be at most {max_length} characters (you typed {length})",
    "percentage_out_of_range": "{field} is a percentage and must be between 0 and 100 (now {value:g})",
    "unknown_reference": (
        "{field} points at {what} that is not in the list ({got!r}): edit this row and choose one from the list"
    ),
}

#: Context keys holding a field's name: the field itself, and another field a rule compares it with.
_FIELD_KEYS = ("field", "other")
#: Longest text quoted from what arrived.
_QUOTE_LENGTH = 60


class _Shown(str):
    """Text as a message quotes it: ``repr`` gives it in quotes, cut after 60 characters."""

    __slots__ = ()

    def __repr__(self) -> str:
        text = str.__repr__(self)
        return text if len(text) <= _QUOTE_LENGTH else text[: _QUOTE_LENGTH - 3] + "..."


def _shown(value: Any, table: Mapping[str, str]) -> Any:
    """Prepare one context value for a template: lists joined, text quotable."""
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(map(str, value)) if isinstance(value, set | frozenset) else [str(v) for v in value]
        return ", ".join(items) or table["none_yet"]
    if isinstance(value, str):
        return _Shown(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _Number(value)
    return value


class _Number(float):
    """A number in a message, written as people write numbers by ``{ge:g}`` ("1,000,000,000,000", not "1e+12").

    ``{got!r}`` and ``{got}`` show it as it arrived.
    """

    arrived: float

    def __new__(cls, value: float) -> _Number:
        number = super().__new__(cls, value)
        number.arrived = value
        return number

    def __format__(self, spec: str) -> str:
        return write_number(float(self)) if spec in ("", "g") else format(self.arrived, spec)

    def __repr__(self) -> str:
        return repr(self.arrived)

    def __str__(self) -> str:
        return str(self.arrived)


class Problem(NamedTuple):
    """One thing wrong with an input: where, which rule (a code of :data:`MESSAGES`) and its context.

    Attributes:
        path: where it is, as a tuple of keys and 0-based row indexes
            (``("risks", 3)``); empty for the whole input. The field itself
            is in the context (``field``), so a reader can name it its own way.
        code: the rule broken, a key of :data:`MESSAGES`.
        context: what the words need: the field, the limit, what arrived (``got``) …
    """

    path: tuple[str | int, ...]
    code: str
    context: Mapping[str, Any] = {}

    @property
    def message(self) -> str:
        """The rule and what arrived, in the words of an import (see :func:`render`)."""
        return render(self)

    @property
    def field(self) -> str:
        """The name of the field the problem is about ('' for none)."""
        return str(self.context.get("field", ""))

    def __str__(self) -> str:
        where = where_text(self.path)
        return f"{where}: {self.message}" if where else self.message


def render(problem: Problem, *, label: Callable[[str], str] | None = None, form: bool = False) -> str:
    """Turn a problem into words: the one place where a problem becomes a sentence.

    >>> render(Problem((), "between", {"field": "impact", "ge": 1, "le": 5, "got": 9}))
    "'impact' must be between 1 and 5 (got 9)"
    >>> render(Problem((), "between", {"field": "impact", "ge": 1, "le": 5, "got": 9}), form=True)
    'Impact must be between 1 and 5 (you typed 9)'

    Args:
        problem: the code and context.
        label: names the problem's field for the reader (a spreadsheet's column);
            default: the field's label in a form, its quoted name in an import.
        form: word it for a form (what the user typed) rather than for an import.

    Returns:
        The sentence, without where it is (see :func:`where_text` for that).
    """
    table: Mapping[str, str] = ChainMap(FORM_MESSAGES, MESSAGES) if form else MESSAGES
    named: Callable[[str], str] = field_label if form else lambda field: f"'{field}'"
    words = {key: _shown(value, table) for key, value in problem.context.items()}
    for key in _FIELD_KEYS:
        if key in problem.context:
            words[key] = (label if label and key == "field" else named)(str(problem.context[key]))
    if "pattern" in words:
        bare = str(problem.context["pattern"]).removeprefix("^").removesuffix("$")
        words["pattern"] = table.get(f"pattern:{bare}", table["pattern"])
    for key in ("kind", "factor_kind"):  # a SWOT kind with its article: "an opportunity"
        if isinstance(problem.context.get(key), str):
            words[key] = table.get(f"kind:{problem.context[key]}", words[key])
    if "rule" in words:
        words["rule"] = table.get(f"rule:{problem.context['rule']}", words["rule"]).format_map(_Missing(words))
    if "got" in words:
        words["arrived"] = table["arrived"].format(got=words["got"])
    if "now" in words:
        words["now"] = table["now"].format(now=words["now"])
    return table.get(problem.code, table["unknown_rule"]).format_map(_Missing(words))


class _Missing(dict[str, Any]):
    """Format context that shows a key it lacks as ``{key}``, so a template never fails to render."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def rule_error(code: str, **context: Any) -> PydanticCustomError:
    """Return the error a model's own rule raises: a code of :data:`MESSAGES` and its context.

    Put ``table`` and ``row`` (0-based) in the context for a rule about one row
    of a list, and ``field`` for the field it is about; :func:`describe` turns
    them into the problem's path.

    >>> rule_error("duplicate_id", table="risks", row=1, field="id", got="r1").type
    'duplicate_id'
    """
    return PydanticCustomError(code, render(Problem((), code, context)), context)


class PlanError(Exception):
    """Base of every error partnerlib reports to a user: its text is the whole message."""


class InvalidInput(PlanError):
    """Input that breaks the plan's rules; holds every problem found, not only the first."""

    def __init__(self, problems: list[Problem], context: str = "", *, said: list[str] | None = None) -> None:
        """Hold ``problems``; ``said`` gives their words when a reader words them its own way (a form)."""
        self.problems = problems
        head = f"{context}: " if context else ""
        lines = said if said is not None else [str(p) for p in problems]
        super().__init__(head + (lines[0] if len(lines) == 1 else "\n  " + "\n  ".join(lines)))


def not_available(error: Exception) -> str:
    """Say why a result cannot be shown yet, on one line: the notebooks and the plan document word it alike.

    >>> not_available(PlanError("No shares are set:   add them in step 8."))
    'Not available yet: No shares are set: add them in step 8.'
    """
    return f"Not available yet: {' '.join(str(error).split())}"


def where_text(path: tuple[str | int, ...]) -> str:
    """Say where a value is: ``("risks", 3, "impact")`` → ``risks row 4, 'impact'``.

    >>> where_text(("risks", 3, "impact"))
    "risks row 4, 'impact'"
    >>> where_text(("currency",))
    "'currency'"
    """
    parts: list[str] = []
    for key in path:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''} row {key + 1}".strip()]
        elif parts and parts[-1].endswith(tuple("0123456789")):
            parts.append(f"'{key}'")
        elif parts:
            parts[-1] = parts[-1] + "." + key if not parts[-1].startswith("'") else f"{parts[-1][:-1]}.{key}'"
        else:
            parts.append(key)
    text = ", ".join(parts)
    if len(path) == 1 and isinstance(path[0], str):
        return f"'{path[0]}'"
    return text


#: Pydantic's range checks whose message is clearer with both ends of the range.
_RANGES = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")
#: Parts of pydantic's error locations that name a validator, not a field.
_NOT_FIELDS = ("function-", "literal[")


def describe(
    exc: ValidationError, prefix: tuple[str | int, ...] = (), model: type[BaseModel] | None = None
) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems: a code, the context, and where.

    A model's own rule about a row of a list (``rule_error(..., table=…, row=…)``)
    is placed at that row, and one naming its ``field`` at its record; any other
    error (pydantic's, or a field validator's ``rule_error``) at the record
    holding the field, with the field, the rule's limits and what arrived in
    its context.

    Args:
        exc: the error raised by a model.
        prefix: the path of the validated object inside a larger input.
        model: the model that raised it, to state a range's both ends
            ("between 1 and 5") where pydantic names only the broken one;
            found from the error's title when it is a partnerlib model.

    Returns:
        One Problem per error, in the order pydantic found them.
    """
    if model is None:  # the error's title is the name of the model that raised it
        model = MODELS_BY_TITLE.get(exc.title)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(k for k in error["loc"] if not (isinstance(k, str) and k.startswith(_NOT_FIELDS)))
        path, code, context = prefix + loc, error["type"], dict(error.get("ctx") or {})
        if code not in _PYDANTIC_CODES and context.keys() & {"table", "field"}:
            # a model's own rule about its fields or rows: its context says where
            if "table" in context:
                path += (context["table"], context["row"])
            problems.append(Problem(path, code, context))
            continue
        field = next((k for k in reversed(loc) if isinstance(k, str)), "value")
        context = {"field": field, "got": error.get("input"), **context}
        if code in _RANGES:
            info = field_of(model, loc)
            context |= field_bounds(info) if info is not None else {}
            code = ("between" if {"ge", "le"} <= context.keys()
                    else "more_than_and_at_most" if {"gt", "le"} <= context.keys() else code)
        elif code == "string_too_long":
            context["length"] = len(str(error.get("input", "")))
        elif code not in MESSAGES:
            context["rule"] = error["msg"]
        if loc and isinstance(path[-1], str):
            path = path[:-1]
        problems.append(Problem(path, code, context))
    return problems


#: The codes above that pydantic itself raises (the rest are partnerlib's own rules).
_PYDANTIC_CODES = frozenset(
    code for code in MESSAGES
    if code.startswith(("date_", "int_", "float_", "bool_", "string_", "greater_", "less_"))
) | {"missing", "extra_forbidden", "literal_error", "finite_number"}
