"""The one table that turns a model field's type into the widget a form shows for it.

:data:`WIDGET_RULES` is read top to bottom and the first rule whose test
matches a field wins, so the order is part of the rule: ``bool`` comes before
``int``, a list of records before a list of ids, long text before text. Bounds,
choices and help come from the model (``ge``/``le``, ``Literal`` values,
``max_length``, ``description``); nothing is repeated here.

Every number is typed into a text box (:class:`NumberText`), whole or not,
bounded or not, optional or not, so every number field behaves the same: what
was typed stays in the box and the model answers with its own message
("Likelihood must be a whole number (you typed 'x')"). A browser's number box
(``IntText``, ``FloatText``) silently drops letters instead, ``BoundedIntText``
and ``IntSlider`` clamp a 9 to 5, and a dropdown of "4 – Likely" cannot hold
what was typed at all. The range and the scale's words are shown in the help
line under the box. A field holding several choices (several records, several ``Literal``
values) is a column of checkboxes (:func:`check_list`), one click per choice:
a multiple-selection list box needs Ctrl-click, and one plain click there drops
every earlier choice. ipywidgets is imported on first use, never by importing
this module.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import importlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Literal, get_args, get_origin

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from ..core.fields import field_bounds, field_label, unwrap
from ..core.formats import DATE_EXAMPLE, format_date, read_date, write_number
from ..core.problems import PlanError, sentence
from ..models import (
    AGREEMENT_LABELS,
    IMPACT_LABELS,
    LEVEL_LABELS,
    LIKELIHOOD_LABELS,
    Agreement,
    Impact,
    Level,
    Likelihood,
    RefersTo,
)

#: Empty on purpose: partnerlib.ui.forms re-exports this module's public names
#: (WIDGET_RULES, UnknownFieldType, field_label), so each is public in one place.
__all__: list[str] = []

#: The 1–5 scales whose numbers have words, found by their validator object.
_SCALES = tuple(
    (get_args(scale)[-1], labels)
    for scale, labels in (
        (Likelihood, LIKELIHOOD_LABELS),
        (Impact, IMPACT_LABELS),
        (Level, LEVEL_LABELS),
        (Agreement, AGREEMENT_LABELS),
    )
)
#: Width of the label column, so the boxes of one form line up.
LABEL_WIDTH = "190px"
#: The colour of a problem message (dark red, 7:1 on white); a "⚠" always goes with it.
ERROR_COLOUR = "#B00020"
#: The colour of a note that something was done (dark green, 7:1 on white); a "✔" goes with it.
NOTE_COLOUR = "#1B5E20"
#: The class of a :func:`check_list` (its label lined up by FORM_STYLE).
CHECK_LIST_CLASS = "partnerlib-checklist"
#: The tallest a column of checkboxes grows before it scrolls (about eight boxes).
CHECK_LIST_HEIGHT = "260px"
#: The class of help and messages indented under a field's box (not indented on a phone).
INDENT_CLASS = "partnerlib-indent"
#: The look of a form on a projector: 16px labels and boxes, text boxes in the
#: normal (not monospace) font, a checkbox column's label lined up with the
#: other labels, and a label too long for its column wrapped onto a second
#: line instead of cut off with "…"; on a phone, labels above their boxes.
#: Scoped to the form's class.
FORM_CLASS = "partnerlib-form"
FORM_STYLE = (
    "<style>"
    f".{FORM_CLASS}{{--jp-widgets-font-size:16px;--jp-widgets-inline-height:32px;font-size:16px}}"
    f".{FORM_CLASS} .widget-label,.{FORM_CLASS} .widget-inline-hbox .widget-label{{font-size:16px}}"
    f".{FORM_CLASS} .widget-inline-hbox .widget-label{{white-space:normal;overflow:visible;"
    "line-height:1.25;height:auto;align-self:center}"
    f".{FORM_CLASS} textarea{{font-family:var(--jp-ui-font-family,system-ui,sans-serif);"
    "font-size:16px;line-height:1.4;resize:vertical}"
    f".{FORM_CLASS} input,.{FORM_CLASS} select,.{FORM_CLASS} button{{font-size:16px}}"
    f".{FORM_CLASS} .{CHECK_LIST_CLASS}>.widget-label{{justify-content:flex-end}}"
    # On a phone, each label goes above its box, and help and messages start at the left edge.
    "@media (max-width:640px){"
    f".{FORM_CLASS} .widget-inline-hbox{{flex-wrap:wrap;height:auto}}"
    f".{FORM_CLASS} .widget-inline-hbox>.widget-label{{width:100%!important;max-width:100%!important;"
    "justify-content:flex-start;text-align:left;margin-bottom:2px}"
    f".{FORM_CLASS} .{INDENT_CLASS}{{margin-left:0!important}}"
    f".{FORM_CLASS} .widget-inline-hbox select{{min-height:32px}}"
    "}"
    "</style>"
)


class UnknownFieldType(PlanError):
    """A model field whose type has no widget in :data:`WIDGET_RULES`."""


@dataclass(frozen=True)
class FieldType:
    """What a form needs to know about one model field, read from its annotation.

    Attributes:
        name: the field's name in the model.
        kind: the base type (``bool``, ``int``, ``float``, ``str``, ``datetime.date``,
            ``list``) or ``Literal`` for a choice.
        optional: the field also accepts None (``X | None``): empty is allowed.
        choices: the allowed values of a ``Literal``.
        low: the lowest allowed number (``ge``/``gt``), if any.
        high: the highest allowed number (``le``/``lt``), if any.
        max_length: the longest allowed text, if any.
        scale: the words of a 1–5 word scale (``LIKELIHOOD_LABELS`` …), if any.
        item: the type of a list's items (a record model, or ``str`` for ids).
        description: the field's help text from the model.
        required: the model has no default for the field.
        default: the field's default (a fresh one for default factories).
        references: for a field holding ids of other records, the records it may
            point at as (id, name) pairs; None when the form does not know them.
        refers_to: the model's declaration of what such a field points at, if it does.
    """

    name: str
    kind: Any
    optional: bool = False
    choices: tuple[Any, ...] = ()
    low: float | None = None
    high: float | None = None
    max_length: int | None = None
    scale: tuple[str, ...] = ()
    item: Any = None
    description: str = ""
    required: bool = False
    default: Any = None
    references: tuple[tuple[str, str], ...] | None = None
    refers_to: RefersTo | None = None

    @classmethod
    def of(cls, name: str, info: FieldInfo) -> FieldType:
        """Read a pydantic field: unwrap ``Annotated`` and ``X | None``, collect the bounds."""
        annotation, flat, optional = unwrap(info.annotation, list(info.metadata))
        bounds = field_bounds(info)
        low = bounds.get("ge", bounds.get("gt"))
        high = bounds.get("le", bounds.get("lt"))
        longest = next((m.max_length for m in flat if getattr(m, "max_length", None)), None)
        scale = next((labels for m in flat for v, labels in _SCALES if m is v), ())
        origin = get_origin(annotation)
        kind, choices, item = annotation, (), None
        if origin is Literal:
            kind, choices = Literal, get_args(annotation)
        elif origin is list:
            kind, item = list, unwrap(get_args(annotation)[0])[0]
        required = info.is_required()
        default = None if required else info.get_default(call_default_factory=True, validated_data={})
        refers_to = next((m for m in flat if isinstance(m, RefersTo)), None)
        return cls(name, kind, optional, choices, low, high, longest, scale, item,
                   info.description or "", required, default, refers_to=refers_to)


def ipywidgets_module() -> Any:
    """Return the ipywidgets module, imported on first use (so importing partnerlib stays fast)."""
    return importlib.import_module("ipywidgets")


#: The Layout and styles shared by the widgets of this kernel that keep one look (see :func:`plain_widget`).
_SHARED_LOOKS: dict[tuple[type, tuple[tuple[str, Any], ...]], Any] = {}


def shared_look(kind: type, **traits: Any) -> Any:
    """Return this kernel's one ``kind`` (a Layout or a style class) with these traits, made on first use.

    A look that was closed (``Widget.close_all()``) is made again, so no new
    widget points at a model the browser has dropped.
    """
    key = (kind, tuple(sorted(traits.items())))
    look = _SHARED_LOOKS.get(key)
    if look is None or look.comm is None:
        look = _SHARED_LOOKS[key] = kind(**traits)
    return look


def plain_widget(kind: str, *args: Any, **traits: Any) -> Any:
    """Create the ipywidget ``kind`` ("HTML", "Button", "VBox" …) with the kernel's shared Layout and style.

    Every widget otherwise gets a Layout and a style of its own: two more
    widget models for the kernel to send and the browser to build, about half
    of a form's models. Only for widgets whose layout and style never change
    (never hidden or resized); a ``layout`` or ``style`` given here is used
    instead of the shared one.
    """
    w = ipywidgets_module()
    widget_class = getattr(w, kind)
    if "layout" not in traits:
        traits["layout"] = shared_look(w.Layout)
    if "style" not in traits and "style" in widget_class.class_traits():
        traits["style"] = shared_style(kind)
    return widget_class(*args, **traits)


def shared_style(kind: str, **traits: Any) -> Any:
    """Return this kernel's one style, with these traits, for widgets of ``kind`` ("HTML", "Dropdown" …)."""
    return shared_look(getattr(ipywidgets_module(), kind).class_traits()["style"].klass, **traits)


