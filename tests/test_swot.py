import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import (
    InvalidInput,
    Plan,
    SwotFactor,
    TowsStrategy,
    plot_swot_board,
    plot_swot_position,
    records_table,
    score_swot,
    tows_table,
)

# Hand-computed oracle. Internal: strengths 0.3×4 + 0.2×3 = 1.2 + 0.6 = 1.8;
# weaknesses 0.4×1 + 0.1×2 = 0.4 + 0.2 = 0.6; internal total 1.8 + 0.6 = 2.4.
# External: opportunities 0.5×4 + 0.1×3 = 2.0 + 0.3 = 2.3; threats
# 0.25×2 + 0.15×1 = 0.5 + 0.15 = 0.65; external total 2.3 + 0.65 = 2.95.
ROWS = [
    ("s1", "strength", "Trusted by the local churches", 0.3, 4),
    ("s2", "strength", "Nurses who speak the language", 0.2, 3),
    ("w1", "weakness", "No vehicle for outreach", 0.4, 1),
    ("w2", "weakness", "Small budget", 0.1, 2),
    ("o1", "opportunity", "Government maternal health programme", 0.5, 4),
    ("o2", "opportunity", "Diaspora donors", 0.1, 3),
    ("t1", "threat", "Rainy-season floods", 0.25, 2),
    ("t2", "threat", "Staff leaving for the city", 0.15, 1),
]
COLUMNS = ["id", "kind", "text", "weight", "rating"]


def factors(rows=ROWS):
    return pd.DataFrame(rows, columns=COLUMNS)


def replace(rows, row_id, **changes):
    out = []
    for row in rows:
        values = dict(zip(COLUMNS, row, strict=True))
        if values["id"] == row_id:
            values.update(changes)
        out.append(tuple(values[c] for c in COLUMNS))
    return out


def test_internal_total():
    assert score_swot(factors()).internal == pytest.approx(2.4)


def test_external_total():
    assert score_swot(factors()).external == pytest.approx(2.95)


def test_weighted_score_per_factor():
    table = score_swot(factors()).table
    assert table["weighted_score"].tolist() == pytest.approx(
        [1.2, 0.6, 0.4, 0.2, 2.0, 0.3, 0.5, 0.15]
    )


def test_side_per_factor():
    assert score_swot(factors()).table["side"].tolist() == ["internal"] * 4 + ["external"] * 4


def test_model_records_give_the_same_totals_as_a_table():
    records = [SwotFactor(**dict(zip(COLUMNS, row, strict=True))) for row in ROWS]
    assert score_swot(records).external == pytest.approx(2.95)


# Four corners: internal = 0.5×strength + 0.5×weakness, external = 0.5×opportunity + 0.5×threat.
def position_rows(strength, weakness, opportunity, threat):
    return [
        ("s", "strength", "S", 0.5, strength),
        ("w", "weakness", "W", 0.5, weakness),
        ("o", "opportunity", "O", 0.5, opportunity),
        ("t", "threat", "T", 0.5, threat),
    ]


@pytest.mark.parametrize(
    ("ratings", "quadrant", "position"),
    [
        ((4, 2, 4, 2), "SO", "Grow and build"),  # internal 2 + 1 = 3.0, external 2 + 1 = 3.0
        ((4, 2, 2, 1), "ST", "Hold and defend"),  # internal 3.0, external 1 + 0.5 = 1.5
        ((3, 1, 4, 2), "WO", "Fix and take chances"),  # internal 1.5 + 0.5 = 2.0, external 3.0
        ((3, 1, 2, 1), "WT", "Protect and rethink"),  # internal 2.0, external 1.5
    ],
)
def test_position(ratings, quadrant, position):
    result = score_swot(factors(position_rows(*ratings)))
    assert (result.quadrant, result.position) == (quadrant, position)


def test_exact_midpoint_counts_as_high():
    # internal 0.5×3 + 0.5×2 = 2.5; external 0.5×3 + 0.5×2 = 2.5
    rows = position_rows(3, 2, 3, 2)
    assert score_swot(factors(rows)).quadrant == "SO"


def test_position_comes_with_an_explanation():
    assert "fix the weaknesses" in score_swot(factors()).explanation


# ---- weights that do not sum to 1 -----------------------------------------

