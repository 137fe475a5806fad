"""Check your work from inside the notebook, with the checks that grade it.

In a cell after an exercise::

    from autograder.selfcheck import check
    check("make_windows")

runs the public checks of that function on the function you just defined (in this kernel, so
run its cell first) and prints the same hints the grader gives. Raises AssertionError when a
check does not pass, so nbgrader, too, sees a failing test cell.
"""

from __future__ import annotations

import inspect

from autograder.engine import Check
from autograder.engine.catalogue import assignment_of
from autograder.engine.runner import run_checks
from autograder.engine.student import LocalStudent


def check(function: str, namespace: dict | None = None) -> None:
    """Run the public checks of ``function`` against the caller's definitions."""
    if namespace is None:
        namespace = inspect.currentframe().f_back.f_globals
    assignment = assignment_of(function)
    if assignment is None:
        raise ValueError(f"no checks for {function!r}: check the spelling of the function name")

    def make_student(check: Check):
        return LocalStudent(check, namespace)

    results = run_checks(assignment, make_student, public_only=True,
                         functions={function}).results
    earned = sum(r.score for r in results)
    total = sum(r.max_score for r in results)
    for r in results:
        mark = "ok  " if r.passed else r.status.upper()
        print(f"{mark:<8}{r.id} ({r.max_score:g} pts)" + ("" if r.passed
                                                           else f"\n        {r.message}"))
    print(f"{function}: {earned:g}/{total:g} points on the public checks"
          + ("" if earned == total else " (hidden checks may test more cases when graded)"))
    if earned < total:
        raise AssertionError(f"{function}: {earned:g}/{total:g}; read the hints above")
