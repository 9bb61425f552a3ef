"""Views of steps 6–11 (risk, community, resources, communication, monitoring, review) on the sample plan."""

import datetime as dt

import pytest

from partnerlib import load_sample, sample_measurements
from partnerlib.models import FactorRating, Plan, Review, Risk
from partnerlib.output.views import (
    show_balances,
    show_calendar_gaps,
    show_channel_mix,
    show_communication_calendar,
    show_communication_calendar_chart,
    show_communication_lines,
    show_contributions,
    show_contributions_by_type,
    show_core_messages,
    show_crucial_risks,
    show_data_collection,
    show_engagement_by_stakeholder,
    show_engagement_calendar,
    show_health_by_partner,
    show_health_change,
    show_health_change_chart,
    show_health_chart,
    show_health_check,
    show_health_factors,
    show_health_focus,
    show_health_groups,
    show_kpi_evaluation,
    show_kpi_progress_chart,
    show_kpi_rollup,
    show_kpi_series_chart,
    show_participation,
    show_perception_gaps,
    show_quadrant_engagement,
    show_recommendations,
    show_resource_shares,
    show_resource_shares_chart,
    show_risk_heatmaps,
    show_risk_matrix,
    show_risk_profile,
    show_risk_profile_chart,
    show_risk_register,
    show_risks_above_appetite,
    show_salience,
    show_settlements,
    show_stakeholder_map,
    show_stakeholder_map_chart,
    show_survey_chart,
    show_survey_summary,
    show_testimonials,
    show_vision_budget,
    show_vision_budget_chart,
)

PLAN = load_sample()
AS_OF = PLAN.info.as_of
MEASUREMENTS = sample_measurements()
EMPTY = Plan(info=PLAN.info)


def row(table, column, value):
    """The shown row whose ``column`` reads ``value``, as a dict of heading → text."""
    found = table.frame[table.frame[column] == value]
    assert len(found) == 1, f"{value!r} found {len(found)} times in {column!r}"
    return found.iloc[0].to_dict()


def with_risk(plan, **fields):
    """A copy of ``plan`` with one more risk in its register."""
    risks = plan.risks.model_copy(update={"risks": [*plan.risks.risks, Risk(**fields)]})
    return plan.model_copy(update={"risks": risks})


# ---- step 6: risk and conflict -------------------------------------------------------------------


def test_register_lists_every_risk_by_title():
    assert sorted(show_risk_register(PLAN).frame["Risk"]) == sorted(
        r.title for r in PLAN.risks.risks
    )


def test_register_puts_the_worst_residual_risk_first():
    assert show_risk_register(PLAN).frame["After mitigation"].iloc[0] == "3 × 4 = 12"


@pytest.mark.parametrize(
    ("heading", "expected"),
    [
        ("Before: likelihood × impact", "4 × 4 = 16"),
        ("Band before", "critical"),
        ("After mitigation", "3 × 3 = 9"),
        ("Band after", "medium"),
        ("Reduced by", "7"),
        ("Appetite: highest score accepted", "12"),
        ("Above appetite", "no"),
    ],
)
def test_register_scores_the_floods_risk(heading, expected):
    assert row(show_risk_register(PLAN), "Risk", "Floods damage water points")[heading] == expected


def test_register_says_when_a_risk_is_not_assessed_after_mitigation():
    plan = with_risk(PLAN, id="r-new", title="New hazard", likelihood=3, impact=3)
    assert (
        row(show_risk_register(plan), "Risk", "New hazard")["After mitigation"]
        == "not assessed yet"
    )


def test_register_keeps_likelihood_and_impact_as_numbers_for_a_spreadsheet():
    plan = with_risk(PLAN, id="r-new", title="New hazard", likelihood=3, impact=2)
    data = show_risk_register(plan).data.set_index("Risk").loc["New hazard"]
    assert (data["Before: likelihood × impact"], data["After mitigation"]) == ((3, 2), None)


def test_register_shows_bands_with_a_coloured_dot():
    assert 'style="color:#D55E00"' in show_risk_register(PLAN)._repr_html_()