UNBALANCED = replace(ROWS, "s1", weight=0.2)  # internal 0.2 + 0.2 + 0.4 + 0.1 = 0.9


def test_unbalanced_weights_name_the_side_and_the_sum():
    with pytest.raises(InvalidInput, match=r"internal weights .* sum to 0\.9, not 1"):
        score_swot(factors(UNBALANCED))


def test_unbalanced_external_weights_are_named_too():
    rows = replace(ROWS, "o1", weight=0.7)  # external 0.7 + 0.1 + 0.25 + 0.15 = 1.2
    with pytest.raises(InvalidInput, match=r"external weights .* sum to 1\.2"):
        score_swot(factors(rows))


def test_weights_within_tolerance_are_accepted():
    rows = replace(ROWS, "s1", weight=0.304)  # internal sums to 1.004, within 0.005
    assert score_swot(factors(rows)).changes == ()


def test_normalise_reports_what_changed():
    result = score_swot(factors(UNBALANCED), normalise=True)
    assert result.changes == ("internal weights summed to 0.9; each was divided by 0.9",)


def test_normalise_rescales_the_weights():
    # s1: 0.2 / 0.9 × 4 + s2: 0.2 / 0.9 × 3 + w1: 0.4 / 0.9 × 1 + w2: 0.1 / 0.9 × 2 = 2.2 / 0.9
    result = score_swot(factors(UNBALANCED), normalise=True)
    assert result.internal == pytest.approx((0.8 + 0.6 + 0.4 + 0.2) / 0.9)


def test_normalise_leaves_a_balanced_side_alone():
    result = score_swot(factors(UNBALANCED), normalise=True)
    assert result.external == pytest.approx(2.95)


# ---- bad tables --------------------------------------------------------------

BAD_TABLES = [
    (factors().drop(columns="rating"), r"no column 'rating'"),
    (factors(replace(ROWS, "s2", kind="strenght")), r"swot row 2: 'kind' must be one of .* \(got 'strenght'\)"),
    (factors(replace(ROWS, "w1", weight=1.5)), r"swot row 3: 'weight' must be a number from 0 to 1 \(got 1\.5\)"),
    (factors(replace(ROWS, "w1", weight="heavy")), r"swot row 3: 'weight' must be .* \(got 'heavy'\)"),
    (factors(replace(ROWS, "s1", rating=2)), r"swot row 1: 'rating' of a strength .* 3 to 4 \(got 2\)"),
    (factors(replace(ROWS, "w2", rating=3)), r"swot row 4: 'rating' of a weakness .* 1 to 2 \(got 3\)"),
    (factors(replace(ROWS, "t1", rating=5)), r"swot row 7: 'rating' of a threat .* 1 to 4 \(got 5\)"),
    (factors(replace(ROWS, "o2", rating=2.5)), r"swot row 6: 'rating' of an opportunity must be a whole number"),
    (factors(replace(ROWS, "s2", id="s1")), r"swot row 2: 'id' 's1' is used twice"),
    (factors(ROWS[:4]), r"no external weights"),
]


@pytest.mark.parametrize(("table", "message"), BAD_TABLES)
def test_bad_table_is_refused_with_the_row(table, message):
    with pytest.raises(InvalidInput, match=message):
        score_swot(table)


def test_every_bad_row_is_reported_at_once():
    rows = replace(replace(ROWS, "s1", rating=1), "w1", rating=4)
    with pytest.raises(InvalidInput) as raised:
        score_swot(factors(rows))
    assert len(raised.value.problems) == 2


# ---- laws --------------------------------------------------------------------


@settings(max_examples=50, deadline=None)
@given(st.permutations(range(len(ROWS))))
def test_reordering_rows_never_changes_the_totals(order):
    result = score_swot(factors([ROWS[i] for i in order]))
    assert (result.internal, result.external) == pytest.approx((2.4, 2.95))


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0.2, max_value=1.9).filter(lambda scale: abs(scale - 1) > 0.006))
def test_normalised_totals_do_not_depend_on_the_weights_scale(scale):
    rows = [(i, k, t, w * scale, r) for i, k, t, w, r in ROWS]
    result = score_swot(factors(rows), normalise=True)
    assert (result.internal, result.external) == pytest.approx((2.4, 2.95))


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.floats(min_value=0.01, max_value=1), min_size=4, max_size=4),
    st.lists(st.integers(min_value=1, max_value=4), min_size=2, max_size=2),
)
def test_totals_stay_between_1_and_4(weights, external_ratings):
    rows = [
        ("s", "strength", "S", weights[0], 4),
        ("w", "weakness", "W", weights[1], 1),
        ("o", "opportunity", "O", weights[2], external_ratings[0]),
        ("t", "threat", "T", weights[3], external_ratings[1]),
    ]
    result = score_swot(factors(rows), normalise=True)
    assert (
        1 - 1e-9
        <= min(result.internal, result.external)
        <= max(result.internal, result.external)
        <= 4 + 1e-9
    )


