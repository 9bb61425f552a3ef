"""Problems as data, and the one renderer that turns them into words.

A rule that fails says *what* failed as a code and its context (the field,
the limit, what arrived …): a model raises :func:`rule_error` (pydantic's
``PydanticCustomError``), an import or an analysis builds a :class:`Problem`.
Only :func:`render` makes words of them, from the templates of
:data:`MESSAGES`, so a rule reads the same wherever it came from and a
translation swaps one table. Nothing reads a message back.

The renderer names the field as its reader knows it: a form by the label by
its box (``Impact must be between 1 and 5 (you typed 9)``), an import by the
key or column of the user's file (``'impact' must be between 1 and 5 (got 9)``).
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, Self

from pydantic import BaseModel, ValidationError
from pydantic_core import PydanticCustomError

from .fields import field_bounds, field_label, field_of
from .formats import DATE_EXAMPLE, plural, write_number
from .text import forbidden_character

__all__ = [
    "InvalidInput",
    "LIST_SHOWN",
    "Listed",
    "PlanError",
    "Problem",
    "counted",
    "describe",
    "not_available",
    "render",
    "sentence",
    "shown_list",
    "where_text",
]


#: partnerlib's models by name, so a ValidationError, which carries only its model's
#: name (its title), finds the model's field bounds. The models' base class adds each
#: model as it is defined (this layer sits below the models and cannot import them).
MODELS_BY_TITLE: dict[str, type[BaseModel]] = {}

_DATE = "{field} must be a date like 2026-03-31 ({arrived})"
_WHOLE = "{field} must be a whole number ({arrived})"
_NUMBER = "{field} must be a number ({arrived})"
_YES_NO = "{field} must be yes or no ({arrived})"

#: Every sentence a problem becomes, by code: ``str.format`` templates over the
#: problem's context. ``{field}`` is the field as the reader knows it (a form's
#: label, a file's quoted key or column), ``{arrived}`` says what arrived
#: ("got 9"), ``{now}`` a value a rule between fields found ("got 2"); other
#: names are the context's own values (text shown with ``!r`` is quoted).
#: Pydantic's own error types keep their names as codes. A translation replaces
#: this table (and :data:`FORM_MESSAGES`) as a whole.
MESSAGES: dict[str, str] = {
    # the words the renderer builds its parts from
    "arrived": "got {got!r}",
    "now": "got {now!r}",
    "none_yet": "none yet",
    "more": "… and {count:,} more",
    # pydantic's checks of one field
    "missing": "{field} is required",
    "extra_forbidden": "{field} is not a field here (check the spelling)",
    "literal_error": "{field} must be one of {expected} ({arrived})",
    "greater_than_equal": "{field} must be at least {ge:g} ({arrived})",
    "greater_than": "{field} must be more than {gt:g} ({arrived})",
    "less_than_equal": "{field} must be at most {le:g} ({arrived})",
    "less_than": "{field} must be less than {lt:g} ({arrived})",
    "between": "{field} must be between {ge:g} and {le:g} ({arrived})",
    "more_than_and_at_most": "{field} must be more than {gt:g} and at most {le:g} ({arrived})",
    "date_parsing": _DATE,
    "date_type": _DATE,
    "date_from_datetime_parsing": _DATE,
    "date_from_datetime_inexact": _DATE,
    "int_parsing": _WHOLE,
    "int_type": _WHOLE,
    "int_from_float": _WHOLE,
    "float_parsing": _NUMBER,
    "float_type": _NUMBER,
    "finite_number": _NUMBER,
    "bool_parsing": _YES_NO,
    "bool_type": _YES_NO,
    "string_too_short": "{field} must not be empty",
    "string_too_long": "{field} must be at most {max_length} characters (got {length})",
    "string_pattern_mismatch": "{field} must be {pattern} ({arrived})",
    "pattern:[A-Z]{3}": "a three-letter currency code in capitals, like USD or KES",
    "pattern:[A-Za-z0-9_-]+": "letters, digits, '-' and '_' only",
    "pattern:[^\\s]*": "without spaces",
    "pattern:[^\\s/&|?]*": "without spaces, '/', '&', '|' or '?'",
    "pattern": "in the expected form",
    "kind:strength": "a strength",
    "kind:weakness": "a weakness",
    "kind:opportunity": "an opportunity",
    "kind:threat": "a threat",
    "unknown_rule": "{field}: {rule} ({arrived})",
    "forbidden_character": (
        "{field} must not contain the unprintable character {character} (character {position}) ({arrived})"
    ),
    # a rule about a value of a table's column, and the phrases naming what a good value is
    "broken_rule": "{field} must be {rule} ({arrived})",
    "required_rule": "{field} is required ({rule})",
    "rule:choice": "one of {choices}",
    "rule:id": "the id of {what}",
    "rule:whole_number": "a whole number from {low} to {high}",
    "rule:date": "a date like 2026-03-31",
    "rule:number": "a number",
    "rule:positive": "a number above 0",
    "rule:fraction": "a number from 0 to 1",
    "rule:party": "a party of the plan ({known})",
    "rule:scale": "a whole number from 1 to {size} or one of {labels}",
    # the models' own rules
    "unknown_reference": "{field} must be the id of {what} ({arrived}; known: {known})",
    "duplicate_id": "{field} {got!r} is used twice",
    "code_used_twice": "{field} {got!r} is used by another KPI",
    "listed_twice": "{got!r} is listed twice",
    "scored_twice": "{candidate!r} is scored twice on {criterion!r}",
    "two_roles": "{party!r} has two roles in {activity!r}",
    "rated_twice": "{party!r} rated {factor!r} twice in {review!r}",
    "rating_outside_kind": "{field} of {kind} must be between {low} and {high} ({now})",
    "target_equals_baseline": "{field} must differ from the baseline (both are {got:g})",
    "dates_out_of_order": "{field} must come after {other} (got {got} and {other_value})",
    "percentage_out_of_range": "{field} is a percentage and must be between 0 and 100 (got {value:g})",
    "target_above_baseline": "{field} is {got} but the target ({target:g}) is above the baseline ({baseline:g})",
    "target_below_baseline": "{field} is {got} but the target ({target:g}) is below the baseline ({baseline:g})",
    "shares_not_100": "{field} must add up to 100 % under agreed shares (got {total:g} %)",
    "received_pledge": "{field} of a pledge cannot be 'received': a pledge that arrives is recorded as cash or "
    "in kind, received",
    # forms
    "row_open": "A row is still open: press {keep} or Cancel under the table first.",
    # imports: plan files and spreadsheets
    "not_in_plan_file": "{field} is not a part of a plan file (check the spelling)",
    "not_a_list": "{field} must be a list (got {kind})",
    "not_an_object": "each measurement must be an object",
    "empty_cell": "{field} must not be empty",
    "ambiguous_date": (
        "{field} {got!r} is not an ISO date: is the day or the month first? Write dates as "
        "2026-03-31, or import again with the day-first option (--dayfirst) if the day comes first"
    ),
    "not_a_real_date": "{field} is not a real date ({arrived})",
    "formula_without_value": (
        "{column!r} holds a formula whose result was never saved "
        "(open the file in a spreadsheet program and save it, or type the value)"
    ),
    "duplicate_columns": "columns {first!r} and {second!r} both give {what}: keep one of them",
    "missing_column": "no column for {what}: name one {choices} (the file's columns: {found})",
    "no_such_column": "there is no column {heading!r} to read as {what} (the file's columns: {found})",
    "not_a_field_of": "{field} is not a field of {many} (choose one of {choices})",
    "only_unknown_columns": "the row has values only in columns that are not imported",
    "unknown_name": "{field} {got!r} is not one of the plan's {many} (known: {known})",
    "no_names_yet": "{field} {got!r} is not one of the plan's {many} (the plan has none yet: add them first)",
    "ambiguous_name": "{field} {got!r} could be any of {count} {many} (ids {ids}): give its id or code instead",
    "unknown_kpi": "{field} must be the id of one of the plan's KPIs ({arrived}; known: {known})",
    "no_kpis_yet": "{field} must be the id of one of the plan's KPIs ({arrived}; none yet: add the KPIs first)",
    "repeated_measurement": (
        "KPI {kpi!r} has another value for {date} in row {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "repeated_measurement_rows": (
        "KPI {kpi!r} has another value for {date} in rows {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "repeated_group_measurement": (
        "KPI {kpi!r} has another value for {date} (group {group!r}) in row {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "repeated_group_measurement_rows": (
        "KPI {kpi!r} has another value for {date} (group {group!r}) in rows {rows}: "
        "a KPI has one value per date and group, keep one of these rows"
    ),
    "id_used_twice_in_file": "{field} {got!r} is used twice (also in row {first})",
    "same_title": "the same title as row {first}: keep one of the two rows",
    "same_name": "the same name as row {first}: keep one of the two rows",
    "same_party_and_description": "the same party and description as row {first}: keep one of the two rows",
    "same_answer": "the same question and respondent as row {first}: keep one of the two rows",
    "same_rating": "the same review, party, person and factor as row {first}: keep one of the two rows",
    "updates_same_record": "updates the same {record} as row {first}: keep one of the two rows",
    # rows typed or pasted on a page (ui.entry)
    "entry_help": (
        "One row per line; {required} are required. Paste rows copied from a spreadsheet as they are, with or "
        "without the line of headings; without it, give the columns in this order: {columns}. When typing, "
        "separate the values with commas. KPIs, questions, reviews and partners go by their names."
    ),
    "entry_empty": "The box is empty: type or paste rows first.",
    "entry_checked": "{read} read: {valid} ready to save, {rejected} to fix (below).",
    "entry_all_valid": "{read} read: all ready to save. Press {save} to store them.",
    "entry_nothing_valid": "{read} read: none can be saved yet. Fix the rows below, then press {save} again.",
    "entry_saved": "Saved {saved} ({added} new, {updated} updated).",
    "entry_left": "{left} stayed in the box: fix them as said below, then press {save} again.",
    "entry_more_rows": "… and {count:,} more rows to fix (all are still in the box)",
    "entry_not_read": "Not read (no such column): {columns}",
    "entry_unsaved_form": (
        "Not saved: the form above has changes not saved yet. Press Save (or Revert) there first, "
        "then save these rows."
    ),
    "entry_results_not_updated": "The results could not be updated: {reason}",
    "template_link": "Download the {what} template for {plan} (xlsx)",
    "template_help": (
        "Fill in one row per line under the headings: the second row says what each column holds and the "
        "lists offer this plan's names. Then copy the rows, headings included, and paste them into the box "
        "above, or have the whole file imported into the plan."
    ),
    "same_gift": (
        "the same donor, date and amount as row {first}: keep one of the two rows, or give each gift its id "
        "(a Contribution ID column)"
    ),
    "not_a_gift_status": (
        "{field} {got!r} is not a gift: only completed contributions (received) and pending, in progress or "
        "overdue ones (expected) are imported"
    ),
    "not_in_organisation_file": "{field} is not a part of an organisation file (check the spelling)",
    "plan_twice": "the plan {got!r} is in the file twice: keep one of them",
    # imports: a file in another encoding than UTF-8 (codes of partnerlib.core.text.other_encoding)
    "encoding:utf-16-mark": "UTF-16 (it starts with that encoding's byte-order mark)",
    "encoding:utf-32-mark": "UTF-32 (it starts with that encoding's byte-order mark)",
    "encoding:utf-16-zeros": "UTF-16 (every other byte is zero)",
    "encoding:utf-32-zeros": "UTF-32 (three bytes of every four are zero)",
    "csv_other_encoding": (
        "{source} is not UTF-8 text: it looks like {encoding}. Only UTF-8 is read (with or without "
        "a byte-order mark): save the file as 'CSV UTF-8' and import it again"
    ),
    "csv_not_utf8": (
        "{source} is not UTF-8 text (byte {byte} at position {position:,} cannot be read). Only UTF-8 is "
        "read (with or without a byte-order mark): save the file as 'CSV UTF-8' and import it again"
    ),
    # plan files: the file as a whole
    "no_plan_file": "There is no file {path}.",
    "file_too_large": (
        "{source} is {size:,.1f} MB, more than the {limit:,.1f} MB a plan file may be; nothing was read. "
        "If you trust the file, raise the size limit (--max-mb)."
    ),
    "file_grew": "{source} is more than the {limit:,.1f} MB a plan file may be.",
    "unpacks_too_large": (
        "{source} unpacks to more than the {limit:,.1f} MB a plan file may be; nothing was imported. "
        "If you trust the file, raise the size limit (--max-mb)."
    ),
    "broken_gzip": "{source} is a broken gzip file ({reason}).",
    "plan_file_other_encoding": (
        "{source} is not UTF-8 text: it looks like {encoding}. "
        "Plan files are read in UTF-8 only (as partnerlib writes them): save it as UTF-8."
    ),
    "plan_file_not_utf8": (
        "{source} is not UTF-8 text (byte {position:,} cannot be read). "
        "Plan files are read in UTF-8 only (as partnerlib writes them): save it as UTF-8."
    ),
    "not_json": "{source} is not valid JSON: {reason} (line {line}, column {column}).",
    "nested_too_deeply": "{source} is nested too deeply to be a plan file.",
    "not_a_plan_file": "{source} is not a partnerlib plan file ('format' must be {expected!r}, {arrived}).",
    "schema_version_not_whole": "{source}: $.schema_version must be a whole number ({arrived}).",
    "newer_plan_file": (
        "{source} was written by a newer partnerlib (plan file version {version}; this one reads up to "
        "version {newest}): update partnerlib to import it."
    ),
    "cannot_import_file": "{source} cannot be imported",
    "new_plan_name": "the new name",
    "import_name_taken": (
        "There is already a plan called {name!r} in {workspace}: import it under another name (--name) "
        "or replace the old one (--replace)."
    ),
    # plan files: one value
    "number_too_long": "a number of {digits:,} digits is larger than any value a plan holds",
    "object_not_number": "{field} must be a number (got an object)",
    "list_not_number": "{field} must be a number (got a list)",
    "object_not_text": "{field} must be text (got an object)",
    "list_not_text": "{field} must be text (got a list)",
    "repeated_measurement_at": (
        "KPI {kpi!r} has another value for {date} in {places}: "
        "a KPI has one value per date and group, keep one of them"
    ),
    "repeated_group_measurement_at": (
        "KPI {kpi!r} has another value for {date} (group {group!r}) in {places}: "
        "a KPI has one value per date and group, keep one of them"
    ),
    # imports: DHIS2 and KoboToolbox
    "not_a_dhis2_period": "{got!r} is not a DHIS2 period like 202401, 2024Q1, 2024S1, 2024W3 or 2024",
    "not_a_data_value": "must be an object with a dataElement",
    "not_finite": "{field} must be a finite number ({arrived})",
    "repeated_data_value": (
        "another value in this file has the same data element, period and category option combo: keep one of them"
    ),
    # exports: IATI
    "no_iati_organisation": (
        "{field} is empty: IATI requires the organisation's identifier (e.g. GB-CHC-1234567); "
        "add it in the plan's details (step 0)"
    ),
    "no_iati_activity": (
        "{field} is empty: IATI requires the activity's identifier (e.g. GB-CHC-1234567-SSU1); "
        "add it in the plan's details (step 0)"
    ),
    "iati_activity_prefix": (
        "{field} must start with the organisation's identifier and '-' ({organisation}-…; {arrived}): "
        "IATI requires it"
    ),
    # what a plan section still lacks (a section's gaps): saved, but listed as missing. {record} names the
    # record a gap is about (see models._base.record_context) by one of the "record:" phrases, after
    # the field that names it; {model} is its kind, {records} a table of them, as field_label words them.
    "record:name": 'The {model} "{record}"',
    "record:leader": 'The {model} with "{record}"',
    "record:audience": 'The {model} to "{record}"',
    "record:giver": 'The {model} by "{record}"',
    "record:row": "The {model} in row {number:d}",
    "gap_no_peers": "No peer departments listed yet.",
    "gap_no_contact": "{record} has no contact person yet.",
    "gap_no_points": "{record} has no points to discuss yet.",
    "gap_no_organisation_goal": "The organisation's impact goal is not written yet.",
    "gap_no_ssu_goal": "The SSU's impact goal is not written yet.",
    "gap_no_goal_link": "Say how the SSU goal serves the organisation's goal.",
    "gap_no_objectives": "No internal objectives yet.",
    "gap_no_measure": "{record} has no measure yet.",
    "gap_no_due_date": "{record} has no due date yet.",
    "gap_no_need": "{record} is not linked to a need yet.",
    "gap_no_candidates": "{record} has no candidates yet: compare at least three.",
    "gap_one_candidate": "{record} has only 1 candidate: compare at least three.",
    "gap_few_candidates": "{record} has only {count:d} candidates: compare at least three.",
    "gap_not_scored": "{record} is not scored yet on {criteria}.",
    "gap_not_audited": "{record} still needs due diligence on {checks}.",
    "gap_no_criteria": "No selection criteria yet.",
    "gap_no_purpose": "The purpose is not written yet.",
    "gap_no_factor": "No {factor} listed yet.",
    "gap_internal_weights": "The internal weights sum to {total:g}, not 1.",
    "gap_external_weights": "The external weights sum to {total:g}, not 1.",
    "gap_no_strategy_text": "{record} has no text yet.",
    "gap_no_returns": "No expected returns listed yet.",
    "gap_no_group": "No {group} group yet.",
    "gap_no_activities": "No activities in the responsibility matrix yet.",
    "gap_no_owner": "{record} has no owner yet.",
    "gap_no_mitigation": "{record} has no mitigation yet.",
    "gap_no_residual_likelihood": "{record} has no residual likelihood yet.",
    "gap_no_residual_impact": "{record} has no residual impact yet.",
    "gap_residual_above_inherent": "{record} has a residual score above its inherent one.",
    "gap_no_appetite": "No risk appetite set yet.",
    "gap_no_target_audience": "No stakeholder is marked as target audience.",
    "gap_not_engaged": "{record} has no engagement planned yet.",
    "gap_no_date": "{record} has no date yet.",
    "gap_no_value": "{record} has no value yet.",
    "gap_no_shares": "The rule is 'agreed shares' but no shares are set.",
    "gap_no_vision_budget": "No vision-based budget yet.",
    "gap_no_messages": "No core messages yet.",
    "gap_no_guidelines": "No communication guidelines yet.",
    "gap_no_line_purpose": "{record} has no purpose yet.",
    "gap_no_permission": "{record} cannot be used yet: no permission given.",
    "gap_no_baseline": "{record} has no baseline yet.",
    "gap_no_baseline_date": "{record} has no baseline date yet.",
    "gap_no_target": "{record} has no target yet.",
    "gap_no_target_date": "{record} has no target date yet.",
    "gap_no_kpi_at_level": "No {level} KPI yet.",
    "gap_no_collection": "{record} has no data-collection plan yet.",
    "gap_no_review": "No partnership review held yet.",
    "gap_factors_unrated": '{record} is not complete: "{party}" rated {count:d} of the {total:d} factors.',
    "gap_not_a_partner": 'The party "{party}" named in the {records} is not a selected partner.',
    "gap_unknown_relationship": (
        '{record} is with "{relationship}", which is neither a peer department nor a candidate partner.'
    ),
    "gap_unknown_kpi": "{record} names the KPI \"{kpi}\", which is not one of the plan's KPIs.",
    # imports: DHIS2 and KoboToolbox files as a whole
    "no_such_file": "{path} does not exist (or is not a file)",
    "dhis2_too_large": "{file} is larger than {most_mb:.0f} MB: split it and import the parts",
    "dhis2_not_utf8": "{file} is not UTF-8 text: export it from DHIS2 as JSON again",
    "dhis2_not_json": "{file} is not JSON (line {line:d}, column {column:d}: {reason})",
    "not_a_data_value_set": "{file} is not a DHIS2 dataValueSet: it needs a 'dataValues' list",
    "dhis2_needs_org_unit": "a DHIS2 export needs the organisation unit the values are for (--org-unit)",
    "kobo_mapping_unreadable": "the mapping {file} cannot be read ({reason})",
    "kobo_mapping_not_yaml": "the mapping {file} is not YAML ({reason})",
    "kobo_mapping_shape": "a mapping must name 'kpis' (question: KPI), and may name 'date' and 'group'",
    "kobo_mapping_unknown_keys": (
        "a mapping must name 'kpis' (question: KPI), and may name 'date' and 'group' (unknown: {unknown})"
    ),
    "not_an_xlsx_workbook": "{file} cannot be read as an .xlsx workbook ({reason})",
    "kobo_not_utf8": "{file} is not UTF-8 text: export it from KoboToolbox again",
    "not_csv": "{file} cannot be read as CSV ({reason})",
    "kobo_file_kind": "{file}: a KoboToolbox export is an .xlsx or .csv file",
    "kobo_no_header": "{file} is empty: it has no header row",
    "question_in_no_sheet": "the question {question!r} is in no sheet of {file}",
    "no_question_mapped": "no question is mapped to a KPI, and none is named as a KPI's code",
    "cannot_import": "cannot import {file}: {problems}",
    # the workspace: its store and the engines it lives in
    "not_a_section": "{got!r} is not a plan section (choose from {sections})",
    "wrong_section_value": "The {title} section must be a {expected} (got {kind})",
    "not_a_plan": "create_plan needs a Plan (got {kind})",
    "not_a_record": "Expected a {expected} (got {kind})",
    "naive_time": "saved_at needs a time zone (got {moment})",
    "plan_exists": "There is already a plan called {name!r}; choose another name (or delete the other plan first).",
    "no_plan": "There is no plan called {name!r} in {workspace}.",
    "no_deleted_plan": "There is no deleted plan called {name!r} in {workspace}.",
    "did_you_mean": "Did you mean {name!r}?",
    "plans_there_are": "The plans there are: {names}.",
    "deleted_plans_there_are": "The deleted plans there are: {names}.",
    "no_plans_yet": "There are no plans yet.",
    "no_deleted_plans_yet": "There are no deleted plans yet.",
    "section_unreadable": (
        "The {title} section of {name!r} in {workspace} no longer reads as a valid section: {problem}"
    ),
    "stale_save": (
        "{title} was saved by {author} at {moment} after you opened it; reload to see their changes "
        "(nothing was saved)."
    ),
    "stale_save_by_someone": (
        "{title} was saved by someone else at {moment} after you opened it; reload to see their changes "
        "(nothing was saved)."
    ),
    "no_revision": "The plan {name!r} has no revision {revision:d}.",
    "revisions_of_two_sections": (
        "Revisions {old:d} and {new:d} are of different sections ({old_title}, {new_title}); compare two "
        "revisions of the same section."
    ),
    "no_such_register": "There is no register of {got!r}: organisations, people or gifts.",
    "measurements_missing_columns": (
        "The measurements table has no {missing} column (it needs {needed}; group and source are optional)"
    ),
    "workspace_not_empty": (
        "The workspace {workspace} already holds {tables}: copy into a new file or an empty database "
        "(nothing was copied)."
    ),
    "no_workspace": "There is no workspace at {workspace}.",
    "workspace_is_folder": "{workspace} is a folder, not a workspace file.",
    "cannot_open_workspace": "Cannot open the workspace {workspace}: {reason}.",
    "workspace_on_shared_drive": (
        "The workspace {workspace} is on a shared network drive ({kind} {source} mounted at {point}), where "
        "SQLite cannot keep it safe from two computers writing at once. Keep the file on a local disk, or use "
        "a PostgreSQL workspace: --workspace postgresql://user@host/database (or PARTNERLIB_WORKSPACE)."
    ),
    "not_a_workspace_file": (
        "{workspace} is not a partnerlib workspace (it is another kind of file); choose a workspace file, "
        "or a new file name to start one."
    ),
    "workspace_too_new": (
        "{workspace} was made by a newer partnerlib (workspace version {version:d}; this partnerlib reads up "
        "to version {newest:d}). Update partnerlib to open it."
    ),
    "workspace_damaged": (
        "The workspace {workspace} is damaged ({reason}). It was left untouched: restore it from a backup, "
        "or start a new workspace."
    ),
    "workspace_unreadable": (
        "The workspace {workspace} is damaged or is not a partnerlib workspace ({reason}). It was left "
        "untouched: restore it from a backup, or choose another file."
    ),
    "workspace_busy": (
        "The workspace {workspace} is busy ({reason}): another notebook is saving. Try again in a moment; "
        "nothing was saved."
    ),
    "database_unreachable": (
        "Cannot reach the PostgreSQL workspace {workspace}: {reason}. Check the address, the user and the "
        "password (or PGPASSWORD, ~/.pgpass), and that the database exists (`createdb NAME` makes one)."
    ),
    "database_not_a_workspace": (
        "The database {workspace} is not a partnerlib workspace: it holds other tables ({tables}). It was "
        "left untouched: name an empty database, or a partnerlib workspace."
    ),
    "database_tables_missing": (
        "The workspace {workspace} is damaged: its tables {tables} are missing. It was left untouched: "
        "restore it from a backup (pg_dump), or start a new workspace."
    ),
    "database_empty": "There is no workspace at {workspace} (the database is empty).",
    "database_busy": (
        "The workspace {workspace} is busy ({reason}): someone else is saving the same plan. Try again in a "
        "moment; nothing was saved."
    ),
    "database_connection_lost": (
        "Lost the connection to the workspace {workspace} ({reason}); nothing was saved. Try again: the next "
        "step connects afresh."
    ),
    # the command line
    "file_fits_several_kinds": (
        "The file name {file} fits several kinds of table ({found}): say which with --kind (one of {kinds})."
    ),
    "file_kind_unknown": (
        "Say what {file} holds with --kind: one of {kinds} (or name the file after it, e.g. risks.csv)."
    ),
    "register_file_kind_unknown": "Say what {file} holds with --kind: gifts or contacts.",
    "report_needs_a_file": "Say which file to write: --html FILE, --xlsx FILE or both.",
    "portfolio_names_no_plan": (
        "The organisation document covers every plan: leave out the plan's name with --portfolio."
    ),
    "report_needs_a_plan": "Say which plan's document to write (see `partnerlib plans`), or give --portfolio.",
    "notebooks_not_found": (
        "The notebooks folder was not found: `partnerlib lab` needs the workbook's source folder."
    ),
    # the command line: the series of notebooks and presenting
    "series_notebooks_not_found": "The notebooks folder was not found: run this from a copy of the workbook.",
    "no_step_notebooks": "No step notebooks (00_….ipynb) in {folder}.",
    "no_such_step": "No step named {steps}: choose from {choices}.",
    "step_failed": "Step {step} ({title}) failed: {error}: {reason} (see {notebook})",
    "step_could_not_run": "Step {step} ({title}) could not run: {error}: {reason} (see {notebook})",
    "port_in_use": "Port {port:d} is already in use: choose another with --port, or leave it out.",
    # analyses: what a result needs first
    "no_agreed_shares": "The rule is 'agreed shares' but no shares are set: add them in step 8.",
    "no_contribution_values": (
        "Costs cannot be divided in proportion to contributions: no contribution has a value yet."
    ),
    "no_review_yet": "No partnership review held yet: add a review and its ratings in step 11.",
    # analyses: tables handed to them
    "not_a_table": "expected a table (DataFrame), got {kind}",
    "missing_columns": "the {table} table has no column {columns}",
    "missing_columns_plural": "the {table} table has no columns {columns}",
    "more_rows": "… and {count} more rows like these",
    "two_results": "{candidate!r} has two results for {check!r}",
    "kind_rating": "{field} of {kind} must be a whole number from {low} to {high} ({arrived})",
    "wrong_pairing": "{field}: an {kind} strategy pairs {inner} with {outer}, but {got!r} is {factor_kind}",
    "no_weights": "there are no {side} weights ({first} and {second}) above 0 yet: add some first",
    "weights_not_one": (
        "the {side} weights ({first} and {second}) sum to {total:g}, not 1: adjust them, "
        "or score with normalise=True to rescale them"
    ),
    "not_square": "the comparison table must be square (got {rows} rows and {columns} columns)",
    "labels_differ": (
        "rows and columns must name the same criteria in the same order (rows {rows}, columns {columns})"
    ),
    "too_many_criteria": "at most {most} criteria can be compared in pairs (got {got})",
    "not_positive": "{first} vs {second} must be a positive number ({arrived})",
    "diagonal_not_one": "{first} vs {second} must be 1 (got {got:g})",
    "not_reciprocal": (
        "{second} vs {first} must be 1/{value:g} = {reciprocal:.3g}, the reciprocal of "
        "{first} vs {second} (got {got:g})"
    ),
    # io.spreadsheets: what a row of each kind of table is called ("one:" one of them, "many:" several)
    "one:answers": "answer", "many:answers": "answers",
    "one:candidates": "candidate", "many:candidates": "candidates",
    "one:contributions": "contribution", "many:contributions": "contributions",
    "one:kpis": "KPI", "many:kpis": "KPIs",
    "one:measurements": "measurement", "many:measurements": "measurements",
    "one:ratings": "rating", "many:ratings": "ratings",
    "one:risks": "risk", "many:risks": "risks",
    "one:contacts": "contact", "many:contacts": "contacts",
    "one:gifts": "gift", "many:gifts": "gifts",
    "one:rows": "row", "many:rows": "rows",
    # io.spreadsheets: a field as a missing column's message names it ("the measurement's KPI")
    "field_of_row": "the {row}'s {name}",
    "field:kpi": "KPI",
    "field:party": "party (the partner's id)",
    "either": "{choices} or {last}",
    # io.spreadsheets: reading the file
    "table_without_header": "{file} is empty: the first row must name the columns",
    "first_row_too_long": (
        "{file} row 2 has more cells than the header names columns (a separator inside a value must be in quotes)"
    ),
    "row_too_long": (
        "{file} row {row:d} has {cells:d} cells but the header names {columns:d} columns "
        "(a separator inside a value must be in quotes)"
    ),
    "no_such_sheet": "{file} has no sheet {sheet!r} (it has {sheets})",
    "not_a_table_file": "{file}: only .csv and .xlsx files can be imported (save an .xls or .ods file as .xlsx)",
    "column_without_header": "(column {letter} has no header)",
    "cannot_import_table": "cannot import {what}",
    "unknown_table_kind": "unknown kind of table {got!r}: choose one of {kinds}",
    "unknown_register_kind": "unknown kind of register table {got!r}: choose one of {kinds}",
    "import_mode": "the mode must be 'append' or 'replace' ({arrived})",
    "register_not_replaced": (
        "The register's {what} are shared by every plan: an import adds and updates them, it never replaces "
        "them all."
    ),
    "gifts_need_a_plan": "Say which SSU plan the gifts are for (see `partnerlib plans`).",
    "section_would_break_rule": "the {title} section would break a rule; nothing was written",
    "pasted_rows": "rows typed or pasted",
    "imported_note": "Imported {rows} from {file} ({added} added, {updated} updated)",
    # io.spreadsheets: the import's report
    "column_named": "column {heading!r}:",
    "rejected_row": "row {row:d}: {reason}",
    "rejected_row_column": "row {row:d}, {reason}",
    "report_read": "{file} as {what}: {rows} read, {valid:,} valid, {rejected:,} rejected.",
    "written_to_plan": "Written to the plan: {added} added.",
    "written_to_plan_updated": "Written to the plan: {updated} updated, {added:,} added.",
    "written_to_register": "Written to the register: {added} added.",
    "written_to_register_updated": "Written to the register: {updated} updated, {added:,} added.",
    "new_in_register": "New in the register (check none is a misspelling of a name already there): {names}",
    "nothing_written": (
        "Nothing was written: fix the rows below and import again, or import with the option to keep the "
        "valid rows (--keep-valid) to write those."
    ),
    "report_columns": "Columns: {columns}",
    "column_read_as": "{heading} → {name}",
    "report_unknown_columns": "Not imported (no such field): {columns}",
    "report_rejected_rows": "Rejected rows:",
    # io.templates
    "template_not_xlsx": "{file}: a template is an .xlsx file (give a name ending in .xlsx)",
    "template_required": "Required.",
    "template_id_help": "Leave empty for a new row; an id (or the same name) updates that record.",
    "template_reference_help": "The {one}: choose one of the plan's {many} (its id or code works too).",
    "template_date_help": "A date like 2026-03-31.",
    "template_choose_from_list": "Choose a value from the list.",
    "template_type_date": "Type a date like 2026-03-31.",
    "template_type_whole": "Type a whole number from {low:g} to {high:g}.",
    "template_type_number": "Type a number from {low:g} to {high:g}.",
    # io.organisation_files
    "one:plans": "plan", "many:plans": "plans",
    "one:organisations": "organisation", "many:organisations": "organisations",
    "one:people": "person", "many:people": "people",
    "one:entries": "entry", "many:entries": "entries",
    "organisation_file_too_large": (
        "{source} is {size:,.1f} MB, more than the {limit:,.1f} MB an organisation file may be; nothing was "
        "read. If you trust the file, raise the size limit (--max-mb)."
    ),
    "organisation_file_not_utf8": (
        "{source} is not UTF-8 text (byte {position:,} cannot be read). Organisation files are read in UTF-8 "
        "only (as partnerlib writes them): save it as UTF-8."
    ),
    "organisation_nested_too_deeply": "{source} is nested too deeply to be an organisation file.",
    "not_an_organisation_file": (
        "{source} is not a partnerlib organisation file ('format' must be {expected!r}, {arrived}); a plan "
        "file is imported with `partnerlib import-plan`."
    ),
    "organisation_schema_version": "{source}: $.schema_version must be a whole number from 1 ({arrived}).",
    "newer_organisation_file": (
        "{source} was written by a newer partnerlib (organisation file version {version}; this one reads up "
        "to version {newest}): update partnerlib to import it."
    ),
    "plan_in_organisation_file": "{source}, plan {number:d},",
    "workspace_holds_plans": (
        "The workspace {workspace} already holds {names}: import into another workspace, or replace those "
        "plans (--replace). Nothing was imported."
    ),
    "workspace_imported": (
        "Imported {plans} ({names}); new in the register: {organisations}, {people}, {gifts}; {merged} of "
        "the file already in the register."
    ),
    "workspace_imported_no_plans": (
        "Imported no plans; new in the register: {organisations}, {people}, {gifts}; {merged} of the file "
        "already in the register."
    ),
    # ---- words-ui: the forms, the pages' results, the register, the workshop room ----
    # the workbook and its forms (ui.workbook, ui.forms, ui.widgets, ui.entry, ui.live)
    "workspace_has_no_plans": "The workspace {workspace} has no plans yet: create one in step 0.",
    "new_plan_details": "The new plan's details",
    "no_widget_for_field": (
        "{class_name}.{name}: no form widget for a field of type {annotation} (add a rule to WIDGET_RULES)"
    ),
    "help_between": "From {low} to {high}.",
    "help_at_least": "At least {low}.",
    "help_at_most": "At most {high}.",
    "help_not_known": "Empty: not known.",
    "help_pick": "Pick {what} from the list; add it first if it is missing.",
    "help_tick_records": "Tick each one that applies; add {what} first if it is missing.",
    "help_tick": "Tick each one that applies.",
    "help_date": "A date like {example} (or 1/9/2027: day first).",
    "help_ids": "Ids separated by commas.",
    "not_entered_on_page": "{got!r} cannot be entered on a page (choose one of {choices})",
    "not_available": "Not available yet: {reason}",
    "result_failed": "{result} ({error}: {reason})",
    "results_not_redrawn": "{results}. What is shown there is from before this save.",
    "form_row": "Row {number:d}",
    "form_named_row": "Row {number:d} ({name})",
    "form_finish_open_row": "Finish the open row first: press {keep} or Cancel.",
    "form_choose_row": "Choose a row in the Row list first.",
    "form_row_deleted": "{row} deleted from the table — press Save below to store your changes.",
    "form_row_kept": "{row} kept in the table — press Save below to store your changes.",
    "form_row_unchanged": "{row}: nothing changed.",
    "form_row_not_kept": "This row is not kept yet: correct the fields marked ⚠ above, then press {keep} again.",
    "form_no_rows": "No rows yet: press Add.",
    "form_rows_shown": "Rows {first:d}–{last:d} of {count:d}",
    "form_showing_saved": "Showing the saved version.",
    "form_showing_latest": "Showing the latest saved version.",
    "form_reverted": "Back to the last saved version.",
    "form_unsaved": "Unsaved changes — press Save to store them.",
    "form_went_wrong": "Something went wrong: {reason}",
    "form_not_saved_problems": "Not saved: {problems} — see the messages by the fields.",
    "form_not_saved_stale": (
        "Not saved: {reason} Your changes are still in the form: note what you need, then press Reload "
        "(discard my changes) to see the latest version."
    ),
    "form_not_saved": "Not saved: {reason}",
    "form_saved_at": "Saved at {time}.",
    "form_saved_at_by": "Saved at {time} by {author}.",
    # what a widget stands for where only text is shown (nbval, a terminal), and its buttons' tips
    "shown_form": "Form for {title}",
    "shown_editor": "Editor of the section {title!r} (Save, Revert)",
    "shown_entry": "Entry of {kind} ({buttons})",
    "shown_chooser": "Plan chooser (Work on this plan, Rename, Delete, Create plan)",
    "tip_add_row": "Add a row",
    "tip_edit_row": "Edit the chosen row",
    "tip_delete_row": "Delete the chosen row",
    "tip_keep_row": "Put this row in the table; Save below stores the section",
    "tip_cancel_row": "Close this row; the table stays as it was",
    "tip_rows_before": "The {count} rows before these",
    "tip_rows_after": "The {count} rows after these",
    "tip_save_step": "Store this step in the workspace",
    "tip_revert": "Drop the changes not saved yet",
    "tip_check_rows": "Check the rows in the box; nothing is saved",
    "tip_save_rows": "Save the valid rows; rows to fix stay in the box",
    "tip_template": "Make a spreadsheet to fill in, with this plan's names",
    "tip_save_register": "Store the {register} in the workspace",
    "tip_import_register": "Read the file into the register",
    "entry_dayfirst": "Dates with the day first (31/03/2026)",
    # the widgets' own labels: buttons, boxes and lists of the forms (ui.forms, ui.entry, ui.register,
    # ui.chooser)
    "label_save": "Save",
    "label_save_changes": "Save changes ●",
    "label_revert": "Revert",
    "label_reload": "Reload (discard my changes)",
    "label_row": "Row:",
    "label_choose_row": "— choose a row —",
    "label_new_row": "New row",
    "label_none": "— none —",
    "label_choose": "— choose —",
    "label_rows": "Rows",
    "label_add": "Add",
    "label_edit": "Edit",
    "label_delete": "Delete",
    "label_keep_row": "Keep this row",
    "label_cancel": "Cancel",
    "label_previous": "Previous",
    "label_next": "Next",
    "label_check_rows": "Check rows",
    "label_save_rows": "Save rows",
    "label_template": "Spreadsheet template",
    "label_choose_file": "Choose a file",
    "label_file_holds": "The file holds",
    "label_gifts": "Gifts",
    "label_contacts": "Contacts",
    "label_gifts_for_plan": "Gifts for the plan",
    "label_import": "Import",
    "label_plan": "Plan",
    "label_work_on_plan": "Work on this plan",
    "label_new_name": "New name",
    "label_rename": "Rename",
    "label_delete_plan": "Delete this plan…",
    "label_confirm_delete": "Yes, delete it",
    "label_keep_plan": "No, keep it",
    "label_name": "Name",
    "label_name_example": "e.g. Island health 2027",
    "label_organisation": "Organisation",
    "label_unit": "Unit (SSU)",
    "label_unit_example": "programme, community …",
    "label_currency": "Currency",
    "label_start_from": "Start from",
    "label_create_plan": "Create plan",
    # the register's forms (ui.register)
    "register_organisations": "Partners, donors and every organisation the SSUs work with.",
    "register_people": "Contacts, each optionally at one of the organisations.",
    "register_gifts": "Gifts to the SSU plans from organisations and people of the register.",
    "register_keep_valid": "Write the valid rows even when some are rejected",
    "register_changed": "Changed here, not saved yet: press Save to store it.",
    "register_row_open": "A row is still open: keep it or cancel it first.",
    "register_nothing_changed": "Nothing had changed.",
    "register_saved": "Saved: {changes}.",
    "register_renamed": "The new names were carried into {sections}.",
    "register_choose_file": "Choose a .csv or .xlsx file first.",
    # the plan chooser of step 0 (ui.chooser)
    "chooser_empty_plan": "an empty plan",
    "chooser_copy_of": "a copy of {plan}",
    "chooser_working_on": "Every step now works on “{plan}”. Open step 1 to begin (reload any step already open).",
    "chooser_working_on_here": (
        "The steps you open from this page now work on “{plan}” (other browsers keep their own plan). "
        "Open step 1 to begin."
    ),
    "chooser_no_plan_yet": "There is no plan yet: create one below.",
    "chooser_rename_needs_name": "Choose a plan above and type its new name, then press Rename.",
    "chooser_not_renamed": "Not renamed: {reason}",
    "chooser_renamed": "“{old}” is now called “{new}”.",
    "chooser_nothing_to_delete": "There is no plan to delete.",
    "chooser_delete_asked": "Delete “{plan}”? Everyone working on it loses it from their list.",
    "chooser_nothing_deleted": "Nothing was deleted.",
    "chooser_not_deleted": "Not deleted: {reason}",
    "chooser_deleted": "Deleted “{plan}”. This page now works on “{chosen}”.",
    "chooser_deleted_the_last": "Deleted “{plan}”. Create a plan below.",
    "chooser_not_created": "Not created: {reason}",
    "chooser_created": "Created “{plan}”. {working_on}",
    # the responsibility matrix's rules (analyses.governance.check_raci)
    "no_one_accountable": "'{activity}' has no one accountable: choose exactly one party to answer for it.",
    "many_accountable": "'{activity}' has {count:d} accountable parties ({parties}): keep exactly one.",
    "no_one_responsible": "'{activity}' has no one responsible: name at least one party to do the work.",
    "too_many_accountabilities": (
        "{party} is accountable for {count:d} activities (more than {most}): share the load with another party."
    ),
    "consulted_on_everything": (
        "{party} is consulted on every activity ({count:d}): consult them where their view matters and inform "
        "them elsewhere."
    ),
    "raci_not_a_party": (
        "'{party}' in '{activity}' is not a party of the partnership (known: {known}): select the partner "
        "first or fix the id."
    ),
    # the governance structure's rules (analyses.governance.check_structure)
    "no_strategic_group": "There is no strategic group yet: add one with a representative of each partner.",
    "no_project_group": "There is no project group yet: add one where each organisation names a project manager.",
    "no_strategic_seat": "{party} has no one in the strategic group ({groups}): name a representative.",
    "no_project_manager": (
        "{party} names no project manager in the project group ({groups}): add one with the role "
        "'project manager'."
    ),
    "no_project_manager_nor_group": (
        "{party} names no project manager in a project group: add one with the role 'project manager'."
    ),
    "reports_wrongly": "The {group_kind} group {group} should report to the {parent} group, but {reports}: {fix}.",
    "reports_to_group": "it reports to {group}",
    "reports_to_no_group": "it reports to no group",
    "set_reports_to": "set 'reports to' to {groups}",
    "add_parent_group": "add a {parent} group for it to report to",
    "empty_group": "{group} has no members yet.",
    "member_not_a_party": (
        "{person} in {group} represents {party!r}, which is not a party of the partnership (known: {known})."
    ),
    # the workshop room's results (analyses.room)
    "judgments_of": "judgments of {participant!r}",
    "not_a_criterion": "judgments of {participant!r}: {row!r} or {column!r} is not a criterion (the criteria: "
    "{criteria})",
    "room_spread": "answers spread widely (IQR {iqr:.6g})",
    "room_apart": "partners {gap:.6g} apart",
    # the workshop room's activities (app.room.activities)
    "room_no_item": "{activity} has no item {key!r}.",
    "room_nothing_to_accept": "{activity}: nothing to write into the plan for {key!r}.",
    "room_no_median": "Nobody has answered this item yet: there is no median to accept.",
    "room_keeps_each_rating": "The health survey keeps each person's rating: accept the ratings, not one value.",
    "room_nobody_rated": "Nobody has rated {key!r} yet.",
    "room_record_gone": "{record!r} is no longer in the plan's {section}.",
    "room_no_risks": "The plan has no risks to rate yet: add them in step 6.",
    "room_no_stakeholders": "The plan has no stakeholders to place yet: add them in step 7.",
    "room_no_candidates": "Scoring needs shortlisted candidates and criteria: add them in step 3.",
    "room_comparison_not_a_weight": "One comparison is not a weight: accept the {weights} instead.",
    "room_no_comparisons": "{activity} has no pairwise comparisons: start one with them to weigh the criteria.",
    "room_nobody_compared": "Nobody has compared the criteria yet: there are no weights to accept.",
    "room_criteria_changed": (
        "Step 3's criteria have changed since the room compared them: start a new candidate scoring with "
        "pairwise comparisons to weigh them again."
    ),
    "room_no_questions": "Step 7 has no survey questions yet: add them there first.",
    "room_keeps_each_answer": "The survey keeps each person's answer: accept the answers, not one value.",
    "room_nothing_to_vote_on": "There is nothing to vote on yet: add SWOT factors or TOWS strategies in step 4.",
    "room_choose_comment": "Choose the comment to keep.",
    "room_no_such_activity": "There is no activity {got!r} (there are {kinds}).",
    "room_too_many_dots": "You have {dots:d} dots in all (you placed {placed:d}).",
    "room_kind_health": "Partnership health survey (step 11)",
    "room_kind_candidates": "Candidate scoring (step 3)",
    "room_kind_risks": "Risk rating (step 6)",
    "room_kind_stakeholders": "Stakeholder placement: power and interest (step 7)",
    "room_kind_survey": "Engagement survey (step 7's questions)",
    "room_kind_votes": "Dot-voting on SWOT factors or TOWS strategies (step 4)",
    "room_kind_parking": "Parking lot of comments",
    "room_intro_health": (
        "How true is each statement of our partnership today? 1 means you strongly disagree, 5 that you "
        "strongly agree. Your answers are anonymous; only the room's results are shown."
    ),
    "room_intro_candidates": "Score how well each candidate meets each criterion: 1 poorly … 5 fully.",
    "room_intro_risks": "Rate how likely each risk is and how bad it would be, as you see it today.",
    "room_intro_stakeholders": (
        "Place each stakeholder: how much power they have over the partnership, and how interested they are."
    ),
    "room_intro_survey": "How far do you agree with each statement? Your answers are anonymous.",
    "room_intro_votes": "You have {dots:d} dots. Put them on the options that matter most: all on one, or spread.",
    "room_intro_parking": "Write a question or an idea to come back to later. One comment per submission.",
    "room_which_matters_more": "Which criterion matters more?",
    "room_pair": "{first} or {second}?",
    "room_equal": "Equal",
    "room_more:1": "{criterion} a little more",
    "room_more:2": "{criterion} more",
    "room_more:3": "{criterion} much more",
    "room_more:4": "{criterion} far more",
    "room_comment_note": "From the workshop's {activity}: {comment}",
    # the workshop room's pages and replies (app.room.server)
    "room_agreed_not_a_number": "The agreed value must be a number (you typed {got!r}).",
    "room_closed": (
        "{activity} is closed: the facilitator has stopped taking answers (yours was not saved). Ask them if "
        "you still want to add it."
    ),
    "room_too_fast": "You sent answers very quickly. Wait a minute and send again.",
    "room_not_open_to_you": "This page is not open to you. Ask the facilitator for the link.",
    "room_nothing_here": "There is nothing here. Check the link the facilitator gave you.",
    "room_too_much_text": "That was too much text to send at once.",
    "room_went_wrong": "Something went wrong on the room's side. Try again in a moment.",
    "room_needs_facilitator": "This needs the facilitator's link.",
    "room_answers_saved": (
        "Your answers to {activity} are saved. You can close this page, or go back to the room's page for the "
        "next activity."
    ),
    "room_nothing_saved": "Nothing was saved: {problems}.",
    "room_accepted": "Accepted from the workshop room: {activity}, {key}, {count:d} responses",
    "room_items_accepted": "{count:d} items accepted.",
    "room_accepted_median": "the median",
    "room_accepted_agreed": "{value}, as agreed",
    "room_accepted_each_answer": "each person's answer",
    "room_accepted_weights_mean": "the mean of each person's weights",
    "room_not_restored": "{activity}: {reason}",
    "room_open_here": "The workshop room for {plan!r} is open on this computer only (--share: other devices).",
    "room_open_shared": "The workshop room for {plan!r} is open on the local network at {host}.",
    "room_resumed": (
        "It goes on from the room opened {opened} UTC: the same links, and its {count} activities open or "
        "closed as they were (--new-room: new links)."
    ),
    "room_not_brought_back": "Not brought back: {activity}",
    "room_facilitator_link": "Facilitator (keep this link to yourself): {link}",
    "room_join_link": "Participants join at: {link}",
    "room_behind_proxy": "Through the hub or proxy, both links start with its own address followed by {base}.",
    "room_until_stopped": "Press Ctrl+C to close the room; answers are saved in the workspace as they arrive.",
    "room_shut": "The workshop room is closed.",
    "room_none_yet": 'The plan {plan!r} has had no workshop room yet: open one with partnerlib workshop "{plan}".',
    "room_address_not_a_link": (
        "The room's address must be a web address such as https://hub.example.org/services/workshop/ (got {got!r})."
    ),
    "room_ready": "{activity} is ready: open it to the room when you want answers.",
    "room_ahp_consistency": (
        "{consistent} of {people} people consistent (ratio below 0.1). Each person's ratio: {ratios}"
    ),
    "room_ahp_weights": "Criterion weights, mean of the people's: {weights}",
    # the plan document's and the organisation document's own words (partnerlib/output/templates)
    "doc_partnership_plan": "Partnership plan",
    "doc_portfolio": "Portfolio of partnership plans",
    "doc_organisation": "Organisation",
    "doc_ssu": "Smallest strategic unit",
    "doc_not_named_yet": "not named yet",
    "doc_partners": "Partners",
    "doc_none_selected_yet": "none selected yet",
    "doc_plans": "Plans",
    "doc_plan_as_of": "Plan as of",
    "doc_figures_as_of": "Figures as of",
    "doc_last_saved": "Last saved",
    "doc_kept_by": "Kept by",
    "doc_amounts_in": "Amounts in",
    "doc_contents": "Contents",
    "doc_summary": "Executive summary",
    "doc_summary_intro": "The state of the partnership on {as_of}, drawn from the analyses in the steps below.",
    "doc_tone:concern": "Needs attention",
    "doc_tone:watch": "Watch",
    "doc_tone:good": "Good",
    "doc_tone:none": "Not known yet",
    "doc_step": "Step {number}",
    "doc_appendix": "Appendix: what is still missing",
    "doc_appendix_intro": "Nothing here stopped the plan from being written; it is the list to come back to.",
    "doc_footer": "figures as of {as_of} · made with partnerlib {version}",
    "doc_portfolio_no_plans": "No plans yet",
    "doc_portfolio_plans": "Every plan side by side",
    "doc_portfolio_plans_intro": "Each SSU plan on one row, read at its own date.",
    "doc_portfolio_steps": "Each plan step by step",
    "doc_portfolio_steps_intro": "How far each of the eleven steps is, and what it still lacks.",
    "doc_portfolio_steps_sheet": "How far each step of each plan is",
    "doc_portfolio_budgets": "Budgets and gifts",
    "doc_portfolio_budgets_intro": (
        "Each plan's vision-based budget against the gifts for it; then who gives, and to which SSU. "
        "Amounts in different currencies are never added."
    ),
    "doc_portfolio_budgets_sheet": "Each plan's vision-based budget against gifts",
    "doc_portfolio_partners": "Partners and contacts",
    "doc_portfolio_partners_intro": (
        "One register serves every SSU: the partners they share, the contacts nobody has reached lately, "
        "and entries that may be the same."
    ),
    # an activity's title when the facilitator gives none, by kind
    "room_title_health": "Partnership health survey",
    "room_title_risks": "Risk rating",
    "room_title_stakeholders": "Stakeholder placement",
    "room_title_candidates": "Candidate scoring",
    "room_title_survey": "Engagement survey",
    "room_title_votes": "Dot vote",
    "room_title_parking": "Parking lot",
    "room_your_comment": "Your comment",
    # the workshop room's pages (partnerlib/app/room/templates) …
    "room_page_room": "Workshop room",
    "room_page_facilitator_heading": "Workshop room: {plan}",
    "room_page_join_at": "Participants join at",
    "room_page_keep_address": "Keep this page's own address to yourself: it is the facilitator's key.",
    "room_page_qr": "QR code of the join link",
    "room_page_start_heading": "Start an activity",
    "room_page_activity": "Activity",
    "room_page_risks_to_rate": "Risks to rate (all when none is ticked)",
    "room_page_pairwise": (
        "Candidate scoring: also compare the criteria in pairs (AHP), with each person's consistency"
    ),
    "room_page_tows": "Dot-vote on the TOWS strategies (instead of the SWOT factors)",
    "room_page_start": "Start",
    "room_page_choose_what": (
        "Choose what to answer. Your answers are anonymous unless the activity asks for your name."
    ),
    "room_page_nothing_open": "Nothing is open yet. This page looks again every few seconds: keep it open.",
    "room_page_results_shown": "Results shown to the room",
    "room_page_check_answers": (
        "Please check the answers marked ⚠ below. Nothing is saved yet, and what you chose is kept."
    ),
    "room_page_your_organisation": "Your organisation",
    "room_page_choose": "Choose…",
    "room_page_your_name": "Your name",
    "room_page_send": "Send my answers",
    "room_page_back": "Back to the room",
    "room_page_thanks": "Thank you",
    "room_page_not_available": "Not available",
    "room_page_answered_one": "1 person has answered.",
    "room_page_answered_many": "{count} people have answered.",
    "room_page_seen_differently": "seen differently",
    # and the facilitator's live page, whose script fills in each {name} (static/facilitator.js)
    "room_page_no_answer": "The room did not answer.",
    "room_page_box_plot": "median {median}, middle half {q1} to {q3}",
    "room_page_agreed_value": "Agreed value (empty: the median)",
    "room_page_accept": "Accept",
    "room_page_accepted": "accepted: {how}",
    "room_page_for_discussion": "for discussion",
    "room_page_responses_one": "1 response",
    "room_page_responses_many": "{count} responses",
    "room_page_open_to_room": "open to the room",
    "room_page_closed": "closed",
    "room_page_status_shown": "results shown to the room",
    "room_page_open": "Open",
    "room_page_close": "Close",
    "room_page_show_results": "Show results to the room",
    "room_page_hide_results": "Hide results",
    "room_page_responses_csv": "Responses (CSV)",
    "room_page_responses_xlsx": "Responses (Excel)",
    "room_page_accept_all_health": "Accept all into step 11",
    "room_page_accept_all": "Accept all into the plan",
    "room_page_item": "Item",
    "room_page_answers": "Answers",
    "room_page_dots": "Dots",
    "room_page_median": "Median",
    "room_page_middle_half": "Middle half",
    "room_page_spread": "Spread",
    "room_page_partners_means": "Partners' means",
    "room_page_into_plan": "Into the plan",
    "room_page_accept_weights": "Accept these weights into step 3",
    "room_page_pairwise_heading": "Pairwise comparisons of the criteria (AHP)",
    "room_page_keep_comment": "Keep as a recommendation",
    "room_page_no_activity": "No activity yet: start one above, then open it to the room.",
}

#: Templates a form words differently: what the user typed, a record pointed at
#: that is no longer in its list. Any code not here reads as in :data:`MESSAGES`.
#: A form's dates read as every page writes them; a file's dates are ISO (2026-03-31).
_FORM_DATE = f"{{field}} must be a date like {DATE_EXAMPLE} ({{arrived}})"
FORM_MESSAGES: dict[str, str] = {
    **dict.fromkeys(("date_parsing", "date_type", "date_from_datetime_parsing", "date_from_datetime_inexact"),
                    _FORM_DATE),
    "arrived": "you typed {got!r}",
    "now": "now {now!r}",
    "string_too_long": "{field} must be at most {max_length} characters (you typed {length})",
    "percentage_out_of_range": "{field} is a percentage and must be between 0 and 100 (now {value:g})",
    "unknown_reference": (
        "{field} points at {what} that is not in the list ({got!r}): edit this row and choose one from the list"
    ),
}

#: Templates the entry box on a page words differently: how to read day-first dates there.
ENTRY_MESSAGES: dict[str, str] = {
    "ambiguous_date": (
        "{field} {got!r} is not an ISO date: is the day or the month first? Write dates as 2026-03-31, "
        "or tick 'Dates with the day first' if the day comes first"
    ),
}

#: Context keys holding a field's name: the field itself, and another field a rule compares it with.
_FIELD_KEYS = ("field", "other")
#: Longest text quoted from what arrived.
_QUOTE_LENGTH = 60


class _Shown(str):
    """Text as a message quotes it: ``repr`` gives it in quotes, cut after 60 characters."""

    __slots__ = ()

    def __repr__(self) -> str:
        text = str.__repr__(self)
        return text if len(text) <= _QUOTE_LENGTH else text[: _QUOTE_LENGTH - 3] + "..."


#: How many items of a list a message or a report shows before it counts the rest.
LIST_SHOWN = 20


class Listed(NamedTuple):
    """The first items of a list too long to keep whole, and how many it has: a context value.

    A value repeated in 100,000 rows names the other rows in each row's problem;
    keeping only the first :data:`LIST_SHOWN` of them keeps that from growing as
    the square of the rows, and the renderer still counts the rest.
    """

    items: Sequence[Any]
    total: int


def shown_list(items: Sequence[Any] | Listed, *, name: Callable[[Any], str] = str,
               table: Mapping[str, str] = MESSAGES) -> list[str]:
    """The items a message shows: all of a short list; of a long one, the first 20 and a count of the rest.

    Every list a person reads (the problems of an input, rejected rows, unknown
    columns, the values of a context) is cut here, so a file of 100,000 columns
    or bad rows still gives a short report.

    >>> shown_list(["a", "b"])
    ['a', 'b']
    >>> shown_list(range(100_000))[-1]
    '… and 99,980 more'
    >>> shown_list(Listed(["row 3"], total=5))
    ['row 3', '… and 4 more']

    Args:
        items: the list, or its first items and its length (:class:`Listed`).
        name: words one item (only the items shown are worded).
        table: the messages to word "… and 4 more" from.
    """
    total = items.total if isinstance(items, Listed) else len(items)
    first = items.items if isinstance(items, Listed) else items
    words = [name(item) for item in first[:LIST_SHOWN]]
    return words + [table["more"].format(count=total - len(words))] if total > len(words) else words


def counted(count: float, noun: str, *, table: Mapping[str, str] = MESSAGES) -> str:
    """Count things in words, the noun for one and for several from the messages ("one:risks", "many:risks").

    >>> counted(1, "risks"), counted(3, "kpis")
    ('1 risk', '3 KPIs')
    """
    return plural(count, table[f"one:{noun}"], table[f"many:{noun}"])


def _shown(value: Any, table: Mapping[str, str]) -> Any:
    """Prepare one context value for a template: lists joined (the first 20), text quotable."""
    if isinstance(value, Listed | list | tuple | set | frozenset):
        items = sorted(map(str, value)) if isinstance(value, set | frozenset) else value
        return ", ".join(shown_list(items, table=table)) or table["none_yet"]
    if isinstance(value, str):
        return _Shown(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _Number(value)
    return value


class _Number(float):
    """A number in a message, written as people write numbers by ``{ge:g}`` ("1,000,000,000,000", not "1e+12").

    ``{got!r}`` and ``{got}`` show it as it arrived.
    """

    arrived: float

    def __new__(cls, value: float) -> _Number:
        number = super().__new__(cls, value)
        number.arrived = value
        return number

    def __format__(self, spec: str) -> str:
        return write_number(self.arrived) if spec in ("", "g") else format(self.arrived, spec)

    def __repr__(self) -> str:
        return repr(self.arrived)

    def __str__(self) -> str:
        return str(self.arrived)


class Problem(NamedTuple):
    """One thing wrong with an input: where, which rule (a code of :data:`MESSAGES`) and its context.

    Attributes:
        path: where it is, as a tuple of keys and 0-based row indexes
            (``("risks", 3)``); empty for the whole input. The field itself
            is in the context (``field``), so a reader can name it its own way.
        code: the rule broken, a key of :data:`MESSAGES`.
        context: what the words need: the field, the limit, what arrived (``got``) …
    """

    path: tuple[str | int, ...]
    code: str
    context: Mapping[str, Any] = {}

    @property
    def message(self) -> str:
        """The rule and what arrived, in the words of an import (see :func:`render`)."""
        return render(self)

    @property
    def field(self) -> str:
        """The name of the field the problem is about ('' for none)."""
        return str(self.context.get("field", ""))

    def __str__(self) -> str:
        where = where_text(self.path)
        return f"{where}: {self.message}" if where else self.message


def render(
    problem: Problem, *, label: Callable[[str], str] | None = None, form: bool = False,
    words: Mapping[str, str] | None = None,
) -> str:
    """Turn a problem into words: the one place where a problem becomes a sentence.

    >>> render(Problem((), "between", {"field": "impact", "ge": 1, "le": 5, "got": 9}))
    "'impact' must be between 1 and 5 (got 9)"
    >>> render(Problem((), "between", {"field": "impact", "ge": 1, "le": 5, "got": 9}), form=True)
    'Impact must be between 1 and 5 (you typed 9)'

    Args:
        problem: the code and context.
        label: names the problem's field for the reader (a spreadsheet's column);
            default: the field's label in a form, its quoted name in an import.
        form: word it for a form (what the user typed) rather than for an import.
        words: templates that take the place of :data:`MESSAGES`' for this reader
            (:data:`ENTRY_MESSAGES` for a page's entry box).

    Returns:
        The sentence, without where it is (see :func:`where_text` for that).
    """
    table: Mapping[str, str] = ChainMap(dict(words or {}), FORM_MESSAGES if form else {}, MESSAGES)
    # a file's key quoted as Python quotes text: an unprintable character in it shows as its escape
    named: Callable[[str], str] = field_label if form else lambda field: repr(_Shown(field))
    parts = {key: _shown(value, table) for key, value in problem.context.items()}
    for key in _FIELD_KEYS:
        if key in problem.context:
            parts[key] = (label if label and key == "field" else named)(str(problem.context[key]))
    if "pattern" in parts:
        bare = str(problem.context["pattern"]).removeprefix("^").removesuffix("$")
        parts["pattern"] = table.get(f"pattern:{bare}", table["pattern"])
    for key in ("kind", "factor_kind"):  # a SWOT kind with its article: "an opportunity"
        if isinstance(problem.context.get(key), str):
            parts[key] = table.get(f"kind:{problem.context[key]}", parts[key])
    if "encoding" in parts:  # a code of partnerlib.core.text.other_encoding
        parts["encoding"] = table.get(f"encoding:{problem.context['encoding']}", parts["encoding"])
    for key in ("model", "records"):  # a kind of record (a model's name), a table of them (a section's field)
        if key in problem.context:
            parts[key] = field_label(str(problem.context[key]), capital=False)
    if "model" in problem.context:  # the record a gap is about: 'The risk "Floods"', 'The line to "Radio"'
        by = f"record:{problem.context.get('by')}"
        phrase = table.get(by, table["record:name"]) if problem.context.get("record") else table["record:row"]
        parts["record"] = phrase.format_map(_Missing(parts))
    if "rule" in parts:
        parts["rule"] = table.get(f"rule:{problem.context['rule']}", parts["rule"]).format_map(_Missing(parts))
    if "got" in parts:
        parts["arrived"] = table["arrived"].format(got=parts["got"])
    if "now" in parts:
        parts["now"] = table["now"].format(now=parts["now"])
    return table.get(problem.code, table["unknown_rule"]).format_map(_Missing(parts))


def sentence(code: str, **context: Any) -> str:
    """Word one sentence a person reads (a status line, a page's note) from its code and context.

    The same renderer as for problems (:func:`render`), for words that are about
    no field: every sentence then comes from :data:`MESSAGES`.

    >>> sentence("room_too_many_dots", dots=3, placed=4)
    'You have 3 dots in all (you placed 4).'
    """
    return render(Problem((), code, context))


class _Missing(dict[str, Any]):
    """Format context that shows a key it lacks as ``{key}``, so a template never fails to render."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def rule_error(code: str, **context: Any) -> PydanticCustomError:
    """Return the error a model's own rule raises: a code of :data:`MESSAGES` and its context.

    Put ``table`` and ``row`` (0-based) in the context for a rule about one row
    of a list, and ``field`` for the field it is about; :func:`describe` turns
    them into the problem's path.

    >>> rule_error("duplicate_id", table="risks", row=1, field="id", got="r1").type
    'duplicate_id'
    """
    return PydanticCustomError(code, render(Problem((), code, context)), context)


class PlanError(Exception):
    """Base of every error partnerlib reports to a user: its text is the whole message.

    Raise one with :meth:`of`, so that its words come from :data:`MESSAGES`
    through :func:`render` like every other sentence a user reads.
    """

    #: The code and context it was raised with by :meth:`of` (None when given its words).
    problem: Problem | None = None

    @classmethod
    def of(cls, code: str, **context: Any) -> Self:
        """Return the error for a code of :data:`MESSAGES` and its context, worded by :func:`render`.

        >>> error = PlanError.of("no_revision", name="Water", revision=7)
        >>> str(error), error.problem.code
        ("The plan 'Water' has no revision 7.", 'no_revision')
        """
        problem = Problem((), code, context)
        error = cls(render(problem))
        error.problem = problem
        return error


class InvalidInput(PlanError):
    """Input that breaks the plan's rules; holds every problem found, not only the first.

    Its message lists the first 20 problems and counts the rest (see :func:`shown_list`);
    ``problems`` holds them all.
    """

    def __init__(self, problems: list[Problem], context: str = "", *, said: list[str] | None = None) -> None:
        """Hold ``problems``; ``said`` gives their words when a reader words them its own way (a form)."""
        self.problems = problems
        head = f"{context}: " if context else ""
        lines = shown_list(said if said is not None else problems)
        super().__init__(head + (lines[0] if len(lines) == 1 else "\n  " + "\n  ".join(lines)))


def not_available(error: Exception) -> str:
    """Say why a result cannot be shown yet, on one line: the notebooks and the plan document word it alike.

    >>> not_available(PlanError("No shares are set:   add them in step 8."))
    'Not available yet: No shares are set: add them in step 8.'
    """
    return sentence("not_available", reason=" ".join(str(error).split()))


def where_text(path: tuple[str | int, ...]) -> str:
    """Say where a value is: ``("risks", 3, "impact")`` → ``risks row 4, 'impact'``.

    >>> where_text(("risks", 3, "impact"))
    "risks row 4, 'impact'"
    >>> where_text(("currency",))
    "'currency'"
    """
    parts: list[str] = []
    for key in path:
        if isinstance(key, int):
            parts[-1:] = [f"{parts[-1] if parts else ''} row {key + 1}".strip()]
        elif parts and parts[-1].endswith(tuple("0123456789")):
            parts.append(f"'{key}'")
        elif parts:
            parts[-1] = parts[-1] + "." + key if not parts[-1].startswith("'") else f"{parts[-1][:-1]}.{key}'"
        else:
            parts.append(key)
    text = ", ".join(parts)
    if len(path) == 1 and isinstance(path[0], str):
        return f"'{path[0]}'"
    return text


#: Pydantic's range checks whose message is clearer with both ends of the range.
_RANGES = ("greater_than_equal", "less_than_equal", "greater_than", "less_than")
#: Parts of pydantic's error locations that name a validator, not a field.
_NOT_FIELDS = ("function-", "literal[")


def describe(
    exc: ValidationError, prefix: tuple[str | int, ...] = (), model: type[BaseModel] | None = None
) -> list[Problem]:
    """Turn a pydantic ValidationError into Problems: a code, the context, and where.

    A model's own rule about a row of a list (``rule_error(..., table=…, row=…)``)
    is placed at that row, and one naming its ``field`` at its record; any other
    error (pydantic's, or a field validator's ``rule_error``) at the record
    holding the field, with the field, the rule's limits and what arrived in
    its context.

    Args:
        exc: the error raised by a model.
        prefix: the path of the validated object inside a larger input.
        model: the model that raised it, to state a range's both ends
            ("between 1 and 5") where pydantic names only the broken one;
            found from the error's title when it is a partnerlib model.

    Returns:
        One Problem per error, in the order pydantic found them.
    """
    if model is None:  # the error's title is the name of the model that raised it
        model = MODELS_BY_TITLE.get(exc.title)
    problems = []
    for error in exc.errors(include_url=False):
        loc = tuple(k for k in error["loc"] if not (isinstance(k, str) and k.startswith(_NOT_FIELDS)))
        path, code, context = prefix + loc, error["type"], dict(error.get("ctx") or {})
        if code not in _PYDANTIC_CODES and context.keys() & {"table", "field"}:
            # a model's own rule about its fields or rows: its context says where
            if "table" in context:
                path += (context["table"], context["row"])
            problems.append(Problem(path, code, context))
            continue
        field = next((k for k in reversed(loc) if isinstance(k, str)), "value")
        context = {"field": field, "got": error.get("input"), **context}
        if code in _RANGES:
            info = field_of(model, loc)
            context |= field_bounds(info) if info is not None else {}
            code = ("between" if {"ge", "le"} <= context.keys()
                    else "more_than_and_at_most" if {"gt", "le"} <= context.keys() else code)
        elif code == "string_too_long":
            context["length"] = len(str(error.get("input", "")))
        elif code == "string_unicode" and (found := forbidden_character(str(error.get("input", "")))):
            # pydantic's own refusal of a lone surrogate: said as any other character text may not hold
            code, (context["character"], context["position"]) = "forbidden_character", found
        elif code not in MESSAGES:
            context["rule"] = error["msg"]
        if loc and isinstance(path[-1], str):
            path = path[:-1]
        problems.append(Problem(path, code, context))
    return problems


#: The codes above that pydantic itself raises (the rest are partnerlib's own rules).
_PYDANTIC_CODES = frozenset(
    code for code in MESSAGES
    if code.startswith(("date_", "int_", "float_", "bool_", "string_", "greater_", "less_"))
) | {"missing", "extra_forbidden", "literal_error", "finite_number"}
