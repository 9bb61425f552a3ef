"""Problems as data: codes and context, one renderer, and no message read back anywhere."""

from __future__ import annotations

import ast
import string
from pathlib import Path

import pytest
from pydantic import ValidationError, field_validator

from partnerlib import InvalidInput, Plan, PlanError, Problem, describe
from partnerlib.core.problems import FORM_MESSAGES, MESSAGES, Listed, render, rule_error, where_text
from partnerlib.models import Record

PACKAGE = Path(__file__).resolve().parents[1] / "partnerlib"

# (path, expected): where a value is, in words.
WHERE = [
    ((), ""),
    (("currency",), "'currency'"),
    (("risks", 3), "risks row 4"),
    (("risks", 3, "impact"), "risks row 4, 'impact'"),
    (("risks", "risks", 0, "impact"), "risks.risks row 1, 'impact'"),
]


@pytest.mark.parametrize(("path", "expected"), WHERE)
def test_where_text(path, expected):
    assert where_text(path) == expected


def _problems(data):
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate(data)
    return describe(caught.value)


# (plan data, the problem as an import words it): where, the rule, what arrived.
DESCRIBED = [
    ({"risks": {"risks": [{}, {"impact": 9}]}}, "risks.risks row 2: 'impact' must be between 1 and 5 (got 9)"),
    ({"risks": {"risks": [{"id": "r1"}, {"id": "r1"}]}}, "risks.risks row 2: 'id' 'r1' is used twice"),
    ({"resources": {"rates": [{"year": 3000}]}},
     "resources.rates row 1: 'year' must be between 1990 and 2100 (got 3000)"),
    ({"partners": {"candidates": [{"id": "c1", "need": "n9"}]}},
     "partners.candidates row 1: 'need' must be the id of a need (got 'n9'; known: none yet)"),
    ({"monitoring": {"kpis": [{"baseline": 4, "target": 4}]}},
     "monitoring.kpis row 1: 'target' must differ from the baseline (both are 4)"),
    ({"info": {"currency": "usd"}},
     "'info': 'currency' must be a three-letter currency code in capitals, like USD or KES (got 'usd')"),
    ({"info": {"ssu_name": "x" * 201}}, "'info': 'ssu_name' must be at most 200 characters (got 201)"),
    ({"risks": {"risks": [{"colour": "red"}]}}, "risks.risks row 1: 'colour' is not a field here (check the spelling)"),
]


@pytest.mark.parametrize(("data", "expected"), DESCRIBED)
def test_describe_places_and_words_each_problem(data, expected):
    assert [str(p) for p in _problems(data)] == [expected]


def test_a_row_rule_is_placed_at_its_row_with_its_field_in_the_context():
    (problem,) = _problems({"partners": {"candidates": [{"id": "c1", "need": "n9"}]}})
    assert (problem.path, problem.code, problem.field) == (("partners", "candidates", 0), "unknown_reference", "need")


def test_prefix_places_the_error_inside_a_larger_input():
    with pytest.raises(ValidationError) as caught:
        Plan.model_validate({"info": {"currency": "usd"}})
    assert describe(caught.value, prefix=("plan",))[0].path == ("plan", "info")


def test_invalid_input_lists_every_problem():
    error = InvalidInput([Problem(("a",), "missing", {"field": "x"}), Problem(("b", 0), "more_rows", {"count": 3})],
                         "risks.csv")
    assert str(error) == "risks.csv: \n  'a': 'x' is required\n  b row 1: … and 3 more rows like these"


def test_invalid_input_lists_the_first_twenty_problems_and_counts_the_rest():
    error = InvalidInput([Problem(("risks", n), "missing", {"field": "title"}) for n in range(25)], "risks.csv")
    assert str(error).splitlines()[-2:] == ["  risks row 20: 'title' is required", "  … and 5 more"]


def test_invalid_input_keeps_every_problem():
    error = InvalidInput([Problem(("risks", n), "missing", {"field": "title"}) for n in range(25)], "risks.csv")
    assert len(error.problems) == 25


# (a list in a context, the words): every list a message holds shows its first 20 items.
LISTS = [
    (["k1", "k2"], "'kpi' must be the id of one of the plan's KPIs (got 'k9'; known: k1, k2)"),
    ([f"k{n}" for n in range(100_000)],
     "'kpi' must be the id of one of the plan's KPIs (got 'k9'; known: "
     + ", ".join(f"k{n}" for n in range(20)) + ", … and 99,980 more)"),
    (Listed(["k1"], total=3), "'kpi' must be the id of one of the plan's KPIs (got 'k9'; known: k1, … and 2 more)"),
    ([], "'kpi' must be the id of one of the plan's KPIs (got 'k9'; known: none yet)"),
]


@pytest.mark.parametrize(("known", "expected"), LISTS)
def test_a_long_list_is_cut_after_twenty_items(known, expected):
    assert render(Problem((), "unknown_kpi", {"field": "kpi", "got": "k9", "known": known})) == expected