def test_crucial_risks_include_those_above_appetite_outside_the_top_five():
    shown = row(
        show_crucial_risks(PLAN), "Risk", "Harm to a child or vulnerable adult during home visits"
    )
    assert shown["Why it is crucial"] == "above appetite"


def test_risks_above_appetite_say_by_how_much():
    table = show_risks_above_appetite(PLAN)
    assert dict(zip(table.frame["Risk"], table.frame["Over by"], strict=True)) == {
        "Villages depend on the partnership to keep water running": "2",
        "Digital register delayed": "3",
        "Patient data seen by people who should not see it": "2",
        "Harm to a child or vulnerable adult during home visits": "1",
    }


def test_profile_counts_bands_per_category_before_and_after():
    shown = row(show_risk_profile(PLAN), "Category", "external")
    assert (
        shown["Bands before mitigation"],
        shown["Exposure before"],
        shown["Bands after mitigation"],
    ) == ("2 critical", "31", "1 medium, 1 high")


def test_matrix_counts_each_cell_with_likelihood_rows_and_impact_columns():
    assert row(show_risk_matrix(PLAN), "Likelihood ↓ / impact →", "3 Possible")["4 Major"] == "5"


def test_matrix_counts_a_new_risk_before_and_after_mitigation():
    plan = with_risk(PLAN, id="r-new", title="New hazard", likelihood=5, impact=5)
    counts = [
        row(
            show_risk_matrix(plan, residual=residual), "Likelihood ↓ / impact →", "5 Almost certain"
        )["5 Catastrophic"]
        for residual in (False, True)
    ]
    assert counts == ["1", "1"]


def test_heatmaps_count_every_risk_of_the_saved_plan():
    plan = with_risk(PLAN, id="r-new", title="New hazard")
    titles = [axes.get_title() for axes in show_risk_heatmaps(plan).axes]
    assert titles == [
        "Risks before mitigation (inherent): 19 in all",
        "Risks after mitigation (residual): 19 in all",
    ]


def test_profile_chart_says_which_scores_it_shows():
    assert (
        show_risk_profile_chart(PLAN, residual=True)
        .axes[0]
        .get_title()
        .startswith("Risk profile after")
    )


# ---- step 7: community ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stakeholder", "heading", "expected"),
    [
        ("District Health Office", "Where on the map", "Manage closely"),
        ("Regional water authority", "Where on the map", "Keep satisfied"),
        ("Mothers' groups", "Where on the map", "Keep informed"),
        ("Market traders' association", "Where on the map", "Monitor"),
        ("Mothers' groups", "Target audience", "yes"),
    ],
)
def test_stakeholder_map(stakeholder, heading, expected):
    assert row(show_stakeholder_map(PLAN), "Stakeholder", stakeholder)[heading] == expected


def test_stakeholder_map_lists_manage_closely_first():
    assert show_stakeholder_map(PLAN).frame["Where on the map"].iloc[0] == "Manage closely"


def test_quadrants_say_how_many_and_who():
    shown = row(show_quadrant_engagement(PLAN), "Quadrant", "Monitor")
    assert (shown["How many"], shown["Who"]) == ("1", "Market traders' association")


def test_salience_lists_the_most_pressing_class_first():
    assert list(show_salience(PLAN).frame["Class"]) == [
        "Definitive",
        "Dominant",
        "Dependent",
        "Discretionary",
    ]


def test_engagement_calendar_marks_timing_on_the_date():
    shown = row(
        show_engagement_calendar(PLAN, as_of=AS_OF),
        "Activity",
        "Radio briefing on the vaccination day",
    )
    assert (shown["Date"], shown["On 30 Sep 2026"]) == ("10 Oct 2026", "upcoming")


def test_stakeholders_with_nothing_planned_come_first():
    table = show_engagement_by_stakeholder(PLAN, as_of=AS_OF)
    assert list(table.frame["Stakeholder"][:2]) == [
        "Market traders' association",
        "River youth group",
    ]


