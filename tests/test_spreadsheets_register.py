"""Gifts and contacts into the register from spreadsheets: CiviCRM's exports read as written, re-imports update."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from partnerlib import PlanError, import_register, import_table, read_table
from partnerlib.app.cli import main
from partnerlib.io.spreadsheets import REGISTER_KINDS
from partnerlib.io.store import PlanNotFound
from partnerlib.ui.register import register_import

DATA = Path(__file__).parent / "data"
#: A contribution export in CiviCRM's layout: every contact field, then every contribution field
#: (the header of civicrm-core's tests/phpunit/CRM/Export/BAO/ExportTest.php).
CONTRIBUTIONS = DATA / "civicrm_contributions.csv"
#: A contact export in the same layout (the contact fields only).
CONTACTS = DATA / "civicrm_contacts.csv"
PLAN = "Riverside Community Health"
#: When a file chosen on the page was last changed (the browser says).
UPLOADED = dt.datetime(2026, 9, 30, tzinfo=dt.UTC)


def csv_file(folder: Path, text: str, name: str = "gifts.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def new_gifts(ws, before):
    """The gifts an import added, as (donor's name, date, amount, currency, kind, status, designation)."""
    names = {o.id: o.name for o in ws.organisations()} | {p.id: p.name for p in ws.people()}
    return [(names[g.donor], g.date, g.amount, g.currency, g.kind, g.status, g.designation)
            for g in ws.gifts(PLAN) if g.id not in before]


# ---------------------------------------------------------------- the golden CiviCRM contribution export

GOLDEN_GIFTS = [
    ("Wells for All Foundation", dt.date(2026, 9, 10), 5000.0, "USD", "cash", "received", "Spring appeal 2026"),
    ("Ruth Adeyemi", dt.date(2026, 9, 15), 150.0, "USD", "cash", "received", "Online Contribution: Staff giving"),
    ("Mary O'Brien", dt.date(2026, 9, 20), 1250.5, "USD", "cash", "expected", "Autumn appeal 2026"),
    ("St Luke's Mission Hospital", dt.date(2026, 9, 22), 800.0, "USD", "in kind", "received", "Medical supplies"),
    ("Mary O'Brien", dt.date(2026, 9, 25), 50.0, "USD", "cash", "received", "Membership 2026"),
    ("Nordic Mission Fund", dt.date(2026, 9, 28), 3000.0, "EUR", "cash", "expected", "Partner grant 2026-2027"),
]


@pytest.fixture
def imported(book):
    """The sample workspace after importing the golden export, keeping its valid rows; and the report."""
    before = {g.id for g in book.gifts()}
    report = import_register(book, CONTRIBUTIONS, "gifts", plan=PLAN, keep_valid=True)
    return book, before, report


def test_the_golden_export_gives_these_gifts(imported):
    book, before, _ = imported
    assert new_gifts(book, before) == GOLDEN_GIFTS


def test_the_golden_export_reads_these_columns(imported):
    assert imported[2].columns == {
        "Contact Type": "donor_kind", "Display Name": "donor", "Email": "email", "Financial Type": "kind",
        "Contribution Source": "designation", "Date Received": "date", "Total Amount": "amount",
        "Currency": "currency", "Contribution Status": "status",
    }


def test_the_golden_export_rejects_the_cancelled_contribution(imported):
    assert [str(row) for row in imported[2].rejected] == [
        "row 7, column 'Contribution Status': 'Cancelled' is not a gift: only completed contributions (received) "
        "and pending, in progress or overdue ones (expected) are imported"
    ]


def test_the_golden_export_adds_only_the_donor_the_register_lacks(imported):
    assert imported[2].new_entries == ["Mary O'Brien"]


def test_the_new_donor_keeps_the_email_of_the_export(imported):
    book = imported[0]
    assert [p.email for p in book.people() if p.name == "Mary O'Brien"] == ["mary.obrien@example.net"]


def test_the_golden_export_counts_what_it_wrote(imported):
    report = imported[2]
    assert (report.added, report.updated, report.written) == (6, 0, 6)


def test_the_report_says_where_the_gifts_went(imported):
    assert "Written to the register: 6 gifts added." in str(imported[2])


def test_nothing_is_written_while_a_row_is_rejected(book):
    before = (book.gifts(), book.people(), book.organisations())
    report = import_register(book, CONTRIBUTIONS, "gifts", plan=PLAN)
    assert (report.written, (book.gifts(), book.people(), book.organisations())) == (0, before)


def test_importing_the_export_again_updates_instead_of_doubling(imported):
    book, _, _ = imported
    count = len(book.gifts())
    again = import_register(book, CONTRIBUTIONS, "gifts", plan=PLAN, keep_valid=True)
    assert (again.added, again.updated, len(book.gifts()), again.new_entries) == (0, 6, count, [])


def test_the_xlsx_of_the_export_gives_the_same_gifts(book, tmp_path):
    workbook = openpyxl.Workbook()
    with CONTRIBUTIONS.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle):
            workbook.active.append(row)
    workbook.save(tmp_path / "contributions.xlsx")
    before = {g.id for g in book.gifts()}
    import_register(book, tmp_path / "contributions.xlsx", "gifts", plan=PLAN, keep_valid=True)
    assert new_gifts(book, before) == GOLDEN_GIFTS


