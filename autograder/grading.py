"""Grade a submission: find its notebooks, take their definitions, run every check.

``grade(path)`` accepts what GRADER.md lists: a folder of assignment folders, one assignment
folder, or one notebook. Every known assignment under a folder of assignments is graded, also
when its folder or notebook is missing (its checks then score 0 with a message), so deleting a
notebook never lowers the maximum. Nothing here runs student code: that happens in the sandbox.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from autograder.checks import CHECKS_ROOT, Check, assignment_folders
from autograder.checks.plugin import CheckResult, run_checks
from autograder.checks.student import SandboxStudent
from autograder.sandbox.client import Sandbox, StudentError
from autograder.submission import Definitions, UnreadableNotebook, load_definitions

REPOSITORY_ROOT = Path(__file__).resolve().parent.parent
_ASSIGNMENT_ID = re.compile(r"^\d\d_\w+$")


class UsageError(Exception):
    """The command line names nothing gradable; exit status 2."""


@dataclass
class Target:
    """One assignment to grade: its id and the notebook found for it (or why there is none)."""

    assignment: str
    notebook: Path | None
    problem: str = ""  # why the notebook cannot be graded, for the student
    note: str = ""  # something worth saying that does not stop grading


@dataclass
class GradeResult:
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.checks), 6)

    def to_json(self) -> dict:
        return {"score": self.score, "max_score": self.max_score,
                "checks": [c.to_json() for c in self.checks], "notes": self.notes}


def known_assignments() -> list[str]:
    return [folder.name for folder in assignment_folders()]


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
                             f"(expected one of {', '.join(_notebook_name(a) for a in known)})")
        targets = [Target(assignment, path if path.is_file() else None,
                          "" if path.is_file() else f"{path.name} does not exist")]
    elif path.is_dir() and _ASSIGNMENT_ID.match(path.name) and path.name in known:
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
          sandbox: Sandbox | None = None, functions: set[str] | None = None) -> GradeResult:
    """Grade everything ``find_targets`` finds; one zygote serves the whole run.
    ``functions`` limits grading to the checks of those graded functions."""
    targets = find_targets(path, only)
    result = GradeResult()
    own_sandbox = sandbox is None
    sandbox = sandbox or Sandbox(hide=private_folders())
    try:
        for target in targets:
            result.checks += _grade_target(target, sandbox, public_only, functions,
                                           result.notes)
    finally:
        if own_sandbox:
            sandbox.close()
    if sandbox.unfenced:
        result.notes.append("sandbox: " + "; ".join(sandbox.unfenced))
    return result


def private_folders() -> list[Path]:
    """What student code must not read on the instructor's machine: the reference solutions,
    the checks (hidden ones among them) and the history that holds both."""
    return [p for p in (REPOSITORY_ROOT / "solutions", CHECKS_ROOT, REPOSITORY_ROOT / ".git")
            if p.exists()]


def _grade_target(target: Target, sandbox: Sandbox, public_only: bool,
                  functions: set[str] | None, notes: list[str]) -> list[CheckResult]:
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

    def make_student(check: Check):
        if problem:
            raise StudentError("missing", "", problem, "")
        return SandboxStudent(check, sandbox, definitions)

    results, errors = run_checks(target.assignment, make_student, public_only=public_only,
                                 functions=functions)
    if errors:  # a broken check is the instructor's problem: say so loudly, never hide it
        raise RuntimeError(f"checks of {target.assignment} could not be collected:\n"
                           + "\n".join(errors))
    return results


def _notebook_name(assignment: str) -> str:
    return assignment.split("_", 1)[1] + ".ipynb"


def _assignment_of_notebook(path: Path, known: list[str]) -> str | None:
    if path.parent.name in known:
        return path.parent.name
    matches = [a for a in known if _notebook_name(a) == path.name]
    return matches[0] if matches else None


def _target_in(folder: Path, assignment: str) -> Target:
    expected = folder / _notebook_name(assignment)
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