def test_participation_shares():
    assert row(show_participation(PLAN), "Level", "Empowered")["Share"] == "8%"


def test_survey_summary():
    shown = row(
        show_survey_summary(PLAN),
        "Statement",
        "The health workers who visit our home treat us with respect.",
    )
    assert (shown["Answers"], shown["Mean (1–5)"], shown["Agree"], shown["Disagree"]) == (
        "40",
        "4.2",
        "83%",  # 33 of 40 = 82.5 %: a half rounds away from zero
        "0%",
    )


def test_survey_summary_by_group_finds_the_island_villages_cut_off():
    table = show_survey_summary(PLAN, by="group").frame
    island = table[
        (table["Group"] == "Island villages")
        & (table["Statement"] == "The health centre is easy to reach when my child is sick.")
    ]
    assert island["Agree"].tolist() == ["0%"]


# ---- step 8: resources -------------------------------------------------------------------------------


def test_contributions_value_time_with_the_rate_and_its_source():
    shown = row(show_contributions(PLAN), "What", "Nurse time for supervision and vaccination days")
    assert (shown["Time valued as"], shown["Source of the rate"], shown["Value"]) == (
        "2,400 h × USD 14.00 (Nurse hour, 2026)",
        "District health office pay scale 2026",
        "USD 33,600",
    )


def test_contributions_by_type_add_up_per_partner():
    assert (
        row(show_contributions_by_type(PLAN), "Partner", "Riverbend Health Centre")["Total"]
        == "USD 45,600"
    )


def test_resource_shares_in_percent():
    shown = row(show_resource_shares(PLAN), "Partner", "Riverbend Health Centre")
    assert (shown["Share of contributions"], shown["Share of costs"]) == ("17%", "7%")


@pytest.mark.parametrize(
    ("partner", "balance", "amount"),
    [
        ("Hope Alliance International", "owes", "USD 2,940"),
        ("Riverbend Health Centre", "owes", "USD 5,723"),
        ("ClearFlow Water Trust", "is owed", "USD 5,907"),
        ("ByteBridge Solutions", "is owed", "USD 2,756"),
    ],
)
def test_balances_under_the_agreed_rule(partner, balance, amount):
    shown = row(show_balances(PLAN), "Partner", partner)
    assert (shown["Balance"], shown["Amount"]) == (balance, amount)


def test_settlements_largest_first():
    first = show_settlements(PLAN).frame.iloc[0].to_dict()
    assert first == {
        "Who pays": "Riverbend Health Centre",
        "To whom": "ClearFlow Water Trust",
        "Amount": "USD 5,723",
    }


def test_vision_budget_gap():
    assert row(show_vision_budget(PLAN), "Impact area", "Total")["Gap to fund"] == "USD 26,000"


def test_money_is_in_the_plans_currency():
    plan = PLAN.model_copy(update={"info": PLAN.info.model_copy(update={"currency": "EUR"})})
    assert row(show_vision_budget(plan), "Impact area", "Total")["Gap to fund"] == "EUR 26,000"


# ---- step 9: communication -----------------------------------------------------------------------------


def test_core_message_for_everyone_comes_first():
    assert show_core_messages(PLAN).frame.iloc[0].to_dict() == {
        "For": "Everyone",
        "Message": "Healthy children start with safe water and care close to home.",
    }


def test_lines_are_grouped_by_kind_of_audience():
    assert show_communication_lines(PLAN).frame["Kind"].tolist()[:3] == ["partner"] * 3


def test_upcoming_calendar_starts_on_the_date():
    # The staff note dated 30 Sep 2026 is done already: upcoming starts with the next item.
    table = show_communication_calendar(PLAN, as_of=AS_OF, upcoming_only=True).frame
    assert (table["Date"].iloc[0], set(table["On 30 Sep 2026"]), set(table["Status"])) == (
        "8 Oct 2026", {"upcoming"}, {"planned"})


def test_calendar_gaps_name_the_empty_quarter():
    assert (
        row(show_calendar_gaps(PLAN, start=AS_OF), "Audience", "Major donors")["Nothing planned in"]
        == "2027 Q1"
    )


