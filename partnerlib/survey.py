"""Step 7 — survey answers: Likert summaries per question (and group), and their chart.

Answers are on the 1–5 agreement scale: 1 Strongly disagree, 2 Disagree,
3 Neutral, 4 Agree, 5 Strongly agree.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .checks import raise_problems, require_columns, unknown_problems, whole_number_problems
from .models import AGREEMENT_LABELS

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["ANSWER_COLUMNS", "LIKERT_COLOURS", "plot_likert", "summarise_likert"]

#: Columns an answer table must have (as from ``records_table(..., Answer)``).
ANSWER_COLUMNS = ("question", "respondent", "answer")
#: Colours of the five answers: warm for disagreeing, grey neutral, blue for
#: agreeing (Okabe–Ito hues, told apart with the common colour-vision deficiencies).
LIKERT_COLOURS = ("#D55E00", "#E69F00", "#BBBBBB", "#56B4E9", "#0072B2")


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


def plot_likert(summary: pd.DataFrame, *, title: str = "Survey answers") -> Figure:
    """Draw each question's answers as a bar diverging from neutral.

    Disagreeing answers run left of zero, agreeing ones right, and neutral
    answers sit across the middle, half on each side. Segments of 10 % or more
    carry their percent; the legend names every answer.

    Args:
        summary: the result of :func:`summarise_likert`.
        title: the chart's title.

    Returns:
        A matplotlib Figure with one Axes.
    """
    import textwrap

    import numpy as np

    from .charts import new_figure, short_label

    require_columns(summary, ("text", "n") + AGREEMENT_LABELS, "survey summary")
    shown = summary[summary["n"] > 0]
    group = summary.columns[2] if summary.columns[2] != "n" else None
    labels = [textwrap.fill(short_label(text, 120), 40) for text in shown["text"]]
    if group is not None:
        labels = [f"{text}\n({short_label(name)})" for text, name in zip(labels, shown[group], strict=True)]
    counts = shown[list(AGREEMENT_LABELS)].to_numpy(dtype=float)
    percent = counts * 100 / counts.sum(axis=1, keepdims=True) if len(shown) else counts
    starts = -(percent[:, 0] + percent[:, 1] + percent[:, 2] / 2)
    lefts = starts[:, None] + np.concatenate([np.zeros((len(shown), 1)), percent.cumsum(axis=1)[:, :-1]], axis=1)

    lines = sum(label.count("\n") + 1 for label in labels)
    figure = new_figure(9, 1.8 + 0.25 * lines + 0.2 * len(labels))
    axes = figure.add_subplot()
    rows = np.arange(len(shown))[::-1]
    for column, (label, colour) in enumerate(zip(AGREEMENT_LABELS, LIKERT_COLOURS, strict=True)):
        bars = axes.barh(rows, percent[:, column], left=lefts[:, column], color=colour,
                         edgecolor="white", label=label)
        words = [f"{p:.0f}%" if p >= 10 else "" for p in percent[:, column]]
        axes.bar_label(bars, labels=words, label_type="center", fontsize=8)
    axes.axvline(0, color="black", linewidth=0.8)
    axes.set_yticks(rows, labels=labels, fontsize=8)
    axes.set_xlim(-100, 100)
    axes.set_xlabel("Share of answers (%): disagree ← → agree")
    axes.set_title(title, wrap=True)
    figure.legend(*axes.get_legend_handles_labels(), loc="outside lower center", ncols=5, fontsize=8,
                  frameon=False)
    if not len(shown):
        axes.text(0, 0, "No answers yet", ha="center", va="center")
    return figure
