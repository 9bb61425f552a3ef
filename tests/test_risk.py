import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matplotlib.backends.backend_agg import FigureCanvasAgg

from partnerlib import InvalidInput, crucial_risks, risk_profile, score_risks
from partnerlib.analyses.risk import DEFAULT_MATRIX, RiskMatrix, risk_matrix_counts
from partnerlib.analyses.tables import records_table
from partnerlib.models import Appetite, Risk
from partnerlib.output.charts.risk import plot_risk_heatmap, plot_risk_heatmaps, plot_risk_profile


def register(*rows, **columns):
    """A risk table: rows of (likelihood, impact, residual_likelihood, residual_impact[, category])."""
    table = pd.DataFrame(
        {
            "id": [f"r{n}" for n in range(1, len(rows) + 1)],
            "title": [f"Risk {n}" for n in range(1, len(rows) + 1)],
            "category": [row[4] if len(row) > 4 else "operational" for row in rows],
            "likelihood": [row[0] for row in rows],
            "impact": [row[1] for row in rows],
            "residual_likelihood": pd.Series([row[2] for row in rows], dtype=object),
            "residual_impact": pd.Series([row[3] for row in rows], dtype=object),
        }
    )
    for name, values in columns.items():
        table[name] = values
    return table


def one(row, column, **options):
    return score_risks(register(row), **options)[column].iloc[0]


# ---- scores and bands: (likelihood, impact, residual L, residual I) → expected -----------

SCORE_CASES = [
    ((1, 1, None, None), "score", 1),                     # 1 × 1
    ((5, 5, None, None), "score", 25),                    # 5 × 5
    ((4, 3, None, None), "score", 12),                    # 4 × 3
    (("Likely", "Major", None, None), "score", 16),       # Likely = 4, Major = 4 → 4 × 4
    (("almost  CERTAIN", "minor", None, None), "score", 10),  # 5 × 2, words in any case
    (("3", 3, None, None), "score", 9),                   # a number written as text
    ((2, 2, None, None), "band", "low"),                  # 4 is the top of low (1–4)
    ((1, 5, None, None), "band", "medium"),               # 5 is the bottom of medium (5–9)
    ((3, 3, None, None), "band", "medium"),               # 9 is the top of medium
    ((2, 5, None, None), "band", "high"),                 # 10 is the bottom of high (10–14)
    ((5, 3, None, None), "band", "critical"),             # 15 is the bottom of critical
    ((4, 4, 2, 3), "residual_score", 6),                  # 2 × 3
    ((4, 4, 2, 3), "residual_band", "medium"),            # 6 is in 5–9
    ((4, 4, 2, 3), "residual_assessed", True),
    ((4, 4, None, None), "residual_score", 16),           # not assessed → residual = inherent 4 × 4
    ((4, 4, 2, None), "residual_score", 16),              # half assessed counts as not assessed
    ((4, 4, None, None), "residual_assessed", False),
    ((4, 4, 2, 3), "reduction", 10),                      # 16 − 6
    ((4, 4, 2, 3), "reduction_percent", 62.5),            # 10 / 16 × 100
    ((4, 4, None, None), "reduction", 0),                 # 16 − 16
    ((2, 2, 3, 3), "reduction", -5),                      # 4 − 9: mitigation made it worse
    (("Rare", 5, "Rare", "Minor"), "residual_score", 2),  # 1 × 2
]


@pytest.mark.parametrize(("row", "column", "expected"), SCORE_CASES)
def test_score_risks(row, column, expected):
    assert one(row, column) == expected


APPETITE_CASES = [
    # (residual score via row, appetite, expected above_appetite)
    ((3, 3, None, None, "financial"), {"financial": 9}, False),   # 9 is not above 9
    ((5, 2, None, None, "financial"), {"financial": 9}, True),    # 10 > 9
    ((5, 5, 1, 2, "financial"), {"financial": 9}, False),         # residual 2 counts, not 25
    ((5, 5, None, None, "financial"), {"legal and compliance": 1}, False),  # no appetite for it
    ((5, 5, None, None, "financial"), None, False),                # no appetite at all
    ((2, 3, None, None, "external"),                               # the Appetite records table
     records_table([Appetite(category="external", max_score=5)], Appetite), True),
]