def test_channel_mix_lists_unused_channels_too():
    assert row(show_channel_mix(PLAN), "Channel", "video")["Total"] == "0"


def test_testimonials_say_whether_we_may_use_them():
    assert (
        row(show_testimonials(PLAN), "Who", "Water committee chair, Island 2")["May we use it"]
        == "no"
    )


# ---- step 10: monitoring ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi", "heading", "expected"),
    [
        ("Water points repaired or built", "Latest", "11"),
        ("Water points repaired or built", "Progress", "46%"),
        ("Water points repaired or built", "Expected by now", "67%"),
        ("Water points repaired or built", "Status", "at risk"),
        ("Water points repaired or built", "Target reached on", "8 Jan 2028"),
        ("Partner cash contributions received", "Latest", "USD 146,996"),
        ("Households using safe drinking water", "Latest", "54.2%"),
        ("Cost per household reached", "Target reached on", "not at this trend"),
        ("Diarrhoea cases in children under five in the month", "Trend", "down 7.1 a month"),
        ("Households satisfied with health services", "Status", "no data"),
        # behind schedule (45 % of 67 %), but falling 7.1 a month reaches 60 on 4 Apr 2027, before 30 Sep 2027
        ("Diarrhoea cases in children under five in the month", "Status", "on track"),
        ("Diarrhoea cases in children under five in the month", "Why",
         "behind schedule, but the trend reaches the target in time"),
        ("Water points repaired or built", "Why", ""),
    ],
)
def test_kpi_evaluation(kpi, heading, expected):
    assert (
        row(show_kpi_evaluation(PLAN, MEASUREMENTS, as_of=AS_OF), "KPI", kpi)[heading] == expected
    )


def test_kpi_values_stay_numbers_in_their_unit_a_percentage_as_a_fraction():
    data = show_kpi_evaluation(PLAN, MEASUREMENTS, as_of=AS_OF).data.set_index("KPI")
    kpis = ["Partner cash contributions received", "Households using safe drinking water"]
    assert data.loc[kpis, "Latest"].tolist() == pytest.approx([146996, 0.542])


def test_kpi_evaluation_ignores_later_measurements():
    shown = row(
        show_kpi_evaluation(PLAN, MEASUREMENTS, as_of=dt.date(2025, 9, 30)),
        "KPI",
        "Water points repaired or built",
    )
    assert shown["Latest"] != "11"


def test_kpi_rollup_counts_per_level():
    shown = row(show_kpi_rollup(PLAN, MEASUREMENTS, as_of=AS_OF), "Level", "Impact")
    # diarrhoea cases: behind schedule, but on course to reach the target in time
    assert (shown["On track"], shown["At risk"], shown["No data"], shown["Total"]) == (
        "2",
        "0",
        "1",
        "3",
    )


def test_series_chart_picks_a_kpi_behind_with_a_projection():
    assert show_kpi_series_chart(PLAN, MEASUREMENTS, as_of=AS_OF).axes[0].get_title() == (
        "Water points repaired or built: at risk"
    )


def test_series_chart_draws_the_kpi_asked_for():
    figure = show_kpi_series_chart(PLAN, MEASUREMENTS, as_of=AS_OF, kpi="Volunteer hours given")
    assert figure.axes[0].get_title() == "Volunteer hours given: on track"


def test_series_chart_refuses_an_unknown_kpi():
    with pytest.raises(ValueError, match="No KPI called 'Wells'"):
        show_kpi_series_chart(PLAN, MEASUREMENTS, as_of=AS_OF, kpi="Wells")


def test_data_collection_plan():
    shown = row(show_data_collection(PLAN), "KPI", "Households using safe drinking water")
    assert (shown["How"], shown["Who collects"], shown["How often"]) == (
        "Spot checks",
        "Field officer",
        "monthly",
    )


# ---- step 11: partnership review -------------------------------------------------------------------------


def test_health_check():
    shown = show_health_check(PLAN).frame.iloc[0]
    assert (shown["Overall"], shown["Compared with"]) == ("amber", "First partnership review")


