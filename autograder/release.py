"""solutions/ -> assignments/: generate the student notebooks with nbgrader's own preprocessors.

``nbgrader generate_assignment`` (configured by the repository's ``nbgrader_config.py``) replaces
each ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region with a stub that raises
NotImplementedError, clears outputs, locks the read-only cells and writes checksums. Before it
writes anything, the reference is checked: every graded function the checks know must be defined
in a solution cell, so a release can never ship a notebook the checks cannot grade.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from autograder.checks.catalogue import functions_of
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
