"""Reading a model field's declaration: its type under ``Annotated`` and ``| None``, its bounds, its label.

Forms (their widgets' ranges), problems (a range's both ends in a message) and
the plan document read fields through these few functions, so a field's bounds
and the words naming it are worked out in one place.
"""

from __future__ import annotations

import re
import types
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt
from pydantic import BaseModel
from pydantic.fields import FieldInfo

__all__ = ["field_bounds", "field_label", "field_of", "unwrap"]

#: Words (or whole names) written in capitals or otherwise when a name is turned into a label.
_WORDS = {"ssu": "SSU", "kpi": "KPI", "kpis": "KPIs", "swot": "SWOT", "tows": "TOWS", "id": "ID", "raci": "RACI",
          "checkins": "check-ins", "check_in": "check-in"}
#: Where a model's name (``TowsStrategy``) starts a new word.
_WORD_START = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def field_label(name: str, *, capital: bool = True) -> str:
    """Turn a field name into a label a planner reads: ``residual_likelihood`` → ``Residual likelihood``.

    The one label function: forms, messages, the plan document and view titles
    use it. A model's name gives the name of one of its records, as a message
    calls it (``TowsStrategy`` → ``TOWS strategy``); ``capital=False`` writes a
    label for the middle of a sentence (``Risk`` → ``risk``, ``Kpi`` → ``KPI``).

    >>> field_label("residual_likelihood"), field_label("ssu_kind"), field_label("kpis")
    ('Residual likelihood', 'SSU kind', 'KPIs')
    >>> field_label("TowsStrategy"), field_label("Risk", capital=False), field_label("Kpi", capital=False)
    ('TOWS strategy', 'risk', 'KPI')
    """
    snake = _WORD_START.sub("_", name).lower()
    words = [_WORDS[snake]] if snake in _WORDS else [_WORDS.get(word, word) for word in snake.split("_") if word]
    text = " ".join(words)
    return text[:1].upper() + text[1:] if capital else text


def unwrap(annotation: Any, metadata: list[Any] | None = None) -> tuple[Any, list[Any], bool]:
    """Strip ``Annotated`` layers (keeping their metadata, flattened) and one ``| None``.

    Returns:
        The bare type, every metadata item found on the way (``Field(...)``
        constraints flattened into their ``annotated_types`` items), and
        whether None is allowed.
    """
    optional = False
    found = list(metadata or [])
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation, *extra = get_args(annotation)
            found += extra
        elif origin in (Union, types.UnionType) and type(None) in get_args(annotation):
            rest = [a for a in get_args(annotation) if a is not type(None)]
            if len(rest) != 1:
                break
            annotation, optional = rest[0], True
        else:
            break
    flat: list[Any] = []
    for item in found:
        flat.extend(item.metadata if isinstance(item, FieldInfo) else [item])
    return annotation, flat, optional


def field_bounds(info: FieldInfo) -> dict[str, float]:
    """Return a field's numeric bounds as declared, by kind: ``{"ge": 1, "le": 5}``.

    >>> from partnerlib.models import Risk
    >>> field_bounds(Risk.model_fields["impact"])
    {'ge': 1, 'le': 5}
    """
    _, metadata, _ = unwrap(info.annotation, list(info.metadata))
    bounds: dict[str, float] = {}
    for item in metadata:
        for kind, name in ((Ge, "ge"), (Gt, "gt"), (Le, "le"), (Lt, "lt")):
            if isinstance(item, kind):
                bounds.setdefault(name, getattr(item, name))
    return bounds


def field_of(model: type[BaseModel] | None, loc: tuple[str | int, ...]) -> FieldInfo | None:
    """Find the field at ``loc`` (keys and list indexes) inside ``model``, or None.

    >>> from partnerlib.models import Plan
    >>> field_of(Plan, ("risks", "risks", 0, "impact")).description
    'How bad, 1 (insignificant) to 5 (catastrophic).'
    """
    info: FieldInfo | None = None
    annotation: Any = model
    for key in loc:
        if isinstance(key, int):
            continue
        while True:  # list[X] and X | None down to a model
            annotation = unwrap(annotation)[0]
            if get_origin(annotation) is list:
                annotation = get_args(annotation)[0]
            else:
                break
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return None
        info = annotation.model_fields.get(key)
        if info is None:
            return None
        annotation = info.annotation
    return info
