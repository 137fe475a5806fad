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
import os
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


def default_jobs() -> int:
    """Assignments graded at a time by default: one per core this process may use."""
    return max(1, len(os.sched_getaffinity(0)))


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
          budget_seconds: float | None = DEFAULT_BUDGET_SECONDS, jobs: int = 1) -> GradeResult:
    """Grade everything ``find_targets`` finds.

    ``functions`` limits grading to the checks of those graded functions; ``make_student``
    builds the ``student`` of each check from (check, sandbox, the notebook's definitions);
    ``budget_seconds`` bounds the whole submission in wall time (None: no budget). ``jobs``:
    assignments graded at a time, each process with its own zygote (``assignment_jobs``); with
    1, or a ``sandbox`` or ``make_student`` given, one zygote serves the whole run. The result
    is the same either way, in the same order."""
    targets = find_targets(path, only)
    root = _submission_root(Path(path))
    parts = [Part(target, *_read(target, root)) for target in targets]  # before student code
    budget = _Budget(budget_seconds)
    options = Options(public_only, functions)
    if jobs > 1 and len(parts) > 1 and sandbox is None and make_student is SandboxStudent:
        from autograder.assignment_jobs import grade_in_processes

        graded = grade_in_processes(parts, jobs, options, budget)
    else:
        graded = grade_parts(parts, options, budget, sandbox, make_student)
    result = GradeResult()
    for part in graded:
        result.checks += part.checks
        result.notes += part.notes
    spent = sum(part.spent for part in graded)
    if spent:
        result.notes.append(f"the submission's time budget of {budget.seconds:g} s ran out: "
                            f"{spent} check(s) did not finish")
    unfenced = list(dict.fromkeys(fence for part in graded for fence in part.unfenced))
    if unfenced:
        result.notes.append("sandbox: " + "; ".join(unfenced))
    return result


@dataclass
class Part:
    """One assignment of the submission, read: its target and definitions, or why none."""

    target: Target
    definitions: Definitions
    problem: str


@dataclass
class Options:
    """What every part is graded with."""

    public_only: bool = False
    functions: set[str] | None = None


@dataclass
class Graded:
    """One part, graded: its results, its notes, the checks the budget stopped, the fences
    this machine did not allow."""

    checks: list[CheckResult]
    notes: list[str]
    spent: int
    unfenced: list[str]


def grade_parts(parts: list[Part], options: Options, budget: "_Budget",
                sandbox: Sandbox | None = None,
                make_student: StudentFactory = SandboxStudent) -> list[Graded]:
    """Grade each part in turn with one zygote (``sandbox``, or one of its own)."""
    own_sandbox = sandbox is None
    sandbox = sandbox or Sandbox(hide=private_folders())
    try:
        return [grade_part(part, options, budget, sandbox, make_student) for part in parts]
    finally:
        if own_sandbox:
            sandbox.close()


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

    def __init__(self, seconds: float | None, deadline: float | None = None) -> None:
        self.seconds = seconds
        # time.monotonic is the system's CLOCK_MONOTONIC: one deadline serves every process
        self.deadline = deadline if deadline is not None else \
            None if seconds is None else time.monotonic() + seconds
        self.shortened: set[tuple[str, str]] = set()  # (assignment, check id) given less time

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

    def explain(self, results: list[CheckResult]) -> int:
        """From the first timeout the budget caused, every timeout says that the budget ran
        out (a later check of a function that timed out twice was not even started); returns
        how many it stopped."""
        started, spent = False, 0
        for result in results:
            if result.status != "timeout":
                continue
            started = started or (result.assignment, result.id) in self.shortened
            if started:
                spent += 1
                result.message = (f"the submission's time budget of {self.seconds:g} s ran "
                                  "out before this check finished (grade --budget sets it).")
        return spent


def grade_part(part: Part, options: Options, budget: _Budget, sandbox: Sandbox,
               make_student: StudentFactory = SandboxStudent) -> Graded:
    """Run the checks of one part, each on a student made in ``sandbox``."""
    target, problem = part.target, part.problem
    notes = [f"{target.assignment}: {text}" for text in (target.note, problem) if text]
    loaded = Loaded(part.definitions)  # what every check of this notebook starts from

    def student_of(check: Check):
        if problem:
            raise StudentError("missing", "", problem, "")
        return make_student(budget.limit(target.assignment, check), sandbox, loaded)

    results = run_checks(target.assignment, student_of, public_only=options.public_only,
                         functions=options.functions).results
    spent = budget.explain(results)
    return Graded(results, notes, spent, list(sandbox.unfenced))


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
