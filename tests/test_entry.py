"""Rows typed or pasted on a page: read and checked as a file import reads a file, saved on Save rows, nothing lost."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re

import openpyxl
import pytest

from partnerlib import SAMPLE_PLAN, entry_table, follow_saves, read_table, section_editor
from partnerlib.io.sample import load_sample
from partnerlib.io.spreadsheets import import_rows, pasted_records, read_rows
from partnerlib.io.templates import write_template

WATER = "Water points repaired or built"
REACH = "The health centre is easy to reach when my child is sick."
REVIEW = "Second partnership review"


@pytest.fixture(scope="module")
def plan():
    return load_sample()


def _found(report) -> tuple[int, list[tuple[int, list[str]]]]:
    """What a check found: how many rows can be saved, and each rejected row's number and problem codes."""
    return len(report.accepted), [(row.row, [p.code for p in row.problems]) for row in report.rejected]


# (what the case shows, kind, the text, what the check finds)
READ_CASES = [
    ("a KPI by name", "measurements", f"{WATER}\t2026-10-31\t14", (1, [])),
    ("a KPI by id", "measurements", "k-water-points\t2026-10-31\t14", (1, [])),
    ("a name ignoring case and spaces", "measurements", "water  POINTS repaired or built\t2026-10-31\t14", (1, [])),
    ("a header row, not counted", "measurements", f"KPI\tDate\tValue\n{WATER}\t2026-10-31\t14", (1, [])),
    ("a header in another order, with synonyms", "measurements", f"Date\tIndicator\tActual\n2026-10-31\t{WATER}\t14",
     (1, [])),
    ("values typed with commas", "measurements", f"{WATER}, 2026-10-31, 14", (1, [])),
    ("a bad row named by its line", "measurements", f"{WATER}\t2026-10-31\t14\n{WATER}\t2026-11-30\tlots",
     (1, [(2, ["float_parsing"])])),
    ("a header makes the first data row row 2", "measurements", f"KPI\tDate\tValue\n{WATER}\t2026-11-30\tlots",
     (0, [(2, ["float_parsing"])])),
    ("blank lines keep the numbering", "measurements", f"{WATER}\t2026-10-31\t14\n\n\nWells\t2026-10-31\t3",
     (1, [(4, ["unknown_name"])])),
    ("a day-first date is refused", "measurements", f"{WATER}\t31/10/2026\t14", (0, [(1, ["ambiguous_date"])])),
    ("the same KPI and date twice", "measurements", f"{WATER}\t2026-10-31\t14\nk-water-points\t2026-10-31\t15",
     (0, [(1, ["repeated_measurement"]), (2, ["repeated_measurement"])])),
    ("an answer by the question's words", "answers", f"{REACH}\tR99\tIslands\tAgree", (1, [])),
    ("an unknown question and an answer of 7", "answers", "Is the water clean?\tR99\t\t7",
     (0, [(1, ["unknown_name", "between"])])),
    ("a respondent answering twice", "answers", f"{REACH}\tR99\t\t4\nq-reach\tR99\t\t2", (1, [(2, ["same_answer"])])),
    ("a rating by the review's and the partner's names", "ratings",
     f"{REVIEW}\tRiverbend Health Centre\t\tflexibility\t4", (1, [])),
    ("a factor not on the list", "ratings", f"{REVIEW}\tus\t\tbeing nice\t4", (0, [(1, ["literal_error"])])),
    ("a header naming the partner 'Partner'", "ratings",
     f"Review\tPartner\tFactor\tScore\n{REVIEW}\tByteBridge Solutions\tshared vision\t2", (1, [])),
]


@pytest.mark.parametrize(("kind", "text", "expected"), [case[1:] for case in READ_CASES],
                         ids=[case[0] for case in READ_CASES])
def test_rows_are_checked_as_an_import_checks_them(plan, kind, text, expected):
    assert _found(read_rows(text, kind, plan)) == expected


def test_a_day_first_date_is_read_when_asked(plan):
    report = read_rows(f"{WATER}\t31/10/2026\t14", "measurements", plan, dayfirst=True)
    assert report.accepted["date"].tolist() == [dt.datetime(2026, 10, 31)]


# (kind, the rows as a CSV file would hold them, one list of cells a row, header first)
SAME_AS_A_FILE = [
    ("measurements", [["KPI", "Date", "Value"], [WATER, "2026-10-31", "lots"], ["Wells", "2026-10-32", "1"]]),
    ("answers", [["Question", "Respondent", "Answer"], [REACH, "R1", "9"], ["q-nothing", "", "Agree"]]),
    ("ratings", [["Review", "Party", "Factor", "Score"], ["Third review", "us", "flexibility", "6"]]),
]


