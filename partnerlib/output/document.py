"""Step 12 — the plan document: every step assembled into one web page and one spreadsheet.

The document is built from the same views the notebooks show
(:mod:`partnerlib.output.views`), listed once, in order, in :data:`DOCUMENT_CONTENTS`: a cover
(SSU, organisation, partners, the plan's date and revision), an executive
summary drawn from the analyses (crucial risks, KPI status, the budget gap,
the partnership's health, overdue check-ins), each step's statements, tables
and charts, and an appendix of what is still missing.

It is written two ways:

* :func:`write_html` — one self-contained HTML file (charts as inline SVG, no
  fonts, scripts or images fetched from anywhere) that reads on a phone and
  prints on A4 or Letter with a page per step and repeated table headers;
* :func:`write_xlsx` — a workbook with an index sheet and one sheet per table,
  with typed cells: numbers, dates, percentages and amounts in the plan's
  currency.

All plan text is treated as untrusted: it is escaped in the HTML (Jinja2 with
autoescape; matplotlib escapes the text of its SVG) and, in the spreadsheet,
text that a spreadsheet program could read as a formula (starting with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return) is stored as quoted text.

>>> from partnerlib.io.sample import load_sample, sample_measurements
>>> document = build_document(load_sample(), measurements=sample_measurements())
>>> [step.number for step in document.steps]
[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
>>> "<!doctype html>" in render_html(document)[:20]
True
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.collector import fewer_collections
from ..core.fields import field_label
from ..core.formats import plural
from ..core.problems import PlanError, not_available, sentence
from ..core.text import writable
from ..models import OURSELVES, SECTIONS, Plan, no_measurements
from .display import (
    ShownTable,
    format_date,
    format_money,
    numeric_kind,
)

if TYPE_CHECKING:
    import jinja2
    import pandas as pd
    from matplotlib.figure import Figure

    from ..io.store import Revision, Workspace

__all__ = [
    "DOCUMENT_CONTENTS",
    "Document",
    "DocumentBlock",
    "DocumentLinks",
    "DocumentPreview",
    "DocumentStep",
    "Finding",
    "SUMMARY_CONTENTS",
    "ViewCall",
    "build_document",
    "document_links",
    "preview_document",
    "render_html",
    "report_from_workspace",
    "spreadsheet_text",
    "table_layout",
    "template_environment",
    "write_html",
    "write_tables_xlsx",
    "write_xlsx",
]


# ---- what the document holds ------------------------------------------------------------


@dataclass(frozen=True)
class ViewCall:
    """One table or chart of the document: a ``show_*`` view and what it is called with.

    Attributes:
        view: the name of a ``show_*`` function in :mod:`partnerlib.output.views`.
        needs: which of the document's inputs the view takes as keywords:
            ``"as_of"`` (the plan's date) and/or ``"measurements"``; under
            another keyword as ``"start=as_of"``.
        options: other keyword arguments, fixed.
        sheet: the name of the table's sheet in the spreadsheet, after the
            step number (``06 Risk register``): short (at most 28 characters)
            and the same for every plan, unlike the table's caption; "" for a chart.
        chart: the view draws a chart, which the document carries as SVG.
    """

    view: str
    needs: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=dict)
    sheet: str = ""
    chart: bool = False

    def keywords(self, inputs: Mapping[str, Any]) -> dict[str, Any]:
        """The keyword arguments the view is called with: the inputs it needs, then its fixed options.

        >>> ViewCall("show_calendar_gaps", ("start=as_of",)).keywords({"as_of": "30 Sep", "measurements": None})
        {'start': '30 Sep'}
        """
        needs = (need.partition("=") for need in self.needs)
        return {**{keyword: inputs[given or keyword] for keyword, _, given in needs}, **self.options}


def _call(view: str, *needs: str, sheet: str = "", **options: Any) -> ViewCall:
    return ViewCall(view, needs, options, sheet)


def _chart(view: str, *needs: str, **options: Any) -> ViewCall:
    return ViewCall(view, needs, options, chart=True)


#: The document's contents: each step's section name → its views, in the order they are shown.
DOCUMENT_CONTENTS: dict[str, tuple[ViewCall, ...]] = {
    "goals": (_call("show_objectives", sheet="Objectives"),),
    "alignment": (
        _call("show_checkin_schedule", "as_of", sheet="Check-ins"),
        _call("show_peers", sheet="Peer departments"),
        _call("show_team_members", sheet="Team members"),
        _call("show_conversations", sheet="Talks with team leaders"),
        _call("show_contact_calendar", "as_of", sheet="Contact calendar"),
    ),
    "partners": (
        _call("show_shortlist", sheet="Shortlist"),
        _chart("show_candidate_chart"),
        _call("show_candidate_scores", sheet="Candidate scores"),
        _call("show_due_diligence", sheet="Due diligence"),
        _call("show_weight_sensitivity", sheet="Weight sensitivity"),
        _call("show_feedback", sheet="Stakeholder feedback"),
    ),
    "business_case": (
        _chart("show_swot_board"),
        _call("show_swot_totals", sheet="SWOT position"),
        _call("show_tows_strategies", sheet="TOWS strategies"),
        _call("show_business_case_budget", sheet="Business case in money"),
        _call("show_budget_lines", sheet="Budget lines"),
        _call("show_benchmarks", sheet="Benchmarks of success"),
    ),
    "governance": (
        _call("show_partner_roles", sheet="Partner roles"),
        _chart("show_governance_chart"),
        _call("show_groups", sheet="Governance groups"),
        _call("show_raci", sheet="Who does what (RACI)"),
        _call("show_raci_problems", sheet="RACI problems"),
        _call("show_structure_problems", sheet="Governance problems"),
    ),
    "risks": (
        _call("show_crucial_risks", sheet="Crucial risks"),
        _chart("show_risk_heatmaps"),
        _call("show_risk_register", sheet="Risk register"),
        _call("show_risk_profile", sheet="Risk profile"),
    ),
    "community": (
        _chart("show_stakeholder_map_chart"),
        _call("show_stakeholder_map", sheet="Stakeholder map"),
        _call("show_quadrant_engagement", sheet="Engagement per quadrant"),
        _call("show_engagement_calendar", "as_of", sheet="Engagement calendar"),
        _call("show_participation", sheet="Participation"),
        _chart("show_survey_chart"),
        _call("show_survey_summary", sheet="Survey answers"),
    ),
    "resources": (
        _call("show_contributions", sheet="Contributions"),
        _chart("show_resource_shares_chart"),
        _call("show_resource_shares", sheet="Who brings and who pays"),
        _call("show_balances", sheet="Balances"),
        _call("show_settlements", sheet="Settling payments"),
        _call("show_vision_budget", sheet="Vision-based budget"),
        _chart("show_vision_budget_chart"),
    ),
    "communication": (
        _call("show_core_messages", sheet="Core messages"),
        _call("show_communication_lines", sheet="Communication lines"),
        _chart("show_communication_calendar_chart", "as_of"),
        _call("show_calendar_gaps", "start=as_of", sheet="Items per quarter"),
        _call("show_communication_calendar", "as_of", upcoming_only=True, sheet="Communication calendar"),
        _call("show_testimonials", sheet="Testimonials"),
    ),
    "monitoring": (
        _call("show_kpi_rollup", "measurements", "as_of", sheet="KPIs by level"),
        _chart("show_kpi_progress_chart", "measurements", "as_of"),
        _call("show_kpi_evaluation", "measurements", "as_of", sheet="KPI status"),
        _call("show_data_collection", sheet="Data collection"),
    ),
    "review": (
        _call("show_health_check", sheet="Health at a glance"),
        _chart("show_health_chart"),
        _call("show_health_groups", sheet="Health by group"),
        _call("show_health_focus", sheet="What to talk about first"),
        _chart("show_health_change_chart"),
        _call("show_recommendations", sheet="Recommended changes"),
    ),
}


#: The tables shown with the executive summary, before the steps.
SUMMARY_CONTENTS: tuple[ViewCall, ...] = (
    _call("show_crucial_risks"),
    _call("show_kpi_rollup", "measurements", "as_of"),
)


@dataclass(frozen=True)
class DocumentBlock:
    """One table or chart of the document.

    Attributes:
        title: what it shows, in words (the table's caption or the chart's title).
        view: the ``show_*`` function it came from.
        table: the table, or None for a chart.
        svg: the chart as an SVG element (``<svg …>…</svg>``), or "" for a table.
        note: why there is nothing to show (the view could not be drawn yet), or "".
    """

    title: str
    view: str
    table: ShownTable | None = None
    svg: str = ""
    note: str = ""


@dataclass(frozen=True)
class DocumentStep:
    """One step of the method as the document shows it.

    Attributes:
        number: the step number (1–11).
        section: the plan section's field name (``risks``).
        title: the step's title.
        statements: the section's written statements, (label, text) in the model's order.
        blocks: the step's tables and charts, in the order of :data:`DOCUMENT_CONTENTS`.
    """

    number: int
    section: str
    title: str
    statements: tuple[tuple[str, str], ...]
    blocks: tuple[DocumentBlock, ...]


@dataclass(frozen=True)
class Finding:
    """One point of the executive summary.

    Attributes:
        topic: what it is about (``Risks``, ``KPIs`` …).
        headline: the finding in one sentence.
        details: further lines (names, figures), may be empty.
        tone: ``good``, ``watch``, ``concern`` or ``none`` (not known yet).
    """

    topic: str
    headline: str
    details: tuple[str, ...] = ()
    tone: str = "none"


@dataclass(frozen=True)
class Document:
    """The assembled plan document, ready to be written as HTML or xlsx.

    Attributes:
        plan_name, organisation, ssu_name, ssu_kind, author, currency: from the plan's details.
        partners: the selected partners' names.
        as_of: the plan's date: every figure is read at it.
        revision: the latest saved revision (when built from a workspace), or None.
        summary: the executive summary's findings.
        summary_blocks: tables shown with the summary (crucial risks, KPI status).
        steps: steps 1–11.
        missing: what the plan still lacks (the appendix).
    """

    plan_name: str
    organisation: str
    ssu_name: str
    ssu_kind: str
    author: str
    currency: str
    partners: tuple[str, ...]
    as_of: dt.date
    revision: Revision | None
    summary: tuple[Finding, ...]
    summary_blocks: tuple[DocumentBlock, ...]
    steps: tuple[DocumentStep, ...]
    missing: DocumentBlock

    def blocks(self) -> list[tuple[str, DocumentBlock]]:
        """Every table and chart with where it belongs: ``Summary``, ``Step 6`` … ``Appendix``."""
        found = [("Summary", block) for block in self.summary_blocks]
        found += [(f"Step {step.number}", block) for step in self.steps for block in step.blocks]
        return [*found, ("Appendix", self.missing)]


# ---- building -------------------------------------------------------------------------


def _view_function(name: str) -> Callable[..., Any]:
    from . import views

    return getattr(views, name)


def _figure_title(figure: Figure, view: str) -> str:
    from .views.common import view_title

    suptitle = getattr(figure, "_suptitle", None)
    titles = [suptitle.get_text()] if suptitle is not None else []
    titles += [ax.get_title() for ax in figure.axes]
    return next((t for t in titles if t), view_title(view))


def _svg(figure: Figure, number: int) -> str:
    """Save a figure as an SVG element: deterministic ids, no date, no XML prolog or doctype.

    Text stays text (searchable, and small), drawn in the first of matplotlib's
    sans-serif fonts the reader has. ``number`` keeps the ids of each chart's
    clip paths distinct from those of the other charts on the page.

    The whole figure is drawn once, its constrained layout worked out within
    that drawing (it already fits every label inside the figure), as for a
    notebook's picture (:func:`partnerlib.output.charts.style._png_picture`): ``savefig``
    would first draw it once more only to run the layout, for the same SVG
    at a third more time.
    """
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"partnerlib-{number}", "svg.fonttype": "none"}):
        FigureCanvasSVG(figure).print_svg(buffer, metadata=dict.fromkeys(("Date", "Creator", "Format", "Type")))
    text = buffer.getvalue()
    text = text[text.index("<svg"):]
    # The metadata element names RDF vocabularies by URL; it carries nothing a reader needs.
    return re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL).strip()


def _block(call: ViewCall, plan: Plan, options: Mapping[str, Any], number: int) -> DocumentBlock:
    """Run one view; a view that cannot be drawn yet (missing data) becomes a note.

    ``number`` is the block's place in the document (from 1), which keeps each
    chart's SVG ids distinct. A table never loads matplotlib.
    """
    try:
        result = _view_function(call.view)(plan, **options)
    except (PlanError, ValueError) as error:
        from .views.common import view_title

        return DocumentBlock(view_title(call.view), call.view, note=not_available(error))
    if call.chart:
        return DocumentBlock(_figure_title(result, call.view), call.view, svg=_svg(result, number))
    return DocumentBlock(result.caption or call.view, call.view, table=result)




def _statements(section: Any) -> tuple[tuple[str, str], ...]:
    """Return the section's own text fields (not its tables): goals, purpose, guidelines."""
    return tuple(
        (field_label(name), value)
        for name in type(section).model_fields
        if isinstance(value := getattr(section, name), str) and value and name != "id"
    )


def _risk_finding(plan: Plan) -> Finding:
    from ..analyses.risk import crucial_risks, score_risks
    from ..analyses.tables import records_table
    from ..models import Appetite, Risk

    if not plan.risks.risks:
        return Finding("Risks", "No risks have been assessed yet.")
    scored = score_risks(records_table(plan.risks.risks, Risk),
                         appetite=records_table(plan.risks.appetite, Appetite))
    crucial = crucial_risks(scored)
    above = int(scored["above_appetite"].sum())
    critical = int((scored["residual_band"].astype(str) == "critical").sum())
    headline = (f"{plural(len(scored), 'risk')} assessed: {above or 'none'} still above appetite after mitigation, "
                f"{critical or 'none'} critical.")
    details = tuple(f"{row.title} ({row.residual_band} after mitigation)" for row in crucial.itertuples())
    return Finding("Risks", headline, details, "concern" if above or critical else "good")


def _kpi_finding(plan: Plan, as_of: dt.date, measurements: pd.DataFrame) -> Finding:
    if not plan.monitoring.kpis:
        return Finding("KPIs", "No KPIs have been set yet.")
    from ..analyses.kpi import evaluate_kpis
    from ..analyses.tables import records_table
    from ..models import Kpi

    evaluated = evaluate_kpis(records_table(plan.monitoring.kpis, Kpi), measurements, as_of=as_of)
    counts = evaluated["status"].value_counts()
    words = [f"{int(counts[s])} {s}" for s in ("on track", "at risk", "off track", "no data") if counts.get(s, 0)]
    behind = int(counts.get("off track", 0))
    tone = "concern" if behind else ("watch" if counts.get("at risk", 0) else "good")
    return Finding("KPIs", f"Of {plural(int(counts.sum()), 'KPI')}: {', '.join(words)}.", (), tone)


def _budget_finding(plan: Plan) -> Finding:
    from ..analyses.budget import business_case_budget, vision_budget

    currency = plan.info.currency
    details = []
    case = business_case_budget(plan.business_case)
    if case.costs or case.returns:
        roi = "" if case.roi is None else f" (return on investment {case.roi:.0%})"
        details.append(f"Business case: costs {format_money(case.costs, currency)}, expected returns "
                       f"{format_money(case.returns, currency)}, net {format_money(case.net, currency)}{roi}.")
    if not plan.resources.vision_budget:
        return Finding("Budget", "No vision-based budget yet.", tuple(details))
    total = vision_budget(plan.resources).iloc[-1]
    gap = float(total["gap"])
    headline = (f"The vision-based budget still needs {format_money(gap, currency)} a year "
                f"(expense {format_money(total['expense'], currency)}, "
                f"income {format_money(total['income'], currency)})."
                if gap > 0 else
                f"The vision-based budget is funded: income {format_money(total['income'], currency)} covers "
                f"expense {format_money(total['expense'], currency)}.")
    return Finding("Budget", headline, tuple(details), "watch" if gap > 0 else "good")


def _health_finding(plan: Plan) -> Finding:
    from ..analyses.health import health_focus, score_health

    if not plan.review.reviews:
        return Finding("Partnership health", "No partnership review held yet.")
    health = score_health(plan.review)
    focus = health_focus(health)
    concerns = tuple(f"{row.factor}: {row.why}" for row in focus.itertuples() if row.focus == "lowest score")
    tone = {"green": "good", "amber": "watch", "red": "concern"}.get(health.overall, "none")
    return Finding("Partnership health", f"{health.name} ({format_date(health.date)}): {health.overall}. "
                   f"{health.reason}", concerns, tone)


def _checkin_finding(plan: Plan, as_of: dt.date) -> Finding:
    from ..analyses.checkins import checkin_schedule, overdue

    late = overdue(checkin_schedule(plan, as_of=as_of))
    if late.empty:
        return Finding("Check-ins", "No check-in is overdue.", (), "good")
    details = tuple(f"{row.name}: {plural(int(row.days_overdue), 'day')} overdue" for row in late.itertuples())
    return Finding("Check-ins", f"{plural(len(late), 'relationship')} overdue for a check-in.", details, "watch")


def _missing_finding(plan: Plan) -> Finding:
    count = len(plan.gaps())
    if not count:
        return Finding("Still missing", "Every step is complete.", (), "good")
    return Finding("Still missing", f"{plural(count, 'item')} still missing: see the appendix.", (), "watch")


def _summary(plan: Plan, as_of: dt.date, measurements: pd.DataFrame) -> tuple[Finding, ...]:
    makers: list[tuple[str, Callable[[], Finding]]] = [
        ("Risks", lambda: _risk_finding(plan)),
        ("KPIs", lambda: _kpi_finding(plan, as_of, measurements)),
        ("Budget", lambda: _budget_finding(plan)),
        ("Partnership health", lambda: _health_finding(plan)),
        ("Check-ins", lambda: _checkin_finding(plan, as_of)),
        ("Still missing", lambda: _missing_finding(plan)),
    ]
    found = []
    for topic, make in makers:
        try:
            found.append(make())
        except (PlanError, ValueError) as error:
            found.append(Finding(topic, not_available(error)))
    return tuple(found)


def build_document(
    plan: Plan,
    *,
    measurements: pd.DataFrame | None = None,
    revision: Revision | None = None,
) -> Document:
    """Assemble the plan document: cover, executive summary, steps 1–11 and what is missing.

    Every figure is read at the plan's date (``plan.info.as_of``), so the same
    plan gives the same document on any day. A table or chart that cannot be
    drawn yet (a step not filled in) is replaced by a note saying why, and
    the document is still built.

    Args:
        plan: the plan.
        measurements: the KPI measurements (``kpi``, ``date``, ``value``,
            ``group``, ``source``); None for none yet.
        revision: the plan's latest saved revision, shown on the cover.

    Returns:
        A :class:`Document` for :func:`render_html`, :func:`write_html` and :func:`write_xlsx`.
    """
    as_of = plan.info.as_of
    measurements = no_measurements() if measurements is None else measurements
    inputs = {"as_of": as_of, "measurements": measurements}
    calls = [*SUMMARY_CONTENTS, *(call for step_calls in DOCUMENT_CONTENTS.values() for call in step_calls)]
    # A table shown twice (with the summary and in its step: the KPIs by level, the crucial risks)
    # is worked out once. Blocks are frozen, so both places can hold the same one.
    made: dict[tuple[Any, ...], DocumentBlock] = {}
    shown = []
    for number, call in enumerate(calls, start=1):
        same = (call.view, call.needs, tuple(call.options.items()))
        if same not in made:
            made[same] = _block(call, plan, call.keywords(inputs), number)
        shown.append(made[same])
    blocks = iter(shown)
    summary_blocks = tuple(next(blocks) for _ in SUMMARY_CONTENTS)
    steps = tuple(
        DocumentStep(
            number=SECTIONS[name].step,
            section=name,
            title=SECTIONS[name].title,
            statements=_statements(getattr(plan, name)),
            blocks=tuple(next(blocks) for _ in step_calls),
        )
        for name, step_calls in DOCUMENT_CONTENTS.items()
    )
    from .views import show_missing

    missing = show_missing(plan)
    return Document(
        plan_name=plan.info.name,
        organisation=plan.info.organisation,
        ssu_name=plan.info.ssu_name,
        ssu_kind=plan.info.ssu_kind,
        author=plan.info.author,
        currency=plan.info.currency,
        partners=tuple(name for party, name in plan.parties().items() if party != OURSELVES),
        as_of=as_of,
        revision=revision,
        summary=_summary(plan, as_of, measurements),
        summary_blocks=summary_blocks,
        steps=steps,
        missing=DocumentBlock("What is still missing", "show_missing", table=missing),
    )


# ---- HTML ------------------------------------------------------------------------------


@cache
def template_environment() -> jinja2.Environment:
    """Return the Jinja2 environment of the documents' templates (``partnerlib/output/templates``).

    Every value is escaped (autoescape, for strings too), and a name a template
    uses that the context lacks is an error, not an empty string.
    """
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("partnerlib.output", "templates"),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.globals["say"] = sentence  # the templates' own words come from MESSAGES
    return environment


def _when(moment: dt.datetime | None) -> str:
    """Say when a revision was saved, in UTC, dated as every page dates: ``23 Nov 2026 at 14:02 UTC``."""
    if moment is None:
        return ""
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC)
    return f"{format_date(moment)} at {moment:%H:%M} UTC"


