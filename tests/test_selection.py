import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import InvalidInput, Plan, ahp_weights, score_candidates, selection_sensitivity
from partnerlib.analyses.selection import audit_table
from partnerlib.analyses.tables import records_table
from partnerlib.models import AUDIT_CHECKS, AuditItem, Candidate, Criterion, Need, Score
from partnerlib.output.charts.selection import plot_candidate_scores

CANDIDATES = pd.DataFrame(
    [
        ("a", "Hope Clinic", "n1", "shortlisted"),
        ("b", "St Luke's Hospital", "n1", "candidate"),
        ("c", "Mobile Care Ltd", "n1", "candidate"),
        ("d", "Bright Water", "n2", "selected"),
        ("e", "Clean Wells Co", "n2", "candidate"),
    ],
    columns=["id", "name", "need", "status"],
)
# Weights 4 + 3 + 2 + 1 = 10, normalised to 0.4, 0.3, 0.2, 0.1.
CRITERIA = pd.DataFrame(
    [
        ("fit", "Values fit", 4, True, 3),
        ("cap", "Capacity", 3, False, 3),
        ("cost", "Cost", 2, False, 3),
        ("safe", "Safeguarding policy", 1, True, 3),
    ],
    columns=["id", "name", "weight", "gate", "minimum"],
)
SCORE_GRID = {  # candidate: (fit, cap, cost, safe); None = not scored
    "a": (5, 4, 2, 4),
    "b": (4, 5, 1, 3),
    "c": (2, 5, 5, 5),
    "d": (4, 3, 4, None),
    "e": (3, 4, 3, 2),
}
SCORES = pd.DataFrame(
    [
        (candidate, criterion, value)
        for candidate, values in SCORE_GRID.items()
        for criterion, value in zip(CRITERIA["id"], values, strict=True)
        if value is not None
    ],
    columns=["candidate", "criterion", "score"],
)
NEEDS = {"n1": "Clinical care", "n2": "Clean water"}


def scored(candidates=CANDIDATES, criteria=CRITERIA, scores=SCORES):
    return score_candidates(candidates, criteria, scores, needs=NEEDS).set_index("candidate")


@pytest.mark.parametrize(
    ("candidate", "expected"),
    [
        ("a", 4.0),  # 0.4×5 + 0.3×4 + 0.2×2 + 0.1×4 = 2.0 + 1.2 + 0.4 + 0.4
        ("b", 3.6),  # 0.4×4 + 0.3×5 + 0.2×1 + 0.1×3 = 1.6 + 1.5 + 0.2 + 0.3
        ("c", 3.8),  # 0.4×2 + 0.3×5 + 0.2×5 + 0.1×5 = 0.8 + 1.5 + 1.0 + 0.5
        ("d", 3.3 / 0.9),  # safeguarding not scored: (1.6 + 0.9 + 0.8) / (0.4 + 0.3 + 0.2)
        ("e", 3.2),  # 0.4×3 + 0.3×4 + 0.2×3 + 0.1×2 = 1.2 + 1.2 + 0.6 + 0.2
    ],
)
def test_weighted_score(candidate, expected):
    assert scored().loc[candidate, "weighted_score"] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("candidate", "expected"), [("a", 75.0), ("b", 65.0)]
)  # (4−1)/4, (3.6−1)/4
def test_percent_of_the_scale(candidate, expected):
    assert scored().loc[candidate, "percent"] == pytest.approx(expected)


def test_rank_within_each_need():
    ranks = scored()["rank"]
    assert [None if pd.isna(r) else int(r) for r in ranks] == [1, 2, None, 1, None]


def test_a_failed_gate_puts_a_candidate_out_whatever_its_score():
    # Mobile Care scores 3.8, above St Luke's 3.6, but fails the values-fit gate.
    assert scored().loc["c", "result"] == "out: below the minimum on Values fit (2, needs 3)"


def test_failed_gate_is_named():
    assert scored().loc["e", "failed_gates"] == "Safeguarding policy (2, needs 3)"


def test_winner_is_marked_per_need():
    assert scored()["winner"].tolist() == [True, False, False, True, False]


def test_missing_score_is_flagged_not_zero():
    assert scored().loc["d", "missing"] == "Safeguarding policy"