# ---- inputs: one widget, and how to read and write the model's value --------


class Input:
    """A field's input widget and how its value maps to the model's value.

    Attributes:
        widget: the ipywidget the user types into.
    """

    def __init__(self, widget: Any, field: FieldType | None = None) -> None:
        self.widget = widget
        self.field = field

    def read(self) -> Any:
        """Return what the user entered, as the model should receive it."""
        return self.widget.value

    def write(self, value: Any) -> None:
        """Show a model value in the widget."""
        self.widget.value = value

    def observe(self, callback: Callable[[], None]) -> None:
        """Call ``callback()`` whenever the user changes the value."""
        self.widget.observe(lambda _change: callback(), names="value")


class NumberText(Input):
    """A text box for a number: what parses goes to the model as a number, anything else as typed.

    Empty means none for an optional number; for a required one the empty text
    goes to the model, which says a number is needed.
    """

    def read(self) -> Any:
        """Return the number when the text parses, else the text as typed (the model words the error)."""
        text = self.widget.value.strip()
        if not text:
            return None if self.field is not None and self.field.optional else text
        try:
            return int(text) if self.field is not None and self.field.kind is int else float(text)
        except ValueError:
            return text

    def write(self, value: Any) -> None:
        """Show a number without exponent or separators (so it reads back), None as an empty box, text as it is."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = write_number(value).replace(",", "")
        self.widget.value = "" if value is None else str(value)


def text_rows(text: str, *, width: int = 70, low: int = 2, high: int = 10) -> int:
    r"""Return how many lines a text box needs to show ``text`` whole, from ``low`` to ``high``.

    Each line of the text takes one row per ``width`` characters (rounded up).

    >>> text_rows(""), text_rows("a" * 150), text_rows("x\n" * 40)
    (2, 3, 10)
    """
    needed = sum(max(1, -(-len(line) // width)) for line in (text or "").split("\n"))
    return max(low, min(high, needed))


class DateText(Input):
    """A text box for a date, written as every page writes dates ("1 Sep 2027") and read in several forms.

    "1 Sep 2027", "1 September 2027", "2027-09-01", "1/9/2027" and "1.9.2027" are
    read (day before month); anything else goes to the model as typed, which
    answers "… must be a date like 1 Sep 2027 (you typed …)". Empty means none
    for an optional date. A browser's date box shows the browser's own order
    (mm/dd/yyyy on an American browser) whatever the page says.
    """

    def read(self) -> Any:
        """Return the date typed, else the text as typed; empty: None if optional."""
        text = self.widget.value.strip()
        if not text:
            return None if self.field is not None and self.field.optional else text
        return read_date(text) or text

    def write(self, value: Any) -> None:
        """Show a date as the tables do ("1 Sep 2027"), None as an empty box, text as it is."""
        self.widget.value = format_date(value) if isinstance(value, dt.date) else "" if value is None else str(value)


class LongText(Input):
    """A multi-line box that grows with its text (2 to 10 lines)."""

    def __init__(self, widget: Any, field: FieldType | None = None) -> None:
        super().__init__(widget, field)
        widget.observe(lambda change: setattr(widget, "rows", text_rows(change["new"])), names="value")


def _offer(widget: Any, values: list[Any]) -> None:
    """Add an ``"<value> (unknown)"`` option for each value the widget does not offer yet.

    A record may point at a record deleted since: opening it must not drop what it holds.
    """
    known = {choice for _label, choice in widget.options}
    missing = [(f"{value} (unknown)", value) for value in values if value not in known]
    if missing:
        widget.options = (*widget.options, *missing)


class Reference(Input):
    """A dropdown of the records a field may point at: names shown, ids kept."""

    def write(self, value: Any) -> None:
        """Show the record with this id (an id no record has is listed as "(unknown)")."""
        value = value or ""
        _offer(self.widget, [value])
        self.widget.value = value


class Several(Input):
    """A :func:`check_list` of choices, several ticked: the model receives the ticked values as a list."""

    def read(self) -> list[Any]:
        """Return the ticked values, in the order of the list."""
        return list(self.widget.value)

    def write(self, value: Any) -> None:
        """Tick these values (a value not listed is added as "(unknown)", ticked)."""
        values = list(value or [])
        _offer(self.widget, values)
        self.widget.value = tuple(values)


@functools.cache
def _check_list_class() -> type:
    """Define :class:`CheckList` on first use (ipywidgets is imported only then)."""
    w = ipywidgets_module()
    traitlets = importlib.import_module("traitlets")

    class CheckList(w.HBox):  # type: ignore[name-defined]  # a class of ipywidgets, imported above
        """A column of checkboxes, one per option: several choices by ticking, no Ctrl-click.

        It keeps the contract of ``SelectMultiple`` that a form relies on:
        ``options`` holds (label, value) pairs, ``value`` the ticked values in
        the options' order, ``observe(..., names="value")`` fires once per tick
        or per value set, ``disabled`` greys every box. Labels are shown as
        text, never as HTML; a long list scrolls.
        """

        value = traitlets.Tuple()
        options = traitlets.Tuple()
        description = traitlets.Unicode()
        disabled = traitlets.Bool(False)

        def __init__(self, *, options: Any = (), value: Any = (), description: str = "",
                     tooltip: str = "", **kwargs: Any) -> None:
            self._setting = False  # True while value is shown in the boxes: their events are ours
            self._label = w.Label(description, tooltip=tooltip or None,
                                  layout=w.Layout(width=LABEL_WIDTH, flex="0 0 auto"))
            self._list = w.VBox(layout=w.Layout(max_height=CHECK_LIST_HEIGHT, overflow="auto",
                                                border="1px solid #999", padding="2px 8px",
                                                flex="1 1 auto"))
            super().__init__([self._label, self._list], **kwargs)
            self.add_class(CHECK_LIST_CLASS)
            self.add_class("widget-inline-hbox")  # the label lines up with the other fields' labels
            traitlets.dlink((self, "description"), (self._label, "value"))
            self.description = description
            self.options = tuple(options)
            self._show_options()
            self.observe(self._show_options, names="options")
            self.observe(self._show_value, names="value")
            self.observe(self._show_disabled, names="disabled")
            self.value = tuple(value)

        @property
        def checkboxes(self) -> list[Any]:
            """Return the checkboxes, one per option, in order."""
            return [box for box in self._list.children if isinstance(box, w.Checkbox)]

        @traitlets.validate("value")
        def _in_option_order(self, proposal: Any) -> tuple[Any, ...]:
            chosen = set(proposal["value"])
            offered = [choice for _label, choice in self.options]
            unknown = chosen.difference(offered)
            if unknown:
                raise traitlets.TraitError(f"{sorted(map(str, unknown))} are not among the options")
            return tuple(choice for choice in offered if choice in chosen)

        def _show_options(self, _change: Any = None) -> None:
            boxes = []
            for label, choice in self.options:
                box = plain_widget("Checkbox", value=choice in self.value, description=label,
                                   description_allow_html=False, tooltip=label, indent=False,
                                   disabled=self.disabled, layout=shared_look(w.Layout, width="auto"))
                box.observe(self._ticked, names="value")
                boxes.append(box)
            self._list.children = boxes or [w.HTML("<i>Nothing to choose yet.</i>")]
            offered = {choice for _label, choice in self.options}
            self.value = tuple(choice for choice in self.value if choice in offered)

        def _ticked(self, _change: Any) -> None:
            if not self._setting:
                self.value = tuple(choice for (_label, choice), box in zip(self.options, self.checkboxes,
                                                                              strict=True) if box.value)

        def _show_value(self, change: Any) -> None:
            self._setting = True
            try:
                for (_label, choice), box in zip(self.options, self.checkboxes, strict=True):
                    box.value = choice in change["new"]
            finally:
                self._setting = False

        def _show_disabled(self, change: Any) -> None:
            for box in self.checkboxes:
                box.disabled = change["new"]

    return CheckList


def check_list(**kwargs: Any) -> Any:
    """Return a ``CheckList``: a column of checkboxes for choosing several of ``options``.

    Takes what ``SelectMultiple`` takes (``options`` as (label, value) pairs,
    ``value``, ``description``, ``tooltip``, ``layout`` …) and behaves the same
    for a form, but each option is ticked with one click.

    >>> chosen = check_list(options=[("Elders", "h1"), ("Youth", "h2")], value=("h2", "h1"))
    >>> chosen.value, [box.description for box in chosen.checkboxes]
    (('h1', 'h2'), ['Elders', 'Youth'])
    """
    return _check_list_class()(**kwargs)


class IdList(Input):
    """A text box holding a list of ids separated by commas."""

    def read(self) -> list[str]:
        """Return the ids typed, in order, without blanks."""
        return [part.strip() for part in self.widget.value.split(",") if part.strip()]

    def write(self, value: Any) -> None:
        """Show the ids separated by commas."""
        self.widget.value = ", ".join(value or [])


# ---- the table ---------------------------------------------------------------


@dataclass(frozen=True)
class WidgetRule:
    """One row of the field-to-widget table.

    Attributes:
        name: what kind of field the rule is for, in words.
        matches: the test on a :class:`FieldType`.
        widget: the ipywidgets class name used (``"RecordTable"`` for a table of records).
        note: what the help line adds for this kind of field, if anything.
        reads: how the widget's value becomes the model's value (an :class:`Input` class).
    """

    name: str
    matches: Callable[[FieldType], bool]
    widget: str
    note: Callable[[FieldType], str] = lambda field: ""
    reads: type[Input] = Input


def _is(kind: Any, *, optional: bool | None = None) -> Callable[[FieldType], bool]:
    return lambda f: f.kind is kind and (optional is None or f.optional is optional)


def _number_range(field: FieldType) -> str:
    """Say a field's bounds as people write numbers: "From 0 to 1,000,000,000,000.", never "1e+12"."""
    if field.low is not None and field.high is not None:
        return sentence("help_between", low=field.low, high=field.high)
    if field.low is not None:
        return sentence("help_at_least", low=field.low)
    return sentence("help_at_most", high=field.high) if field.high is not None else ""