def test_health_groups_round_half_up_like_the_bands():
    shown = row(show_health_groups(PLAN), "Group", "Membership")
    assert (shown["Score (1–5)"], shown["Band"], shown["Before"], shown["Change"]) == (
        "4.3",
        "strength",
        "3.6",
        "0.7",
    )


def test_health_chart_labels_read_as_the_table():
    """4.25 reads 4.3 in the table and the chart; the change is between the numbers shown."""
    table = show_health_groups(PLAN).frame
    shown = [f"{score} (+{change})" for score, change in zip(table["Score (1–5)"], table["Change"], strict=True)]
    drawn = [text.get_text() for text in show_health_change_chart(PLAN).axes[0].texts]
    assert sorted(drawn) == sorted(shown)


def test_health_factors_show_the_range_of_ratings():
    shown = row(show_health_factors(PLAN), "Factor", "clear roles and policy guidelines")
    assert (
        shown["Score (1–5)"],
        shown["Band"],
        shown["Ratings from–to"],
        shown["Seen differently"],
    ) == ("2.5", "concern", "1–3", "yes")


def test_perception_gaps_name_each_partners_rating():
    shown = row(show_perception_gaps(PLAN), "Factor", "clear roles and policy guidelines")
    assert (
        shown["ByteBridge Solutions"],
        shown["Hope Alliance International"],
        shown["Spread"],
    ) == ("1", "3", "2")


def test_health_by_partner():
    assert row(show_health_by_partner(PLAN), "Group", "Resources")["Spread"] == "1.0"


def test_health_change_puts_the_biggest_drop_first():
    assert show_health_change(PLAN).frame.iloc[0][["Factor", "Change"]].tolist() == [
        "clear roles and policy guidelines",
        "-0.5",
    ]


def test_health_focus_names_the_widest_gap():
    assert row(show_health_focus(PLAN), "Why it is on the list", "Widest gap")["Factor"] == (
        "clear roles and policy guidelines"
    )


def test_health_focus_without_gaps():
    ratings = [
        r
        if r.factor != "clear roles and policy guidelines"
        else FactorRating(**{**r.model_dump(), "score": 3})
        for r in PLAN.review.ratings
    ]
    plan = PLAN.model_copy(update={"review": PLAN.review.model_copy(update={"ratings": ratings})})
    assert "Widest gap" not in set(show_health_focus(plan).frame["Why it is on the list"])


def test_a_new_review_without_ratings_has_nothing_to_focus_on_yet():
    reviews = [
        *PLAN.review.reviews,
        Review(id="rv-new", name="Third review", date=dt.date(2027, 9, 1)),
    ]
    plan = PLAN.model_copy(update={"review": PLAN.review.model_copy(update={"reviews": reviews})})
    assert repr(show_health_focus(plan)).endswith(
        "Nothing stands out: no weak factor, no gap between partners and no drop."
    )


def test_recommendations_soonest_first_undated_last():
    table = show_recommendations(PLAN).frame
    assert (table["By"].iloc[0], table["By"].iloc[-1]) == ("30 Nov 2026", "")


# ---- charts and empty plans ---------------------------------------------------------------------------------


CHARTS = [
    lambda plan: show_risk_heatmaps(plan),
    lambda plan: show_risk_profile_chart(plan),
    lambda plan: show_stakeholder_map_chart(plan),
    lambda plan: show_survey_chart(plan),
    lambda plan: show_survey_chart(plan, by="group"),
    lambda plan: show_resource_shares_chart(plan),
    lambda plan: show_vision_budget_chart(plan),
    lambda plan: show_communication_calendar_chart(plan, as_of=AS_OF),
    lambda plan: show_kpi_progress_chart(plan, MEASUREMENTS, as_of=AS_OF),
    lambda plan: show_health_chart(plan),
    lambda plan: show_health_change_chart(plan),
]


@pytest.mark.parametrize("chart", CHARTS)
def test_charts_draw_the_plan(chart):
    assert any(ax.has_data() for ax in chart(PLAN).axes)