def _last_saved(revision: Revision) -> str:
    """Say when the revision a document is built from was saved, by whom, and its number.

    ``30 Sep 2026 at 09:00 UTC by Ruth Adeyemi (revision 12)``; without an author, no "by".
    """
    who = f" by {revision.author}" if revision.author else ""
    return f"{_when(revision.saved_at)}{who} (revision {revision.id})"


def table_layout(table: ShownTable) -> dict[str, Any]:
    """A table as the page lays it out: per cell its text, its column's heading and class, a status colour.

    The class says how a column is set (``number``: right-aligned; ``date``,
    ``score``, ``status``: kept on one line); the heading goes with every cell
    so that on a phone each row can be shown as a card of "heading: value" lines.
    """
    from .charts.style import STATUS_COLOURS

    classes = {heading: table.column_class(heading) for heading in table.frame.columns}
    rows = [
        [
            {"text": text, "label": heading, "class": classes[heading],
             "colour": STATUS_COLOURS.get(text) if heading in table.colours else None}
            for heading, text in zip(table.frame.columns, row, strict=True)
        ]
        for row in table.frame.itertuples(index=False)
    ]
    return {"caption": table.caption, "columns": classes, "rows": rows, "empty": table.empty}


def _context(document: Document, *, page: bool) -> dict[str, Any]:
    """What the templates are rendered with: the document, dates in words and the markup helpers.

    ``page`` is True for the web page, which lays tables out itself (see
    :func:`table_layout`), and False for the notebook preview, which shows
    them as the notebooks do, without the page's style sheet.
    """
    from importlib.metadata import version

    from markupsafe import Markup

    def table_html(table: ShownTable) -> Markup:
        return Markup(table._repr_html_())  # noqa: S704 - ShownTable escapes every cell itself

    def svg_html(svg: str) -> Markup:
        return Markup(svg)  # noqa: S704 - matplotlib's own SVG; plan text in it is escaped by matplotlib

    return {
        "document": document,
        "page": page,
        "as_of": format_date(document.as_of),
        "last_saved": _last_saved(document.revision) if document.revision else "",
        "table_html": table_html,
        "table_layout": table_layout,
        "svg_html": svg_html,
        "version": version("partnerlib"),
    }


