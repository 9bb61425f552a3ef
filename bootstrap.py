"""Set up the partnership planning workbook and open it, or test it.

    python3 bootstrap.py lab     open the workbook in JupyterLab
    python3 bootstrap.py test    run every check (library, notebooks, browser)

Both make a private Python environment in the folder .venv the first time
(a few minutes), and bring it up to date whenever pyproject.toml changes.
Anything after the command is handed on, e.g. python3 bootstrap.py test -x

Uses the standard library only, so it runs wherever Python 3.11 or newer is
installed (Linux, macOS, Windows).
"""

import sys

MINIMUM_PYTHON = (3, 11)
if sys.version_info < MINIMUM_PYTHON:  # checked before anything newer is used
    sys.exit(
        f"partnerlib needs Python 3.11 or newer, but this is Python {sys.version.split()[0]}. "
        "Install a newer Python from https://www.python.org/downloads/ and run "
        "this command again with it."
    )

import hashlib  # noqa: E402  (after the version check on purpose)
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import NoReturn  # noqa: E402

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / "partnerlib-installed.sha256"
PYTEST_NO_TESTS = 5

USAGE = "Usage:\n" + "\n\n".join(__doc__.split("\n\n")[1:3])


def say(message: str) -> None:
    """Print one progress line for the person at the keyboard."""
    print(f"[partnerlib] {message}", flush=True)


def stop(message: str) -> NoReturn:
    """Explain why we cannot go on, and exit with code 1."""
    print(f"[partnerlib] Stopped: {message}", file=sys.stderr, flush=True)
    sys.exit(1)


def venv_program(name: str) -> Path:
    """Path of a program inside ``.venv`` on this operating system."""
    if os.name == "nt":
        return VENV / "Scripts" / f"{name}.exe"
    return VENV / "bin" / name


def wanted_stamp() -> str:
    """Fingerprint of pyproject.toml: a different one means installing again."""
    return hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()


def child_env() -> dict[str, str]:
    """Environment for programs started from ``.venv``, as if it were activated."""
    env = dict(os.environ)
    env["VIRTUAL_ENV"] = str(VENV)
    env["PATH"] = str(venv_program("python").parent) + os.pathsep + env.get("PATH", "")
    env.pop("PYTHONHOME", None)
    return env


def run(command: list) -> int:
    """Run a program from the repository folder and return its exit code.

    Ctrl+C reaches the program too; we wait for it to stop in its own way
    (JupyterLab asks first) instead of killing it.
    """
    process = subprocess.Popen([str(part) for part in command], cwd=ROOT, env=child_env())
    while True:
        try:
            return process.wait()
        except KeyboardInterrupt:
            continue


def ensure_environment() -> None:
    """Create ``.venv`` if missing, install partnerlib if pyproject.toml changed, compile it."""
    python = venv_program("python")
    if not python.exists():
        say("First run: making a private Python environment in .venv ...")
        if run([sys.executable, "-m", "venv", "--clear", VENV]) != 0 or not python.exists():
            stop(
                "could not make the environment. On Debian or Ubuntu, install the "
                "'python3-venv' package first, delete the .venv folder, and try again."
            )

    stamp = wanted_stamp()
    if STAMP.exists() and STAMP.read_text().strip() == stamp:
        say("Environment is up to date.")
    else:
        install(python, stamp)
    # Each notebook starts a new Python that imports partnerlib: compiled here once (a
    # no-op when nothing changed), it is not compiled again in every kernel where
    # PYTHONDONTWRITEBYTECODE is set, as pip does for the packages it installs.
    run([python, "-m", "compileall", "-q", ROOT / "partnerlib"])


def install(python: Path, stamp: str) -> None:
    """Install partnerlib, editable, with what it and its tests need; record ``stamp`` on success."""
    say("Installing the workbook and what it needs (the first time takes a few minutes) ...")
    quiet = [] if os.environ.get("CI") else ["--quiet"]
    if run([python, "-m", "pip", "install", *quiet, "-e", ".[test]"]) != 0:
        STAMP.unlink(missing_ok=True)
        stop(
            "the installation did not finish (see the messages above). Check the internet "
            "connection and run the same command again."
        )
    STAMP.write_text(stamp + "\n")
    say("Installation finished.")


def lab(args: list[str]) -> int:
    """Open the workbook in JupyterLab."""
    say("Opening the workbook in JupyterLab. Press Ctrl+C here to stop it.")
    return run([venv_program("partnerlib"), "lab", *args])


#: What the browser tests load into pages (axe-core), installed from the npm registry with its lock file.
BROWSER_TOOLS = Path(__file__).resolve().parent / "tests" / "browser-tools"


def install_browser_tools() -> None:
    """Install the browser tests' npm packages (axe-core) if npm is there and they are missing."""
    if (BROWSER_TOOLS / "node_modules" / "axe-core").is_dir():
        return
    if shutil.which("npm") is None:
        say("npm is missing: the accessibility test will be skipped (install Node.js and npm to run it).")
        return
    say("Installing the browser tests' tools (axe-core) with npm ...")
    run(["npm", "ci", "--prefix", str(BROWSER_TOOLS), "--no-audit", "--no-fund"])


def test(args: list[str]) -> int:
    """Run the whole test suite; finding no tests at all counts as a failure."""
    install_browser_tools()
    say("Running the checks ...")
    code = run([venv_program("python"), "-m", "pytest", *args])
    if code == PYTEST_NO_TESTS:
        print(
            "[partnerlib] FAILED: pytest found no tests to run (exit code 5); "
            "that is treated as a failure.",
            file=sys.stderr,
            flush=True,
        )
        return 1
    say("All checks passed." if code == 0 else "Some checks failed (see above).")
    return code


COMMANDS = {"lab": lab, "test": test}


def main(argv: list[str]) -> int:
    """Run ``bootstrap.py COMMAND [ARGS...]`` and return the exit code."""
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    command, args = argv[0], argv[1:]
    if command not in COMMANDS:
        print(f"Unknown command {command!r}. Use one of these:\n{USAGE}", file=sys.stderr)
        return 2
    ensure_environment()
    return COMMANDS[command](args)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
