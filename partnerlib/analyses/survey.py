"""Step 7 — survey answers: Likert summaries per question (and group), and their chart.

Answers are on the 1–5 agreement scale: 1 Strongly disagree, 2 Disagree,
3 Neutral, 4 Agree, 5 Strongly agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..models import AGREEMENT_LABELS
from .checks import (
    raise_problems,
    require_columns,
    unknown_problems,
    whole_number_problems,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ANSWER_COLUMNS",
    "summarise_likert",
]

#: Columns an answer table must have (as from ``records_table(..., Answer)``).
ANSWER_COLUMNS = ("question", "respondent", "answer")


def summarise_likert(
    answers: pd.DataFrame, questions: pd.DataFrame, *, by: str | None = None
) -> pd.DataFrame:
    """Summarise 1–5 agreement answers per question, and per group if asked.

    For each question (in the order of ``questions``) and group: the number of
    answers, their mean, how many gave each answer (one column per label of
    ``AGREEMENT_LABELS``) and the percent agreeing (4–5) and disagreeing (1–2).
    A question nobody answered is listed with ``n`` 0 and empty mean and percents.

    >>> import pandas as pd
    >>> questions = pd.DataFrame({"id": ["q1"], "text": ["We are heard"]})
    >>> answers = pd.DataFrame({"question": ["q1"] * 4, "respondent": list("abcd"),
    ...     "answer": [5, 4, 2, 3]})
    >>> row = summarise_likert(answers, questions).iloc[0]
    >>> int(row["n"]), float(row["mean"]), float(row["agree_percent"]), int(row["Agree"])
    (4, 3.5, 50.0, 1)

    Args:
        answers: one row per answer (columns of ``ANSWER_COLUMNS``, plus the ``by`` column).
        questions: one row per question with ``id`` and ``text``.
        by: a column of ``answers`` to summarise by (such as ``"group"``), or None.

    Returns:
        One row per question (and group): ``question``, ``text``, the ``by``
        column, ``n``, ``mean``, the five label columns, ``agree_percent``,
        ``disagree_percent``.
    """
    import numpy as np
    import pandas as pd

    require_columns(questions, ("id", "text"), "questions")
    require_columns(answers, ANSWER_COLUMNS + ((by,) if by else ()), "answers")
    problems = whole_number_problems(answers, "answers", "answer", 1, 5)
    known = questions["id"].astype(str)
    problems += unknown_problems(answers.astype({"question": str}), "answers", "question", known, "a question")
    raise_problems(problems)
    if by in ("question", "answer", "text"):
        raise ValueError(f"'by' must name a grouping column such as 'group' (got {by!r})")

    keys = ["question"] + ([by] if by else [])
    data = answers.assign(question=answers["question"].astype(str), answer=answers["answer"].astype(int))
    if by:
        data[by] = data[by].fillna("").astype(str)
    counts = pd.crosstab([data[k] for k in keys], data["answer"]).reindex(columns=range(1, 6), fill_value=0)
    counts.columns = list(AGREEMENT_LABELS)
    if by:
        full = pd.MultiIndex.from_product([known, sorted(data[by].unique())], names=keys)
    else:
        full = pd.Index(known, name="question")
    counts = counts.reindex(full, fill_value=0)
    n = counts.sum(axis=1)
    total = (counts * np.arange(1, 6)).sum(axis=1)
    summary = counts.reset_index()
    with np.errstate(invalid="ignore", divide="ignore"):
        summary.insert(len(keys), "n", n.to_numpy(dtype=int))
        summary.insert(len(keys) + 1, "mean", np.where(n > 0, total / n.where(n > 0), np.nan))
        agree = counts[["Agree", "Strongly agree"]].sum(axis=1)
        disagree = counts[["Strongly disagree", "Disagree"]].sum(axis=1)
        summary["agree_percent"] = (agree * 100 / n.where(n > 0)).to_numpy(dtype=float)
        summary["disagree_percent"] = (disagree * 100 / n.where(n > 0)).to_numpy(dtype=float)
    texts = pd.Series(questions["text"].to_numpy(), index=known)
    summary.insert(1, "text", summary["question"].map(texts))
    return summary
