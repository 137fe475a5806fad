"""solutions/ -> assignments/: the student notebooks, made by nbgrader's own preprocessors.

nbgrader's ``generate_assignment`` is a list of small preprocessors; this runs the ones that
change a notebook, in nbgrader's order, in this process, configured by the course's
``nbgrader_config.py``: LockCells, ClearSolutions (each ``### BEGIN SOLUTION`` / ``### END
SOLUTION`` region becomes a stub that raises NotImplementedError), ClearOutput,
CheckCellMetadata, ComputeChecksums, ClearHiddenTests, ClearMarkScheme, ComputeChecksums,
CheckCellMetadata. Left out: the header/footer and test templates (unused here) and SaveCells,
which writes nbgrader's gradebook database, not the notebook.

Before it writes anything, the reference is checked: every graded function the checks know must
be defined in a solution cell, so a release can never ship a notebook the checks cannot grade.
The points of each ``check("f")`` test cell (what nbgrader's own autograde counts) are set from
every check of ``f``, hidden ones included: on the instructor's machine, where the hidden checks
are installed, the cell runs them all and its value is the points earned (nbgrader's partial
credit), so nbgrader's total and maximum equal ``grade``'s. Points are written once, in the
checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat

from autograder.course import ROOT, known_assignments
from autograder.engine.catalogue import catalogue, functions_of
from autograder.submission import load_definitions

PERMISSIONS = 0o644  # what generate_assignment gives a released notebook


class ReleaseError(Exception):
    pass


def release_all(only: list[str] | None = None, root: Path = ROOT) -> list[str]:
    """Regenerate the student copy of every assignment (or of ``only``); return log lines."""
    lines = []
    for assignment in only or known_assignments():
        source = root / "solutions" / assignment
        notebooks = sorted(source.glob("*.ipynb"))
        if not notebooks:
            raise ReleaseError(f"solutions/{assignment}/ holds no notebook")
        _check_reference(assignment, notebooks)
        for notebook in notebooks:
            sync_selfcheck_points(assignment, notebook)
        generate(assignment, root)
        lines.append(f"released {assignment}: "
                     + ", ".join(f"assignments/{assignment}/{nb.name}" for nb in notebooks))
    return lines


def generate(assignment: str, root: Path = ROOT) -> list[Path]:
    """Write assignments/<assignment>/ from solutions/<assignment>/ under ``root``; return the
    notebooks written. Other files of the source folder are copied as they are."""
    source, release = root / "solutions" / assignment, root / "assignments" / assignment
    release.mkdir(parents=True, exist_ok=True)
    exporter = _exporter(root)
    written = []
    for path in sorted(source.iterdir()):
        target = release / path.name
        if path.suffix == ".ipynb":
            resources = {"unique_key": path.stem, "metadata": {"path": str(source)},
                         "nbgrader": {"assignment": assignment, "notebook": path.stem,
                                      "student": "."}}
            try:
                text, _ = exporter.from_filename(str(path), resources=resources)
            except Exception as err:  # nbgrader reports bad metadata with several types
                raise ReleaseError(f"nbgrader could not release {path.relative_to(root)}: "
                                   f"{err}") from None
            target.write_text(text, encoding="utf-8")
            written.append(target)
        elif path.is_file():
            target.write_bytes(path.read_bytes())
        os.chmod(target, PERMISSIONS)
    return written


def _exporter(root: Path):
    """nbconvert's NotebookExporter with generate_assignment's notebook preprocessors,
    configured by ``root``'s nbgrader_config.py."""
    from nbconvert.exporters import NotebookExporter
    from nbgrader.preprocessors import (CheckCellMetadata, ClearHiddenTests, ClearMarkScheme,
                                        ClearOutput, ClearSolutions, ComputeChecksums, LockCells)
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (root / "nbgrader_config.py").exists():
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
    config.Exporter.default_preprocessors = []
    exporter = NotebookExporter(config=config)
    for preprocessor in (LockCells, ClearSolutions, ClearOutput, CheckCellMetadata,
                         ComputeChecksums, ClearHiddenTests, ClearMarkScheme, ComputeChecksums,
                         CheckCellMetadata):
        exporter.register_preprocessor(preprocessor(config=config), enabled=True)
    return exporter


def _check_reference(assignment: str, notebooks: list[Path]) -> None:
    defined = set()
    for notebook in notebooks:
        defined |= load_definitions(notebook).defined_names()
    missing = [f for f in functions_of(assignment) if f not in defined]
    if missing:
        raise ReleaseError(f"solutions/{assignment} does not define {', '.join(missing)}")


def selfcheck_points(assignment: str) -> dict[str, float]:
    """{function: points of its public checks}: what check("f") can earn in a student's copy."""
    return _points(assignment, public_only=True)


def nbgrader_points(assignment: str) -> dict[str, float]:
    """{function: points of all its checks, hidden ones included}: what a notebook's
    check("f") cell is worth in nbgrader, so that nbgrader's maximum equals grade's."""
    return _points(assignment, public_only=False)


def _points(assignment: str, public_only: bool) -> dict[str, float]:
    points: dict[str, float] = {}
    for c in catalogue(public_only=public_only)[assignment]:
        points[c.function] = points.get(c.function, 0.0) + c.points
    return points


def sync_selfcheck_points(assignment: str, notebook_path: Path) -> bool:
    """Set each check("f") cell's nbgrader points from the checks (``nbgrader_points``); True
    if the file changed."""
    notebook = nbformat.read(str(notebook_path), as_version=4)
    points = nbgrader_points(assignment)
    changed = False
    for cell in notebook.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        source = cell.get("source", "").strip()
        if cell.cell_type == "code" and meta.get("grade") and source.startswith('check("'):
            function = source[len('check("'):].split('"', 1)[0]
            if function in points and meta.get("points") != points[function]:
                meta["points"] = points[function]
                changed = True
    if changed:
        nbformat.write(notebook, str(notebook_path))
    return changed
