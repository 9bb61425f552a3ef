"""Step 11 — partnership health: the 20 collaboration factors scored, banded and compared.

Every partner rates each factor 1–5 in a review, as one rating or person by
person (a workshop room collects one rating per participant). A partner's view
of a factor is the mean of its people's ratings, so a partner that sent more
people does not weigh more; a factor's score is the mean of the partners'
views; a group's score is the mean of its factors' scores
(each factor counts the same). Scores are rounded to one decimal (half up)
before banding: *strength* at 4.0 or more, *borderline* from 3.0 to 3.9,
*concern* below 3.0.

The quick overall check is:

* **red** when any of the six groups is a concern;
* **amber** when no group is a concern but any group is borderline, any
  factor is a concern, or partners see any factor very differently (a
  perception gap);
* **green** otherwise: every group a strength, no factor a concern, no gap.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.formats import round_half_away, write_number
from ..core.problems import PlanError
from ..models import FACTOR_GROUPS, FACTORS

if TYPE_CHECKING:
    import pandas as pd

    from ..models import PartnershipReview

__all__ = [
    "HEALTH_BANDS",
    "HealthScore",
    "band_health",
    "health_focus",
    "score_health",
]

#: Lowest rounded score of each band, highest band first.
HEALTH_BANDS = {"strength": 4.0, "borderline": 3.0, "concern": 1.0}


def band_health(scores: pd.Series) -> pd.Series:
    """Band scores: strength (≥ 4.0), borderline (3.0–3.9), concern (< 3.0), no data (empty).

    Scores are rounded to one decimal (half away from zero, as every page
    shows them) before banding, so 3.95 is a strength and 2.94 a concern.

    >>> import pandas as pd
    >>> band_health(pd.Series([3.95, 3.94, 2.95, 2.94, None])).tolist()
    ['strength', 'borderline', 'borderline', 'concern', 'no data']

    Args:
        scores: mean ratings on the 1–5 scale.

    Returns:
        The band of each score, in words, with the same index.
    """
    import numpy as np
    import pandas as pd

    values = pd.to_numeric(scores, errors="coerce").to_numpy(dtype=float)
    rounded = round_half_away(values, 1)
    band = np.select(
        [np.isnan(rounded), rounded >= HEALTH_BANDS["strength"], rounded >= HEALTH_BANDS["borderline"]],
        ["no data", "strength", "borderline"],
        "concern",
    )
    return pd.Series(band, index=scores.index, dtype=object)


@dataclass(frozen=True)
class HealthScore:
    """The health of the partnership in one review, compared with the review before.

    Attributes:
        review: the review's id; ``name`` and ``date`` say which it is.
        name: the review's name.
        date: the day the ratings were given.
        previous: the id of the review before it (None for the first); its
            name in ``previous_name``.
        previous_name: the earlier review's name, or None.
        factors: one row per factor, in the inventory's order: ``factor``,
            ``group``, ``score`` (mean of the partners' views), ``band``, ``ratings``
            (how many ratings it has: one per partner, or one per person), ``low``
            and ``high`` (the lowest and highest partner's view), ``spread`` (high − low),
            ``gap`` (spread ≥ the gap threshold), ``previous`` (score in the
            review before) and ``change`` (score − previous).
        groups: one row per group: ``group``, ``score`` (mean of its factor
            scores), ``band``, ``previous``, ``change``.
        by_party: the partners' views (mean of their people's ratings), one row
            per factor and one column per party.
        overall: ``red``, ``amber`` or ``green`` (the rule is in the module's docstring).
        reason: why, in words.
    """

    review: str
    name: str
    date: dt.date
    previous: str | None
    previous_name: str | None
    factors: pd.DataFrame
    groups: pd.DataFrame
    by_party: pd.DataFrame
    overall: str
    reason: str


def _factor_scores(ratings: pd.DataFrame) -> tuple[pd.DataFrame, pd.Series]:
    """Return per factor (all 20) the mean of the partners' views, the ratings, the lowest and highest view.

    A partner's view is the mean of its ratings (one, or one per person); the
    views come back too, by factor and party.
    """
    import pandas as pd

    views = ratings.groupby(["factor", "party"])["score"].mean()
    by_factor = views.groupby(level="factor")
    # each statistic on its own: one ``agg`` over a list of them costs several times as much
    stats = pd.DataFrame({"score": by_factor.mean(), "ratings": ratings.groupby("factor")["score"].count(),
                          "low": by_factor.min(), "high": by_factor.max()})
    return stats.reindex(list(FACTORS)), views


def _overall(groups: pd.DataFrame, factors: pd.DataFrame) -> tuple[str, str]:
    """Apply the red/amber/green rule and say why."""
    # six groups and twenty factors: plain lists, not a selection of rows each
    group_bands = list(zip(groups["group"].tolist(), groups["band"].tolist(), strict=True))
    factor_rows = list(zip(factors["factor"].tolist(), factors["band"].tolist(), factors["gap"].tolist(), strict=True))
    concern_groups = [group for group, band in group_bands if band == "concern"]
    if concern_groups:
        return "red", f"These groups are a concern: {', '.join(concern_groups)}."
    reasons = []
    borderline = [group for group, band in group_bands if band == "borderline"]
    if borderline:
        reasons.append(f"borderline groups: {', '.join(borderline)}")
    weak = [factor for factor, band, _ in factor_rows if band == "concern"]
    if weak:
        reasons.append(f"factors of concern: {', '.join(weak)}")
    gaps = [factor for factor, _, gap in factor_rows if gap]
    if gaps:
        reasons.append(f"partners see these differently: {', '.join(gaps)}")
    if reasons:
        return "amber", "Watch " + "; ".join(reasons) + "."
    if any(band == "no data" for _, band in group_bands):
        return "amber", "Some groups have no ratings yet."
    return "green", "Every group is a strength, no factor is a concern and partners agree."


def score_health(
    review: PartnershipReview, *, review_id: str | None = None, gap_at: float = 1.5
) -> HealthScore:
    """Score the partnership's health in one review and compare it with the review before.

    The latest review (by date) is scored unless ``review_id`` names another.
    The review before is the latest one dated earlier.

    >>> import datetime as dt
    >>> from partnerlib.models import FactorRating, PartnershipReview, Review
    >>> section = PartnershipReview(
    ...     reviews=[Review(id="r1", name="First", date=dt.date(2026, 3, 1))],
    ...     ratings=[FactorRating(review="r1", party="us", factor="flexibility", score=4),
    ...              FactorRating(review="r1", party="p1", factor="flexibility", score=2)])
    >>> health = score_health(section)
    >>> row = health.factors.set_index("factor").loc["flexibility"]
    >>> float(row["score"]), row["band"], float(row["spread"]), health.overall
    (3.0, 'borderline', 2.0, 'amber')

    Args:
        review: the plan's step-11 section.
        review_id: the id of the review to score, or None for the latest.
        gap_at: the spread (highest − lowest rating of a factor) from which
            partners are said to see it differently.

    Returns:
        A :class:`HealthScore`.
    """
    import pandas as pd

    from ..models import FactorRating, Review
    from .tables import records_table

    reviews = records_table(review.reviews, Review)
    if reviews.empty:
        raise PlanError.of("no_review_yet")
    order = reviews.assign(date=pd.to_datetime(reviews["date"])).sort_values("date", kind="stable")
    if review_id is None:
        chosen = order.iloc[-1]
    elif review_id in set(reviews["id"]):
        chosen = order[order["id"].eq(review_id)].iloc[0]
    else:
        raise PlanError.of("unknown_reference", field="review_id", what="a review", got=review_id,
                           known=list(reviews["id"]))
    earlier = order[order["date"] < chosen["date"]]
    before = earlier.iloc[-1] if len(earlier) else None

    ratings = records_table(review.ratings, FactorRating)
    current = ratings[ratings["review"].eq(chosen["id"])]
    factors, views = _factor_scores(current)
    factors["band"] = band_health(factors["score"])
    factors["spread"] = factors["high"] - factors["low"]
    factors["gap"] = factors["spread"].ge(gap_at)
    group_of = pd.Series(FACTORS)
    factors.insert(0, "group", group_of)
    groups = factors.groupby("group", sort=False)["score"].mean().reindex(list(FACTOR_GROUPS))
    if before is not None:
        previous = _factor_scores(ratings[ratings["review"].eq(before["id"])])[0]["score"]
    else:
        previous = pd.Series(float("nan"), index=factors.index)
    previous_groups = previous.groupby(group_of).mean().reindex(list(FACTOR_GROUPS))
    factors["previous"] = previous
    factors["change"] = factors["score"] - previous
    factors = factors.rename_axis("factor").reset_index()
    factors = factors[["factor", "group", "score", "band", "ratings", "low", "high", "spread", "gap",
                       "previous", "change"]]
    factors["ratings"] = factors["ratings"].fillna(0).astype(int)
    group_table = pd.DataFrame(
        {
            "group": list(FACTOR_GROUPS),
            "score": groups.to_numpy(dtype=float),
            "band": band_health(groups).to_numpy(),
            "previous": previous_groups.to_numpy(dtype=float),
        }
    )
    group_table["change"] = group_table["score"] - group_table["previous"]
    by_party = views.unstack("party").reindex(list(FACTORS))  # the views, a column per party
    by_party.columns.name = None
    overall, reason = _overall(group_table, factors)
    return HealthScore(
        review=str(chosen["id"]),
        name=str(chosen["name"]),
        date=chosen["date"].date(),
        previous=None if before is None else str(before["id"]),
        previous_name=None if before is None else str(before["name"]),
        factors=factors,
        groups=group_table,
        by_party=by_party,
        overall=overall,
        reason=reason,
    )


def health_focus(scored: HealthScore, *, top: int = 5) -> pd.DataFrame:
    """List what to talk about first: the weakest factors, the widest gaps, the biggest drops.

    Weakest: factors that are not a strength, lowest score first. Widest gaps:
    factors flagged as seen differently, widest spread first. Biggest drops:
    factors whose score fell since the review before, largest fall first. Each
    list holds at most ``top`` factors; ties keep the inventory's order.

    Args:
        scored: the result of :func:`score_health`.
        top: how many factors each list may hold.

    Returns:
        One row per item: ``focus`` (lowest score, widest gap or biggest drop),
        ``factor``, ``group``, ``score``, ``spread``, ``change`` and ``why`` in words.
    """
    import pandas as pd

    factors = scored.factors
    weak = factors[factors["band"].isin(["concern", "borderline"])].sort_values("score", kind="stable")
    gaps = factors[factors["gap"]].sort_values("spread", ascending=False, kind="stable")
    drops = factors[factors["change"] < 0].sort_values("change", kind="stable")
    parts = [
        weak.head(top).assign(focus="lowest score",
                              why=lambda t: "scored " + t["score"].map(lambda v: write_number(v, 1)).astype(str)
                              + " (" + t["band"] + ")"),
        gaps.head(top).assign(focus="widest gap",
                              why=lambda t: "ratings range from " + t["low"].map("{:.0f}".format).astype(str)
                              + " to " + t["high"].map("{:.0f}".format).astype(str)),
        drops.head(top).assign(focus="biggest drop",
                               why=lambda t: "fell by " + (-t["change"]).map(lambda v: write_number(v, 1)).astype(str)
                               + " since " + str(scored.previous_name)),
    ]
    columns = ["focus", "factor", "group", "score", "spread", "change", "why"]
    return pd.concat([p[columns] for p in parts], ignore_index=True)