def test_missing_score_lowers_the_scored_weight():
    assert scored().loc["d", "scored_weight"] == pytest.approx(90.0)  # 0.4 + 0.3 + 0.2


def test_unscored_gate_is_listed():
    assert scored().loc["d", "unscored_gates"] == "Safeguarding policy"


def test_result_of_an_incomplete_winner_says_what_is_missing():
    assert scored().loc["d", "result"] == "winner; not scored on Safeguarding policy"


def test_candidate_with_no_scores_is_not_ranked():
    candidates = pd.concat(
        [
            CANDIDATES,
            pd.DataFrame([("f", "New Org", "n1", "candidate")], columns=CANDIDATES.columns),
        ]
    )
    assert scored(candidates=candidates).loc["f", "result"] == "not scored yet"


def test_need_titles_come_from_the_needs():
    assert scored()["need_title"].unique().tolist() == ["Clinical care", "Clean water"]


def test_needs_may_be_need_records():
    needs = [Need(id="n1", title="Clinical care"), Need(id="n2", title="Clean water")]
    table = score_candidates(CANDIDATES, CRITERIA, SCORES, needs=needs)
    assert table["need_title"].iloc[-1] == "Clean water"


def test_model_records_work_like_tables():
    table = score_candidates(
        [Candidate(**row) for row in CANDIDATES.to_dict("records")],
        [Criterion(**row) for row in CRITERIA.to_dict("records")],
        [Score(**row) for row in SCORES.to_dict("records")],
    )
    assert table["weighted_score"].iloc[0] == pytest.approx(4.0)


def with_row(table, number, **changes):
    table = table.copy()
    for column, value in changes.items():
        table[column] = table[column].astype(object)
        table.loc[number - 1, column] = value
    return table


BAD_TABLES = [
    ((CANDIDATES.drop(columns="need"), CRITERIA, SCORES), r"no column 'need'"),
    (
        (with_row(CANDIDATES, 2, id="a"), CRITERIA, SCORES),
        r"candidates row 2: 'id' 'a' is used twice",
    ),
    ((CANDIDATES, with_row(CRITERIA, 3, weight=0), SCORES), r"criteria row 3: 'weight' must be a number above 0"),
    ((CANDIDATES, with_row(CRITERIA, 1, minimum=6), SCORES), r"criteria row 1: 'minimum' must be a whole number from 1 to 5"),
    ((CANDIDATES, CRITERIA, with_row(SCORES, 4, score=7)), r"scores row 4: 'score'.*\(got 7\)"),
    (
        (CANDIDATES, CRITERIA, with_row(SCORES, 4, score=2.5)),
        r"scores row 4: 'score' must be a whole number",
    ),
    (
        (CANDIDATES, CRITERIA, with_row(SCORES, 2, candidate="zz")),
        r"scores row 2: 'candidate' must be the id of a candidate \(got 'zz'\)",
    ),
    (
        (CANDIDATES, CRITERIA, with_row(SCORES, 2, criterion="zz")),
        r"scores row 2: 'criterion' must be the id of a criterion \(got 'zz'\)",
    ),
    (
        (CANDIDATES, CRITERIA, with_row(SCORES, 2, criterion="fit")),
        r"scores row 2.*'a' is scored twice on 'fit'",
    ),
]


@pytest.mark.parametrize(("tables", "message"), BAD_TABLES)
def test_bad_table_is_refused_with_the_row(tables, message):
    with pytest.raises(InvalidInput, match=message):
        score_candidates(*tables)


# ---- laws ------------------------------------------------------------------------

RESULT_COLUMNS = ["weighted_score", "rank", "passes_gates", "missing", "result"]


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(len(SCORES))), st.permutations(range(len(CANDIDATES))))
def test_reordering_rows_never_changes_the_results(score_order, candidate_order):
    table = scored(
        candidates=CANDIDATES.iloc[list(candidate_order)], scores=SCORES.iloc[list(score_order)]
    )
    pd.testing.assert_frame_equal(
        table.loc[list("abcde"), RESULT_COLUMNS], scored()[RESULT_COLUMNS]
    )


@settings(max_examples=25, deadline=None)
@given(st.floats(min_value=0.01, max_value=20))
def test_scaling_all_weights_changes_no_ranking(factor):
    criteria = CRITERIA.assign(weight=CRITERIA["weight"] * factor)
    assert scored(criteria=criteria)["rank"].tolist() == scored()["rank"].tolist()