def render_html(document: Document) -> str:
    """Return the document as one self-contained HTML page.

    Charts are inline SVG and the style sheet is in the page, so the file
    opens offline and fetches nothing. All plan text is escaped; the only
    markup inserted as is is matplotlib's SVG (which escapes its text).
    Tables are set for reading: numbers right-aligned, dates and statuses on
    one line; on a phone each row becomes a card.

    Args:
        document: the result of :func:`build_document`.

    Returns:
        The HTML text.
    """
    # writable: a character no text may hold, stored before it was refused, is dropped
    return writable(template_environment().get_template("document.html").render(_context(document, page=True)))


_PREVIEW = """{% import "parts.html" as parts with context %}
<div class="partnerlib-document">
{% if part == "cover" %}{{ parts.cover(document, contents=False) }}{% else %}{{ parts.summary(document) }}{% endif %}
</div>
"""


class DocumentPreview:
    """One part of the document (its cover or its executive summary) to look at in a notebook.

    Jupyter shows it as HTML, without the page's style sheet (which would
    restyle the notebook); ``print`` and ``repr`` give it as plain text.
    """

    def __init__(self, document: Document, part: str):
        if part not in ("cover", "summary"):
            raise ValueError(f"'part' must be 'cover' or 'summary' (got {part!r})")
        self.document = document
        self.part = part

    def _repr_html_(self) -> str:
        context = _context(self.document, page=False) | {"part": self.part}
        return template_environment().from_string(_PREVIEW).render(context)

    def __repr__(self) -> str:
        document = self.document
        if self.part == "cover":
            lines = [
                document.plan_name,
                f"Organisation: {document.organisation}",
                f"Smallest strategic unit: {document.ssu_name or 'not named yet'} ({document.ssu_kind})",
                f"Partners: {', '.join(document.partners) or 'none selected yet'}",
                f"Plan as of: {format_date(document.as_of)}",
            ]
            if document.revision is not None:
                lines.append(f"Last saved: {_last_saved(document.revision)}")
            return "\n".join(lines)
        lines = [f"Executive summary, {format_date(document.as_of)}"]
        for finding in document.summary:
            lines.append(f"* {finding.topic}: {finding.headline}")
            lines += [f"    - {line}" for line in finding.details]
        return "\n".join(lines)


