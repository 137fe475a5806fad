"""Grade a submission: find its notebooks, take their definitions, run every check.

``grade(path)`` accepts what docs/grader.md lists: a folder of assignment folders, one
assignment folder, or one notebook. Every known assignment under a folder of assignments is
graded, also when its folder or notebook is missing (its checks then score 0 with a message),
so deleting a notebook never lowers the maximum. Nothing here runs student code: that happens
in the sandbox, through the ``student`` each check is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.course import ASSIGNMENT_ID, known_assignments, notebook_name, private_folders
from autograder.engine import Check
from autograder.engine.runner import run_checks
from autograder.engine.student import Loaded, SandboxStudent, StudentFactory
from autograder.outcomes import CheckResult, GradeResult, StudentError
from autograder.sandbox.client import Sandbox
from autograder.submission import Definitions, UnreadableNotebook, load_definitions


class UsageError(Exception):
    """The command line names nothing gradable; exit status 2."""


@dataclass
class Target:
    """One assignment to grade: its id and the notebook found for it (or why there is none)."""

    assignment: str
    notebook: Path | None
    problem: str = ""  # why the notebook cannot be graded, for the student
    note: str = ""  # something worth saying that does not stop grading


def find_targets(path: Path, only: list[str] | None = None) -> list[Target]:
    """What to grade under ``path`` (see the module docstring); UsageError if nothing fits."""
    path = Path(path)
    known = known_assignments()
    for wanted in only or []:
        if wanted not in known:
            raise UsageError(f"unknown assignment {wanted!r}; known: {', '.join(known)}")
    if path.is_file() or path.suffix == ".ipynb":
        assignment = _assignment_of_notebook(path, known)
        if assignment is None:
            raise UsageError(f"{path}: cannot tell which assignment this notebook is "
                             f"(expected one of {', '.join(notebook_name(a) for a in known)})")
        targets = [Target(assignment, path if path.is_file() else None,
                          "" if path.is_file() else f"{path.name} does not exist")]
    elif path.is_dir() and ASSIGNMENT_ID.match(path.name) and path.name in known:
        targets = [_target_in(path, path.name)]
    elif path.is_dir():
        targets = [_target_in(path / a, a) for a in known]
    else:
        raise UsageError(f"{path}: no such file or folder")
    root = (path if path.is_dir() else path.parent).resolve()
    for target in targets:  # a symbolic link could point at the instructor's own solutions
        if target.notebook is not None and not target.notebook.resolve().is_relative_to(root):
            target.problem = (f"{target.notebook.name} is a link to a file outside the "
                              "submission: commit the notebook itself")
    return [t for t in targets if not only or t.assignment in only]


def grade(path: Path, *, only: list[str] | None = None, public_only: bool = False,
          sandbox: Sandbox | None = None, functions: set[str] | None = None,
          make_student: StudentFactory = SandboxStudent) -> GradeResult:
    """Grade everything ``find_targets`` finds; one zygote serves the whole run.

    ``functions`` limits grading to the checks of those graded functions; ``make_student``
    builds the ``student`` of each check from (check, sandbox, the notebook's definitions)."""
    targets = find_targets(path, only)
    result = GradeResult()
    own_sandbox = sandbox is None
    sandbox = sandbox or Sandbox(hide=private_folders())
    try:
        for target in targets:
            result.checks += _grade_target(target, sandbox, public_only, functions,
                                           make_student, result.notes)
    finally:
        if own_sandbox:
            sandbox.close()
    if sandbox.unfenced:
        result.notes.append("sandbox: " + "; ".join(sandbox.unfenced))
    return result


def _grade_target(target: Target, sandbox: Sandbox, public_only: bool,
                  functions: set[str] | None, make_student: StudentFactory,
                  notes: list[str]) -> list[CheckResult]:
    if target.note:
        notes.append(f"{target.assignment}: {target.note}")
    problem = target.problem
    definitions = Definitions()
    if not problem:
        try:
            definitions = load_definitions(target.notebook)
        except UnreadableNotebook as err:
            problem = str(err)
    if problem:
        notes.append(f"{target.assignment}: {problem}")
    loaded = Loaded(definitions)  # what every check of this notebook starts from

    def student_of(check: Check):
        if problem:
            raise StudentError("missing", "", problem, "")
        return make_student(check, sandbox, loaded)

    return run_checks(target.assignment, student_of, public_only=public_only,
                      functions=functions).results


def _assignment_of_notebook(path: Path, known: list[str]) -> str | None:
    if path.parent.name in known:
        return path.parent.name
    matches = [a for a in known if notebook_name(a) == path.name]
    return matches[0] if matches else None


def _target_in(folder: Path, assignment: str) -> Target:
    expected = folder / notebook_name(assignment)
    if expected.is_file():
        return Target(assignment, expected)
    if not folder.is_dir():
        return Target(assignment, None, f"folder {folder.name}/ is missing from the submission")
    others = sorted(p for p in folder.glob("*.ipynb") if p.is_file())
    if len(others) == 1:
        return Target(assignment, others[0],
                      note=f"graded {others[0].name} (expected the name {expected.name})")
    if not others:
        return Target(assignment, None, f"{expected.name} is missing from {folder.name}/")
    return Target(assignment, None,
                  f"{expected.name} is missing and {folder.name}/ holds several notebooks "
                  f"({', '.join(p.name for p in others)}): keep one, named {expected.name}")