@pytest.mark.parametrize(("row", "appetite", "expected"), APPETITE_CASES)
def test_above_appetite(row, appetite, expected):
    assert one(row, "above_appetite", appetite=appetite) == expected


def test_scores_a_register_made_from_models():
    risks = [Risk(id="a", title="Floods", likelihood="Likely", impact=5, residual_likelihood=2,
                  residual_impact=5), Risk(id="b", title="Fraud", likelihood=1, impact=2)]
    scored = score_risks(records_table(risks, Risk))
    assert scored[["score", "residual_score"]].to_numpy().tolist() == [[20, 10], [2, 2]]


def test_custom_matrix_bands():
    matrix = RiskMatrix(bands=(("low", 6), ("medium", 12), ("critical", 25)))
    assert score_risks(register((2, 3, None, None), (3, 4, None, None)),
                       matrix=matrix)["band"].tolist() == ["low", "medium"]  # 6 → low, 12 → medium


def test_custom_matrix_size():
    matrix = RiskMatrix(size=3, likelihood_labels=("Low", "Mid", "High"),
                        impact_labels=("Small", "Medium", "Large"),
                        bands=(("low", 2), ("medium", 4), ("high", 9)))
    assert score_risks(register(("High", "large", None, None)),
                       matrix=matrix)["score"].tolist() == [9]  # 3 × 3


MATRIX_ERRORS = [
    ({"size": 1}, "between 2 and 10"),
    ({"size": 4}, "'likelihood_labels' must hold 4 words"),
    ({"bands": (("low", 9), ("high", 4), ("critical", 25))}, "must rise"),
    ({"bands": (("low", 4), ("high", 20))}, "must end at the highest score, 25"),
]


@pytest.mark.parametrize(("options", "message"), MATRIX_ERRORS)
def test_bad_matrix(options, message):
    with pytest.raises(ValueError, match=message):
        RiskMatrix(**options)


# ---- bad tables ------------------------------------------------------------------------

def test_missing_columns_are_named():
    table = register((1, 1, None, None)).drop(columns=["impact", "category"])
    with pytest.raises(InvalidInput, match="the risks table has no columns 'category', 'impact'"):
        score_risks(table)


BAD_VALUES = [
    ([(1, 1, None, None), (2, 2, None, None), (9, 1, None, None)], r"risks row 3: 'likelihood'.*\(got 9\)"),
    ([(1, 0, None, None)], r"risks row 1: 'impact'.*from 1 to 5"),
    ([(2.5, 1, None, None)], r"row 1: 'likelihood'.*\(got 2.5\)"),
    ([("Sometimes", 1, None, None)], r"row 1: 'likelihood'.*\(got 'Sometimes'\)"),
    ([(1, 1, 6, 1)], r"row 1: 'residual_likelihood'"),
    ([(None, 1, None, None)], r"row 1: 'likelihood' is required"),
    ([(1, "Likely", None, None)], r"row 1: 'impact'"),  # a likelihood word is not an impact
]


@pytest.mark.parametrize(("rows", "message"), BAD_VALUES)
def test_bad_values_name_the_row(rows, message):
    with pytest.raises(InvalidInput, match=message):
        score_risks(register(*rows))


def test_every_bad_row_is_named():
    rows = [(9, 1, None, None), (1, 1, None, None), (1, 7, None, None)]
    with pytest.raises(InvalidInput) as caught:
        score_risks(register(*rows))
    assert [str(p).split(":")[0] for p in caught.value.problems] == ["risks row 1", "risks row 3"]


def test_many_bad_rows_are_summarised():
    with pytest.raises(InvalidInput, match="and 15 more rows"):
        score_risks(register(*[(9, 1, None, None)] * 25))