def _or_not_known(words: str) -> str:
    """A help line for a field that may stay empty: what it takes, then that empty means not known."""
    return f"{words} {sentence('help_not_known')}".lstrip()


def _scale_words(field: FieldType) -> str:
    return " · ".join(f"{number} {word}" for number, word in enumerate(field.scale, start=1)) + "."


def _what(field: FieldType) -> str:
    """One record a reference field points at, in words: ``a need`` (``a record`` when undeclared)."""
    return field.refers_to.what if field.refers_to is not None else "a record"


def _is_record(item: Any) -> bool:
    return isinstance(item, type) and issubclass(item, BaseModel)


#: Field type → widget, first match wins. One rule per row, one test per row
#: (tests/test_forms.py); a field no rule matches raises UnknownFieldType.
WIDGET_RULES: tuple[WidgetRule, ...] = (
    WidgetRule("list of records", lambda f: f.kind is list and _is_record(f.item), "RecordTable"),
    WidgetRule("reference to a record", lambda f: f.references is not None and f.kind is str,
               "Dropdown", lambda f: sentence("help_pick", what=_what(f)),
               Reference),
    WidgetRule("references to records", lambda f: f.references is not None and f.kind is list,
               "CheckList", lambda f: sentence("help_tick_records", what=_what(f)),
               Several),
    WidgetRule("yes or no", _is(bool, optional=False), "Checkbox"),
    WidgetRule("choice", _is(Literal), "Dropdown"),
    WidgetRule("several choices", lambda f: f.kind is list and get_origin(f.item) is Literal,
               "CheckList", lambda f: sentence("help_tick"), Several),
    WidgetRule("date (empty allowed when optional)", _is(dt.date), "Text",
               lambda f: sentence("help_date", example=DATE_EXAMPLE), DateText),
    WidgetRule("optional whole number", _is(int, optional=True), "Text",
               lambda f: _or_not_known(_scale_words(f) if f.scale else _number_range(f)),
               NumberText),
    WidgetRule("1–5 word scale", lambda f: f.kind is int and bool(f.scale), "Text", _scale_words, NumberText),
    WidgetRule("bounded whole number", lambda f: f.kind is int and (f.low, f.high) != (None, None),
               "Text", _number_range, NumberText),
    WidgetRule("whole number", _is(int), "Text", reads=NumberText),
    WidgetRule("optional number", _is(float, optional=True), "Text",
               lambda f: _or_not_known(_number_range(f)), NumberText),
    WidgetRule("bounded number", lambda f: f.kind is float and (f.low, f.high) != (None, None),
               "Text", _number_range, NumberText),
    WidgetRule("number", _is(float), "Text", reads=NumberText),
    WidgetRule("list of ids", lambda f: f.kind is list and f.item is str, "Text",
               lambda f: sentence("help_ids"), IdList),
    WidgetRule("long text", lambda f: f.kind is str and (f.max_length or 0) > 200, "Textarea",
               reads=LongText),
    WidgetRule("text", _is(str), "Text"),
)


