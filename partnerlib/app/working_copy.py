"""The notebooks people work in: a copy beside the workspace, never the committed ones.

JupyterLab saves an open notebook every few minutes, outputs and all. Were
``partnerlib lab`` and ``present`` to open the workbook's own ``notebooks/``,
the first person to run a step would overwrite the notebooks that strict nbval
compares against, and the test suite would fail. So the commands open a
working copy in a ``workbook`` folder beside the workspace file (for the
default workspace, ``~/.partnerlib/workbook``), and nbval keeps the committed
notebooks to itself.

The copy follows the workbook as it changes. A manifest in the folder
(:data:`MANIFEST`) records what each shipped notebook said when it was last
copied (a hash of its cells' types and sources: running a notebook changes its
outputs, not what it is). When the shipped notebook changes:

- a copy the person has not edited is replaced by the new one;
- a copy the person has edited is kept as it is, and the new one is written
  beside it (``new version of 06_risk_and_conflict.ipynb``: not a step's name, so
  it is neither listed nor warmed as one), with a message saying so, so nothing
  anyone wrote is overwritten.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from .series import series_notebooks

__all__ = ["MANIFEST", "WORKBOOK_FOLDER", "refresh_working_copy", "working_folder"]

#: The working copy's folder, beside the workspace file.
WORKBOOK_FOLDER = "workbook"
#: The file, in the working copy, naming each shipped notebook's content hash when last copied.
MANIFEST = ".shipped-notebooks.json"


def working_folder(workspace: str | Path) -> Path:
    """Return the folder of the working copy for a workspace: ``workbook`` beside its file.

    >>> working_folder("/home/ana/.partnerlib/workspace.sqlite").as_posix()
    '/home/ana/.partnerlib/workbook'
    """
    return Path(workspace).expanduser().absolute().parent / WORKBOOK_FOLDER


def content_hash(path: Path) -> str:
    """Return a hash of what a notebook says: its cells' types and sources, not their outputs.

    Running a notebook (and JupyterLab's autosave after it) changes outputs, execution
    counts and metadata; only an edit to a cell changes this hash.
    """
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    said = [(cell["cell_type"], "".join(cell["source"])) for cell in cells]
    return hashlib.sha256(json.dumps(said).encode("utf-8")).hexdigest()


def new_version_path(path: Path) -> Path:
    """Where a new shipped version goes when the person's copy is kept.

    >>> new_version_path(Path("workbook/06_risk.ipynb")).as_posix()
    'workbook/new version of 06_risk.ipynb'
    """
    return path.with_name(f"new version of {path.name}")


def refresh_working_copy(target: Path, shipped: Path | None = None) -> list[str]:
    """Create or update the working copy of the notebooks, never overwriting a person's edits.

    Args:
        target: the working copy's folder (created if needed), e.g. :func:`working_folder`.
        shipped: the workbook's notebooks folder (default: the committed ``notebooks/``).

    Returns:
        One sentence per notebook the person should know about: a new version written
        beside their own edited copy. Notebooks copied or replaced silently are not listed.
    """
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    told = []
    for source in series_notebooks(shipped):
        copy = target / source.name
        shipped_hash = content_hash(source)
        if manifest.get(source.name) == shipped_hash and copy.exists():
            continue  # the shipped notebook has not changed since it was copied
        if copy.exists() and content_hash(copy) not in (manifest.get(source.name), shipped_hash):
            beside = new_version_path(copy)
            shutil.copyfile(source, beside)
            told.append(
                f"{copy.name}: the workbook has a new version of this step, written beside your "
                f"edited copy as “{beside.name}”. Your copy is unchanged."
            )
        else:
            shutil.copyfile(source, copy)
        manifest[source.name] = shipped_hash
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
    return told