def preview_document(document: Document, *, part: str = "summary") -> DocumentPreview:
    """Show the document's cover or executive summary in a notebook, as the web page has it.

    >>> from partnerlib.io.sample import load_sample
    >>> print(preview_document(build_document(load_sample()), part="cover"))  # doctest: +ELLIPSIS
    Riverside Community Health
    Organisation: Hope Alliance International
    ...

    Args:
        document: the result of :func:`build_document` or :func:`report_from_workspace`.
        part: ``"cover"`` or ``"summary"``.

    Returns:
        A :class:`DocumentPreview`, shown as HTML by Jupyter and as text by ``print``.
    """
    return DocumentPreview(document, part)


class DocumentLinks:
    """Links to the document's files, as given (relative paths stay relative), for a notebook."""

    def __init__(self, paths: tuple[Path, ...]):
        self.paths = paths

    def _repr_html_(self) -> str:
        from markupsafe import escape

        items = "".join(
            f'<li><a href="{escape(path.as_posix())}" target="_blank">{escape(path.as_posix())}</a></li>'
            for path in self.paths
        )
        return f"<ul>{items}</ul>"

    def __repr__(self) -> str:
        return "\n".join(path.as_posix() for path in self.paths)


def document_links(*paths: str | Path) -> DocumentLinks:
    """Link the written files from a notebook (give paths relative to the notebook so the links work).

    >>> document_links("plan-document/plan.html")
    plan-document/plan.html

    Args:
        paths: the files written by :func:`write_html`, :func:`write_xlsx` or :func:`report_from_workspace`.

    Returns:
        A :class:`DocumentLinks`, shown as links by Jupyter and as paths by ``print``.
    """
    return DocumentLinks(tuple(Path(p) for p in paths))


