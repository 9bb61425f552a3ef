"""Step 3 — choosing partners: weighted scores, gates, sensitivity, due diligence, AHP weights.

Each candidate is scored 1–5 on weighted criteria. Weights are normalised to
sum to 1, so any positive scale works (1–10, percentages …). A criterion may
be a must-pass gate: a candidate scoring below its minimum is out, whatever
its total. A score not given counts as not scored — flagged, never taken as 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..core.problems import InvalidInput, Problem
from ..models import (
    AUDIT_CHECKS,
    AuditItem,
    Candidate,
    Criterion,
    Need,
    Score,
)
from .checks import (
    as_table,
    choice_problems,
    raise_problems,
    repeat_problems,
    rule_problems,
    unknown_problems,
    whole_number_problems,
)

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

__all__ = [
    "AUDIT_COLUMNS",
    "AhpWeights",
    "CANDIDATE_COLUMNS",
    "CRITERION_COLUMNS",
    "RANDOM_INDEX",
    "SCORE_COLUMNS",
    "ahp_weights",
    "audit_table",
    "score_candidates",
    "selection_sensitivity",
]

#: Columns each input table must have (as from ``records_table(..., Model)``).
CANDIDATE_COLUMNS = ("id", "name", "need", "status")
CRITERION_COLUMNS = ("id", "name", "weight", "gate", "minimum")
SCORE_COLUMNS = ("candidate", "criterion", "score")
AUDIT_COLUMNS = ("candidate", "check", "result")
AUDIT_RESULTS = ("pass", "concern", "fail", "not checked")

#: Saaty's random consistency index by matrix size (1–10).
RANDOM_INDEX = {
    1: 0.0,
    2: 0.0,
    3: 0.58,
    4: 0.90,
    5: 1.12,
    6: 1.24,
    7: 1.32,
    8: 1.41,
    9: 1.45,
    10: 1.49,
}
#: A consistency ratio at or above this means the comparisons contradict each other.
CONSISTENCY_LIMIT = 0.1
#: Steps of the sensitivity sweep each way before the crossing is refined by bisection.
SWEEP_STEPS = 400


# ---- input checks ------------------------------------------------------------


def _checked(candidates: Any, criteria: Any, scores: Any) -> tuple[pd.DataFrame, ...]:
    """Check the three tables once; return them with a candidate × criterion score matrix."""
    import pandas as pd

    people = as_table(candidates, Candidate, CANDIDATE_COLUMNS, "candidates")
    rules = as_table(criteria, Criterion, CRITERION_COLUMNS, "criteria")
    marks = as_table(scores, Score, SCORE_COLUMNS, "scores")
    for table, columns in (
        (people, ["id", "need"]),
        (rules, ["id"]),
        (marks, ["candidate", "criterion"]),
    ):
        table[columns] = table[columns].fillna("").astype(str)
    weight = pd.to_numeric(rules["weight"], errors="coerce")
    minimum = pd.to_numeric(rules["minimum"], errors="coerce")
    value = pd.to_numeric(marks["score"], errors="coerce")
    problems = repeat_problems(people, "candidates", ["id"])
    problems += repeat_problems(rules, "criteria", ["id"])
    problems += rule_problems(rules, "criteria", "weight", ~(weight > 0), "positive")
    problems += whole_number_problems(rules, "criteria", "minimum", 1, 5, values=minimum)
    problems += whole_number_problems(marks, "scores", "score", 1, 5, values=value)
    problems += unknown_problems(marks, "scores", "candidate", people["id"], "a candidate")
    problems += unknown_problems(marks, "scores", "criterion", rules["id"], "a criterion")
    problems += repeat_problems(marks, "scores", ["candidate", "criterion"], "scored_twice")
    raise_problems(problems, "Selection tables")
    rules["weight"] = weight.astype(float)
    rules["minimum"] = minimum.astype(int)
    rules["gate"] = rules["gate"].fillna(False).astype(bool)
    marks["score"] = value.astype(float)
    matrix = marks.pivot(index="candidate", columns="criterion", values="score").reindex(
        index=people["id"], columns=rules["id"]
    )
    return people, rules, matrix


def _need_titles(people: pd.DataFrame, needs: Any) -> pd.Series:
    """The title of each candidate's need: from ``needs`` when given, else the need's id."""
    import pandas as pd

    if needs is None:
        titles: dict[str, str] = {}
    elif isinstance(needs, dict):
        titles = {str(k): str(v) for k, v in needs.items()}
    else:
        table = as_table(needs, Need, ("id", "title"), "needs")
        titles = dict(zip(table["id"].astype(str), table["title"].astype(str), strict=True))
    named = people["need"].map(titles)
    return pd.Series(
        named.where(named.notna(), people["need"].where(people["need"] != "", "(no need chosen)")),
        index=people.index,
    )


def _joined(mask: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Join, per row, the words whose cell in ``mask`` is true ("a; b"); "" where none is."""
    import numpy as np

    cells = np.where(mask, np.char.add(words.astype(str), "; "), "").astype(object)
    joined = cells.sum(axis=1) if cells.shape[1] else np.full(cells.shape[0], "", dtype=object)
    return np.array([text.removesuffix("; ") for text in joined], dtype=object).astype(str)