def rule_for(model: type[BaseModel], name: str, *,
             references: dict[str, str] | None = None) -> tuple[WidgetRule, FieldType]:
    """Return the first rule of :data:`WIDGET_RULES` matching a model's field.

    >>> from partnerlib.models import Risk, Score
    >>> rule_for(Risk, "impact")[0].name, rule_for(Risk, "residual_impact")[0].name
    ('1–5 word scale', 'optional whole number')
    >>> rule_for(Score, "candidate", references={"c1": "City Clinic"})[0].widget
    'Dropdown'

    Args:
        model: the record or section model.
        name: the field's name.
        references: for a field holding ids of other records, the records it may
            point at (id → name); they turn a text box into a dropdown.

    Raises:
        UnknownFieldType: no rule matches; the message names the model and the field.
    """
    field = FieldType.of(name, model.model_fields[name])
    if references is not None:
        field = replace(field, references=tuple(references.items()))
    for rule in WIDGET_RULES:
        if rule.matches(field):
            return rule, field
    raise UnknownFieldType.of("no_widget_for_field", class_name=model.__name__, name=name,
                              annotation=repr(model.model_fields[name].annotation))


def help_text(rule: WidgetRule, field: FieldType) -> str:
    """Return the help line shown under a field: the model's description plus the rule's note.

    A field showing names of other records is helped by the rule's note alone,
    worded from the model's ``RefersTo`` declaration: the user picks a name and
    never sees the id the description speaks of.

    >>> from partnerlib.models import Candidate
    >>> help_text(*rule_for(Candidate, "need", references={"n1": "Clinic"}))
    'Pick a need from the list; add it first if it is missing.'
    """
    description = field.description if field.references is None else ""
    return " ".join(part for part in (description, rule.note(field)) if part)