def write_html(document: Document, path: str | Path) -> Path:
    """Write the document as one self-contained HTML file (replaced if it exists).

    Args:
        document: the result of :func:`build_document`.
        path: the file to write, e.g. ``plan.html``.

    Returns:
        The path written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render_html(document), encoding="utf-8")
    return path


# ---- xlsx ------------------------------------------------------------------------------

#: Characters a spreadsheet program may read as the start of a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
#: Words a sheet name that had to be cut short should not end on.
_LINKING_WORDS = frozenset({
    "a", "an", "and", "as", "at", "by", "for", "from", "in", "of", "on", "or", "per", "than", "that", "the", "to",
    "under", "who", "with",
})
_DATE_FORMAT = "d mmm yyyy"
_MOMENT_FORMAT = "d mmm yyyy hh:mm"

#: One column of a sheet: its heading, each cell's value and number format, and each cell as the page shows it.
_Column = tuple[str, list[tuple[Any, str]], list[str]]


def spreadsheet_text(text: str) -> str:
    r"""Text as it may go into a cell: a leading ``=`` ``+`` ``-`` ``@`` tab or CR gets a quote in front.

    Characters a cell cannot hold are dropped (see :mod:`partnerlib.core.text`),
    and a line break is a line feed, as Excel writes one: a carriage return
    would be kept by openpyxl writing through lxml, and read back as a line feed
    without it, so the same plan gave two workbooks.

    Every spreadsheet partnerlib writes (the documents, the workshop room's
    exports) neutralises text this way, so no spreadsheet program runs it as a formula.

    >>> print(spreadsheet_text('=HYPERLINK("x")'), spreadsheet_text("Floods"))
    '=HYPERLINK("x") Floods
    >>> spreadsheet_text("\x00=1+1"), spreadsheet_text("\rReturn"), spreadsheet_text("Line 1\r\nLine 2")
    ("'=1+1", "'\nReturn", 'Line 1\nLine 2')
    """
    text = writable(text)
    text = "'" + text if text.startswith(_FORMULA_START) else text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return str(value) in ("NaT", "<NA>", "nan")


def _cell_value(value: Any, kind: str) -> Any:
    """Turn a table value into what openpyxl stores: a number, a date, or (neutralised) text; yes/no for a bool."""
    import numpy as np

    if isinstance(value, (list, tuple)):
        value = ", ".join(map(str, value))
    if _is_missing(value):
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if hasattr(value, "to_pydatetime"):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        return value.date() if kind == "date" else value.replace(tzinfo=None)
    if isinstance(value, bool):  # as the page writes it ("Above appetite: yes"), not TRUE/FALSE
        return "yes" if value else "no"
    if isinstance(value, (int, float, dt.date)) and kind != "text":
        return value
    return spreadsheet_text(str(value))


def _number_format(kind: str, currency: str) -> str:
    """The spreadsheet's number format for a kind of cell: as many decimals as the page shows, money with its code.

    >>> _number_format("money2", "USD"), _number_format("percent1", "USD"), _number_format("text", "USD")
    ('"USD" #,##0.00', '0.0%', '')
    """
    if kind == "date":
        return _DATE_FORMAT
    numeric = numeric_kind(kind)
    if numeric is None:
        return ""
    base, places = numeric
    decimals = "." + "0" * places if places else ""
    if base == "percent":
        return f"0{decimals}%"
    code = f'"{currency}" ' if base == "money" and re.fullmatch(r"[A-Z]{3}", currency or "") else ""
    return f"{code}#,##0{decimals}"


def _risk_score_columns(heading: str, pairs: list[Any]) -> list[_Column]:
    """Split a column of (likelihood, impact) pairs into likelihood, impact and score: three number columns.

    A missing pair (a risk not assessed after mitigation) leaves its three cells empty.

    >>> columns = _risk_score_columns("Before: likelihood × impact", [(4, 3), None])
    >>> [name for name, _, _ in columns]
    ['Before: likelihood', 'Before: impact', 'Before: score']
    >>> [cells for _, cells, _ in columns]
    [[(4, '0'), (None, '')], [(3, '0'), (None, '')], [(12, '0'), (None, '')]]
    """
    prefix = heading.split(":")[0]
    rows = [None if _is_missing(pair) else (pair[0], pair[1], pair[0] * pair[1]) for pair in pairs]
    return [
        (f"{prefix}: {part}",
         [(None, "") if row is None else (_cell_value(row[number], "number"), "0") for row in rows],
         ["" if row is None else str(row[number]) for row in rows])
        for number, part in enumerate(("likelihood", "impact", "score"))
    ]


def _sheet_columns(table: ShownTable, heading: str, currency: str) -> list[_Column]:
    """One column of a table as the spreadsheet holds it: typed cells, and a risk score split in three."""
    texts = [str(text) for text in table.frame[heading]]
    values = table.data[heading].tolist()
    if table.kinds.get(heading) == "risk score":
        return _risk_score_columns(str(heading), values)
    cells = [
        (_cell_value(value, kind), _number_format(kind, currency))
        for value, kind in zip(values, table.cell_kinds(heading), strict=True)
    ]
    return [(str(heading), cells, texts)]


def _fit(words: list[str], limit: int) -> tuple[list[str], bool]:
    """Drop words from the end until they fit ``limit`` characters; say whether any was dropped."""
    cut = False
    while len(words) > 1 and len(" ".join(words)) > limit:
        words, cut = words[:-1], True
    return words, cut


def _sheet_name(title: str, used: set[str]) -> str:
    """A sheet name from a title: up to its first colon, bracket or comma, cut after a whole word, unique.

    Excel allows 31 characters. A name cut short does not end on a linking
    word (``the``, ``for`` …); a name already used gets a number.

    >>> used = set()
    >>> _sheet_name("02 Contact calendar for the next 3 months", used), _sheet_name("06 Risk register: 18 risks", used)
    ('02 Contact calendar', '06 Risk register')
    >>> _sheet_name("06 Risk register", used)
    '06 Risk register (2)'
    """
    short = re.split(r":| \(|, ", writable(title), maxsplit=1)[0]
    words, cut = _fit(_SHEET_FORBIDDEN.sub(" ", short).split(), 31)
    while cut and len(words) > 1 and words[-1].lower() in _LINKING_WORDS:
        words = words[:-1]
    base = " ".join(words)[:31].strip("' ") or "Table"  # Excel refuses a name that starts or ends with '
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name, number = " ".join(_fit(base.split(), 31 - len(suffix))[0])[: 31 - len(suffix)] + suffix, number + 1
    used.add(name.lower())
    return name


def _put(sheet: Any, row: int, column: int, value: Any, number_format: str = "") -> Any:
    """Write one cell: text never as a formula; a date or a moment shown as one unless a format is given."""
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        value = writable(value)  # a cell cannot hold control characters at all
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if value.startswith("'"):
            cell.quotePrefix = True
    elif isinstance(value, dt.datetime):
        cell.number_format = number_format or _MOMENT_FORMAT
    elif isinstance(value, dt.date):
        cell.number_format = number_format or _DATE_FORMAT
    elif number_format and value is not None:
        cell.number_format = number_format
    return cell


def _write_table(sheet: Any, table: ShownTable, currency: str) -> None:
    """Write a table with its headings bold, frozen and filterable, and columns as wide as their text."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    columns = [column for heading in table.frame.columns for column in _sheet_columns(table, heading, currency)]
    for number, (heading, cells, shown) in enumerate(columns, start=1):
        header = _put(sheet, 1, number, spreadsheet_text(heading))
        header.font, header.alignment = bold, wrap
        longest = max((len(text) for text in shown), default=0)
        for row, (value, number_format) in enumerate(cells, start=2):
            cell = _put(sheet, row, number, value, number_format)
            if longest > 60:
                cell.alignment = wrap
        # As wide as the longest value, and as a heading of up to 20 characters beside its filter button.
        width = max(longest + 2, min(len(heading), 20) + 4, 8)
        sheet.column_dimensions[get_column_letter(number)].width = min(width, 60)
    sheet.freeze_panes = "A2"
    if columns and not table.frame.empty:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table.frame) + 1}"