# ---- TOWS ----------------------------------------------------------------------

STRATEGIES = pd.DataFrame(
    [
        ("SO", ["s1", "o1"], "Run antenatal days with the government programme in churches"),
        ("WT", ["w1", "t1"], "Borrow a 4x4 from the diocese in the rainy season"),
        ("SO", ["s2", "o2"], "Nurses record stories for diaspora donors"),
    ],
    columns=["kind", "factors", "text"],
)


def test_tows_ranks_written_strategies_by_combined_weight():
    table = tows_table(factors(), STRATEGIES, suggestions=0)
    # SO: s1 + o1 = 0.3 + 0.5 = 0.8 before s2 + o2 = 0.2 + 0.1 = 0.3; WT: w1 + t1 = 0.4 + 0.25
    assert list(zip(table["quadrant"], table["rank"], table["combined_weight"], strict=True)) == [
        ("SO", 1, pytest.approx(0.8)),
        ("SO", 2, pytest.approx(0.3)),
        ("WT", 1, pytest.approx(0.65)),
    ]


def test_tows_keeps_the_strategy_text():
    table = tows_table(factors(), STRATEGIES, suggestions=0)
    assert table["strategy"].iloc[-1] == "Borrow a 4x4 from the diocese in the rainy season"


def test_tows_names_the_paired_factors():
    table = tows_table(factors(), STRATEGIES, suggestions=0)
    assert (
        table["pairs"].iloc[0]
        == "Trusted by the local churches + Government maternal health programme"
    )


def test_tows_suggests_the_heaviest_unwritten_pair_per_quadrant():
    table = tows_table(factors(), STRATEGIES, suggestions=1)
    suggested = table[table["status"] == "suggested"]
    # SO: s1+o1 (0.8) is written, so next is s2+o1 = 0.2 + 0.5 = 0.7;
    # ST: s1+t1 = 0.3 + 0.25 = 0.55; WO: w1+o1 = 0.4 + 0.5 = 0.9;
    # WT: w1+t1 (0.65) is written, so next is w1+t2 = 0.4 + 0.15 = 0.55.
    assert dict(zip(suggested["quadrant"], suggested["factors"], strict=True)) == {
        "SO": ("s2", "o1"),
        "ST": ("s1", "t1"),
        "WO": ("w1", "o1"),
        "WT": ("w1", "t2"),
    }


def test_tows_suggestions_have_no_strategy_text():
    table = tows_table(factors(), STRATEGIES, suggestions=2)
    assert set(table.loc[table["status"] == "suggested", "strategy"]) == {""}


def test_tows_ranks_suggestions_together_with_written_strategies():
    table = tows_table(factors(), STRATEGIES, suggestions=1)
    so = table[table["quadrant"] == "SO"]
    # written 0.8, suggested 0.7, written 0.3
    assert so["status"].tolist() == ["written", "suggested", "written"]


def test_tows_with_no_strategies_suggests_every_quadrant():
    table = tows_table(factors(), suggestions=2)
    assert table["quadrant"].value_counts().to_dict() == {"SO": 2, "ST": 2, "WO": 2, "WT": 2}


def test_tows_accepts_model_records():
    written = [TowsStrategy(kind="ST", factors=["s1", "t2"], text="Keep staff with church housing")]
    table = tows_table(factors(), written, suggestions=0)
    assert table["combined_weight"].tolist() == [pytest.approx(0.45)]  # 0.3 + 0.15