def test_an_unprintable_key_of_a_file_is_named_with_escapes():
    problem = Problem((), "extra_forbidden", {"field": "a\x00\ud800"})
    assert render(problem) == "'a\\x00\\ud800' is not a field here (check the spelling)"


def test_an_error_about_a_whole_file_keeps_its_problem():
    error = PlanError.of("nested_too_deeply", source="plan.json")
    assert error.problem == Problem((), "nested_too_deeply", {"source": "plan.json"})


#: (form, words): imports quote the field as their file spells it and say what arrived; a form
#: (form, words): imports quote the field as their file spells it and say what arrived; a form
#: names its label and what the user typed.
WORDING = [
    (False, "'impact' must be between 1 and 5 (got 9)"),
    (True, "Impact must be between 1 and 5 (you typed 9)"),
]


@pytest.mark.parametrize(("form", "expected"), WORDING)
def test_a_form_words_the_rule_with_its_label(form, expected):
    (problem,) = _problems({"risks": {"risks": [{"impact": 9}]}})
    assert render(problem, form=form) == expected


def test_a_reader_can_name_the_field_its_own_way():
    problem = Problem((), "missing", {"field": "impact"})
    assert render(problem, label=lambda field: f"column {field.upper()!r}") == "column 'IMPACT' is required"


#: (error, its words): an error raised with a code is worded by the renderer and keeps its problem.
RAISED = [
    (PlanError.of("no_revision", name="Water", revision=1234), "The plan 'Water' has no revision 1234."),
    (PlanError.of("report_needs_a_file"), "Say which file to write: --html FILE, --xlsx FILE or both."),
    (PlanError.of("dhis2_too_large", file="v.json", most_mb=50.0),
     "v.json is larger than 50 MB: split it and import the parts"),
    (PlanError.of("no_such_register", got="donors"),
     "There is no register of 'donors': organisations, people or gifts."),
]


@pytest.mark.parametrize(("error", "expected"), RAISED)
def test_an_error_raised_with_a_code_is_worded_by_the_renderer(error, expected):
    assert (str(error), render(error.problem)) == (expected, expected)


# (gap code, context, words): a gap names the kind of record (its model's label) and which one,
# by the field that names it (models._base.record_context), or by its row when nothing does.
GAP_WORDS = [
    ("gap_no_owner", {"model": "Risk", "record": "Floods", "by": "title", "number": 1},
     'The risk "Floods" has no owner yet.'),
    ("gap_no_baseline", {"model": "Kpi", "record": "Wells built", "by": "name", "number": 4},
     'The KPI "Wells built" has no baseline yet.'),
    ("gap_no_line_purpose", {"model": "Line", "record": "Riverside radio", "by": "audience", "number": 2},
     'The line to "Riverside radio" has no purpose yet.'),
    ("gap_no_points", {"model": "TeamConversation", "record": "Ann", "by": "leader", "number": 1},
     'The team conversation with "Ann" has no points to discuss yet.'),
    ("gap_no_permission", {"model": "Testimonial", "record": "Ama", "by": "giver", "number": 1},
     'The testimonial by "Ama" cannot be used yet: no permission given.'),
    ("gap_no_strategy_text", {"model": "TowsStrategy", "record": "", "by": "", "number": 2},
     "The TOWS strategy in row 2 has no text yet."),
    ("gap_few_candidates", {"model": "Need", "record": "Water", "by": "title", "number": 1, "count": 2},
     'The need "Water" has only 2 candidates: compare at least three.'),
    ("gap_not_a_partner", {"party": "ghost", "records": "assignments"},
     'The party "ghost" named in the assignments is not a selected partner.'),
]


@pytest.mark.parametrize(("code", "context", "expected"), GAP_WORDS)
def test_a_gap_names_the_kind_of_record_and_which_one(code, context, expected):
    assert render(Problem((), code, context)) == expected


def test_long_text_that_arrived_is_cut():
    problem = Problem((), "int_parsing", {"field": "impact", "got": "x" * 200})
    assert render(problem) == f"'impact' must be a whole number (got '{'x' * 56}...)"


# ---- every code has a template, and every template renders ----------------------------------


def _example(template):
    """A context holding every name a template uses: numbers where it formats one, words elsewhere."""
    context = {}
    for _text, name, spec, _conversion in string.Formatter().parse(template):
        if name in (None, ""):
            continue
        if name == "arrived":
            context["got"] = 9
        elif name in ("field", "other"):
            context[name] = "residual_impact"
        elif name == "rule":
            context[name] = "whole_number"
            context |= {"low": 1, "high": 5}
        elif name == "pattern":
            context[name] = "^[A-Z]{3}$"
        else:
            context[name] = 3 if spec else "x"
    return context


SENTENCES = sorted(code for code in MESSAGES if ":" not in code and code not in ("arrived", "now", "none_yet"))


@pytest.mark.parametrize("code", SENTENCES)
@pytest.mark.parametrize("form", [False, True])
def test_every_template_renders_with_its_context(code, form):
    words = render(Problem((), code, _example((FORM_MESSAGES if form else {}).get(code, MESSAGES[code]))), form=form)
    assert "{" not in words


FIELD_SENTENCES = [code for code in SENTENCES if "{field}" in MESSAGES[code]]