def _details_table(document: Document) -> ShownTable:
    import pandas as pd

    rows = [
        ("Plan", document.plan_name),
        ("Organisation", document.organisation),
        ("Smallest strategic unit (SSU)", document.ssu_name),
        ("Kind of unit", document.ssu_kind),
        ("Partners", ", ".join(document.partners)),
        ("Plan as of", document.as_of),
        ("Currency", document.currency),
        ("Kept by", document.author),
    ]
    if document.revision is not None:
        saved = document.revision.saved_at
        saved = saved.astimezone(dt.UTC).replace(tzinfo=None) if saved.tzinfo is not None else saved
        revision = document.revision
        rows += [("Last saved (UTC)", saved), ("Saved by", revision.author), ("Revision", revision.id)]
    frame = pd.DataFrame(rows, columns=["What", "Value"])
    return ShownTable(
        frame.astype({"Value": "str"}), "Plan details", data=frame, kinds={"What": "text", "Value": "mixed"}
    )


def _summary_table(document: Document) -> ShownTable:
    import pandas as pd

    frame = pd.DataFrame(
        [(f.topic, f.headline, "; ".join(f.details)) for f in document.summary], columns=["Topic", "Finding", "Details"]
    )
    return ShownTable(frame, "Executive summary")


def _statements_table(document: Document) -> ShownTable:
    import pandas as pd

    frame = pd.DataFrame(
        [(step.number, step.title, label, text) for step in document.steps for label, text in step.statements],
        columns=["Step", "Section", "Statement", "Text"],
    )
    return ShownTable(frame.astype({"Step": "str"}), "Statements of each step", data=frame,
                      kinds={"Step": "number", "Section": "text", "Statement": "text", "Text": "text"})