BAD_STRATEGIES = [
    (
        pd.DataFrame([("SX", ["s1", "o1"], "")], columns=STRATEGIES.columns),
        r"strategies row 1: 'kind'",
    ),
    (pd.DataFrame([("SO", ["s1", "zz"], "")], columns=STRATEGIES.columns), r"strategies row 1: 'factors' must be the id of a SWOT factor \(got 'zz'\)"),
    (pd.DataFrame([("SO", ["s1", "t1"], "")], columns=STRATEGIES.columns), r"'t1' is a threat"),
    (STRATEGIES.drop(columns="factors"), r"no column 'factors'"),
]


@pytest.mark.parametrize(("strategies", "message"), BAD_STRATEGIES)
def test_bad_strategy_table_is_refused(strategies, message):
    with pytest.raises(InvalidInput, match=message):
        tows_table(factors(), strategies)


# ---- charts ----------------------------------------------------------------------


def texts(figure):
    return " ".join(t.get_text() for ax in figure.axes for t in ax.texts)


def test_board_has_four_titled_quadrants():
    figure = plot_swot_board(score_swot(factors()))
    titles = [ax.get_title(loc="left") for ax in figure.axes]
    assert [t.split(" ")[0] for t in titles] == [
        "Strengths",
        "Weaknesses",
        "Opportunities",
        "Threats",
    ]


def test_board_lists_each_factor_with_its_weight():
    text = texts(plot_swot_board(score_swot(factors())))
    # Indented with no-break spaces, which a browser showing the SVG does not collapse.
    assert "Trusted by the local churches\n\u00a0\u00a0weight 0.30 × rating 4 = 1.20" in text


def test_board_wraps_long_factor_text():
    rows = replace(ROWS, "o1", text="A government maternal health programme starting next year")
    text = texts(plot_swot_board(score_swot(factors(rows)), width=30))
    assert "• A government maternal health\n\u00a0\u00a0programme" in text


def test_board_title_gives_both_totals():
    figure = plot_swot_board(score_swot(factors()))
    assert figure.get_suptitle().startswith("SWOT — internal total 2.40, external total 2.95")


def test_position_chart_labels_its_axes():
    ax = plot_swot_position(score_swot(factors())).axes[0]
    assert (ax.get_xlabel()[:14], ax.get_ylabel()[:14]) == ("Internal total", "External total")


def test_position_chart_names_the_position_in_its_title():
    ax = plot_swot_position(score_swot(factors())).axes[0]
    assert ax.get_title() == "Where the partnership stands: Fix and take chances"


def test_position_chart_labels_every_quadrant():
    text = texts(plot_swot_position(score_swot(factors())))
    assert all(
        label in text
        for label in (
            "Grow and build",
            "Hold and defend",
            "Fix and take chances",
            "Protect and rethink",
        )
    )


def test_position_chart_marks_the_point():
    ax = plot_swot_position(score_swot(factors())).axes[0]
    point = [line for line in ax.get_lines() if line.get_marker() == "o"][0]
    assert (point.get_xdata()[0], point.get_ydata()[0]) == pytest.approx((2.4, 2.95))


def test_position_chart_draws_the_midpoint_lines():
    ax = plot_swot_position(score_swot(factors())).axes[0]
    lines = [tuple(line.get_xdata()) + tuple(line.get_ydata()) for line in ax.get_lines()]
    assert ((2.5, 2.5, 0, 1) in lines, (0, 1, 2.5, 2.5) in lines) == (True, True)


# ---- on a plan -----------------------------------------------------------------


def test_runs_on_a_plan():
    plan = Plan.model_validate(
        {
            "business_case": {
                "purpose": "Safer births in Kisoro district",
                "swot": [dict(zip(COLUMNS, row, strict=True)) for row in ROWS],
                "strategies": STRATEGIES.to_dict("records"),
            }
        }
    )
    swot = records_table(plan.business_case.swot, SwotFactor)
    strategies = records_table(plan.business_case.strategies, TowsStrategy)
    assert (score_swot(swot).position, len(tows_table(swot, strategies, suggestions=0))) == (
        "Fix and take chances",
        3,
    )


def test_runs_on_the_sample_plan():
    from partnerlib import load_sample

    case = load_sample().business_case
    swot = records_table(case.swot, SwotFactor)
    result = score_swot(swot)
    table = tows_table(swot, records_table(case.strategies, TowsStrategy))
    figures = [plot_swot_board(result), plot_swot_position(result)]
    assert (1 <= result.internal <= 4, 1 <= result.external <= 4, len(table) > 0, len(figures)) == (
        True,
        True,
        True,
        2,
    )