def build_input(rule: WidgetRule, field: FieldType) -> Input:
    """Build the input widget for a scalar field (every rule but the record table)."""
    w = ipywidgets_module()
    common: dict[str, Any] = {
        "description": field_label(field.name),
        "description_allow_html": False,
        "tooltip": field.description if field.references is None else "",
    }
    wide = shared_look(w.Layout, width="100%", max_width="760px")

    def make(kind: str, **traits: Any) -> Any:
        # Every box's label has the same width, so the inputs of one kind share one style.
        return plain_widget(kind, style=shared_style(kind, description_width=LABEL_WIDTH), **common, **traits)

    named = [(name or f"{id_} (unnamed)", id_) for id_, name in field.references or ()]
    if rule.widget == "CheckList":
        options: list[tuple[str, Any]] = named if field.references is not None else [
            (str(c), c) for c in get_args(field.item)
        ]
        widget = check_list(options=options, description=common["description"], tooltip=common["tooltip"],
                            layout=wide)
    elif rule.widget == "Dropdown" and field.references is not None:
        first = sentence("label_none" if not field.required or field.optional else "label_choose")
        widget = make("Dropdown", options=[(first, ""), *named], value="", layout=wide)
    elif rule.widget == "Checkbox":
        widget = make("Checkbox", value=False, indent=True)
    elif rule.widget == "Dropdown":
        options = [(str(choice), choice) for choice in field.choices]
        if field.optional:
            options.insert(0, ("", None))
        widget = make("Dropdown", options=options, value=None, layout=wide)
    elif rule.reads in (NumberText, DateText):  # a number or a date needs no full-width box
        widget = make("Text", value="", layout=shared_look(w.Layout, width="100%", max_width="370px"))
    elif rule.widget == "Textarea":
        widget = make("Textarea", value="", rows=text_rows(""), layout=wide)
    else:
        widget = make("Text", value="", layout=wide)
    return rule.reads(widget, field)