# ---- scoring -----------------------------------------------------------------


def _weighted(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weighted mean per row over the scored cells only (NaN where nothing is scored)."""
    import numpy as np

    scored = ~np.isnan(matrix)
    numerator = np.where(scored, matrix, 0.0) @ weights
    denominator = scored @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(denominator > 0, numerator / denominator, np.nan)


def score_candidates(
    candidates: Any, criteria: Any, scores: Any, *, needs: Any = None
) -> pd.DataFrame:
    """Score and rank each candidate within its need; apply the gates; flag missing scores.

    The weighted score is the weighted mean of the candidate's 1–5 scores
    (weights normalised to sum to 1), shown also as a percentage of the scale
    (1 → 0 %, 5 → 100 %). A criterion not scored is left out of that mean and
    listed in ``missing``; ``scored_weight`` says how much of the total weight
    was scored. A candidate scoring below a gate's minimum is out whatever its
    score, and the gate is named. Candidates still in are ranked within their
    need (1 = best; equal scores share a rank).

    >>> candidates = [Candidate(id="a", name="Hope Clinic", need="n1"),
    ...               Candidate(id="b", name="Bright Water", need="n1")]
    >>> criteria = [Criterion(id="fit", name="Values fit", weight=2, gate=True, minimum=3),
    ...             Criterion(id="cost", name="Cost", weight=1)]
    >>> scores = [Score(candidate="a", criterion="fit", score=4),
    ...           Score(candidate="a", criterion="cost", score=2),
    ...           Score(candidate="b", criterion="fit", score=2),
    ...           Score(candidate="b", criterion="cost", score=5)]
    >>> scored = score_candidates(candidates, criteria, scores)
    >>> scored[["name", "weighted_score", "percent", "rank"]].round(2)
               name  weighted_score  percent  rank
    0   Hope Clinic            3.33    58.33     1
    1  Bright Water            3.00    50.00  <NA>
    >>> scored["result"].tolist()
    ['winner', 'out: below the minimum on Values fit (2, needs 3)']

    Args:
        candidates: candidates (table or list of ``Candidate``): id, name, need, status.
        criteria: criteria (table or list of ``Criterion``): id, name, weight, gate, minimum.
        scores: scores (table or list of ``Score``): candidate, criterion, score (1–5).
        needs: the needs (table, list of ``Need`` or dict id → title), to name them.

    Returns:
        One row per candidate, in the order given: candidate, name, need,
        need_title, status, weighted_score (1–5), percent (0–100), rank
        (within the need, empty when out or unscored), winner, passes_gates,
        failed_gates, unscored_gates, missing, scored_weight (0–100 %) and
        result (in words).
    """
    import numpy as np
    import pandas as pd

    people, rules, matrix = _checked(candidates, criteria, scores)
    weights = (rules["weight"] / rules["weight"].sum()).to_numpy() if len(rules) else np.zeros(0)
    values = matrix.to_numpy(dtype=float)
    names = rules["name"].astype(str).to_numpy(dtype=str)
    gate = rules["gate"].to_numpy()
    minimum = rules["minimum"].to_numpy()
    failed = gate & ~np.isnan(values) & (values < minimum)
    unscored = np.isnan(values)
    failed_words = (
        np.char.add(
            np.char.add(names, " ("),
            np.char.add(
                np.char.add(np.nan_to_num(values).astype(int).astype(str), ", needs "),
                np.char.add(minimum.astype(str), ")"),
            ),
        )
        if values.size
        else names
    )
    out = pd.DataFrame(
        {
            "candidate": people["id"],
            "name": people["name"].astype(str),
            "need": people["need"],
            "need_title": _need_titles(people, needs),
            "status": people["status"],
            "weighted_score": _weighted(values, weights),
        }
    )
    out["percent"] = (out["weighted_score"] - 1) / 4 * 100
    out["passes_gates"] = ~failed.any(axis=1)
    out["failed_gates"] = _joined(failed, np.broadcast_to(failed_words, values.shape))
    out["unscored_gates"] = _joined(gate & unscored, np.broadcast_to(names, values.shape))
    out["missing"] = _joined(unscored, np.broadcast_to(names, values.shape))
    out["scored_weight"] = (~unscored @ weights) * 100 if len(rules) else 0.0
    ranked = out["weighted_score"].where(out["passes_gates"])
    out["rank"] = ranked.groupby(out["need"]).rank(ascending=False, method="min").astype("Int64")
    out["winner"] = (out["rank"] == 1).fillna(False).astype(bool)
    out["result"] = np.select(
        [~out["passes_gates"], out["weighted_score"].isna(), out["winner"]],
        ["out: below the minimum on " + out["failed_gates"], "not scored yet", "winner"],
        default="ranked " + out["rank"].astype(str),
    )
    incomplete = out["passes_gates"] & (out["missing"] != "") & out["weighted_score"].notna()
    out.loc[incomplete, "result"] = out["result"] + "; not scored on " + out["missing"]
    columns = [
        "candidate",
        "name",
        "need",
        "need_title",
        "status",
        "weighted_score",
        "percent",
        "rank",
        "winner",
        "passes_gates",
        "failed_gates",
        "unscored_gates",
        "missing",
        "scored_weight",
        "result",
    ]
    return out[columns]


# ---- sensitivity ---------------------------------------------------------------


def _winners(
    shares: np.ndarray, which: np.ndarray, base: np.ndarray, values: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """The winning column for each (share, criterion) pair; -1 when nobody has a score.

    Criterion ``which[i]`` takes the share ``shares[i]`` of the total weight
    and the other criteria keep their proportions; ties go to the first
    candidate listed.
    """
    import numpy as np

    scored = ~np.isnan(values)  # candidates × criteria
    filled = np.where(scored, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = (1 - shares) / (1 - base[which])  # how much the other weights shrink or grow
        full = np.broadcast_to(weights, (len(shares), len(weights))) * ratio[:, None]
        full[np.arange(len(shares)), which] = shares
        numerator = full @ filled.T
        denominator = full @ scored.T
        score = np.where(denominator > 0, numerator / denominator, -np.inf)
    score = np.where(np.isnan(score), -np.inf, score)
    winner = np.argmax(score, axis=1)
    return np.where(np.isfinite(score.max(axis=1)), winner, -1)


def selection_sensitivity(
    candidates: Any, criteria: Any, scores: Any, *, needs: Any = None
) -> pd.DataFrame:
    """Say how far each criterion's weight must move, up or down, before a need's winner changes.

    For each need and criterion, the criterion's weight is moved while the
    other weights stay as they are; the candidates that pass the gates are
    compared as in :func:`score_candidates` (ties go to the first listed). The
    weight's share of the total runs over its whole feasible range, 0 to 1
    (exclusive). The crossing is found by a vectorised sweep of 400 steps each
    way, refined by bisection to about 1e-9 of the share. Where the winner
    never changes, the ``weight_needed`` and following columns are empty.

    >>> candidates = [Candidate(id="a", name="A", need="n1"),
    ...               Candidate(id="b", name="B", need="n1")]
    >>> criteria = [Criterion(id="cost", name="Cost", weight=3),
    ...             Criterion(id="quality", name="Quality", weight=1)]
    >>> scores = [Score(candidate="a", criterion="cost", score=5),
    ...           Score(candidate="a", criterion="quality", score=1),
    ...           Score(candidate="b", criterion="cost", score=2),
    ...           Score(candidate="b", criterion="quality", score=5)]
    >>> table = selection_sensitivity(candidates, criteria, scores)
    >>> table[["criterion", "direction", "weight_needed", "new_winner"]].round(4)
      criterion direction  weight_needed new_winner
    0      cost        up            NaN       None
    1      cost      down         1.3333          B
    2   quality        up         2.2500          B
    3   quality      down            NaN       None

    Args:
        candidates: candidates (table or list of ``Candidate``).
        criteria: criteria (table or list of ``Criterion``).
        scores: scores (table or list of ``Score``).
        needs: the needs (table, list of ``Need`` or dict id → title), to name them.

    Returns:
        Per need, criterion and direction ("up", "down"): need, need_title,
        criterion, criterion_name, direction, winner (name), weight (as
        entered), share (of the total, 0–1), weight_needed (the weight at which
        the winner changes, other weights unchanged), change (weight_needed −
        weight), change_percent (change as % of weight), share_needed and
        new_winner (name).
    """
    import numpy as np
    import pandas as pd

    people, rules, matrix = _checked(candidates, criteria, scores)
    scored = score_candidates(candidates, criteria, scores, needs=needs)
    raw = rules["weight"].to_numpy()
    weights = raw / raw.sum() if len(raw) else raw
    rows = []
    steps = np.linspace(0.0, 1.0, SWEEP_STEPS + 1)
    edge = 1e-9
    keep = scored["passes_gates"].to_numpy() & scored["weighted_score"].notna().to_numpy()
    for need, members in scored[keep].groupby("need", sort=False):
        index = members.index.to_numpy()
        values = matrix.to_numpy(dtype=float)[index]
        names = members["name"].to_numpy()
        count = len(weights)
        current = _winners(weights.copy(), np.arange(count), weights, values, weights)
        # shares[k, d, i]: criterion k, direction d (0 up, 1 down), step i
        up = weights[:, None] + (1 - edge - weights[:, None]) * steps
        down = weights[:, None] - (weights[:, None] - edge) * steps
        shares = np.stack([up, down], axis=1)
        which = np.broadcast_to(np.arange(count)[:, None, None], shares.shape)
        movable = (weights < 1)[:, None, None] & np.ones_like(shares, dtype=bool)
        winners = np.where(
            movable,
            _winners(
                np.where(movable, shares, 0.5).ravel(), which.ravel(), weights, values, weights
            ).reshape(shares.shape),
            current[:, None, None],
        )
        changed = (winners != current[:, None, None]) & (winners >= 0) & movable
        found = changed.any(axis=2)
        first = changed.argmax(axis=2)
        low = np.take_along_axis(shares, np.maximum(first - 1, 0)[..., None], axis=2)[..., 0]
        high = np.take_along_axis(shares, first[..., None], axis=2)[..., 0]
        kk = np.broadcast_to(np.arange(count)[:, None], low.shape)
        for _ in range(60):  # bisection on every (criterion, direction) at once
            middle = (low + high) / 2
            moved = _winners(middle.ravel(), kk.ravel(), weights, values, weights).reshape(
                low.shape
            )
            differs = (moved != current[:, None]) & (moved >= 0)
            high = np.where(differs, middle, high)
            low = np.where(differs, low, middle)
        after = _winners(high.ravel(), kk.ravel(), weights, values, weights).reshape(low.shape)
        crossing = (low + high) / 2
        others = raw.sum() - raw
        for direction, d in (("up", 0), ("down", 1)):
            share_needed = np.where(found[:, d], crossing[:, d], np.nan)
            needed = share_needed * others / (1 - share_needed)
            rows.append(
                pd.DataFrame(
                    {
                        "need": need,
                        "need_title": members["need_title"].iloc[0],
                        "criterion": rules["id"].to_numpy(),
                        "criterion_name": rules["name"].astype(str).to_numpy(),
                        "direction": direction,
                        "winner": names[current],
                        "weight": raw,
                        "share": weights,
                        "weight_needed": needed,
                        "change": needed - raw,
                        "change_percent": (needed - raw) / raw * 100,
                        "share_needed": share_needed,
                        "new_winner": pd.Series(
                            np.where(found[:, d], names[np.maximum(after[:, d], 0)], None),
                            dtype=object,
                        ),
                        "order": np.arange(count) * 2 + d,
                    }
                )
            )
    columns = [
        "need",
        "need_title",
        "criterion",
        "criterion_name",
        "direction",
        "winner",
        "weight",
        "share",
        "weight_needed",
        "change",
        "change_percent",
        "share_needed",
        "new_winner",
    ]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.concat(rows, ignore_index=True)
    table["need_order"] = table["need"].map({n: i for i, n in enumerate(people["need"].unique())})
    return table.sort_values(["need_order", "order"], kind="stable").reset_index(drop=True)[columns]


# ---- due diligence ---------------------------------------------------------------


def audit_table(
    candidates: Any, audit: Any, *, scored: pd.DataFrame | None = None, top: int = 3
) -> pd.DataFrame:
    """Lay out the due-diligence checklist per candidate, with red flags and a shortlist.

    Each check shows its result ("pass", "concern", "fail" or "not checked";
    a check with no row is "not checked"). A failed check is a red flag, a
    concern an amber flag, and a check not done on a shortlisted or selected
    candidate a gap. Given ``scored`` (from :func:`score_candidates`), the
    shortlist holds, per need, the ``top`` best-scored candidates that pass
    the gates and have no red flag.

    >>> candidates = [Candidate(id="a", name="Hope Clinic", status="shortlisted")]
    >>> audit = [AuditItem(candidate="a", check="finances", result="fail", note="No accounts")]
    >>> audit_table(candidates, audit)[["name", "finances", "flag", "red_flags"]]
              name finances flag red_flags
    0  Hope Clinic     fail  red  finances

    Args:
        candidates: candidates (table or list of ``Candidate``).
        audit: audit results (table or list of ``AuditItem``): candidate, check, result.
        scored: the result of :func:`score_candidates`, to build the shortlist.
        top: how many candidates per need the shortlist holds.

    Returns:
        One row per candidate: candidate, name, need, status, one column per
        check (in the checklist's order), red_flags, concerns, gaps (the
        checks concerned, joined by "; "), flag ("red", "amber", "gap" or
        "clear", the worst found) and, with ``scored``, shortlist (True/False).
    """
    import numpy as np
    import pandas as pd

    people = as_table(candidates, Candidate, CANDIDATE_COLUMNS, "candidates")
    items = as_table(audit, AuditItem, AUDIT_COLUMNS, "audit")
    people["id"] = people["id"].astype(str)
    items["candidate"] = items["candidate"].astype(str)
    problems = unknown_problems(items, "audit", "candidate", people["id"], "a candidate")
    problems += choice_problems(items, "audit", "check", AUDIT_CHECKS)
    problems += choice_problems(items, "audit", "result", AUDIT_RESULTS)
    problems += repeat_problems(items, "audit", ["candidate", "check"], "two_results")
    raise_problems(problems, "Audit table")
    grid = (
        items.pivot(index="candidate", columns="check", values="result")
        .reindex(index=people["id"], columns=list(AUDIT_CHECKS))
        .astype(object)
        .fillna("not checked")
    )
    checks = np.array(AUDIT_CHECKS)
    values = grid.to_numpy(dtype=object)
    later = people["status"].isin(["shortlisted", "selected"]).to_numpy()[:, None]
    out = people[["id", "name", "need", "status"]].rename(columns={"id": "candidate"})
    out = pd.concat([out, grid.reset_index(drop=True)], axis=1)
    out["red_flags"] = _joined(values == "fail", np.broadcast_to(checks, values.shape))
    out["concerns"] = _joined(values == "concern", np.broadcast_to(checks, values.shape))
    out["gaps"] = _joined((values == "not checked") & later, np.broadcast_to(checks, values.shape))
    out["flag"] = np.select(
        [out["red_flags"] != "", out["concerns"] != "", out["gaps"] != ""],
        ["red", "amber", "gap"],
        default="clear",
    )
    if scored is not None:
        merged = out[["candidate", "flag"]].merge(
            scored[["candidate", "need", "weighted_score", "passes_gates"]],
            on="candidate",
            how="left",
        )
        allowed = merged["passes_gates"].fillna(False).astype(bool) & (merged["flag"] != "red")
        score = merged["weighted_score"].where(allowed)
        order = score.groupby(merged["need"]).rank(ascending=False, method="first")
        out["shortlist"] = (order <= top).to_numpy()
    return out


# ---- AHP -------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class AhpWeights:
    """Criterion weights derived from pairwise comparisons (analytic hierarchy process).

    Attributes:
        weights: one weight per criterion, summing to 1, by the matrix's labels.
        lambda_max: the principal eigenvalue of the comparison matrix.
        consistency_index: (lambda_max − n) / (n − 1); 0 for perfectly consistent answers.
        consistency_ratio: the index divided by Saaty's random index for n criteria.
        consistent: whether the ratio is below 0.1.
        message: the consistency in words, with advice when it is too high.
    """

    weights: pd.Series
    lambda_max: float
    consistency_index: float
    consistency_ratio: float
    consistent: bool
    message: str


def ahp_weights(pairwise: pd.DataFrame, *, tolerance: float = 0.02) -> AhpWeights:
    """Derive criterion weights from a pairwise comparison matrix, with its consistency.

    Cell (row i, column j) says how much more important criterion i is than
    j, on Saaty's 1–9 scale (1 equal, 3 moderately, 5 strongly, 7 very
    strongly, 9 extremely more important); cell (j, i) must be its reciprocal
    and the diagonal 1. The weights are the principal eigenvector, scaled to
    sum to 1. A consistency ratio of 0.1 or more means the answers contradict
    each other enough to revisit them.

    >>> import pandas as pd
    >>> names = ["cost", "quality"]
    >>> result = ahp_weights(pd.DataFrame([[1, 3], [1 / 3, 1]], index=names, columns=names))
    >>> result.weights.round(2).to_dict(), result.consistent
    ({'cost': 0.75, 'quality': 0.25}, True)

    Args:
        pairwise: a square table with the same criterion labels on rows and columns.
        tolerance: how far a cell times its mirror cell may be from 1 (0.02
            accepts 0.33 typed for 1/3).

    Returns:
        An :class:`AhpWeights` with the weights and the consistency figures.

    Raises:
        InvalidInput: the table is not square, its labels differ, a cell is not
            a positive number, the diagonal is not 1 or a pair is not reciprocal.
    """
    import numpy as np
    import pandas as pd

    size = pairwise.shape[0]
    if pairwise.shape != (size, size) or size == 0:
        raise InvalidInput(
            [Problem((), "not_square", {"rows": pairwise.shape[0], "columns": pairwise.shape[1]})],
            "Pairwise comparisons",
        )
    if list(map(str, pairwise.index)) != list(map(str, pairwise.columns)):
        raise InvalidInput(
            [Problem((), "labels_differ", {"rows": repr(list(pairwise.index)),
                                           "columns": repr(list(pairwise.columns))})],
            "Pairwise comparisons",
        )
    if size > max(RANDOM_INDEX):
        raise InvalidInput(
            [Problem((), "too_many_criteria", {"most": max(RANDOM_INDEX), "got": size})],
            "Pairwise comparisons",
        )
    values = pairwise.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    labels = [str(label) for label in pairwise.index]
    problems = []
    rows, columns = np.nonzero(~(np.isfinite(values) & (values > 0)))
    problems += [
        Problem((), "not_positive", {"first": labels[i], "second": labels[j], "got": pairwise.iloc[i, j]})
        for i, j in zip(rows, columns, strict=True)
    ]
    if not problems:
        rows, columns = np.nonzero(np.triu(np.abs(values * values.T - 1) > tolerance, k=0))
        problems += [
            Problem((), "diagonal_not_one", {"first": labels[i], "second": labels[j], "got": values[i, j]})
            if i == j
            else Problem((), "not_reciprocal", {"first": labels[i], "second": labels[j], "value": values[i, j],
                                                "reciprocal": 1 / values[i, j], "got": values[j, i]})
            for i, j in zip(rows, columns, strict=True)
        ]
    raise_problems(problems, "Pairwise comparisons")
    eigenvalues, vectors = np.linalg.eig(values)
    top = int(np.argmax(eigenvalues.real))
    vector = np.abs(vectors[:, top].real)
    lambda_max = float(eigenvalues[top].real)
    index = (lambda_max - size) / (size - 1) if size > 1 else 0.0
    index = max(index, 0.0)
    ratio = index / RANDOM_INDEX[size] if RANDOM_INDEX[size] else 0.0
    consistent = ratio < CONSISTENCY_LIMIT
    message = (
        f"Consistency ratio {ratio:.2f}: the comparisons agree with each other well enough."
        if consistent
        else f"Consistency ratio {ratio:.2f} is 0.1 or more: some comparisons contradict others "
        "(if A beats B and B beats C, A should beat C). Revisit the strongest judgements."
    )
    return AhpWeights(
        weights=pd.Series(vector / vector.sum(), index=pairwise.index, name="weight"),
        lambda_max=lambda_max,
        consistency_index=index,
        consistency_ratio=ratio,
        consistent=consistent,
        message=message,
    )