def _deterministic_zip(path: Path, moment: dt.datetime) -> None:
    """Rewrite the xlsx (a zip) with every entry stamped at ``moment``, so equal plans give equal bytes."""
    stamp = (max(moment.year, 1980), moment.month, moment.day, moment.hour, moment.minute, moment.second)
    with zipfile.ZipFile(path) as source:
        entries = [(info, source.read(info)) for info in source.infolist()]
    # openpyxl stamps "modified" with the time of saving; the document's time is the plan's date.
    modified = f"{moment:%Y-%m-%dT%H:%M:%S}Z".encode()
    entries = [
        (info, re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                      rb"\g<1>" + modified + rb"\g<2>", content) if info.filename == "docProps/core.xml" else content)
        for info, content in entries
    ]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for info, content in entries:
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)


def write_xlsx(document: Document, path: str | Path) -> Path:
    """Write every table of the document to an Excel workbook (replaced if it exists).

    The first sheet, *Contents*, lists every other sheet with its step, what
    it holds and its number of rows, each linked to its sheet. Then come the
    plan's details, the executive summary, the statements of each step and
    one sheet per table, in the document's order. Cells are typed: numbers,
    dates, percentages (fractions shown with %), amounts with the plan's
    currency code; headers are bold and frozen. Text that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return is stored as text with a
    quote in front, so no spreadsheet program runs it as a formula.

    Args:
        document: the result of :func:`build_document`.
        path: the file to write, e.g. ``plan.xlsx``.

    Returns:
        The path written.
    """
    # (where it belongs, its sheet's short name or "" to take the title's first words, title, table)
    tables: list[tuple[str, str, str, ShownTable]] = [
        ("Plan", "", "Plan details", _details_table(document)),
        ("Summary", "", "Executive summary", _summary_table(document)),
        ("Steps 1-11", "", "Statements of each step", _statements_table(document)),
    ]
    sheets = {call.view: call.sheet for calls in DOCUMENT_CONTENTS.values() for call in calls}
    tables += [
        (where, sheets.get(block.view, ""), block.title, block.table)
        for where, block in document.blocks()
        if block.table is not None and where != "Summary"
    ]
    return write_tables_xlsx(tables, path, title=document.plan_name, moment=document.as_of,
                             currency=document.currency)


