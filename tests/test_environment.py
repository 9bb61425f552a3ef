"""environment.yml must mirror pyproject.toml: same packages, same lower bounds.

pyproject.toml is the one place that declares dependencies; environment.yml
repeats its runtime list and the ``test`` extra for conda users. When the two
drift apart, these tests fail and name the package.
"""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]

#: PyPI name -> conda-forge name, where the two differ.
CONDA_NAMES = {
    "matplotlib": "matplotlib-base",
    "playwright": "playwright-python",
}

#: Extras of pyproject.toml that environment.yml mirrors besides the runtime list.
MIRRORED_EXTRAS = ("test",)

#: Entries of environment.yml that are not partnerlib dependencies.
NOT_DEPENDENCIES = {"python", "pip"}

_REQUIREMENT = re.compile(
    r"""^\s*(?:[\w.-]+::)?          # optional conda channel prefix
        ([A-Za-z0-9][\w.-]*)        # name
        \s*(?:\[[^\]]*\])?          # optional extras
        \s*([^;]*)                  # version constraints (markers dropped)
    """,
    re.VERBOSE,
)


def normalize(name: str) -> str:
    """Return a package name in PEP 503 form ('Jinja2' -> 'jinja2', 'a_b' -> 'a-b')."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse(requirement: str) -> tuple[str, str | None]:
    """Split a pip or conda requirement into its normalized name and ``>=`` bound."""
    match = _REQUIREMENT.match(requirement)
    assert match, f"cannot read requirement {requirement!r}"
    name, constraints = match.groups()
    bound = re.search(r">=\s*([^,\s]+)", constraints)
    return normalize(name), bound.group(1) if bound else None


def same_version(a: str | None, b: str | None) -> bool:
    """Tell whether two version strings are equal, ignoring trailing '.0' parts."""
    if a is None or b is None:
        return a == b

    def parts(version: str) -> list[str]:
        pieces = version.split(".")
        while len(pieces) > 1 and pieces[-1] == "0":
            pieces.pop()
        return pieces

    return parts(a) == parts(b)


def pyproject_requirements(pyproject: dict) -> dict[str, str | None]:
    """Map each runtime and mirrored-extra dependency, by conda name, to its lower bound."""
    project = pyproject["project"]
    requirements = list(project["dependencies"])
    for extra in MIRRORED_EXTRAS:
        requirements += project["optional-dependencies"][extra]
    wanted = {}
    for requirement in requirements:
        name, bound = parse(requirement)
        wanted[CONDA_NAMES.get(name, name)] = bound
    return wanted


def conda_requirements(environment: dict) -> dict[str, str | None]:
    """Map each conda dependency of environment.yml (not python, pip) to its lower bound."""
    found = {}
    for entry in environment["dependencies"]:
        if isinstance(entry, str):
            name, bound = parse(entry)
            if name not in NOT_DEPENDENCIES:
                found[name] = bound
    return found


def disagreements(wanted: dict[str, str | None], found: dict[str, str | None]) -> list[str]:
    """List, one line per package, where environment.yml differs from pyproject.toml."""
    problems = []
    for name, bound in wanted.items():
        if name not in found:
            problems.append(f"{name}: in pyproject.toml, missing from environment.yml")
        elif not same_version(bound, found[name]):
            problems.append(
                f"{name}: pyproject.toml says >={bound}, environment.yml says >={found[name]}"
            )
    problems += [
        f"{name}: in environment.yml, missing from pyproject.toml"
        for name in found
        if name not in wanted
    ]
    return problems


def load() -> tuple[dict, dict]:
    """Read pyproject.toml and environment.yml from the repository root."""
    with open(ROOT / "pyproject.toml", "rb") as file:
        pyproject = tomllib.load(file)
    with open(ROOT / "environment.yml", encoding="utf-8") as file:
        environment = yaml.safe_load(file)
    return pyproject, environment


def test_environment_yml_mirrors_pyproject_dependencies():
    pyproject, environment = load()
    problems = disagreements(pyproject_requirements(pyproject), conda_requirements(environment))
    assert not problems, "environment.yml and pyproject.toml disagree:\n  " + "\n  ".join(problems)


def test_environment_yml_uses_conda_forge_and_the_same_python():
    pyproject, environment = load()
    assert environment["channels"] == ["conda-forge"]
    python = [parse(e) for e in environment["dependencies"] if isinstance(e, str)]
    python_bounds = [bound for name, bound in python if name == "python"]
    requires = pyproject["project"]["requires-python"]
    assert python_bounds == [requires.removeprefix(">=")], (
        f"python: pyproject.toml requires {requires}, environment.yml has {python_bounds}"
    )


def test_environment_yml_installs_partnerlib_itself_with_pip():
    _, environment = load()
    pip_sections = [e["pip"] for e in environment["dependencies"] if isinstance(e, dict)]
    assert len(pip_sections) == 1, "environment.yml needs exactly one 'pip:' section"
    itself = re.compile(r"^(-e\s+)?\.(\[[\w,\s-]*\])?$")
    assert any(itself.match(line.strip()) for line in pip_sections[0]), (
        "the pip section must install the package itself ('-e .[test]' or '.')"
    )


# The checker itself: it must notice each kind of drift.


def test_parse_reads_pip_and_conda_requirements():
    assert parse("pandas>=3.1") == ("pandas", "3.1")
    assert parse("conda-forge::Jinja2 >=3.1,<4") == ("jinja2", "3.1")
    assert parse("partnerlib[test]>=0.1 ; python_version>'3'") == ("partnerlib", "0.1")
    assert parse("tqdm") == ("tqdm", None)


def test_same_version_ignores_trailing_zeros_only():
    assert same_version("3.1", "3.1.0")
    assert not same_version("3.1", "3.10")
    assert not same_version("3.1", None)


def test_disagreements_name_each_package():
    wanted = {"pandas": "3.1", "tqdm": "4.70", "numpy": "2.4"}
    found = {"pandas": "3.0", "numpy": "2.4.0", "ruff": None}
    assert disagreements(wanted, found) == [
        "pandas: pyproject.toml says >=3.1, environment.yml says >=3.0",
        "tqdm: in pyproject.toml, missing from environment.yml",
        "ruff: in environment.yml, missing from pyproject.toml",
    ]
