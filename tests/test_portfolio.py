import datetime as dt

import pandas as pd
import pytest

from partnerlib import load_sample, sample_measurements
from partnerlib.analyses.portfolio import PORTFOLIO_COLUMNS, portfolio_table, step_readiness
from partnerlib.analyses.register import gifts_table
from partnerlib.models import (
    Appetite,
    Gift,
    Goals,
    Kpi,
    Monitoring,
    Objective,
    Plan,
    PlanInfo,
    Resources,
    Risk,
    Risks,
    VisionLine,
)

AS_OF = dt.date(2026, 9, 30)


def small_plan() -> Plan:
    """A plan with one step complete (risks), one in progress (goals), a KPI and a vision budget."""
    return Plan(
        info=PlanInfo(name="Lakeside", ssu_name="Lakeside girls' schools", currency="USD", as_of=AS_OF),
        goals=Goals(organisation_goal="Every girl in school", objectives=[Objective(title="Open two schools")]),
        risks=Risks(risks=[
            Risk(id="r1", title="Floods", owner="Ann", likelihood=5, impact=5, mitigation="Raise the floors",
                 residual_likelihood=4, residual_impact=4),
            Risk(id="r2", title="Staff leave", owner="Bo", likelihood=1, impact=2, mitigation="Mentoring",
                 residual_likelihood=1, residual_impact=1),
        ], appetite=[Appetite(category="operational", max_score=9)]),
        resources=Resources(vision_budget=[VisionLine(impact_area="Schools", kind="expense", amount=10_000)]),
        monitoring=Monitoring(kpis=[Kpi(id="k1", name="Girls enrolled", baseline=100, target=200,
                                        baseline_date=dt.date(2026, 1, 1), target_date=dt.date(2027, 1, 1))]),
    )


def test_readiness_of_a_new_plan_is_not_started_everywhere():
    assert set(step_readiness(Plan())["status"]) == {"not started"}


def test_readiness_tells_complete_from_in_progress():
    readiness = step_readiness(small_plan()).set_index("section")
    found = {section: readiness.loc[section, "status"] for section in ("goals", "risks", "partners")}
    assert found == {"goals": "in progress", "risks": "complete", "partners": "not started"}


def test_readiness_says_what_is_missing():
    readiness = step_readiness(small_plan()).set_index("section")
    assert (readiness.loc["goals", "missing"], "measure" in readiness.loc["goals", "what"]) == (
        len([gap for section, gap in small_plan().gaps() if section == "goals"]), True)


def test_readiness_lists_what_is_missing_as_sentences():
    # Each gap is a sentence with its full stop: no "has no measure.; Open two schools" (issue 17).
    readiness = step_readiness(small_plan()).set_index("section")
    assert readiness.loc["goals", "what"] == (
        "The SSU's impact goal is not written yet. Say how the SSU goal serves the organisation's goal. "
        'The objective "Open two schools" has no measure yet.')


def test_portfolio_row_of_a_small_plan_by_hand():
    plan = small_plan()
    measured = pd.DataFrame({"kpi": ["k1"], "date": [pd.Timestamp("2026-09-01")], "value": [190.0], "group": [""]})
    gifts = gifts_table([Gift(donor="o1", plan="Lakeside", date=dt.date(2026, 5, 1), amount=4_000)], [], [])
    row = portfolio_table({"Lakeside": plan}, {"Lakeside": measured}, gifts).iloc[0]
    readiness = step_readiness(plan)
    assert row[["steps_complete", "steps_started", "on_track", "off_track", "no_data", "above_appetite",
                "budget_gap", "health"]].tolist() == [
        int((readiness["status"] == "complete").sum()),
        int((readiness["status"] != "not started").sum()),
        1, 0, 0,
        1,  # floods 4 × 4 after mitigation, above the appetite of 9
        6_000.0,  # expense 10,000 − gift received 4,000
        "not reviewed",
    ]


def test_portfolio_without_gifts_uses_the_vision_budgets_own_gap():
    row = portfolio_table({"Lakeside": small_plan()}, {}).iloc[0]
    assert (row["budget_gap"], row["no_data"]) == (10_000.0, 1)


def test_portfolio_of_the_sample_matches_its_own_analyses():
    from partnerlib import evaluate_kpis
    from partnerlib.analyses.tables import records_table

    plan = load_sample()
    row = portfolio_table({"sample": plan}, {"sample": sample_measurements()}).iloc[0]
    statuses = evaluate_kpis(records_table(plan.monitoring.kpis, Kpi), sample_measurements(),
                             as_of=plan.info.as_of)["status"].value_counts()
    assert row[["on_track", "at_risk", "off_track", "no_data"]].tolist() == [
        int(statuses.get(status, 0)) for status in ("on track", "at risk", "off track", "no data")
    ]


def test_portfolio_has_its_columns_in_order_and_a_row_per_plan():
    table = portfolio_table({"a": Plan(), "b": small_plan()}, {})
    assert (list(table.columns), table["plan"].tolist()) == (list(PORTFOLIO_COLUMNS), ["a", "b"])


@pytest.mark.parametrize("bad_kpi_table", [True])
def test_a_figure_that_cannot_be_worked_out_is_left_empty(bad_kpi_table):
    plan = small_plan()
    broken = pd.DataFrame({"kpi": ["k1"], "date": ["not a date"], "value": [1.0], "group": [""]})
    row = portfolio_table({"Lakeside": plan}, {"Lakeside": broken}).iloc[0]
    assert (pd.isna(row["on_track"]), row["above_appetite"]) == (True, 1)