def write_tables_xlsx(
    tables: Sequence[tuple[str, str, str, ShownTable]],
    path: str | Path,
    *,
    title: str,
    moment: dt.date,
    currency: str,
    where_heading: str = "Step",
) -> Path:
    """Write tables to an Excel workbook, one typed sheet each, after a *Contents* sheet linking to them.

    Args:
        tables: (where it belongs, e.g. "Step 6"; the sheet's short name, or
            "" for the title's first words; the table's title; the table), in order.
            A "Step N" place puts its number before the sheet's name (``06 Risk register``).
        path: the file to write (replaced if it exists).
        title: the workbook's title.
        moment: the date stamped on the file, so equal tables give equal bytes.
        currency: the currency code of money columns.
        where_heading: the contents sheet's heading over the places.

    Returns:
        The path written.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.hyperlink import Hyperlink

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    index = book.active
    index.title = "Contents"
    used = {"contents"}
    headings = ("Sheet", where_heading, "What the table holds", "Rows")
    for column, heading in enumerate(headings, start=1):
        _put(index, 1, column, heading).font = Font(bold=True)
    link = Font(color="0563C1", underline="single")
    for row, (where, short, table_title, table) in enumerate(tables, start=2):
        prefix = where.removeprefix("Step ").zfill(2) + " " if where.startswith("Step ") else ""
        name = _sheet_name(prefix + (short or table_title), used)
        sheet = book.create_sheet(name)
        _write_table(sheet, table, currency)
        cell = _put(index, row, 1, name)
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location="'{}'!A1".format(name.replace("'", "''")))
        cell.font = link
        _put(index, row, 2, spreadsheet_text(where))
        _put(index, row, 3, spreadsheet_text(table_title))
        _put(index, row, 4, len(table.frame))
    for letter, width in zip("ABCD", (32, 12, 80, 8), strict=True):
        index.column_dimensions[letter].width = width
    index.freeze_panes = "A2"
    stamp = dt.datetime.combine(moment, dt.time())
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "partnerlib"
    book.properties.lastModifiedBy = "partnerlib"
    book.properties.title = spreadsheet_text(title)
    book.save(path)
    _deterministic_zip(path, stamp)
    return path


# ---- from a workspace ------------------------------------------------------------------


@fewer_collections()
def report_from_workspace(
    workspace: Workspace | str | Path,
    plan_name: str,
    *,
    html: str | Path | None = None,
    xlsx: str | Path | None = None,
) -> Document:
    """Build a saved plan's document, with its measurements and latest revision, and write its files.

    Args:
        workspace: an open :class:`~partnerlib.io.store.Workspace`, or the path of a workspace file.
        plan_name: the plan's name in the workspace.
        html: the HTML file to write, or None.
        xlsx: the xlsx file to write, or None.

    Returns:
        The :class:`Document`.
    """
    from ..io.store import Workspace

    if isinstance(workspace, Workspace):
        document = _from_workspace(workspace, plan_name)
    else:
        with Workspace.open(workspace, create=False) as opened:
            document = _from_workspace(opened, plan_name)
    if html is not None:
        write_html(document, html)
    if xlsx is not None:
        write_xlsx(document, xlsx)
    return document


def _from_workspace(workspace: Workspace, plan_name: str) -> Document:
    snapshot = workspace.load(plan_name)
    history = workspace.history(plan_name)
    return build_document(
        snapshot.plan,
        measurements=workspace.measurements(plan_name),
        revision=history[0] if history else None,
    )