GRID = st.lists(st.lists(st.integers(1, 5), min_size=3, max_size=3), min_size=3, max_size=3)


@settings(max_examples=50, deadline=None)
@given(
    GRID, st.lists(st.integers(1, 9), min_size=3, max_size=3), st.integers(0, 2), st.integers(0, 2)
)
def test_raising_a_score_never_lowers_the_rank(grid, weights, who, which):
    candidates = pd.DataFrame(
        [(f"c{i}", f"C{i}", "n", "candidate") for i in range(3)], columns=CANDIDATES.columns
    )
    criteria = pd.DataFrame(
        [(f"k{j}", f"K{j}", weights[j], j == 0, 2) for j in range(3)], columns=CRITERIA.columns
    )

    def rank_of(values):
        scores = pd.DataFrame(
            [(f"c{i}", f"k{j}", values[i][j]) for i in range(3) for j in range(3)],
            columns=SCORES.columns,
        )
        rank = score_candidates(candidates, criteria, scores)["rank"].iloc[who]
        return np.inf if pd.isna(rank) else int(rank)

    raised = [row[:] for row in grid]
    raised[who][which] = min(5, raised[who][which] + 1)
    assert rank_of(raised) <= rank_of(grid)


# ---- sensitivity ----------------------------------------------------------------------

# Two candidates, two criteria. Cost weight 3, quality weight 1.
# A: cost 5, quality 1 → (3×5 + 1×1) / 4 = 4.0; B: cost 2, quality 5 → (3×2 + 1×5) / 4 = 2.75. A wins.
# Quality weight q (cost 3): A = (15 + q) / (3 + q), B = (6 + 5q) / (3 + q); equal when
#   15 + q = 6 + 5q → q = 9/4 = 2.25: up by 1.25 (125 %); its share 2.25 / 5.25 = 3/7.
# Cost weight c (quality 1): A = (5c + 1) / (c + 1), B = (2c + 5) / (c + 1); equal when
#   5c + 1 = 2c + 5 → c = 4/3: down by 5/3 (−55.6 %); its share (4/3) / (7/3) = 4/7.
# Raising cost or lowering quality only widens A's lead: never.
TWO = (
    pd.DataFrame(
        [("a", "A", "n", "candidate"), ("b", "B", "n", "candidate")], columns=CANDIDATES.columns
    ),
    pd.DataFrame(
        [("cost", "Cost", 3, False, 3), ("quality", "Quality", 1, False, 3)],
        columns=CRITERIA.columns,
    ),
    pd.DataFrame(
        [("a", "cost", 5), ("a", "quality", 1), ("b", "cost", 2), ("b", "quality", 5)],
        columns=SCORES.columns,
    ),
)


def two(criterion, direction):
    table = selection_sensitivity(*TWO)
    return table[(table["criterion"] == criterion) & (table["direction"] == direction)].iloc[0]


@pytest.mark.parametrize(
    ("criterion", "direction", "column", "expected"),
    [
        ("quality", "up", "weight_needed", 2.25),
        ("quality", "up", "change", 1.25),
        ("quality", "up", "change_percent", 125.0),
        ("quality", "up", "share", 0.25),
        ("quality", "up", "share_needed", 3 / 7),
        ("cost", "down", "weight_needed", 4 / 3),
        ("cost", "down", "change", -5 / 3),
        ("cost", "down", "change_percent", -500 / 9),
        ("cost", "down", "share_needed", 4 / 7),
    ],
)
def test_sensitivity_crossing_matches_the_hand_computation(criterion, direction, column, expected):
    assert two(criterion, direction)[column] == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(("criterion", "direction"), [("cost", "up"), ("quality", "down")])
def test_sensitivity_says_never_when_the_winner_cannot_change(criterion, direction):
    row = two(criterion, direction)
    assert (pd.isna(row["weight_needed"]), pd.isna(row["new_winner"])) == (True, True)


def test_sensitivity_names_the_winner_and_the_new_winner():
    row = two("quality", "up")
    assert (row["winner"], row["new_winner"]) == ("A", "B")


