"""The workshop room's live results: how many answered, the median and spread per item, and disagreement.

Participants rate items (collaboration factors, risks, candidates on criteria)
on a scale; each person's latest answer to an item counts. Per item the room
shows the median and the interquartile range (IQR, the middle half of the
answers), and flags **disagreement** when the IQR is 2 points or more on a
5-point scale, or when two partner organisations' mean answers are 1 point or
more apart (a perception gap between partners). Both thresholds are keywords.

Each participant's pairwise (AHP) judgments of criteria can be checked for
consistency with :func:`ahp_consistency`, which uses the same
:func:`~partnerlib.analyses.selection.ahp_weights` as step 4.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..core.problems import InvalidInput, PlanError, sentence
from .checks import require_columns
from .selection import ahp_weights

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "JUDGMENT_COLUMNS",
    "RATING_COLUMNS",
    "ahp_consistency",
    "latest_answers",
    "party_means",
    "summarise_ratings",
]

#: Columns of a table of answers: one row per participant and item, in the order received.
RATING_COLUMNS = ("participant", "party", "item", "value")
#: Columns of a table of pairwise judgments: ``value`` says how much more
#: important ``row`` is than ``column`` to that participant (Saaty's 1/9–9).
JUDGMENT_COLUMNS = ("participant", "row", "column", "value")


def latest_answers(answers: pd.DataFrame) -> pd.DataFrame:
    """Keep each participant's latest answer to each item: answering again replaces an answer.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"participant": ["a", "b", "a"], "party": ["us"] * 3,
    ...                      "item": ["x"] * 3, "value": [1, 4, 5]})
    >>> latest_answers(rows)["value"].tolist()
    [4, 5]

    Args:
        answers: columns :data:`RATING_COLUMNS`, oldest first.

    Returns:
        The same columns, one row per participant and item, in the order received.
    """
    require_columns(answers, RATING_COLUMNS, "answers")
    return answers.drop_duplicates(["participant", "item"], keep="last").reset_index(drop=True)


def party_means(answers: pd.DataFrame, *, items: list[str] | None = None) -> pd.DataFrame:
    """Return each partner organisation's mean answer per item (a perception table).

    Args:
        answers: columns :data:`RATING_COLUMNS`, one answer per participant and item.
        items: the items in the order to show them (all items, unanswered ones
            empty); None lists the answered items in order of appearance.

    Returns:
        One row per item (the index) and one column per party, sorted by party id.
    """
    require_columns(answers, RATING_COLUMNS, "answers")
    order = items if items is not None else list(dict.fromkeys(answers["item"]))
    table = answers.pivot_table(index="item", columns="party", values="value", aggfunc="mean")
    table = table.reindex(index=order, columns=sorted(table.columns))
    table.columns.name = None
    return table


def summarise_ratings(
    answers: pd.DataFrame,
    *,
    items: list[str] | None = None,
    iqr_at: float = 2.0,
    gap_at: float = 1.0,
) -> pd.DataFrame:
    """Summarise the room's ratings per item: count, median, quartiles, partners' gap, disagreement.

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"participant": list("abcde"), "party": ["us"] * 3 + ["clinic"] * 2,
    ...                      "item": ["trust"] * 5, "value": [1, 2, 3, 4, 5]})
    >>> row = summarise_ratings(rows).iloc[0]
    >>> int(row["responses"]), float(row["median"]), float(row["iqr"]), float(row["party_gap"]), row["why"]
    (5, 3.0, 2.0, 2.5, 'answers spread widely (IQR 2); partners 2.5 apart')

    Args:
        answers: columns :data:`RATING_COLUMNS`, one answer per participant and
            item (see :func:`latest_answers`); ``value`` a number.
        items: the items in the order to show them, unanswered ones included;
            None lists the answered items in order of appearance.
        iqr_at: the interquartile range (points) from which the room is said to disagree.
        gap_at: how far apart (points) two partners' means may be before the room is said to disagree.

    Returns:
        One row per item: ``item``, ``responses``, ``total`` (the sum: a dot
        vote's dots), ``median``, ``q1``, ``q3``,
        ``iqr`` (q3 − q1), ``low``, ``high``, ``party_gap`` (highest − lowest
        partner mean; 0 with one partner), ``disagreement`` (bool) and ``why``
        (in words, empty when the room agrees). Quartiles are interpolated
        linearly; an item nobody answered has 0 responses and empty figures.
    """
    import pandas as pd

    require_columns(answers, RATING_COLUMNS, "answers")
    order = items if items is not None else list(dict.fromkeys(answers["item"]))
    values = answers.assign(value=pd.to_numeric(answers["value"], errors="coerce")).groupby("item")["value"]
    stats = pd.DataFrame(
        {
            "responses": values.count(),
            "total": values.sum(),
            "median": values.median(),
            "q1": values.quantile(0.25),
            "q3": values.quantile(0.75),
            "low": values.min(),
            "high": values.max(),
        }
    ).reindex(order)
    means = party_means(answers, items=order)
    stats["party_gap"] = (means.max(axis=1) - means.min(axis=1)).where(stats["responses"].gt(0))
    stats["responses"] = stats["responses"].fillna(0).astype(int)
    stats["total"] = stats["total"].fillna(0)
    stats["iqr"] = stats["q3"] - stats["q1"]
    spread = stats["iqr"].ge(iqr_at - 1e-9)
    apart = stats["party_gap"].ge(gap_at - 1e-9)
    stats["disagreement"] = spread | apart
    stats["why"] = [_why(iqr, gap, wide=wide, far=far)
                    for iqr, gap, wide, far in zip(stats["iqr"], stats["party_gap"], spread, apart, strict=True)]
    stats = stats.rename_axis("item").reset_index()
    return stats[["item", "responses", "total", "median", "q1", "q3", "iqr", "low", "high", "party_gap",
                  "disagreement", "why"]]


def _why(iqr: float, gap: float, *, wide: bool, far: bool) -> str:
    """Say why the room disagrees on an item: the answers' spread, the partners' gap, or both ('' if neither)."""
    said = [sentence("room_spread", iqr=iqr)] if wide else []
    return "; ".join(said + [sentence("room_apart", gap=gap)] if far else said)


def ahp_consistency(judgments: pd.DataFrame, criteria: list[str]) -> pd.DataFrame:
    """Check each participant's pairwise judgments of the criteria: weights and consistency ratio.

    Each participant compares each pair of criteria once; the mirror cell is
    the reciprocal and the diagonal 1, as :func:`ahp_weights` expects. A pair
    left out counts as equal (1).

    >>> import pandas as pd
    >>> rows = pd.DataFrame({"participant": ["a"] * 3, "row": ["cost", "cost", "reach"],
    ...                      "column": ["reach", "trust", "trust"], "value": [3, 9, 1 / 5]})
    >>> result = ahp_consistency(rows, ["cost", "reach", "trust"]).iloc[0]
    >>> result["participant"], round(float(result["consistency_ratio"]), 2), bool(result["consistent"])
    ('a', 0.75, False)

    Args:
        judgments: columns :data:`JUDGMENT_COLUMNS`.
        criteria: the criteria's names, in order.

    Returns:
        One row per participant (in order of appearance): ``participant``,
        ``consistency_ratio``, ``consistent`` (ratio below 0.1) and one
        column of weights per criterion.

    Raises:
        InvalidInput: a judgment names a criterion not in ``criteria``, or is
            not a positive number.
    """
    import numpy as np
    import pandas as pd

    require_columns(judgments, JUDGMENT_COLUMNS, "judgments")
    position = {name: number for number, name in enumerate(criteria)}
    rows = []
    for participant, own in judgments.groupby("participant", sort=False):
        matrix = np.ones((len(criteria), len(criteria)))
        for row, column, value in own[["row", "column", "value"]].itertuples(index=False):
            if row not in position or column not in position:
                raise PlanError.of("not_a_criterion", participant=participant, row=row, column=column,
                                   criteria=criteria)
            matrix[position[row], position[column]] = value
            matrix[position[column], position[row]] = 1 / value
        try:
            result = ahp_weights(pd.DataFrame(matrix, index=criteria, columns=criteria))
        except InvalidInput as error:
            raise InvalidInput(error.problems, sentence("judgments_of", participant=participant)) from None
        rows.append({"participant": participant, "consistency_ratio": result.consistency_ratio,
                     "consistent": result.consistent, **result.weights.to_dict()})
    return pd.DataFrame(rows, columns=["participant", "consistency_ratio", "consistent", *criteria])