def test_empty_register():
    assert len(score_risks(records_table([], Risk))) == 0


# ---- crucial risks, profile, matrix counts ---------------------------------------------

CRUCIAL = register(
    (5, 5, 1, 1, "financial"),   # r1: 25 → residual 1
    (3, 3, None, None, "external"),  # r2: 9
    (4, 4, 4, 3, "financial"),   # r3: 16 → residual 12 (above the financial appetite 10)
    (2, 2, None, None, "external"),  # r4: 4
    (3, 3, None, None, "strategic"),  # r5: 9, same residual as r2: inherent 9, id after r2
)

CRUCIAL_CASES = [
    (1, None, ["r3"]),                     # top 1 by residual: 12
    (3, None, ["r3", "r2", "r5"]),         # 12, then the two 9s by id
    (0, {"external": 3}, ["r2", "r4"]),    # only those above appetite: 9 > 3 and 4 > 3
    (1, {"external": 3}, ["r3", "r2", "r4"]),  # top 1 plus those above appetite
]


@pytest.mark.parametrize(("top", "appetite", "expected"), CRUCIAL_CASES)
def test_crucial_risks(top, appetite, expected):
    assert crucial_risks(score_risks(CRUCIAL, appetite=appetite), top=top)["id"].tolist() == expected


def test_risk_profile():
    profile = risk_profile(score_risks(CRUCIAL))
    # inherent: financial 25 (critical) and 16 (critical); external 9 (medium) and 4 (low);
    # strategic 9 (medium)
    assert profile.to_dict("records") == [
        {"band": "low", "category": "external", "count": 1, "total_score": 4},
        {"band": "medium", "category": "external", "count": 1, "total_score": 9},
        {"band": "medium", "category": "strategic", "count": 1, "total_score": 9},
        {"band": "critical", "category": "financial", "count": 2, "total_score": 41},  # 25 + 16
    ]


def test_residual_risk_profile():
    profile = risk_profile(score_risks(CRUCIAL), residual=True)
    # residual financial: 1 (low), 12 (high)
    financial = profile[profile["category"] == "financial"]
    assert financial[["band", "count", "total_score"]].to_numpy().tolist() == [
        ["low", 1, 1], ["high", 1, 12]]


MATRIX_COUNT_CASES = [
    (False, (5, 5), 1),   # r1 inherent
    (False, (3, 3), 2),   # r2 and r5
    (True, (1, 1), 1),    # r1 residual
    (True, (5, 5), 0),
    (True, (3, 3), 2),
]


@pytest.mark.parametrize(("residual", "cell", "expected"), MATRIX_COUNT_CASES)
def test_risk_matrix_counts(residual, cell, expected):
    assert risk_matrix_counts(score_risks(CRUCIAL), residual=residual).loc[cell] == expected


def test_risk_matrix_counts_add_up():
    assert risk_matrix_counts(score_risks(CRUCIAL)).to_numpy().sum() == 5


# ---- properties ------------------------------------------------------------------------