def test_the_gifts_show_in_the_plan_s_budget(imported):
    from partnerlib.analyses.register import gift_budget, gifts_table

    book = imported[0]
    table = gifts_table(book.gifts(), book.organisations(), book.people())
    budget = gift_budget(book.load(PLAN).plan, table).set_index("line")["amount"]
    # the sample's 35,000 + 4,000 received and 8,000 pledged, with the export's USD gifts
    assert (budget["received"], budget["expected"]) == (35000 + 4000 + 5000 + 150 + 800 + 50, 8000 + 1250.5)


# ---------------------------------------------------------------- a file with the contribution's id

WITH_ID = (
    "Contribution ID,Display Name,Email,Total Amount,Date Received,Financial Type,Contribution Status\n"
    "501,Mary O'Brien,mary@example.net,100.00,2026-09-01,Donation,Completed\n"
)


def test_a_contribution_id_names_the_gift(book, tmp_path):
    import_register(book, csv_file(tmp_path, WITH_ID), "gifts", plan=PLAN)
    assert [(g.id, g.amount) for g in book.gifts() if g.id == "501"] == [("501", 100.0)]


def test_a_contribution_id_updates_the_gift_even_when_its_amount_changed(book, tmp_path):
    import_register(book, csv_file(tmp_path, WITH_ID), "gifts", plan=PLAN)
    count = len(book.gifts())
    import_register(book, csv_file(tmp_path, WITH_ID.replace("100.00", "120.00")), "gifts", plan=PLAN)
    assert (len(book.gifts()), [g.amount for g in book.gifts() if g.id == "501"]) == (count, [120.0])


# ---------------------------------------------------------------- words of donor systems

# (cell of the Financial Type column, kind)
FINANCIAL_TYPES = [
    ("Donation", "cash"),
    ("Member Dues", "cash"),
    ("Event Fee", "cash"),
    ("Campaign Contribution", "cash"),
    ("In Kind", "in kind"),
    ("in-kind", "in kind"),
    ("Pledge", "pledge"),
    ("cash", "cash"),
]


@pytest.mark.parametrize(("cell", "kind"), FINANCIAL_TYPES)
def test_a_financial_type_gives_the_gift_s_kind(tmp_path, cell, kind):
    path = csv_file(tmp_path, f"Contact Name,Total Amount,Received Date,Financial Type,Contribution Status\n"
                              f"Ann,10,2026-01-31,{cell},Pending\n")
    assert read_table(path, "gifts").accepted[0].kind == kind


# (cell of the Contribution Status column, status, or the start of the row's rejection)
STATUSES = [
    ("Completed", "received"),
    ("Pending", "expected"),
    ("In Progress", "expected"),
    ("Overdue", "expected"),
    ("Partially paid", "expected"),
    ("received", "received"),
    ("Refunded", "row 2, column 'Contribution Status': 'Refunded' is not a gift"),
    ("Failed", "row 2, column 'Contribution Status': 'Failed' is not a gift"),
    ("Chargeback", "row 2, column 'Contribution Status': 'Chargeback' is not a gift"),
]


@pytest.mark.parametrize(("cell", "expected"), STATUSES)
def test_a_contribution_status_says_received_or_expected(tmp_path, cell, expected):
    path = csv_file(tmp_path, f"Contact Name,Total Amount,Received Date,Contribution Status\nAnn,10,2026-01-31,{cell}\n")
    report = read_table(path, "gifts")
    found = report.accepted[0].status if report.accepted else str(report.rejected[0])[: len(expected)]
    assert found == expected


