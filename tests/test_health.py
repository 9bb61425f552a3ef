import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import PlanError, health_focus, score_health
from partnerlib.analyses.health import band_health
from partnerlib.models import FACTOR_GROUPS, FACTORS, FactorRating, PartnershipReview, Review
from partnerlib.output.charts.health import plot_health, plot_health_change

FIRST = Review(id="r1", name="Spring", date=dt.date(2026, 3, 1))
SECOND = Review(id="r2", name="Autumn", date=dt.date(2026, 9, 1))


def ratings(review, scores):
    """Ratings for every factor: ``scores`` maps party → one score, or a dict factor → score."""
    return [
        FactorRating(review=review, party=party, factor=factor,
                     score=score.get(factor, 4) if isinstance(score, dict) else score)
        for party, score in scores.items()
        for factor in FACTORS
    ]


def section():
    """Spring: everyone 4. Autumn: us 4, clinic 4 but 2 on flexibility, church 5 but 1 on vision."""
    return PartnershipReview(
        reviews=[SECOND, FIRST],  # listed out of date order on purpose
        ratings=ratings("r1", {"us": 4, "clinic": 4, "church": 4})
        + ratings("r2", {"us": 4, "clinic": {"flexibility": 2}, "church": {f: 5 for f in FACTORS}
                         | {"shared vision": 1}}),
    )


def factor(name, column, **options):
    return score_health(section(), **options).factors.set_index("factor").loc[name, column]


@pytest.mark.parametrize(
    ("name", "column", "expected"),
    [
        ("flexibility", "score", 11 / 3),  # (4 + 2 + 5) / 3
        ("flexibility", "band", "borderline"),  # 3.7
        ("flexibility", "spread", 3),  # 5 - 2
        ("flexibility", "change", 11 / 3 - 4),
        ("shared vision", "score", 3.0),  # (4 + 4 + 1) / 3
        ("shared vision", "gap", True),  # spread 3 >= 1.5
        ("skilled leadership", "score", 13 / 3),  # (4 + 4 + 5) / 3
        ("skilled leadership", "band", "strength"),
        ("skilled leadership", "gap", False),  # spread 1
        ("skilled leadership", "ratings", 3),
    ],
)
def test_factor_scores(name, column, expected):
    assert factor(name, column) == pytest.approx(expected)


def test_gap_threshold_is_configurable():
    assert bool(factor("skilled leadership", "gap", gap_at=1)) is True


def test_latest_review_by_date_is_the_default():
    assert (score_health(section()).review, score_health(section()).previous) == ("r2", "r1")


def test_earlier_review_has_no_previous():
    scored = score_health(section(), review_id="r1")
    assert (scored.previous, scored.factors["change"].isna().all()) == (None, True)


def test_group_score_is_the_mean_of_its_factors():
    groups = score_health(section()).groups.set_index("group")
    # purpose: concrete goals 13/3, shared vision 3, unique purpose 13/3
    assert groups.loc["purpose", "score"] == pytest.approx((13 / 3 + 3 + 13 / 3) / 3)


def test_every_group_is_listed_in_order():
    assert score_health(section()).groups["group"].tolist() == list(FACTOR_GROUPS)


def test_by_party_table():
    by_party = score_health(section()).by_party
    assert by_party.loc["flexibility", ["church", "clinic", "us"]].tolist() == [5, 2, 4]


@pytest.mark.parametrize(
    ("score", "expected"),
    [(4.0, "strength"), (3.95, "strength"), (3.94, "borderline"), (3.0, "borderline"),
     (2.95, "borderline"), (2.94, "concern"), (1.0, "concern"), (None, "no data")],
)
def test_bands_round_to_one_decimal_first(score, expected):
    assert band_health(pd.Series([score], dtype=float)).iloc[0] == expected


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ({"us": 5, "p": 4}, "green"),
        ({"us": 4, "p": 4, "q": 2}, "amber"),  # 3.3 everywhere: borderline groups, gaps
        ({"us": 2, "p": 2}, "red"),
        ({"us": 5, "p": {f: 5 for f in FACTORS} | {"flexibility": 1}}, "amber"),  # flexibility 3.0, gap 4
    ],
)
def test_overall_check(scores, expected):
    plan = PartnershipReview(reviews=[FIRST], ratings=ratings("r1", scores))
    assert score_health(plan).overall == expected


