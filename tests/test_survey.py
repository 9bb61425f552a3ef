import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnerlib import PlanError, summarise_likert
from partnerlib.models import AGREEMENT_LABELS
from partnerlib.output.charts.survey import plot_likert

QUESTIONS = pd.DataFrame({"id": ["q1", "q2"], "text": ["We are heard", "Roles are clear"]})


def answers(*rows):
    """Answers from (question, group, answer) tuples, one respondent each."""
    return pd.DataFrame(
        [(q, f"r{n}", g, a) for n, (q, g, a) in enumerate(rows)],
        columns=["question", "respondent", "group", "answer"],
    )


SAMPLE = answers(("q1", "staff", 5), ("q1", "staff", 4), ("q1", "families", 2), ("q1", "families", 1),
                 ("q1", "families", 3), ("q2", "staff", 4))


@pytest.mark.parametrize(
    ("column", "expected"),
    [
        ("n", 5),
        ("mean", 3.0),  # (5 + 4 + 2 + 1 + 3) / 5
        ("Strongly agree", 1),
        ("Neutral", 1),
        ("agree_percent", 40.0),  # 2 of 5
        ("disagree_percent", 40.0),  # 2 of 5
    ],
)
def test_summary_per_question(column, expected):
    assert summarise_likert(SAMPLE, QUESTIONS).loc[0, column] == expected


def test_label_columns_follow_the_scale():
    columns = summarise_likert(SAMPLE, QUESTIONS).columns.tolist()
    assert columns[4:9] == list(AGREEMENT_LABELS)


def test_questions_keep_their_order_and_text():
    assert summarise_likert(SAMPLE, QUESTIONS)["text"].tolist() == ["We are heard", "Roles are clear"]


@pytest.mark.parametrize(
    ("question", "group", "expected_mean"),
    [
        ("q1", "families", 2.0),  # (2 + 1 + 3) / 3
        ("q1", "staff", 4.5),  # (5 + 4) / 2
        ("q2", "staff", 4.0),
    ],
)
def test_summary_by_group(question, group, expected_mean):
    summary = summarise_likert(SAMPLE, QUESTIONS, by="group").set_index(["question", "group"])
    assert summary.loc[(question, group), "mean"] == expected_mean


def test_unanswered_group_is_listed_with_no_answers():
    summary = summarise_likert(SAMPLE, QUESTIONS, by="group").set_index(["question", "group"])
    assert summary.loc[("q2", "families"), "n"] == 0


def test_unanswered_question_has_no_mean():
    assert pd.isna(summarise_likert(SAMPLE.iloc[:1], QUESTIONS).loc[1, "mean"])


def test_missing_columns_are_named():
    with pytest.raises(PlanError, match="answers table has no column 'answer'"):
        summarise_likert(SAMPLE.drop(columns="answer"), QUESTIONS)


def test_missing_by_column_is_named():
    with pytest.raises(PlanError, match="answers table has no column 'site'"):
        summarise_likert(SAMPLE, QUESTIONS, by="site")


@pytest.mark.parametrize("bad", [0, 6, 3.5, "Agree"])
def test_bad_answer_names_the_row(bad):
    table = SAMPLE.astype({"answer": object})
    table.loc[2, "answer"] = bad
    with pytest.raises(PlanError, match="answers row 3: 'answer' must be a whole number from 1 to 5"):
        summarise_likert(table, QUESTIONS)


def test_unknown_question_names_the_row():
    table = answers(("q1", "", 3), ("q9", "", 3))
    with pytest.raises(PlanError, match="answers row 2: 'question' must be the id of a question"):
        summarise_likert(table, QUESTIONS)


answer_rows = st.lists(
    st.tuples(st.sampled_from(["q1", "q2"]), st.sampled_from(["a", "b"]), st.integers(1, 5)),
    min_size=1, max_size=30,
)


@settings(max_examples=50, deadline=None)
@given(answer_rows, st.integers(0, 10_000))
def test_reordering_answers_never_changes_the_summary(rows, seed):
    table = answers(*rows)
    shuffled = table.sample(frac=1, random_state=seed)
    pd.testing.assert_frame_equal(summarise_likert(shuffled, QUESTIONS, by="group"),
                                  summarise_likert(table, QUESTIONS, by="group"))


@settings(max_examples=50, deadline=None)
@given(answer_rows)
def test_counts_add_up_to_n(rows):
    summary = summarise_likert(answers(*rows), QUESTIONS)
    assert (summary[list(AGREEMENT_LABELS)].sum(axis=1) == summary["n"]).all()


def test_chart_title_labels_and_legend():
    figure = plot_likert(summarise_likert(SAMPLE, QUESTIONS))
    axes = figure.axes[0]
    legend = [t.get_text() for t in figure.legends[0].get_texts()]
    assert (axes.get_title(), [t.get_text() for t in axes.get_yticklabels()], legend) == (
        "Survey answers", ["We are heard", "Roles are clear"], list(AGREEMENT_LABELS))


def test_chart_writes_the_percents():
    texts = {t.get_text() for t in plot_likert(summarise_likert(SAMPLE, QUESTIONS)).axes[0].texts}
    assert {"20%", "100%"} <= texts  # q1: each answer once in 5; q2: all Agree


def test_chart_names_groups():
    axes = plot_likert(summarise_likert(SAMPLE, QUESTIONS, by="group")).axes[0]
    assert "We are heard\n(staff)" in [t.get_text() for t in axes.get_yticklabels()]


def test_chart_zero_line_runs_behind_the_bars_and_their_labels():
    axes = plot_likert(summarise_likert(SAMPLE, QUESTIONS)).axes[0]
    zero = next(line for line in axes.get_lines() if list(line.get_xdata()) == [0, 0])
    assert zero.get_zorder() < min(bar.get_zorder() for bar in axes.patches)
