"""Readable errors: turn validation failures into messages that name the field or the row.

A form, a JSON import and a spreadsheet import all go through the same model
checks, and all report through :func:`describe`, so an error states the same
rule wherever it came from: ``risks row 4: 'impact' must be between 1 and 5 (got 9)``
in an import, which names the user's column or JSON key, and ``Impact must be
between 1 and 5 (you typed 9)`` in a form, which names the label by the box.
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from typing import Any, NamedTuple

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel, ValidationError

__all__ = [
    "InvalidInput",
    "PlanError",
    "Problem",
    "describe",
    "not_available",
    "pattern_words",
    "quote_value",
    "where_text",
]


#: partnerlib's models by name, so a ValidationError, which carries only its model's
#: name (its title), finds the model's field bounds. The models' base class adds each
#: model as it is defined (this layer sits below the models and cannot import them).
MODELS_BY_TITLE: dict[str, type[BaseModel]] = {}


class Problem(NamedTuple):
    """One thing wrong with an input.

    Attributes:
        path: where it is, as a tuple of keys and 0-based row indexes
            (``("risks", 3, "impact")``); empty for the whole input.
        message: the rule broken and what arrived, in words.
    """

    path: tuple[str | int, ...]
    message: str

    def __str__(self) -> str:
        where = where_text(self.path)
        return f"{where}: {self.message}" if where else self.message


class PlanError(Exception):
    """Base of every error partnerlib reports to a user: its text is the whole message."""


class InvalidInput(PlanError):
    """Input that breaks the plan's rules; holds every problem found, not only the first."""

    def __init__(self, problems: list[Problem], context: str = "") -> None:
        self.problems = problems
        head = f"{context}: " if context else ""
        lines = [str(p) for p in problems]
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


#: The text patterns the models use, in words (keys without the ^ … $ anchors).
_PATTERN_WORDS = {
    "[A-Z]{3}": "a three-letter currency code in capitals, like USD or KES",
    "[A-Za-z0-9_-]+": "letters, digits, '-' and '_' only",
    "[^\\s]*": "without spaces",
    "[^\\s/&|?]*": "without spaces, '/', '&', '|' or '?'",
}


def pattern_words(pattern: str) -> str:
    """Say in words what a text pattern allows, anchored or not.

    >>> pattern_words("^[A-Za-z0-9_-]+$")
    "letters, digits, '-' and '_' only"
    """
    return _PATTERN_WORDS.get(pattern.removeprefix("^").removesuffix("$"), "in the expected form")


def quote_value(value: Any) -> str:
    """Show a value that arrived, as messages quote it: text in quotes, cut after 60 characters.

    >>> quote_value("k 1"), quote_value(9)
    ("'k 1'", '9')
    """
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _field_bounds(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> dict[str, Any]:
    """Find the bounds (ge, gt, le, lt) declared on the field at ``loc`` of ``model``.

    Pydantic reports only the bound that was broken; the message is clearer
    with both ends of the range, so they are read back from the model.
    """
    annotation: Any = model
    metadata: list[Any] = []
    for key in loc:
        while True:  # unwrap list[X], X | None and Annotated[X, ...] down to a model
            origin = typing.get_origin(annotation)
            if origin is typing.Annotated:
                annotation = typing.get_args(annotation)[0]
            elif origin in (list, typing.Union) or str(origin) == "<class 'types.UnionType'>":
                args = [a for a in typing.get_args(annotation) if a is not type(None)]
                annotation = args[0] if args else None
            else:
                break
        if isinstance(key, int):
            continue
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return {}
        field = annotation.model_fields.get(key)
        if field is None:
            return {}
        annotation, metadata = field.annotation, list(field.metadata)
    for arg in typing.get_args(annotation):  # bounds inside X | None
        metadata += list(getattr(arg, "__metadata__", ()))
        for inner in typing.get_args(arg):
            metadata += list(getattr(inner, "metadata", ()))
    bounds: dict[str, Any] = {}
    for item in metadata:
        for kind, name in ((Ge, "ge"), (Gt, "gt"), (Le, "le"), (Lt, "lt")):
            if isinstance(item, kind):
                bounds[name] = getattr(item, name)
    return bounds


def _rule(error: dict[str, Any], model: type[BaseModel] | None = None,
          label: Callable[[str], str] | None = None) -> str:
    """Word one pydantic error as a rule plus what arrived (in a form's words when ``label`` is given)."""
    kind, ctx, got = error["type"], error.get("ctx", {}), error.get("input")
    field = next((k for k in reversed(error["loc"]) if isinstance(k, str)), "value")
    name = label(field) if label else f"'{field}'"
    said = "you typed" if label else "got"
    arrived = f"({said} {quote_value(got)})"
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        ctx = {**_field_bounds(model, error["loc"]), **ctx}
        low = ctx.get("ge", ctx.get("gt"))
        high = ctx.get("le", ctx.get("lt"))
        if "ge" in ctx and "le" in ctx:
            return f"{name} must be between {low:g} and {high:g} {arrived}"
        limits = [
            f"{word} {ctx[key]:g}"
            for key, word in (("ge", "at least"), ("gt", "more than"), ("le", "at most"), ("lt", "less than"))
            if key in ctx
        ]
        return f"{name} must be {' and '.join(limits)} {arrived}"
    if kind == "literal_error":
        return f"{name} must be one of {ctx.get('expected')} {arrived}"
    if kind == "missing":
        return f"{name} is required"
    if kind == "extra_forbidden":
        return f"{name} is not a field here (check the spelling)"
    if kind in ("date_from_datetime_parsing", "date_parsing", "date_type", "date_from_datetime_inexact"):
        return f"{name} must be a date like 2026-03-31 {arrived}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{name} must be a whole number {arrived}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"{name} must be a number {arrived}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{name} must be yes or no {arrived}"
    if kind == "string_too_short":
        return f"{name} must not be empty"
    if kind == "string_too_long":
        return f"{name} must be at most {ctx.get('max_length')} characters ({said} {len(str(got))})"
    if kind == "string_pattern_mismatch":
        return f"{name} must be {pattern_words(ctx.get('pattern', ''))} {arrived}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{name}: {error['msg']} {arrived}"


def describe(
    exc: ValidationError,
    prefix: tuple[str | int, ...] = (),
    model: type[BaseModel] | None = None,
    *,
    label: Callable[[str], str] | None = None,
) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems that name the field and the row.

    Model-level rules (a rating that does not fit its SWOT kind, a reference to
    an unknown record) already name their row and field; field-level errors get
    the field's name, the rule and the value that arrived. Imports keep the
    field's name as the user's file spells it (``'impact' … (got 9)``); a form
    passes ``label`` to name the field as its box does (``Impact … (you typed 9)``).

    Args:
        exc: the error raised by a model.
        prefix: the path of the validated object inside a larger input.
        model: the model that raised it, to state a range's both ends
            ("between 1 and 5") where pydantic names only the broken one;
            found from the error's title when it is a partnerlib model.
        label: turns a field's name into the label a form shows by its box
            (``field_label``); None keeps the quoted field name.

    Returns:
        One Problem per error, in the order pydantic found them.
    """
    if model is None:  # the error's title is the name of the model that raised it
        model = MODELS_BY_TITLE.get(exc.title)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(k for k in error["loc"] if not (isinstance(k, str) and k.startswith(("function-", "literal["))))
        path = prefix + loc
        message = _rule(error, model, label)
        if error["type"] == "value_error" or not loc:
            problems.append(Problem(path, message))
        else:
            problems.append(Problem(path[:-1] if isinstance(path[-1], str) else path, message))
    return problems