levels = st.integers(min_value=1, max_value=5)
risk_rows = st.lists(
    st.tuples(levels, levels, st.none() | levels, st.none() | levels,
              st.sampled_from(["financial", "external", "strategic"])),
    min_size=1, max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(likelihood=levels, raise_by=st.integers(0, 4), impact=levels)
def test_raising_likelihood_never_lowers_the_score(likelihood, raise_by, impact):
    higher = min(likelihood + raise_by, 5)
    assert one((higher, impact, None, None), "score") >= one((likelihood, impact, None, None), "score")


@settings(max_examples=40, deadline=None)
@given(rows=risk_rows, seed=st.integers(0, 2**32 - 1))
def test_reordering_rows_never_changes_a_result(rows, seed):
    table = register(*rows)
    shuffled = table.sample(frac=1, random_state=np.random.RandomState(seed))
    appetite = {"financial": 6, "external": 12}
    first = score_risks(table, appetite=appetite).set_index("id").sort_index()
    second = score_risks(shuffled, appetite=appetite).set_index("id").sort_index()
    assert (
        first.equals(second)
        and crucial_risks(score_risks(table, appetite=appetite), top=3)["id"].tolist()
        == crucial_risks(score_risks(shuffled, appetite=appetite), top=3)["id"].tolist()
        and risk_profile(score_risks(table)).equals(risk_profile(score_risks(shuffled)))
    )


# ---- charts (content, not pixels) --------------------------------------------------------

def cell_texts(ax):
    return {tuple(int(v) for v in t.get_position()): t.get_text() for t in ax.texts}


def test_heatmap_writes_the_count_in_every_cell():
    texts = cell_texts(plot_risk_heatmap(score_risks(CRUCIAL)).axes[0])
    # positions are (impact, likelihood)
    assert (len(texts), texts[(3, 3)], texts[(5, 5)], texts[(1, 1)]) == (25, "2", "1", "0")


def test_residual_heatmap_counts():
    texts = cell_texts(plot_risk_heatmap(score_risks(CRUCIAL), residual=True).axes[0])
    assert (texts[(1, 1)], texts[(5, 5)], texts[(3, 4)]) == ("1", "0", "1")  # r3 residual: L4 × I3


HEATMAP_LABELS = [
    (lambda ax: ax.get_xlabel(), "Impact"),
    (lambda ax: ax.get_ylabel(), "Likelihood"),
    (lambda ax: ax.get_title(), "Risks before mitigation (inherent): 5 in all"),
    (lambda ax: ax.get_xticklabels()[0].get_text(), "1\nInsignificant"),
    (lambda ax: ax.get_yticklabels()[-1].get_text(), "Almost certain 5"),
    (lambda ax: [t.get_text() for t in ax.get_legend().get_texts()],
     ["low (1–4)", "medium (5–9)", "high (10–14)", "critical (15–25)"]),
]


@pytest.mark.parametrize(("read", "expected"), HEATMAP_LABELS)
def test_heatmap_labels(read, expected):
    assert read(plot_risk_heatmap(score_risks(CRUCIAL)).axes[0]) == expected


def test_heatmaps_side_by_side():
    figure = plot_risk_heatmaps(score_risks(CRUCIAL))
    assert [ax.get_title() for ax in figure.axes] == [
        "Risks before mitigation (inherent): 5 in all",
        "Risks after mitigation (residual): 5 in all",
    ]


def test_heatmaps_keep_one_legend_naming_the_bands():
    figure = plot_risk_heatmaps(score_risks(CRUCIAL))
    assert [ax.get_legend() is not None for ax in figure.axes] == [False, True]


PROFILE_CHART = [
    (lambda ax: len(ax.patches), 3 * len(DEFAULT_MATRIX.bands)),  # 3 categories × 4 bands
    (lambda ax: [t.get_text() for t in ax.get_yticklabels()], ["external", "financial", "strategic"]),
    (lambda ax: [t.get_text() for t in ax.figure.legends[0].get_texts()], ["low", "medium", "high", "critical"]),
    (lambda ax: ax.get_xlabel(), "Number of risks"),
    (lambda ax: sorted(t.get_text() for t in ax.texts), [" 1", " 2", " 2"]),  # totals per category
]


@pytest.mark.parametrize(("read", "expected"), PROFILE_CHART)
def test_profile_chart(read, expected):
    assert read(plot_risk_profile(risk_profile(score_risks(CRUCIAL))).axes[0]) == expected


def test_profile_legend_stays_clear_of_the_axis_label_with_one_category():
    """With one category the bars are short; the legend once ran over "Number of risks"."""
    figure = plot_risk_profile(risk_profile(score_risks(CRUCIAL[CRUCIAL["category"] == "strategic"])))
    renderer = FigureCanvasAgg(figure).get_renderer()
    figure.draw(renderer)
    label = figure.axes[0].xaxis.label.get_window_extent(renderer)
    assert bool(figure.legends[0].get_window_extent(renderer).overlaps(label)) is False