def test_a_received_pledge_is_refused_as_the_model_refuses_it(tmp_path):
    path = csv_file(tmp_path, "Contact Name,Total Amount,Received Date,Financial Type\nAnn,10,2026-01-31,Pledge\n")
    assert [str(row) for row in read_table(path, "gifts").rejected] == [
        "row 2, 'status' of a pledge cannot be 'received': a pledge that arrives is recorded as cash or in kind, "
        "received"
    ]


# (cell of the Contact Type column, donor kind)
CONTACT_TYPES = [("Individual", "person"), ("Household", "person"), ("Organization", "organisation"),
                 ("organisation", "organisation"), ("", "person")]


@pytest.mark.parametrize(("cell", "kind"), CONTACT_TYPES)
def test_a_contact_type_says_person_or_organisation(tmp_path, cell, kind):
    path = csv_file(tmp_path, f"Contact Name,Contact Type,Total Amount,Received Date\nAnn,{cell},10,2026-01-31\n")
    assert read_table(path, "gifts").accepted[0].donor_kind == kind


# (header as a donor system writes it, kind, field)
COLUMNS = [
    ("Contact Name", "gifts", "donor"),
    ("Display Name", "gifts", "donor"),
    ("Donor", "gifts", "donor"),
    ("Received Date", "gifts", "date"),
    ("Date Received", "gifts", "date"),
    ("Contribution Date", "gifts", "date"),
    ("Total Amount", "gifts", "amount"),
    ("Contribution ID", "gifts", "id"),
    ("Source", "gifts", "designation"),
    ("Display Name", "contacts", "name"),
    ("Current Employer", "contacts", "organisation"),
    ("Job Title", "contacts", "role"),
    ("Email", "contacts", "email"),
    ("Contact Type", "contacts", "contact_kind"),
]
REQUIRED = {"gifts": {"donor": "Ann", "date": "2026-01-31", "amount": "10"}, "contacts": {"name": "Ann"}}
CELLS = {"donor": "Ann", "date": "2026-01-31", "amount": "10", "id": "7", "designation": "x", "name": "Ann",
         "organisation": "X", "role": "x", "email": "a@x.org", "contact_kind": "Individual"}


@pytest.mark.parametrize(("header", "kind", "field"), COLUMNS)
def test_a_donor_system_s_columns_are_read(tmp_path, header, kind, field):
    others = {name: cell for name, cell in REQUIRED[kind].items() if name != field}
    text = ",".join([*others, header]) + "\n" + ",".join([*others.values(), CELLS[field]]) + "\n"
    assert read_table(csv_file(tmp_path, text), kind).columns[header] == field


def test_a_time_of_day_is_left_out_of_the_date(tmp_path):
    path = csv_file(tmp_path, "Contact Name,Total Amount,Received Date\nAnn,10,2026-03-14 10:32:17\n")
    assert read_table(path, "gifts").accepted[0].date == dt.date(2026, 3, 14)


def test_a_missing_amount_column_is_named(tmp_path):
    with pytest.raises(PlanError, match="no column for the gift's amount: name one 'Amount', 'Total amount'"):
        read_table(csv_file(tmp_path, "Contact Name,Received Date\nAnn,2026-01-31\n"), "gifts")


def test_the_register_kinds():
    assert REGISTER_KINDS == ("contacts", "gifts")


# ---------------------------------------------------------------- matching donors and gifts

GIFT_HEADER = "Contact Name,Email,Contact Type,Total Amount,Received Date,Currency\n"
# (rows of a gifts file, the register's donor each gift went to)
DONORS = [
    ("Wells for All Foundation,,Organization,10,2026-01-31,", ["Wells for All Foundation"]),
    ("WELLS FOR ALL FOUNDATION Ltd.,,Organization,10,2026-01-31,", ["Wells for All Foundation"]),
    ("R. Adeyemi,ruth@HOPE-alliance.example.org,Individual,10,2026-01-31,", ["Ruth Adeyemi"]),
    ("Ruth Adeyemi,,Individual,10,2026-01-31,", ["Ruth Adeyemi"]),
    ("ByteBridge Solutions,,Individual,10,2026-01-31,", ["ByteBridge Solutions"]),
    ("Zoe New,zoe@example.net,Individual,10,2026-01-31,\nZoe New,,,20,2026-02-28,", ["Zoe New", "Zoe New"]),
]