@pytest.mark.parametrize(("kind", "rows"), SAME_AS_A_FILE, ids=[case[0] for case in SAME_AS_A_FILE])
def test_pasted_rows_get_the_report_a_file_gets(plan, tmp_path, kind, rows):
    path = tmp_path / "rows.csv"
    path.write_text("\n".join(",".join(row) for row in rows) + "\n", encoding="utf-8")
    from_file = [str(row) for row in read_table(path, kind, plan=plan).rejected]
    pasted = [str(row) for row in read_rows("\n".join("\t".join(row) for row in rows), kind, plan).rejected]
    assert pasted == from_file


def test_a_rejected_row_names_its_line_and_column(plan):
    report = read_rows(f"{WATER}\t2026-10-31\t14\n{WATER}\t2026-11-30\tlots", "measurements", plan)
    assert [str(row) for row in report.rejected] == ["row 2, column 'Value': must be a number (got 'lots')"]


def test_the_page_words_day_first_dates_its_own_way(plan):
    from partnerlib.core.problems import ENTRY_MESSAGES

    report = read_rows(f"{WATER}\t31/10/2026\t14", "measurements", plan, words=ENTRY_MESSAGES)
    assert ("tick 'Dates with the day first'" in report.rejected[0].reason, "--" in report.rejected[0].reason) == (
        True, False)


# (text, each row's first and last line and cells)
RECORD_CASES = [
    ("a\tb\n\nc\td", [(1, 1, ["a", "b"]), (3, 3, ["c", "d"])]),
    ("a; b; c", [(1, 1, ["a", "b", "c"])]),
    ("a, b\nc, d", [(1, 1, ["a", "b"]), (2, 2, ["c", "d"])]),
    ('"two\nlines"\tb\nc\td', [(1, 2, ["two\nlines", "b"]), (3, 3, ["c", "d"])]),
    ("  \n\t\n", []),
]


@pytest.mark.parametrize(("text", "expected"), RECORD_CASES)
def test_pasted_text_is_split_into_rows_with_their_lines(text, expected):
    assert [tuple(record) for record in pasted_records(text)] == expected


# ---------------------------------------------------------------- writing


def test_measurements_are_added_or_replace_the_value_held(book):
    held = book.measurements(SAMPLE_PLAN, kpi="k-water-points").iloc[-1]
    text = f"k-water-points\t{held['date']:%Y-%m-%d}\t99\n{WATER}\t2027-01-31\t20"
    report = import_rows(book, SAMPLE_PLAN, text, "measurements")
    values = book.measurements(SAMPLE_PLAN, kpi="k-water-points").set_index("date")["value"]
    assert (report.added, report.updated, values[held["date"]], values[dt.datetime(2027, 1, 31)]) == (1, 1, 99, 20)


def test_answers_are_saved_into_their_section_updating_the_one_held(book):
    before = len(book.load(SAMPLE_PLAN).plan.community.answers)
    report = import_rows(book, SAMPLE_PLAN, f"{REACH}\tR01\t\tStrongly agree\n{REACH}\tR99\tIslands\t2", "answers")
    answers = {(a.question, a.respondent): a.answer for a in book.load(SAMPLE_PLAN).plan.community.answers}
    assert (report.added, report.updated, len(answers) - before, answers["q-reach", "R01"],
            answers["q-reach", "R99"]) == (1, 1, 1, 5, 2)


def test_a_partners_rating_is_updated_not_doubled(book):
    report = import_rows(book, SAMPLE_PLAN, f"{REVIEW}\tHope Alliance International\t\tflexibility\t1", "ratings")
    ratings = [r.score for r in book.load(SAMPLE_PLAN).plan.review.ratings
               if (r.review, r.party, r.person, r.factor) == ("rv-2026", "us", "", "flexibility")]
    assert (report.added, report.updated, ratings) == (0, 1, [1])


def test_only_the_valid_rows_are_written(book):
    before = len(book.measurements(SAMPLE_PLAN))
    report = import_rows(book, SAMPLE_PLAN, f"{WATER}\t2027-01-31\t20\n{WATER}\t2027-02-28\tlots", "measurements")
    assert (report.written, len(report.rejected), len(book.measurements(SAMPLE_PLAN)) - before) == (1, 1, 1)


# ---------------------------------------------------------------- the page


def _step(book, section):
    editor = section_editor(book, SAMPLE_PLAN, section)
    return editor, follow_saves(editor)


def _measurement_count(plan, measurements):
    return len(measurements)