def test_sensitivity_crossings_really_change_the_winner():
    table = selection_sensitivity(CANDIDATES, CRITERIA, SCORES, needs=NEEDS).dropna(
        subset=["weight_needed"]
    )
    changed = []
    for row in table.itertuples():
        step = 1.001 if row.direction == "up" else 0.999
        criteria = CRITERIA.astype({"weight": float})
        criteria.loc[criteria["id"] == row.criterion, "weight"] = row.weight_needed * step
        result = score_candidates(CANDIDATES, criteria, SCORES)
        winners = result[result["need"] == row.need].sort_values("rank")["name"].iloc[0]
        changed.append(winners == row.new_winner)
    assert changed and all(changed)


def test_sensitivity_covers_every_need_criterion_and_direction():
    table = selection_sensitivity(CANDIDATES, CRITERIA, SCORES, needs=NEEDS)
    assert len(table) == 2 * 4 * 2


def test_sensitivity_ignores_candidates_out_at_a_gate():
    # In clean water only Bright Water passes the gates, so nothing can overtake it.
    table = selection_sensitivity(CANDIDATES, CRITERIA, SCORES, needs=NEEDS)
    assert table.loc[table["need"] == "n2", "weight_needed"].isna().all()


def test_sensitivity_with_one_criterion_never_changes():
    candidates, criteria, scores = TWO
    table = selection_sensitivity(
        candidates, criteria.iloc[:1], scores[scores["criterion"] == "cost"]
    )
    assert table["weight_needed"].isna().all()


# ---- the exact crossings against the sweep they replaced ------------------------------


def _sweep_winners(shares, which, values, weights):
    """The winner for each (share, criterion): the sweep's own scoring, kept as the reference."""
    scored = ~np.isnan(values)
    filled = np.where(scored, values, 0.0)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        ratio = (1 - shares) / (1 - weights[which])
        full = np.broadcast_to(weights, (len(shares), len(weights))) * ratio[:, None]
        full[np.arange(len(shares)), which] = shares
        score = np.where(full @ scored.T > 0, (full @ filled.T) / (full @ scored.T), -np.inf)
    score = np.where(np.isnan(score), -np.inf, score)
    return np.where(np.isfinite(score.max(axis=1)), np.argmax(score, axis=1), -1)


def swept_sensitivity(candidates, criteria, scores):
    """The numeric sweep selection_sensitivity used before: 400 steps each way, then 60 bisections.

    Returns (need, criterion, direction) -> (weight_needed, new_winner), NaN and None where nothing changes.
    """
    from partnerlib.analyses.selection import _checked

    _, rules, matrix = _checked(candidates, criteria, scores)
    scored = score_candidates(candidates, criteria, scores)
    raw = rules["weight"].to_numpy()
    weights = raw / raw.sum()
    count, edge, steps = len(weights), 1e-9, np.linspace(0.0, 1.0, 401)
    found = {}
    keep = scored["passes_gates"] & scored["weighted_score"].notna()
    for need, members in scored[keep].groupby("need", sort=False):
        values = matrix.to_numpy(dtype=float)[members.index.to_numpy()]
        names = members["name"].to_numpy()
        current = _sweep_winners(weights.copy(), np.arange(count), values, weights)
        for k in range(count):
            for direction, shares in (
                ("up", weights[k] + (1 - edge - weights[k]) * steps),
                ("down", weights[k] - (weights[k] - edge) * steps),
            ):
                result = (np.nan, None)
                winners = _sweep_winners(shares, np.full(len(shares), k), values, weights)
                changed = (winners != current[k]) & (winners >= 0)
                if weights[k] < 1 and changed.any():
                    first = int(changed.argmax())
                    low, high = shares[max(first - 1, 0)], shares[first]
                    for _ in range(60):
                        middle = (low + high) / 2
                        moved = _sweep_winners(np.array([middle]), np.array([k]), values, weights)[0]
                        low, high = (low, middle) if moved != current[k] and moved >= 0 else (middle, high)
                    after = _sweep_winners(np.array([high]), np.array([k]), values, weights)[0]
                    share = (low + high) / 2
                    result = (share * (raw.sum() - raw[k]) / (1 - share), names[after])
                found[(need, rules["id"].iloc[k], direction)] = result
    return found