@pytest.mark.parametrize(("rows", "donors"), DONORS)
def test_a_donor_is_found_in_the_register_by_name_or_email(book, tmp_path, rows, donors):
    before = {g.id for g in book.gifts()}
    import_register(book, csv_file(tmp_path, GIFT_HEADER + rows + "\n"), "gifts", plan=PLAN)
    assert [gift[0] for gift in new_gifts(book, before)] == donors


def test_a_new_organisation_donor_joins_the_organisations(book, tmp_path):
    import_register(book, csv_file(tmp_path, GIFT_HEADER + "Acme Trust,,Organization,10,2026-01-31,\n"), "gifts",
                    plan=PLAN)
    assert [o.name for o in book.organisations() if o.name == "Acme Trust"] == ["Acme Trust"]


def test_a_gift_without_currency_takes_the_plan_s(book, tmp_path):
    before = {g.id for g in book.gifts()}
    import_register(book, csv_file(tmp_path, GIFT_HEADER + "Ann,,,10,2026-01-31,\n"), "gifts", plan=PLAN)
    assert [gift[3] for gift in new_gifts(book, before)] == ["USD"]


def test_the_same_gift_twice_in_a_file_is_rejected(book, tmp_path):
    rows = "Ann,,,10,2026-01-31,\nAnn,,,10,2026-01-31,\n"
    report = import_register(book, csv_file(tmp_path, GIFT_HEADER + rows), "gifts", plan=PLAN)
    assert [str(row) for row in report.rejected] == [
        "row 3: the same donor, date and amount as row 2: keep one of the two rows, or give each gift its id "
        "(a Contribution ID column)"
    ]


def test_the_same_contribution_id_twice_is_rejected(book, tmp_path):
    text = "Contribution ID,Contact Name,Total Amount,Received Date\n9,Ann,10,2026-01-31\n9,Bo,20,2026-02-28\n"
    report = import_register(book, csv_file(tmp_path, text), "gifts", plan=PLAN)
    assert [str(row) for row in report.rejected] == ["row 3, column 'Contribution ID': '9' is used twice (also in row 2)"]


def test_a_rejected_row_adds_no_donor(book, tmp_path):
    rows = "Ann,,,10,2026-01-31,\nBo,,,x,2026-01-31,\n"
    import_register(book, csv_file(tmp_path, GIFT_HEADER + rows), "gifts", plan=PLAN)
    assert [p.name for p in book.people() if p.name in ("Ann", "Bo")] == []


def test_gifts_need_a_plan(book):
    with pytest.raises(PlanError, match="Say which SSU plan the gifts are for"):
        import_register(book, CONTRIBUTIONS, "gifts")


def test_gifts_for_an_unknown_plan_are_refused(book):
    with pytest.raises(PlanNotFound):
        import_register(book, CONTRIBUTIONS, "gifts", plan="No such plan")


def test_import_table_takes_gifts_for_its_plan(book):
    before = {g.id for g in book.gifts()}
    import_table(book, PLAN, CONTRIBUTIONS, "gifts", keep_valid=True)
    assert new_gifts(book, before) == GOLDEN_GIFTS


def test_the_register_is_never_replaced_by_an_import(book):
    with pytest.raises(PlanError, match="never replaces them all"):
        import_table(book, PLAN, CONTRIBUTIONS, "gifts", mode="replace")


# ---------------------------------------------------------------- the golden CiviCRM contact export


@pytest.fixture
def contacts(book):
    """The sample workspace after importing the golden contact export; and the report."""
    return book, import_register(book, CONTACTS, "contacts")


def test_the_contact_export_adds_the_new_entries(contacts):
    assert contacts[1].new_entries == ["Sunrise Farms Cooperative", "Kwame Asante", "The Mensah Family"]


def test_the_contact_export_counts_what_it_wrote(contacts):
    report = contacts[1]
    assert (report.added, report.updated, report.rejected) == (2, 3, [])


def test_a_contact_found_by_email_keeps_the_register_s_name_and_takes_the_new_role(contacts):
    book = contacts[0]
    assert [(p.name, p.role, p.organisation) for p in book.people() if p.id == "p-amina"] == [
        ("Dr Amina Yusuf", "Medical Director", "org-riverbend")]


def test_a_new_contact_points_at_their_new_organisation(contacts):
    book = contacts[0]
    sunrise = [o for o in book.organisations() if o.name == "Sunrise Farms Cooperative"]
    assert ([(p.organisation, p.role) for p in book.people() if p.name == "Kwame Asante"], sunrise[0].website) == (
        [(sunrise[0].id, "Director")], "https://sunrise-farms.example.org")