TABLES_OF_AN_EMPTY_PLAN = [
    show_risk_register,
    show_risk_profile,
    show_stakeholder_map,
    show_salience,
    show_survey_summary,
    show_contributions,
    show_core_messages,
    show_communication_lines,
    show_testimonials,
    show_data_collection,
    show_recommendations,
    lambda plan: show_engagement_calendar(plan, as_of=AS_OF),
    lambda plan: show_communication_calendar(plan, as_of=AS_OF),
    lambda plan: show_calendar_gaps(plan, start=AS_OF),
    lambda plan: show_kpi_evaluation(plan, MEASUREMENTS.iloc[:0], as_of=AS_OF),
]


@pytest.mark.parametrize("view", TABLES_OF_AN_EMPTY_PLAN)
def test_an_empty_plan_shows_nothing_yet(view):
    assert repr(view(EMPTY)).endswith("Nothing to show yet.")


@pytest.mark.parametrize(
    ("view", "words"),
    [
        (show_crucial_risks, "No risk recorded yet."),
        (show_risks_above_appetite, "No risk is above its appetite after mitigation."),
        (show_settlements, "Every balance is settled: no payment is needed."),
    ],
)
def test_empty_tables_say_what_it_means(view, words):
    assert repr(view(EMPTY)).endswith(words)


@pytest.mark.parametrize(
    "view",
    [
        show_health_check,
        show_health_groups,
        show_health_factors,
        show_perception_gaps,
        show_health_by_partner,
        show_health_change,
        show_health_focus,
    ],
)
def test_review_views_say_when_no_review_is_held(view):
    assert repr(view(EMPTY)).endswith(
        "No partnership review held yet: add a review and its ratings in the form above."
    )


@pytest.mark.parametrize(
    ("chart", "words"),
    [
        (show_health_chart, "No partnership review held yet"),
        (show_health_change_chart, "No partnership review held yet"),
        (lambda plan: show_kpi_series_chart(plan, MEASUREMENTS, as_of=AS_OF), "No KPI yet"),
    ],
)
def test_charts_of_an_empty_plan_say_what_is_missing(chart, words):
    assert words in chart(EMPTY).texts[0].get_text()


@pytest.mark.parametrize("chart", CHARTS)
def test_charts_of_an_empty_plan_still_say_what_they_show(chart):
    figure = chart(EMPTY)
    words = [*(ax.get_title() for ax in figure.axes), *(text.get_text() for text in figure.texts)]
    assert "".join(words) != ""


# ---- the step-6 round trip a workshop makes: add a risk in the form, save, read the results ------


def test_a_risk_added_with_the_form_is_in_the_register_and_the_heat_map(tmp_path):
    from partnerlib import section_editor, seed_workspace

    book = seed_workspace(tmp_path / "workspace.sqlite")
    try:
        editor = section_editor(book, PLAN.info.name, "risks")
        table = editor.form.fields["risks"]
        table.add_button.click()
        table.editor.fields["title"].value = "Fire in the medicine store"
        table.editor.fields["likelihood"].value = "5"
        table.editor.fields["impact"].value = "5"
        table.ok_button.click()
        editor.save_button.click()
        current = book.load(PLAN.info.name).plan
    finally:
        book.close()
    register = show_risk_register(current).frame
    cell = row(show_risk_matrix(current), "Likelihood ↓ / impact →", "5 Almost certain")
    titles = [axes.get_title() for axes in show_risk_heatmaps(current).axes]
    assert (
        "Fire in the medicine store" in set(register["Risk"]),
        cell["5 Catastrophic"],
        titles[0],
    ) == (True, "1", "Risks before mitigation (inherent): 19 in all")


def test_register_says_when_a_category_has_no_appetite():
    plan = PLAN.model_copy(update={"risks": PLAN.risks.model_copy(update={"appetite": []})})
    shown = row(show_risk_register(plan), "Risk", "Floods damage water points")
    assert (shown["Appetite: highest score accepted"], shown["Above appetite"]) == ("none set", "no")