def exact_sensitivity(candidates, criteria, scores):
    table = selection_sensitivity(candidates, criteria, scores)
    return {
        (row.need, row.criterion, row.direction): (row.weight_needed, row.new_winner)
        for row in table.itertuples()
    }


def _case(grid, weights, gates=None):
    """Candidates (all for one need, listed in the grid's order), criteria and scores from a grid."""
    names = list(grid)
    criteria = pd.DataFrame(
        [(f"k{i}", f"K{i}", w, bool(gates and gates[i]), 3) for i, w in enumerate(weights)],
        columns=CRITERIA.columns,
    )
    candidates = pd.DataFrame([(n, n.upper(), "n1", "candidate") for n in names], columns=CANDIDATES.columns)
    scores = pd.DataFrame(
        [(n, f"k{i}", v) for n in names for i, v in enumerate(grid[n]) if v is not None],
        columns=SCORES.columns,
    )
    return candidates, criteria, scores


def _sample_tables():
    from partnerlib import load_sample

    partners = load_sample().partners
    return (
        records_table(partners.candidates, Candidate),
        records_table(partners.criteria, Criterion),
        records_table(partners.scores, Score),
    )


SENSITIVITY_CASES = {
    # name: (candidates, criteria, scores)
    "the sample plan": _sample_tables(),
    "two needs, a gate, a missing score": (CANDIDATES, CRITERIA, SCORES),
    "two candidates, two criteria": TWO,
    "three close candidates": _case({"a": (5, 3, 2), "b": (3, 5, 3), "c": (4, 4, 4)}, (3, 2, 1)),
    "a tie today, the first listed wins": _case({"a": (4, 2), "b": (2, 4)}, (1, 1)),
    "missing scores make the scores curves": _case(
        {"a": (5, None, 2), "b": (3, 5, None), "c": (None, 4, 5)}, (2, 3, 1)
    ),
    "three overtake at once, the fastest rising wins": _case(
        {"a": (1, 5, 5), "b": (2, 4, 4), "c": (3, 3, 3), "d": (5, 1, 1)}, (1, 2, 2)
    ),
    "uneven weights": _case({"a": (5, 1, 1, 1), "b": (1, 5, 5, 5)}, (10, 1, 1, 1)),
    "one candidate": _case({"a": (3, 4)}, (1, 2)),
}


@pytest.mark.parametrize("case", SENSITIVITY_CASES)
def test_exact_crossings_agree_with_the_sweep(case):
    swept = {key: weight for key, (weight, _) in swept_sensitivity(*SENSITIVITY_CASES[case]).items()}
    exact = {key: weight for key, (weight, _) in exact_sensitivity(*SENSITIVITY_CASES[case]).items()}
    assert exact == pytest.approx(swept, rel=1e-6, nan_ok=True)


@pytest.mark.parametrize("case", SENSITIVITY_CASES)
def test_exact_new_winners_agree_with_the_sweep(case):
    swept = {key: winner for key, (_, winner) in swept_sensitivity(*SENSITIVITY_CASES[case]).items()}
    exact = {key: winner for key, (_, winner) in exact_sensitivity(*SENSITIVITY_CASES[case]).items()}
    assert exact == swept


# ---- due diligence ---------------------------------------------------------------------

AUDIT = pd.DataFrame(
    [
        ("a", "legal status", "pass"),
        ("a", "finances", "pass"),
        ("a", "reputation", "concern"),
        ("a", "safeguarding", "pass"),
        ("a", "capacity", "pass"),
        ("a", "values fit", "pass"),
        ("b", "finances", "fail"),
        ("b", "reputation", "concern"),
        ("c", "legal status", "pass"),
    ],
    columns=["candidate", "check", "result"],
)


def audited(**options):
    return audit_table(CANDIDATES, AUDIT, **options).set_index("candidate")


@pytest.mark.parametrize(
    ("candidate", "flag"),
    [
        ("a", "amber"),  # a concern, and data protection not checked while shortlisted
        ("b", "red"),  # finances failed
        ("c", "clear"),  # not shortlisted: unchecked items are not gaps yet
        ("d", "gap"),  # selected, nothing checked
    ],
)
def test_audit_flag(candidate, flag):
    assert audited().loc[candidate, "flag"] == flag


def test_audit_missing_check_reads_not_checked():
    assert audited().loc["a", "data protection"] == "not checked"


