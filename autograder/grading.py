"""Grade a submission: find its notebooks, take their definitions, run every check.

``grade(path)`` accepts what docs/grader.md lists: a folder of assignment folders, one
assignment folder, or one notebook. Every known assignment under a folder of assignments is
graded, also when its folder or notebook is missing (its checks then score 0 with a message),
so deleting a notebook never lowers the maximum. Nothing here runs student code: that happens
in the sandbox, through the ``student`` each check is given.

Every notebook of a submission is read once, before any student code runs (never through a
link, see ``submission.read_bytes``), so a check of one assignment cannot change what another
is graded on. A submission has a time budget (``budget_seconds``, DEFAULT_BUDGET_SECONDS): a
check gets at most what is left of it, and once it is spent the remaining checks are recorded
as timeouts that say so.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass
from pathlib import Path

from autograder.course import ASSIGNMENT_ID, known_assignments, notebook_name, private_folders
from autograder.engine import Check
from autograder.engine.runner import run_checks
from autograder.engine.student import Loaded, SandboxStudent, StudentFactory
from autograder.outcomes import CheckResult, CheckTimeout, GradeResult, StudentError
from autograder.sandbox.client import Sandbox
from autograder.submission import Definitions, UnreadableNotebook, load_definitions

DEFAULT_BUDGET_SECONDS = 600.0  # a whole submission; the reference takes under a minute


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
    root = _submission_root(path)
    for target in targets:  # a symbolic link could point at the instructor's own solutions
        if target.notebook is not None and not target.notebook.resolve().is_relative_to(root):
            target.problem = (f"{target.notebook.name} is a link to a file outside the "
                              "submission: commit the notebook itself")
    return [t for t in targets if not only or t.assignment in only]


def grade(path: Path, *, only: list[str] | None = None, public_only: bool = False,
          sandbox: Sandbox | None = None, functions: set[str] | None = None,
          make_student: StudentFactory = SandboxStudent,
          budget_seconds: float | None = DEFAULT_BUDGET_SECONDS) -> GradeResult:
    """Grade everything ``find_targets`` finds; one zygote serves the whole run.

    ``functions`` limits grading to the checks of those graded functions; ``make_student``
    builds the ``student`` of each check from (check, sandbox, the notebook's definitions);
    ``budget_seconds`` bounds the whole submission (None: no budget)."""
    targets = find_targets(path, only)
    root = _submission_root(Path(path))
    notebooks = [_read(target, root) for target in targets]  # before any student code runs
    budget = _Budget(budget_seconds)
    result = GradeResult()
    own_sandbox = sandbox is None
    sandbox = sandbox or Sandbox(hide=private_folders())
    try:
        for target, (definitions, problem) in zip(targets, notebooks):
            result.checks += _grade_target(target, definitions, problem, sandbox, public_only,
                                           functions, make_student, result.notes, budget)
    finally:
        if own_sandbox:
            sandbox.close()
    if budget.spent:
        result.notes.append(f"the submission's time budget of {budget.seconds:g} s ran out: "
                            f"{budget.spent} check(s) did not finish")
    if sandbox.unfenced:
        result.notes.append("sandbox: " + "; ".join(sandbox.unfenced))
    return result


def _read(target: Target, root: Path) -> tuple[Definitions, str]:
    """(definitions, problem): what grading takes from the target's notebook, or why none."""
    if target.problem:
        return Definitions(), target.problem
    try:
        return load_definitions(target.notebook, within=root), ""
    except UnreadableNotebook as err:
        return Definitions(), str(err)


class _Budget:
    """What is left of the submission's time, and the checks it stopped or never ran."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if seconds is None else time.monotonic() + seconds
        self.shortened: set[tuple[str, str]] = set()  # (assignment, check id) given less time
        self.spent = 0  # checks recorded as timeouts of the budget

    def limit(self, assignment: str, check: Check) -> Check:
        """The check, with at most the time left; CheckTimeout when none is."""
        if self.deadline is None:
            return check
        left = self.deadline - time.monotonic()
        if left >= check.timeout:
            return check
        self.shortened.add((assignment, check.id))
        if left <= 0:
            raise CheckTimeout()
        return dataclasses.replace(check, timeout=left)

    def explain(self, results: list[CheckResult]) -> None:
        """From the first timeout the budget caused, every timeout says that the budget ran
        out (a later check of a function that timed out twice was not even started)."""
        started = False
        for result in results:
            if result.status != "timeout":
                continue
            started = started or (result.assignment, result.id) in self.shortened
            if started:
                self.spent += 1
                result.message = (f"the submission's time budget of {self.seconds:g} s ran "
                                  "out before this check finished (grade --budget sets it).")


def _grade_target(target: Target, definitions: Definitions, problem: str, sandbox: Sandbox,
                  public_only: bool, functions: set[str] | None, make_student: StudentFactory,
                  notes: list[str], budget: _Budget) -> list[CheckResult]:
    if target.note:
        notes.append(f"{target.assignment}: {target.note}")
    if problem:
        notes.append(f"{target.assignment}: {problem}")
    loaded = Loaded(definitions)  # what every check of this notebook starts from

    def student_of(check: Check):
        if problem:
            raise StudentError("missing", "", problem, "")
        return make_student(budget.limit(target.assignment, check), sandbox, loaded)

    results = run_checks(target.assignment, student_of, public_only=public_only,
                         functions=functions).results
    budget.explain(results)
    return results


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


def _submission_root(path: Path) -> Path:
    """The folder a submission's notebooks must lie in: PATH, or a notebook's own folder."""
    return (path if path.is_dir() else path.parent).resolve()
