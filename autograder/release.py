"""solutions/ -> assignments/: generate the student notebooks with nbgrader's own preprocessors.

``nbgrader generate_assignment`` (configured by the repository's ``nbgrader_config.py``) replaces
each ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region with a stub that raises
NotImplementedError, clears outputs, locks the read-only cells and writes checksums. Before it
writes anything, the reference is checked: every graded function the checks know must be defined
in a solution cell, so a release can never ship a notebook the checks cannot grade. The points of
each ``check("f")`` test cell (what nbgrader's own autograde counts) are set from the public
checks of ``f``: points are written once, in the checks.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import nbformat

from autograder.checks.catalogue import catalogue, functions_of
from autograder.grading import REPOSITORY_ROOT, known_assignments
from autograder.submission import load_definitions


class ReleaseError(Exception):
    pass


def release_all(only: list[str] | None = None, root: Path = REPOSITORY_ROOT) -> list[str]:
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


def generate(assignment: str, root: Path = REPOSITORY_ROOT) -> None:
    """Run nbgrader generate_assignment for one assignment, from the course root."""
    bin_folder = str(Path(sys.executable).parent)  # nbgrader shells out to alembic
    environment = dict(os.environ, PATH=bin_folder + os.pathsep + os.environ.get("PATH", ""))
    command = [sys.executable, "-m", "nbgrader", "generate_assignment", assignment,
               "--force", "--CourseDirectory.root=" + str(root)]
    done = subprocess.run(command, cwd=root, env=environment, capture_output=True, text=True)
    if done.returncode != 0:
        raise ReleaseError(f"nbgrader generate_assignment {assignment} failed:\n"
                           + done.stdout[-2000:] + done.stderr[-2000:])


def _check_reference(assignment: str, notebooks: list[Path]) -> None:
    defined = set()
    for notebook in notebooks:
        defined |= load_definitions(notebook).defined_names()
    missing = [f for f in functions_of(assignment) if f not in defined]
    if missing:
        raise ReleaseError(f"solutions/{assignment} does not define {', '.join(missing)}")


def selfcheck_points(assignment: str) -> dict[str, float]:
    """{function: points of its public checks}: what a notebook's check("f") cell is worth."""
    points: dict[str, float] = {}
    for c in catalogue(public_only=True)[assignment]:
        points[c.function] = points.get(c.function, 0.0) + c.points
    return points


def sync_selfcheck_points(assignment: str, notebook_path: Path) -> bool:
    """Set each check("f") cell's nbgrader points from the checks; True if the file changed."""
    notebook = nbformat.read(str(notebook_path), as_version=4)
    points = selfcheck_points(assignment)
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