def test_audit_lists_the_gaps_of_a_shortlisted_candidate():
    assert audited().loc["a", "gaps"] == "data protection"


def test_audit_lists_red_flags():
    assert audited().loc["b", "red_flags"] == "finances"


def test_audit_columns_follow_the_checklist():
    assert list(audited().columns[3:10]) == list(AUDIT_CHECKS)


@pytest.mark.parametrize(
    ("top", "expected"),
    [
        (1, ["a", "d"]),
        (3, ["a", "d"]),  # b has a red flag, c and e are out at a gate
    ],
)
def test_shortlist(top, expected):
    table = audited(scored=score_candidates(CANDIDATES, CRITERIA, SCORES), top=top)
    assert table.index[table["shortlist"]].tolist() == expected


def test_shortlist_takes_the_next_best_when_the_best_has_a_red_flag():
    audit = pd.concat(
        [AUDIT, pd.DataFrame([("a", "data protection", "fail")], columns=AUDIT.columns)]
    )
    table = audit_table(
        CANDIDATES, audit, scored=score_candidates(CANDIDATES, CRITERIA, SCORES), top=1
    )
    assert table.loc[table["shortlist"], "candidate"].tolist() == ["d"]


BAD_AUDITS = [
    (with_row(AUDIT, 2, candidate="zz"), r"audit row 2: 'candidate' must be the id of a candidate \(got 'zz'\)"),
    (with_row(AUDIT, 3, check="gossip"), r"audit row 3: 'check' must be one of .*\(got 'gossip'\)"),
    (with_row(AUDIT, 4, result="maybe"), r"audit row 4: 'result' must be one of .*\(got 'maybe'\)"),
    (
        with_row(AUDIT, 2, check="legal status"),
        r"audit row 2.*'a' has two results for 'legal status'",
    ),
    (AUDIT.drop(columns="result"), r"no column 'result'"),
]


@pytest.mark.parametrize(("audit", "message"), BAD_AUDITS)
def test_bad_audit_is_refused(audit, message):
    with pytest.raises(InvalidInput, match=message):
        audit_table(CANDIDATES, audit)


# ---- AHP ----------------------------------------------------------------------------------


def matrix(rows, names=("cost", "quality", "reach")):
    names = list(names)[: len(rows)]
    return pd.DataFrame(rows, index=names, columns=names, dtype=float)


def test_ahp_two_criteria():
    # Cost 3 times as important as quality: weights 3/4 and 1/4.
    result = ahp_weights(matrix([[1, 3], [1 / 3, 1]]))
    assert result.weights.tolist() == pytest.approx([0.75, 0.25])


def test_ahp_recovers_consistent_weights():
    weights = np.array([0.5, 0.3, 0.2])
    result = ahp_weights(matrix(weights[:, None] / weights[None, :]))
    assert result.weights.tolist() == pytest.approx([0.5, 0.3, 0.2])


def test_ahp_consistent_matrix_has_ratio_zero():
    weights = np.array([0.5, 0.3, 0.2])
    result = ahp_weights(matrix(weights[:, None] / weights[None, :]))
    assert (result.consistency_ratio, result.consistent) == (pytest.approx(0, abs=1e-9), True)


# A circular matrix (cost ≫ quality ≫ reach ≫ cost): every row sums to 1 + 9 + 1/9,
# so lambda_max = 10.111…, CI = (10.111 − 3) / 2 = 3.5556 and CR = 3.5556 / 0.58 = 6.13.
CIRCULAR = [[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]]


def test_ahp_consistency_index_by_hand():
    assert ahp_weights(matrix(CIRCULAR)).consistency_index == pytest.approx((1 + 9 + 1 / 9 - 3) / 2)


def test_ahp_consistency_ratio_by_hand():
    assert ahp_weights(matrix(CIRCULAR)).consistency_ratio == pytest.approx(
        (1 + 9 + 1 / 9 - 3) / 2 / 0.58
    )


def test_ahp_warns_when_inconsistent():
    result = ahp_weights(matrix(CIRCULAR))
    assert (result.consistent, "0.1 or more" in result.message) == (False, True)


def test_ahp_accepts_rounded_reciprocals():
    assert ahp_weights(matrix([[1, 3], [0.33, 1]])).consistent


