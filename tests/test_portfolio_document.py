"""The organisation document: every plan side by side and the register, as a page and a workbook."""

import datetime as dt

import pytest
from openpyxl import load_workbook

from partnerlib import SAMPLE_PLAN, seed_workspace
from partnerlib.app.cli import main
from partnerlib.models import Gift, Organisation
from partnerlib.output.portfolio import (
    portfolio_from_workspace,
    render_portfolio_html,
    write_portfolio_xlsx,
)

EVIL = '<script>alert("x")</script>=HYPERLINK("http://evil")'


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    path = tmp_path_factory.mktemp("portfolio") / "workspace.sqlite"
    with seed_workspace(path) as ws:
        ws.save_organisation(Organisation(id="org-evil", name=EVIL))
        ws.save_gift(Gift(id="g-evil", donor="org-evil", plan=SAMPLE_PLAN, date=dt.date(2026, 9, 1),
                          amount=10, designation=EVIL))
        yield ws


@pytest.fixture(scope="module")
def document(workspace):
    return portfolio_from_workspace(workspace)


def test_the_document_covers_both_sample_plans(document):
    assert document.plans == ("Lakeside Girls' Education", SAMPLE_PLAN)


def test_the_page_escapes_hostile_text(document):
    page = render_portfolio_html(document)
    assert ("<script>alert" in page, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page) == (False, True)


def test_the_page_fetches_nothing(document):
    page = render_portfolio_html(document).replace("http://evil", "")
    assert [marker for marker in ("http://", "https://", "<link", "src=") if marker in page] == []


def test_the_workbook_never_holds_a_formula(document, tmp_path):
    book = load_workbook(write_portfolio_xlsx(document, tmp_path / "org.xlsx"))
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row]
    evil = [cell.value for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert (evil, [cell.coordinate for cell in cells if cell.data_type == "f"]) == ([EVIL], [])


def test_the_workbook_lists_its_sheets(document, tmp_path):
    book = load_workbook(write_portfolio_xlsx(document, tmp_path / "org.xlsx"))
    contents = [row[0] for row in book["Contents"].iter_rows(min_row=2, values_only=True)]
    assert (contents[0], book.sheetnames[1:]) == ("Every SSU plan side by side", contents)


# (the sheet, its first row: "Plan" then the plans' own table's headings)
PLAN_SHEETS = [
    ("How far each step of each plan", ("Plan", "Step", "Status", "Items missing", "What is missing")),
    ("Each plan's vision-based budget", ("Plan", "Budget line", "Amount")),
]


@pytest.mark.parametrize(("sheet", "headings"), PLAN_SHEETS)
def test_each_plans_table_of_one_kind_shares_one_sheet_led_by_the_plan(document, tmp_path, sheet, headings):
    book = load_workbook(write_portfolio_xlsx(document, tmp_path / "org.xlsx"))
    assert next(book[sheet].iter_rows(values_only=True)) == headings


def test_the_steps_sheet_holds_eleven_rows_for_each_plan(document, tmp_path):
    book = load_workbook(write_portfolio_xlsx(document, tmp_path / "org.xlsx"))
    plans = [row[0] for row in book["How far each step of each plan"].iter_rows(min_row=2, values_only=True)]
    assert {plan: plans.count(plan) for plan in document.plans} == dict.fromkeys(document.plans, 11)


def test_each_plans_budget_is_captioned_with_its_plan(document):
    captions = [table.caption for _, table in document.sections[2].plan_tables]
    assert captions == [f"The vision-based budget of {plan} against gifts" for plan in document.plans]


def test_the_workbook_is_the_same_bytes_twice(document, tmp_path):
    first = write_portfolio_xlsx(document, tmp_path / "a.xlsx").read_bytes()
    second = write_portfolio_xlsx(document, tmp_path / "b.xlsx").read_bytes()
    assert first == second


def test_the_gift_budget_counts_the_gifts_of_each_plan(document):
    budgets = [table for _, table in document.sections[2].plan_tables]
    received = [table.frame.set_index("Budget line")["Amount"]["Gifts received"] for table in budgets]
    # Lakeside: 2,500 + 6,000; Riverside: 20,000 + 15,000 + 4,000 + the hostile 10.
    assert received == ["USD 8,500", "USD 39,010"]


def test_the_command_writes_both_files(workspace, tmp_path, capsys):
    html, xlsx = tmp_path / "org.html", tmp_path / "org.xlsx"
    code = main(["--workspace", str(workspace.path), "report", "--portfolio", "--html", str(html),
                 "--xlsx", str(xlsx)])
    assert (code, html.exists(), xlsx.exists(), capsys.readouterr().out.count("Wrote")) == (0, True, True, 2)


@pytest.mark.parametrize(("arguments", "message"), [
    (["report", "--portfolio", "Some plan", "--html", "x.html"], "leave out the plan's name"),
    (["report", "--html", "x.html"], "Say which plan's document"),
    (["report", "--portfolio"], "Say which file to write"),
])
def test_the_command_explains_a_wrong_call(workspace, capsys, arguments, message):
    code = main(["--workspace", str(workspace.path), *arguments])
    assert (code, message in capsys.readouterr().err) == (1, True)