def _text(widget) -> str:
    """The words of an HTML widget, without its tags, on one line."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", widget.value)).split())


def test_save_keeps_the_rows_to_fix_in_the_box_and_redraws_the_results(book):
    from partnerlib import MEASUREMENTS

    editor, results = _step(book, "monitoring")
    count = results.show(_measurement_count, MEASUREMENTS)
    before = count.result
    entry = entry_table(results, "measurements")
    entry.box.value = f"KPI\tDate\tValue\n{WATER}\t2027-01-31\t20\n{WATER}\t2027-02-28\tlots\n{WATER}\t2027-03-31\t21"
    entry.save_button.click()
    assert (count.result - before, entry.box.value, "Row 2, column 'Value': must be a number (got 'lots')"
            in _text(entry.report)) == (2, f"KPI\tDate\tValue\n{WATER}\t2027-02-28\tlots", True)


def test_save_with_every_row_valid_empties_the_box(book):
    _editor, results = _step(book, "monitoring")
    entry = entry_table(results, "measurements")
    entry.box.value = f"{WATER}\t2027-01-31\t20"
    entry.save_button.click()
    assert (entry.box.value, _text(entry.report)) == ("", "✔ Saved 1 measurement (1 new, 0 updated).")


def test_check_saves_nothing(book):
    _editor, results = _step(book, "monitoring")
    before = len(book.measurements(SAMPLE_PLAN))
    entry = entry_table(results, "measurements")
    entry.box.value = f"{WATER}\t2027-01-31\t20\n{WATER}\t2027-02-28\tlots"
    entry.check_button.click()
    assert (len(book.measurements(SAMPLE_PLAN)) - before, _text(entry.report)) == (
        0, "⚠ 2 rows read: 1 ready to save, 1 to fix (below). Row 2, column 'Value': must be a number (got 'lots')")


def test_an_empty_box_says_so(book):
    _editor, results = _step(book, "monitoring")
    entry = entry_table(results, "measurements")
    entry.save_button.click()
    assert _text(entry.report) == "⚠ The box is empty: type or paste rows first."


def test_answers_wait_for_the_forms_unsaved_changes(book):
    editor, results = _step(book, "community")
    before = book.history(SAMPLE_PLAN, "community")
    editor.form.fields["questions"].delete(0)  # the form holds a change not saved yet
    entry = entry_table(results, "answers")
    entry.box.value = f"{REACH}\tR99\t\t4"
    entry.save_button.click()
    assert (len(book.history(SAMPLE_PLAN, "community")), entry.box.value) == (len(before), f"{REACH}\tR99\t\t4")


def test_saved_answers_reach_the_form_and_its_next_save_is_not_stale(book):
    editor, results = _step(book, "community")
    entry = entry_table(results, "answers")
    entry.box.value = f"{REACH}\tR99\t\t4"
    entry.save_button.click()
    shown = [(a.question, a.respondent) for a in editor.form.fields["answers"].rows][-1]
    assert (shown, editor.save() is not None) == (("q-reach", "R99"), True)


def test_the_template_is_offered_as_a_download_with_the_plans_names(book):
    _editor, results = _step(book, "monitoring")
    entry = entry_table(results, "measurements")
    entry.template_button.click()
    link = re.search(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', entry.template_link.value)
    lists = openpyxl.load_workbook(io.BytesIO(base64.b64decode(link.group(2))))["Lists"]
    assert (link.group(1), WATER in [c.value for c in lists["A"]]) == (
        "riverside-community-health-measurements-template.xlsx", True)


#: Words that belong in code, not on a page (as tests/test_browser.py checks every page).
CODE_WORDS = (r"\bNone\b", r"\b\w+=", r"(?i)run the cells", r"--\w")


@pytest.mark.parametrize("kind", ["measurements", "answers", "ratings"])
def test_the_entrys_words_name_no_code(book, kind):
    section = {"measurements": "monitoring", "answers": "community", "ratings": "review"}[kind]
    _editor, results = _step(book, section)
    entry = entry_table(results, kind)
    entry.box.value = "nonsense\t31/12/2026\t\n"
    entry.check_button.click()
    entry.template_button.click()
    words = " ".join([_text(entry.help), entry.box.placeholder, _text(entry.report), _text(entry.template_link)])
    assert [word for word in CODE_WORDS if re.search(word, words)] == []


# ---------------------------------------------------------------- templates of the new kinds


@pytest.mark.parametrize(("kind", "row"), [
    ("answers", [REACH, "R77", "Islands", 4]),
    ("ratings", [REVIEW, "ByteBridge Solutions", "", "shared vision", 3]),
])
def test_a_filled_template_of_answers_or_ratings_reads_back(plan, tmp_path, kind, row):
    path = write_template(plan, kind, tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(path)
    for column, value in enumerate(row, start=1):
        book[kind.capitalize()].cell(3, column, value)
    book.save(path)
    assert _found(read_table(path, kind, plan=plan)) == (1, [])