def help_html(text: str, *, indent: bool = True) -> str:
    """Return the escaped help line as HTML, indented under the field's box (or not)."""
    if not text:
        return ""
    indented, margin = _indent(indent)
    return (
        f'<div{indented} style="{margin}color:#5f6368;font-size:14px;line-height:1.35;margin-bottom:4px">'
        f"{html.escape(text)}</div>"
    )


def _indent(indent: bool) -> tuple[str, str]:
    """The class attribute and style that put a line under a field's box (FORM_STYLE undoes it on a phone)."""
    return (f' class="{INDENT_CLASS}"', f"margin-left:{LABEL_WIDTH};") if indent else ("", "")


def _message_html(role: str, colour: str, mark: str, text_html: str, *, indent: bool = False) -> str:
    """One line of a form's feedback: a mark and text in a colour, read out by screen readers as ``role``."""
    indented, margin = _indent(indent)
    return (
        f'<div role="{role}"{indented} style="{margin}color:{colour};font-size:15px;font-weight:600">'
        f"{mark} {text_html}</div>"
    )


def error_html(message: str, *, indent: bool = True) -> str:
    """Return an escaped error message as HTML, shown under the field it is about (or not indented)."""
    if not message:
        return ""
    return _message_html("alert", ERROR_COLOUR, "⚠", f"<span>{html.escape(message)}</span>", indent=indent)


def note_html(message: str) -> str:
    """Return an escaped note that something was done ("Row 3 kept in the table …") as HTML."""
    if not message:
        return ""
    return _message_html("status", NOTE_COLOUR, "✔", html.escape(message))