@pytest.mark.parametrize("code", FIELD_SENTENCES)
def test_a_form_message_names_the_label(code):
    words = render(Problem((), code, _example(FORM_MESSAGES.get(code, MESSAGES[code]))), form=True)
    assert ("Residual impact" in words, "residual_impact" in words) == (True, False)


def _error_classes(root):
    """PlanError and every class under ``root`` derived from it (by name)."""
    bases: dict[str, set[str]] = {}
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                bases[node.name] = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
    found = {"PlanError"}
    while more := {name for name, parents in bases.items() if parents & found} - found:
        found |= more
    return found


#: The error classes of the package, by name.
ERRORS = _error_classes(PACKAGE)

#: Calls that name a problem's code: function → position of the code among its arguments
#: (``rule_problems`` takes a ``rule:`` phrase; ``of`` is ``PlanError.of``, ``Gap`` a section's gap).
_CODE_ARGUMENTS = {"rule_error": 0, "Problem": 1, "check_unique": 3, "repeat_problems": 3, "row_problems": 3,
                   "_JsonProblem": 1, "of": 0, "Gap": 1, "sentence": 0}


def _codes_raised():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", ""))
            if name == "of" and getattr(node.func.value, "id", "") not in ERRORS:
                continue  # another class's "of" (FieldType.of)
            position = _CODE_ARGUMENTS.get(name, 4 if name == "rule_problems" else None)
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                prefix = "rule:" if name == "rule_problems" else ""
                yield f"{path.relative_to(PACKAGE)}:{node.lineno}", prefix + argument.value


CODES_RAISED = sorted(set(_codes_raised()))


def test_codes_are_found_in_the_package():
    assert len(CODES_RAISED) > 40


@pytest.mark.parametrize(("where", "code"), CODES_RAISED)
def test_every_code_raised_has_a_template(where, code):
    assert code in MESSAGES


# ---- nothing reads a message back -------------------------------------------------------------

#: Names that hold words meant for people (a message, an error's text): no regex may read them.
_WORDS_NAMES = ("message", "reason", "msg", "exc", "error", "problem")
_REGEX_CALLS = ("match", "fullmatch", "search", "sub", "subn", "findall", "finditer")


def _regex_reads():
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in _REGEX_CALLS:
                continue
            for argument in node.args[:3]:
                names = {n.id for n in ast.walk(argument) if isinstance(n, ast.Name)}
                names |= {n.attr for n in ast.walk(argument) if isinstance(n, ast.Attribute)}
                read = sorted(n for n in names if any(word in n.lower() for word in _WORDS_NAMES))
                if read:
                    yield f"{path.relative_to(PACKAGE)}:{node.lineno} reads {', '.join(read)}"


def test_no_regex_reads_a_message():
    assert list(_regex_reads()) == []


class _Note(Record):
    text: str = ""

    @field_validator("text")
    @classmethod
    def _printable(cls, value: str) -> str:
        if "\x00" in value:
            raise rule_error("forbidden_character", character="U+0000", position=value.index("\x00") + 1)
        return value


def test_a_field_validators_rule_gets_the_field_and_what_arrived():
    with pytest.raises(ValidationError) as caught:
        _Note(text="ab\x00")
    assert [str(p) for p in describe(caught.value)] == [
        "'text' must not contain the unprintable character U+0000 (character 3) (got 'ab\\x00')"]


# ---- no sentence is handed to an error directly ------------------------------------------------

def _is_sentence(node):
    """Words written in place: a string, an f-string, or text joined with +."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.BinOp) and (_is_sentence(node.left) or _is_sentence(node.right))


def _sentences_handed_to_errors(root):
    """Yield each module (its path under ``root``) that hands an error a sentence written in place."""
    errors = _error_classes(root)
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in errors
                    and node.args and _is_sentence(node.args[0])):
                yield str(path.relative_to(root))


#: Modules whose errors are still worded in place, each to move to codes of MESSAGES: none now.
STILL_IN_WORDS: set[str] = set()


def test_errors_are_raised_with_codes_not_sentences():
    assert set(_sentences_handed_to_errors(PACKAGE)) == STILL_IN_WORDS


SENTENCE_CASES = [
    # (a module's text, whether it hands an error a sentence)
    ('raise PlanError("No plan yet.")\n', True),
    ('raise PlanError(f"No plan {name!r}.")\n', True),
    ('raise WorkspaceError("The workspace " + str(path) + " is busy")\n', True),
    ('raise PlanError.of("no_plan", name=name, workspace=here)\n', False),
    ("raise PlanError(message)\n", False),
    ('raise ValueError(f"not a date: {x!r}")\n', False),
]


@pytest.mark.parametrize(("text", "found"), SENTENCE_CASES)
def test_a_sentence_handed_to_an_error_is_found(tmp_path, text, found):
    (tmp_path / "errors.py").write_text("class WorkspaceError(PlanError):\n    pass\n")
    (tmp_path / "module.py").write_text(text)
    assert (list(_sentences_handed_to_errors(tmp_path)) == ["module.py"]) == found