BAD_MATRICES = [
    (pd.DataFrame([[1, 2, 3], [0.5, 1, 1]]), r"must be square"),
    (pd.DataFrame([[1, 2], [0.5, 1]], index=["a", "b"], columns=["a", "c"]), r"same criteria"),
    (matrix([[1, -2], [-0.5, 1]]), r"cost vs quality must be a positive number"),
    (matrix([[1, 3], [3, 1]]), r"quality vs cost must be 1/3 = 0.333"),
    (matrix([[2, 1], [1, 1]]), r"cost vs cost must be 1"),
    (pd.DataFrame(np.ones((11, 11)), index=range(11), columns=range(11)), r"at most 10 criteria"),
]


@pytest.mark.parametrize(("table", "message"), BAD_MATRICES)
def test_bad_matrix_is_refused(table, message):
    with pytest.raises(InvalidInput, match=message):
        ahp_weights(table)


# ---- chart ---------------------------------------------------------------------------------


def chart():
    return plot_candidate_scores(score_candidates(CANDIDATES, CRITERIA, SCORES, needs=NEEDS))


def test_chart_has_one_panel_per_need_titled_with_the_need():
    assert [ax.get_title(loc="left") for ax in chart().axes] == ["Clinical care", "Clean water"]


def bar_texts(ax):
    return [t.get_text().replace("\n", " ") for t in ax.texts]


def test_chart_marks_the_winner_in_words():
    assert "4.00 (75%) — winner" in bar_texts(chart().axes[0])


def test_chart_names_the_failed_gate():
    texts = bar_texts(chart().axes[0])
    assert "3.80 (70%) — out: below the minimum on Values fit (2, needs 3)" in texts


def test_chart_lists_candidates_best_first():
    labels = [label.get_text() for label in chart().axes[0].get_yticklabels()]
    assert labels == ["St Luke's Hospital", "Mobile Care Ltd", "Hope Clinic"]  # drawn bottom up


def test_chart_title():
    assert chart().get_suptitle() == "Candidates by weighted score"


# ---- on a plan -----------------------------------------------------------------------------


def test_runs_on_a_plan():
    plan = Plan.model_validate(
        {
            "partners": {
                "needs": [
                    {"id": "n1", "title": "Clinical care"},
                    {"id": "n2", "title": "Clean water"},
                ],
                "candidates": CANDIDATES.to_dict("records"),
                "criteria": CRITERIA.to_dict("records"),
                "scores": SCORES.to_dict("records"),
                "audit": AUDIT.to_dict("records"),
            }
        }
    )
    partners = plan.partners
    candidates = records_table(partners.candidates, Candidate)
    result = score_candidates(
        candidates,
        records_table(partners.criteria, Criterion),
        records_table(partners.scores, Score),
        needs=records_table(partners.needs, Need),
    )
    audit = audit_table(candidates, records_table(partners.audit, AuditItem), scored=result)
    assert audit.loc[audit["shortlist"], "name"].tolist() == ["Hope Clinic", "Bright Water"]


def test_runs_on_the_sample_plan():
    from partnerlib import load_sample

    partners = load_sample().partners
    tables = (
        records_table(partners.candidates, Candidate),
        records_table(partners.criteria, Criterion),
        records_table(partners.scores, Score),
    )
    needs = records_table(partners.needs, Need)
    result = score_candidates(*tables, needs=needs)
    sensitivity = selection_sensitivity(*tables, needs=needs)
    audit = audit_table(tables[0], records_table(partners.audit, AuditItem), scored=result)
    plot_candidate_scores(result)
    assert (result["winner"].sum(), len(sensitivity) > 0, audit["shortlist"].any()) == (
        len(partners.needs),
        True,
        True,
    )


def test_no_candidates_gives_an_empty_table():
    assert score_candidates(CANDIDATES.iloc[:0], CRITERIA, SCORES.iloc[:0]).empty


def test_no_criteria_yet_means_not_scored():
    table = score_candidates(CANDIDATES, CRITERIA.iloc[:0], SCORES.iloc[:0])
    assert set(table["result"]) == {"not scored yet"}


def test_sensitivity_of_nothing_is_an_empty_table():
    assert selection_sensitivity(CANDIDATES.iloc[:0], CRITERIA, SCORES.iloc[:0]).empty
