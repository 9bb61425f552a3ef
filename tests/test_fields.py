"""Reading a field's declaration once: its label, its bounds, the field at a path."""

from __future__ import annotations

import pytest

from partnerlib.core.fields import field_bounds, field_label, field_of, unwrap
from partnerlib.models import Contribution, Criterion, Kpi, Plan, Risk

# (field name, label): the one label function.
LABELS = [
    ("residual_likelihood", "Residual likelihood"),
    ("ssu_kind", "SSU kind"),
    ("kpis", "KPIs"),
    ("kpi", "KPI"),
    ("swot", "SWOT"),
    ("id", "ID"),
    ("risk_register", "Risk register"),
    ("raci", "RACI"),
    ("TowsStrategy", "TOWS strategy"),  # a model's name: one of its records
    ("CheckIn", "Check-in"),
    ("Kpi", "KPI"),
]


@pytest.mark.parametrize(("name", "label"), LABELS)
def test_field_label(name, label):
    assert field_label(name) == label


# (name, label in the middle of a sentence): a kind of record as a message names it.
SENTENCE_LABELS = [
    ("Risk", "risk"),
    ("TeamConversation", "team conversation"),
    ("Kpi", "KPI"),
    ("TowsStrategy", "TOWS strategy"),
    ("contributions", "contributions"),
]


@pytest.mark.parametrize(("name", "label"), SENTENCE_LABELS)
def test_field_label_inside_a_sentence(name, label):
    assert field_label(name, capital=False) == label


# (model, field, bounds): read from Field(ge=…), from an Annotated type, and through X | None.
BOUNDS = [
    (Risk, "impact", {"ge": 1, "le": 5}),
    (Risk, "residual_impact", {"ge": 1, "le": 5}),
    (Criterion, "weight", {"gt": 0, "le": 100}),
    (Contribution, "amount", {"ge": 0, "le": 1e12}),
    (Contribution, "year", {"ge": 1990, "le": 2100}),
    (Kpi, "decimals", {"ge": 0, "le": 3}),
    (Risk, "title", {}),
]


@pytest.mark.parametrize(("model", "name", "bounds"), BOUNDS)
def test_field_bounds(model, name, bounds):
    assert field_bounds(model.model_fields[name]) == bounds


# (path, the field's model and name): through sections, lists and rows.
PATHS = [
    (("risks", "risks", 0, "impact"), Risk.model_fields["impact"]),
    (("monitoring", "kpis", 3, "decimals"), Kpi.model_fields["decimals"]),
    (("risks", "nothing"), None),
    (("risks", "risks", 0, "impact", "deeper"), None),
]


@pytest.mark.parametrize(("loc", "expected"), PATHS)
def test_field_of(loc, expected):
    assert field_of(Plan, loc) is expected


def test_unwrap_says_when_none_is_allowed():
    assert unwrap(Risk.model_fields["residual_impact"].annotation)[::2] == (int, True)
