"""Step 4 — weighted SWOT: internal and external factor scores, TOWS strategies, position.

Each factor carries a weight (its importance, 0–1) and a rating (1–4). The
weighted score of a factor is weight × rating; the internal total (strengths
and weaknesses) and the external total (opportunities and threats) each fall
between 1.0 and 4.0, with 2.5 as the midpoint. Weights must sum to 1 on each
side. The two totals place the partnership in one of four quadrants, and each
quadrant points to the TOWS strategies to lead with.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.formats import write_number
from ..core.problems import Problem
from ..models import (
    SWOT_KINDS,
    SWOT_RATINGS,
    TOWS_KINDS,
    SwotFactor,
    TowsStrategy,
)
from .checks import (
    as_table,
    choice_problems,
    raise_problems,
    repeat_problems,
    row_problems,
    rule_problems,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "FACTOR_COLUMNS",
    "MIDPOINT",
    "POSITIONS",
    "STRATEGY_COLUMNS",
    "SwotScore",
    "score_swot",
    "tows_table",
]

#: Columns a SWOT factor table must have (as from ``records_table(swot, SwotFactor)``).
FACTOR_COLUMNS = ("id", "kind", "text", "weight", "rating")
#: Columns a TOWS strategy table must have (as from ``records_table(strategies, TowsStrategy)``).
STRATEGY_COLUMNS = ("kind", "factors", "text")
#: The middle of the 1–4 scale: a total at or above it counts as high.
MIDPOINT = 2.5
#: Weights may miss 1 by this much before they count as not summing to 1.
WEIGHT_TOLERANCE = 0.005

_SIDES = {"internal": ("strength", "weakness"), "external": ("opportunity", "threat")}
_SIDE_OF = {kind: side for side, kinds in _SIDES.items() for kind in kinds}
#: Which factor kinds each TOWS quadrant pairs (internal kind, external kind).
_QUADRANT_KINDS = {
    "SO": ("strength", "opportunity"),
    "ST": ("strength", "threat"),
    "WO": ("weakness", "opportunity"),
    "WT": ("weakness", "threat"),
}
_PLURAL = {
    "strength": "strengths",
    "weakness": "weaknesses",
    "opportunity": "opportunities",
    "threat": "threats",
}

#: The four positions on the internal × external grid, by the TOWS quadrant they
#: favour: (label, what it means).
POSITIONS = {
    "SO": (
        "Grow and build",
        "Strong inside and responding well outside: use the strengths to take the opportunities.",
    ),
    "ST": (
        "Hold and defend",
        "Strong inside but responding poorly outside: use the strengths to meet the threats.",
    ),
    "WO": (
        "Fix and take chances",
        "Weak inside but responding well outside: fix the weaknesses so the opportunities "
        "can be taken.",
    ),
    "WT": (
        "Protect and rethink",
        "Weak inside and responding poorly outside: reduce the weaknesses, avoid the threats, "
        "and rethink the plan.",
    ),
}


@dataclass(frozen=True, eq=False)
class SwotScore:
    """A scored SWOT: the per-factor table, the two totals and where they place the partnership.

    Attributes:
        table: one row per factor — id, kind, side, text, weight (as used),
            rating and weighted_score (weight × rating).
        internal: the internal total (strengths and weaknesses), 1.0–4.0.
        external: the external total (opportunities and threats), 1.0–4.0.
        quadrant: the TOWS quadrant the position favours (SO, ST, WO or WT).
        position: the position's label, such as "Grow and build".
        explanation: what the position means, in a sentence.
        changes: what ``normalise=True`` changed, one message per side rescaled.
    """

    table: pd.DataFrame
    internal: float
    external: float
    quadrant: str
    position: str
    explanation: str
    changes: tuple[str, ...] = ()


# ---- input checks --------------------------------------------------------


def _checked_factors(factors: Any) -> pd.DataFrame:
    """Check a SWOT factor table once: kinds, weights 0–1, ratings that fit each kind."""
    import pandas as pd

    table = as_table(factors, SwotFactor, FACTOR_COLUMNS, "swot")
    table["id"] = table["id"].astype(str)
    weight = pd.to_numeric(table["weight"], errors="coerce")
    rating = pd.to_numeric(table["rating"], errors="coerce")
    kind_ok = table["kind"].isin(SWOT_KINDS)
    low = table["kind"].map({k: r[0] for k, r in SWOT_RATINGS.items()})
    high = table["kind"].map({k: r[1] for k, r in SWOT_RATINGS.items()})
    problems = choice_problems(table, "swot", "kind", SWOT_KINDS)
    problems += rule_problems(table, "swot", "weight", ~weight.between(0, 1), "fraction")
    bad_rating = kind_ok & ~(rating.between(low, high) & (rating == rating.round()))
    problems += row_problems(
        table,
        "swot",
        bad_rating,
        "kind_rating",
        lambda row: {"field": "rating", "kind": row["kind"], "low": SWOT_RATINGS[row["kind"]][0],
                     "high": SWOT_RATINGS[row["kind"]][1], "got": row["rating"]},
    )
    problems += repeat_problems(table, "swot", ["id"])
    raise_problems(problems, "SWOT factors")
    table["weight"] = weight.astype(float)
    table["rating"] = rating.astype(int)
    table["side"] = table["kind"].map(_SIDE_OF)
    return table


# ---- scoring ---------------------------------------------------------------


def score_swot(factors: Any, *, normalise: bool = False) -> SwotScore:
    """Score a weighted SWOT: weight × rating per factor, an internal and an external total.

    The internal total (strengths and weaknesses) and the external total
    (opportunities and threats) each lie between 1.0 and 4.0; 2.5 is the
    midpoint. On each side the weights must sum to 1 (within 0.005). When they
    do not, an error names the side and the sum — unless ``normalise=True``,
    which divides each weight on that side by the side's sum and says so in
    ``changes``.

    >>> from partnerlib.models import SwotFactor
    >>> result = score_swot([
    ...     SwotFactor(id="s1", kind="strength", text="Trusted clinic", weight=0.6, rating=4),
    ...     SwotFactor(id="w1", kind="weakness", text="Few staff", weight=0.4, rating=1),
    ...     SwotFactor(id="o1", kind="opportunity", text="New grant", weight=0.7, rating=3),
    ...     SwotFactor(id="t1", kind="threat", text="Floods", weight=0.3, rating=2),
    ... ])
    >>> round(result.internal, 2), round(result.external, 2), result.position
    (2.8, 2.7, 'Grow and build')

    Args:
        factors: the SWOT factors, as a table from ``records_table(swot,
            SwotFactor)`` or a list of ``SwotFactor``.
        normalise: rescale weights that do not sum to 1 instead of refusing them.

    Returns:
        A :class:`SwotScore` with the per-factor table, the totals and the position.

    Raises:
        InvalidInput: a column is missing, a row breaks a rule (named by its
            number), a side has no factors, or a side's weights do not sum to 1.
    """
    table = _checked_factors(factors)
    sums = table.groupby("side")["weight"].sum().reindex(list(_SIDES), fill_value=0.0)
    counts = table["side"].value_counts().reindex(list(_SIDES), fill_value=0)
    problems: list[Problem] = []
    changes: list[str] = []
    for side, kinds in _SIDES.items():
        total = round(float(sums[side]), 6)
        named = {"side": side, "first": _PLURAL[kinds[0]], "second": _PLURAL[kinds[1]]}
        if counts[side] == 0 or total == 0:
            problems.append(Problem((), "no_weights", named))
        elif abs(total - 1) > WEIGHT_TOLERANCE and not normalise:
            problems.append(Problem((), "weights_not_one", named | {"total": total}))
        elif abs(total - 1) > WEIGHT_TOLERANCE:
            changes.append(f"{side} weights summed to {write_number(total)}; each was divided by {write_number(total)}")
    raise_problems(problems, "SWOT weights")
    if normalise:  # also a side within the tolerance, so the totals stay within 1–4
        table["weight"] = table["weight"] / table["side"].map(sums)
    table["weighted_score"] = table["weight"] * table["rating"]
    totals = table.groupby("side")["weighted_score"].sum()
    internal, external = float(totals["internal"]), float(totals["external"])
    quadrant = ("S" if internal >= MIDPOINT else "W") + ("O" if external >= MIDPOINT else "T")
    label, explanation = POSITIONS[quadrant]
    columns = ["id", "kind", "side", "text", "weight", "rating", "weighted_score"]
    return SwotScore(
        table=table[columns],
        internal=internal,
        external=external,
        quadrant=quadrant,
        position=label,
        explanation=explanation,
        changes=tuple(changes),
    )


def _checked_strategies(strategies: Any, factors: pd.DataFrame) -> pd.DataFrame:
    """Check a TOWS table once: known kinds, known factor ids of the kinds the quadrant pairs."""
    import pandas as pd

    table = as_table(strategies, TowsStrategy, STRATEGY_COLUMNS, "strategies")
    table["factors"] = table["factors"].map(
        lambda ids: [str(i) for i in ids] if isinstance(ids, list | tuple) else []
    )
    problems = choice_problems(table, "strategies", "kind", TOWS_KINDS)
    pairs = table[["kind", "factors"]].explode("factors").dropna()
    pairs["factor_kind"] = pairs["factors"].map(
        dict(zip(factors["id"], factors["kind"], strict=True))
    )
    allowed = {(quadrant, kind) for quadrant, kinds in _QUADRANT_KINDS.items() for kind in kinds}
    unknown = pairs["factor_kind"].isna()
    fits = pd.MultiIndex.from_frame(pairs[["kind", "factor_kind"]]).isin(allowed)
    wrong = ~unknown & pairs["kind"].isin(TOWS_KINDS) & ~fits
    for index, row in pairs[unknown].iterrows():
        problems.append(Problem(("strategies", int(index)), "broken_rule",
                                {"field": "factors", "rule": "id", "what": "a SWOT factor", "got": row["factors"]}))
    for index, row in pairs[wrong].iterrows():
        inner, outer = _QUADRANT_KINDS[row["kind"]]
        problems.append(Problem(("strategies", int(index)), "wrong_pairing", {
            "field": "factors", "kind": row["kind"], "inner": _PLURAL[inner], "outer": _PLURAL[outer],
            "got": row["factors"], "factor_kind": row["factor_kind"]}))
    raise_problems(sorted(problems, key=lambda p: (not p.path, p.path)), "TOWS strategies")
    return table


def tows_table(factors: Any, strategies: Any = (), *, suggestions: int = 3) -> pd.DataFrame:
    """List the TOWS strategies per quadrant, ranked by weight, with the best unwritten pairs.

    A TOWS strategy pairs internal factors with external ones: SO uses
    strengths to take opportunities, ST uses strengths to meet threats, WO
    fixes weaknesses to take opportunities, WT reduces weaknesses and avoids
    threats. Each strategy's combined weight is the sum of the weights of the
    factors it pairs. Besides the strategies written, the pairs of one internal
    and one external factor that no strategy covers yet are suggested: the
    ``suggestions`` heaviest per quadrant.

    >>> from partnerlib.models import SwotFactor, TowsStrategy
    >>> factors = [
    ...     SwotFactor(id="s1", kind="strength", text="Trusted clinic", weight=0.6, rating=4),
    ...     SwotFactor(id="w1", kind="weakness", text="Few staff", weight=0.4, rating=1),
    ...     SwotFactor(id="o1", kind="opportunity", text="New grant", weight=1.0, rating=3),
    ... ]
    >>> written = [TowsStrategy(kind="SO", factors=["s1", "o1"], text="Apply together")]
    >>> tows_table(factors, written)[["quadrant", "status", "combined_weight", "pairs"]]
      quadrant     status  combined_weight                         pairs
    0       SO    written              1.6  Trusted clinic + New grant
    1       WO  suggested              1.4       Few staff + New grant

    Args:
        factors: the SWOT factors (table or list of ``SwotFactor``).
        strategies: the strategies written so far (table or list of ``TowsStrategy``).
        suggestions: how many unwritten pairs to suggest per quadrant (0 for none).

    Returns:
        One row per strategy or suggestion, by quadrant (SO, ST, WO, WT) and
        heaviest first: quadrant, rank (1 = heaviest in its quadrant), status
        ("written" or "suggested"), combined_weight, factors (tuple of ids),
        pairs (the factors' texts joined by " + ") and strategy (its text;
        empty for a suggestion).
    """
    import pandas as pd

    table = _checked_factors(factors)
    written = _checked_strategies(strategies, table)
    weight = dict(zip(table["id"], table["weight"], strict=True))
    text = dict(zip(table["id"], table["text"], strict=True))
    rows = pd.DataFrame(
        {
            "quadrant": written["kind"],
            "status": "written",
            "combined_weight": written["factors"].map(lambda ids: sum(weight[i] for i in ids)),
            "factors": written["factors"].map(tuple),
            "strategy": written["text"].fillna("").astype(str),
        }
    )
    inner = table[table["side"] == "internal"][["id", "kind", "weight"]]
    outer = table[table["side"] == "external"][["id", "kind", "weight"]]
    pairs = inner.merge(outer, how="cross", suffixes=("_in", "_out"))
    pairs["quadrant"] = pairs["kind_in"].str[0].str.upper() + pairs["kind_out"].str[0].str.upper()
    pairs["combined_weight"] = pairs["weight_in"] + pairs["weight_out"]
    covered = {(a, b) for ids in written["factors"] for a in ids for b in ids if a != b}
    keys = pd.Series(list(zip(pairs["id_in"], pairs["id_out"], strict=True)), index=pairs.index)
    open_pairs = pairs[~keys.isin(covered)].sort_values(
        "combined_weight", ascending=False, kind="stable"
    )
    suggested = open_pairs.groupby("quadrant", sort=False).head(max(suggestions, 0))
    rows = pd.concat(
        [
            rows,
            pd.DataFrame(
                {
                    "quadrant": suggested["quadrant"],
                    "status": "suggested",
                    "combined_weight": suggested["combined_weight"],
                    "factors": list(zip(suggested["id_in"], suggested["id_out"], strict=True)),
                    "strategy": "",
                }
            ),
        ],
        ignore_index=True,
    )
    rows["pairs"] = rows["factors"].map(lambda ids: " + ".join(text[i] for i in ids))
    rows["order"] = rows["quadrant"].map({kind: n for n, kind in enumerate(TOWS_KINDS)})
    rows["written_first"] = rows["status"] != "written"
    rows = rows.sort_values(
        ["order", "combined_weight", "written_first"], ascending=[True, False, True], kind="stable"
    ).reset_index(drop=True)
    rows["rank"] = rows.groupby("quadrant").cumcount() + 1
    rows["combined_weight"] = rows["combined_weight"].astype(float).round(10)
    columns = ["quadrant", "rank", "status", "combined_weight", "factors", "pairs", "strategy"]
    return rows[columns]
