"""Check your work from inside the notebook, with the checks that grade it.

In a cell after an exercise::

    from autograder.selfcheck import check
    check("make_windows")

runs the public checks of that function on the function you just defined (in this kernel, so
run its cell first) and prints the same hints the grader gives. Where the hidden checks are
installed (the instructor's copy) it runs them too.

The cell's value is the points earned, a number: nbgrader's autograde takes a test cell's
numeric value as its partial credit (its cell is worth every check of the function, see
autograder/release.py), so nbgrader scores each function as the grader does. A failing check
therefore does not raise: an error would give the cell no points at all.
"""

from __future__ import annotations

import inspect
import os

from autograder.course import CHECKS
from autograder.engine import Check
from autograder.engine.catalogue import assignment_of
from autograder.engine.runner import run_checks
from autograder.engine.student import LocalStudent


def check(function: str, namespace: dict | None = None) -> float:
    """Run the checks of ``function`` against the caller's definitions (the hidden ones too,
    where they are installed); return the points earned."""
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    assignment = assignment_of(function)
    if assignment is None:
        raise ValueError(f"no checks for {function!r}: check the spelling of the function name")

    def make_student(check: Check):
        return LocalStudent(check, namespace)

    hidden = hidden_checks_installed(assignment)
    results = run_checks(assignment, make_student, public_only=not hidden,
                         functions={function}).results
    public = [r for r in results if not r.hidden]
    for r in public:
        mark = "ok  " if r.passed else r.status.upper()
        print(f"{mark:<8}{r.id} ({r.max_score:g} pts)" + ("" if r.passed
                                                           else f"\n        {r.message}"))
    earned, total = sum(r.score for r in public), sum(r.max_score for r in public)
    print(f"{function}: {earned:g}/{total:g} points on the public checks"
          + ("" if earned == total or hidden
             else " (hidden checks may test more cases when graded)"))
    if hidden:
        secret = [r for r in results if r.hidden]
        print(f"hidden checks (installed here): {sum(r.score for r in secret):g}/"
              f"{sum(r.max_score for r in secret):g} points, "
              f"{sum(not r.passed for r in secret)} not passed")
    return float(sum(r.score for r in results))


def hidden_checks_installed(assignment: str) -> bool:
    """Are ``assignment``'s hidden checks here and readable (the instructor's copy)?"""
    folder = CHECKS / assignment / "hidden"
    return folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)