def test_an_organisation_found_under_its_legal_form_takes_the_new_website(contacts):
    book = contacts[0]
    assert [(o.name, o.website) for o in book.organisations() if o.id == "org-riverbend"] == [
        ("Riverbend Health Centre", "https://riverbend-health.example.org/en")]


def test_importing_the_contacts_again_adds_nothing(contacts):
    book = contacts[0]
    count = (len(book.people()), len(book.organisations()))
    again = import_register(book, CONTACTS, "contacts")
    assert (again.added, again.new_entries, (len(book.people()), len(book.organisations()))) == (0, [], count)


def test_a_contact_twice_in_a_file_is_rejected(book, tmp_path):
    text = "Display Name,Email\nAnn Lee,ann@example.net\nAnn  Lee,\n"
    report = import_register(book, csv_file(tmp_path, text, "contacts.csv"), "contacts")
    assert [str(row) for row in report.rejected] == ["row 3: updates the same contact as row 2: keep one of the two rows"]


# (last contact in the register, in the file, after the import)
LAST_CONTACTS = [
    ("2026-09-01", "2026-09-20", dt.date(2026, 9, 20)),
    ("2026-09-20", "2026-09-01", dt.date(2026, 9, 20)),
    ("", "2026-09-01", dt.date(2026, 9, 1)),
]


@pytest.mark.parametrize(("held", "cell", "expected"), LAST_CONTACTS)
def test_a_last_contact_only_moves_later(book, tmp_path, held, cell, expected):
    import_register(book, csv_file(tmp_path, f"Display Name,Last Contacted\nAnn Lee,{held}\n", "a.csv"), "contacts")
    import_register(book, csv_file(tmp_path, f"Display Name,Last Contacted\nAnn Lee,{cell}\n", "b.csv"), "contacts")
    assert [p.last_contacted for p in book.people() if p.name == "Ann Lee"] == [expected]


# ---------------------------------------------------------------- the command and the page


def test_the_command_imports_gifts_for_a_plan(workspace_file, capsys):
    code = main(["import-register", str(CONTRIBUTIONS), "--plan", PLAN, "--keep-valid",
                 "--workspace", str(workspace_file)])
    assert (code, "Written to the register: 6 gifts added." in capsys.readouterr().out) == (0, True)


def test_the_command_guesses_the_kind_from_civicrm_s_file_name(workspace_file, tmp_path, capsys):
    path = tmp_path / "CiviCRM_Contribution_Search.csv"
    path.write_bytes(CONTRIBUTIONS.read_bytes())
    main(["import-register", str(path), "--plan", PLAN, "--workspace", str(workspace_file)])
    assert "as gifts (guessed from the file name" in capsys.readouterr().out


def test_the_command_refuses_what_it_cannot_write(workspace_file, capsys):
    code = main(["import-register", str(CONTRIBUTIONS), "--plan", PLAN, "--workspace", str(workspace_file)])
    assert (code, "Nothing was written" in capsys.readouterr().out) == (1, True)


def test_the_page_imports_a_chosen_file(book):
    page = register_import(book, plan=PLAN)
    page.upload.value = ({"name": "contributions.csv", "type": "text/csv", "size": 0, "last_modified": UPLOADED,
                          "content": memoryview(CONTRIBUTIONS.read_bytes())},)
    page.keep_valid.value = True
    report = page.run()
    assert (report.written, "Written to the register: 6 gifts added." in page.report.value) == (6, True)


def test_the_page_asks_for_a_file_first(book):
    page = register_import(book)
    page.run()
    assert "Choose a .csv or .xlsx file first." in page.report.value


def test_the_page_shows_hostile_text_escaped(book):
    page = register_import(book, plan=PLAN)
    page.upload.value = ({"name": "<script>.csv", "type": "text/csv", "size": 0, "last_modified": UPLOADED,
                          "content": memoryview(b"Contact Name,Total Amount,Received Date\n<script>,x,2026-01-31\n")},)
    page.run()
    assert ("<script>" in page.report.value, "&lt;script&gt;" in page.report.value) == (False, True)


def test_the_page_leaves_the_plan_aside_for_contacts(book):
    page = register_import(book)
    page.kind.value = "contacts"
    assert page.plan.disabled is True