def test_red_names_the_group():
    plan = PartnershipReview(reviews=[FIRST], ratings=ratings("r1", {"us": 2}))
    assert "environment" in score_health(plan).reason


def test_no_review_is_refused():
    with pytest.raises(PlanError, match="No partnership review held yet"):
        score_health(PartnershipReview())


def test_unknown_review_is_named():
    with pytest.raises(PlanError, match="'review_id' must be the id of a review \\(got 'r9'; known: r2, r1\\)"):
        score_health(section(), review_id="r9")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=len(FACTORS) * 2, max_size=len(FACTORS) * 2),
       st.randoms(use_true_random=False))
def test_reordering_ratings_never_changes_scores(values, random):
    rows = [FactorRating(review="r1", party=party, factor=f, score=v)
            for (party, f), v in zip([(p, f) for p in ("us", "p1") for f in FACTORS], values, strict=True)]
    shuffled = list(rows)
    random.shuffle(shuffled)
    first = score_health(PartnershipReview(reviews=[FIRST], ratings=rows))
    second = score_health(PartnershipReview(reviews=[FIRST], ratings=shuffled))
    pd.testing.assert_frame_equal(first.factors, second.factors)


def test_focus_lists():
    focus = health_focus(score_health(section()))
    # lowest: shared vision 3.0 then flexibility 3.7; gaps: both spread >= 1.5 (widest first: 3 each,
    # inventory order); drops: shared vision -1, flexibility -1/3.
    assert focus[["focus", "factor"]].to_numpy().tolist() == [
        ["lowest score", "shared vision"], ["lowest score", "flexibility"],
        ["widest gap", "flexibility"], ["widest gap", "shared vision"],
        ["biggest drop", "shared vision"], ["biggest drop", "flexibility"]]


def test_focus_says_why():
    assert health_focus(score_health(section()))["why"].tolist()[0] == "scored 3.0 (borderline)"


def test_focus_top_limits_each_list():
    assert len(health_focus(score_health(section()), top=1)) == 3


def test_health_chart():
    axes = plot_health(score_health(section())).axes[0]
    texts = [t.get_text() for t in axes.texts]
    assert (axes.get_title(), len(axes.get_yticklabels()), "3.7 borderline" in texts) == (
        "Partnership health: Autumn (1\u00a0Sep\u00a02026), overall amber", 20, True)


def test_change_chart():
    axes = plot_health_change(score_health(section())).axes[0]
    legend = [t.get_text() for t in axes.get_legend().get_texts()]
    assert (axes.get_title(), legend) == ("Partnership health by group: before and now",
                                          ["Before: Spring", "Now: Autumn"])


def test_change_chart_without_earlier_review_says_so():
    axes = plot_health_change(score_health(section(), review_id="r1")).axes[0]
    assert "No earlier review to compare" in [t.get_text() for t in axes.texts]


def test_review_without_ratings_says_so():
    scored = score_health(PartnershipReview(reviews=[FIRST]))
    assert (scored.overall, scored.reason, scored.factors["band"].unique().tolist()) == (
        "amber", "Some groups have no ratings yet.", ["no data"])


def _people(party, scores):
    """One rating of 'flexibility' per person of ``party``."""
    return [FactorRating(review="r1", party=party, person=f"p{n}", factor="flexibility", score=s)
            for n, s in enumerate(scores)]


#: Ratings per person: a partner's view is its people's mean, and each partner counts once.
PER_PERSON_CASES = [
    ("score", 3.0),     # us: mean(5, 5, 5, 1) = 4; clinic: 2 → (4 + 2) / 2
    ("ratings", 5),     # five people rated it
    ("low", 2.0),       # the clinic's view
    ("high", 4.0),      # our view
    ("spread", 2.0),
]


@pytest.mark.parametrize(("column", "expected"), PER_PERSON_CASES)
def test_per_person_ratings_are_averaged_per_partner_first(column, expected):
    section = PartnershipReview(reviews=[FIRST], ratings=_people("us", [5, 5, 5, 1]) + _people("clinic", [2]))
    row = score_health(section).factors.set_index("factor").loc["flexibility"]
    assert row[column] == expected


def test_one_person_rating_twice_is_refused():
    with pytest.raises(ValueError, match="rated 'flexibility' twice"):
        PartnershipReview(reviews=[FIRST], ratings=_people("us", [4]) * 2)
