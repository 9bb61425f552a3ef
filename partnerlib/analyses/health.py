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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from math import fsum, isnan, nan
from typing import TYPE_CHECKING, NamedTuple

from ..core.formats import round_half_away, write_number
from ..core.problems import PlanError
from ..models import FACTOR_GROUPS, FACTORS

if TYPE_CHECKING:
    import pandas as pd

    from ..models import FactorRating, PartnershipReview

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


class _FactorStats(NamedTuple):
    """One factor in one review: the mean of the partners' views (1–5), its ratings, the lowest and highest view."""

    score: float
    ratings: int
    low: float
    high: float


def _factor_scores(
    ratings: Sequence[FactorRating],
) -> tuple[dict[str, _FactorStats], dict[tuple[str, str], float]]:
    """Return per rated factor the mean of the partners' views, its ratings, the lowest and highest view.

    A partner's view is the mean of its ratings (one, or one per person); the
    views come back too, by (factor, party). Twenty factors and a few parties:
    plain sums over the records, which is many times quicker than grouping tables.
    """
    rated: dict[tuple[str, str], list[int]] = {}
    for rating in ratings:
        rated.setdefault((rating.factor, rating.party), []).append(rating.score)
    views = {key: _mean(scores) for key, scores in rated.items()}
    by_factor: dict[str, list[float]] = {}
    counts: dict[str, int] = {}
    for (factor, party), view in views.items():
        by_factor.setdefault(factor, []).append(view)
        counts[factor] = counts.get(factor, 0) + len(rated[factor, party])
    stats = {factor: _FactorStats(_mean(seen), counts[factor], min(seen), max(seen))
             for factor, seen in by_factor.items()}
    return stats, views


def _mean(values: Iterable[float]) -> float:
    """Return the mean of the values that are numbers (NaN for none), as pandas' ``mean`` skips NaN."""
    present = [value for value in values if not isnan(value)]
    return fsum(present) / len(present) if present else nan


def _group_means(scores: Sequence[float]) -> list[float]:
    """Return each group's score, the mean of its factors' scores; ``scores`` in ``FACTORS`` order, groups in theirs."""
    by_group: dict[str, list[float]] = {group: [] for group in FACTOR_GROUPS}
    for score, group in zip(scores, FACTORS.values(), strict=True):
        by_group[group].append(score)
    return [_mean(values) for values in by_group.values()]


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

    if not review.reviews:
        raise PlanError.of("no_review_yet")
    order = sorted(review.reviews, key=lambda item: item.date)  # stable: same-day reviews keep their order
    if review_id is None:
        chosen = order[-1]
    else:
        named = [item for item in order if item.id == review_id]
        if not named:
            raise PlanError.of("unknown_reference", field="review_id", what="a review", got=review_id,
                               known=[item.id for item in review.reviews])
        chosen = named[0]
    dated_before = [item for item in order if item.date < chosen.date]
    before = dated_before[-1] if dated_before else None

    current, views = _factor_scores([rating for rating in review.ratings if rating.review == chosen.id])
    previous = {} if before is None else _factor_scores(
        [rating for rating in review.ratings if rating.review == before.id])[0]
    unrated = _FactorStats(nan, 0, nan, nan)
    stats = [current.get(factor, unrated) for factor in FACTORS]
    scores = [item.score for item in stats]
    spreads = [item.high - item.low for item in stats]
    earlier_scores = [previous.get(factor, unrated).score for factor in FACTORS]
    factors = pd.DataFrame({
        "factor": list(FACTORS),
        "group": list(FACTORS.values()),
        "score": scores,
        "band": band_health(pd.Series(scores)),
        "ratings": [item.ratings for item in stats],
        "low": [item.low for item in stats],
        "high": [item.high for item in stats],
        "spread": spreads,
        "gap": [spread >= gap_at for spread in spreads],  # NaN ≥ anything is False: no ratings, no gap
        "previous": earlier_scores,
        "change": [score - then for score, then in zip(scores, earlier_scores, strict=True)],
    })
    group_scores, group_previous = _group_means(scores), _group_means(earlier_scores)
    group_table = pd.DataFrame(
        {
            "group": list(FACTOR_GROUPS),
            "score": group_scores,
            "band": band_health(pd.Series(group_scores)).to_numpy(),
            "previous": group_previous,
            "change": [score - then for score, then in zip(group_scores, group_previous, strict=True)],
        }
    )
    parties = sorted({party for _, party in views})
    by_party = pd.DataFrame(  # the views, a column per party
        {party: [views.get((factor, party), nan) for factor in FACTORS] for party in parties},
        index=pd.Index(list(FACTORS), name="factor"), columns=pd.Index(parties, dtype="str"), dtype=float,
    )
    overall, reason = _overall(group_table, factors)
    return HealthScore(
        review=chosen.id,
        name=chosen.name,
        date=chosen.date,
        previous=None if before is None else before.id,
        previous_name=None if before is None else before.name,
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
