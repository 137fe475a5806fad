"""Check your work from inside the notebook, with the checks that grade it, the grader's way.

In a cell after an exercise::

    from autograder.selfcheck import check
    check("make_windows")

runs the public checks of that function and prints, for every point lost, what went wrong and
the check's hint. It gives the score ``python -m autograder grade --public-only`` gives for the
same code (engine/local.py): only the notebook's definitions run (imports, functions, classes,
constants of the cells this kernel has run, so a function that uses a variable of a dropped
cell fails here as it does in grading), the same conversion of returned values, the same call
cache and the same time limits. Outside IPython, where there is no cell history, it calls the
functions of the caller's globals instead, and says so.

Raises AssertionError when a check does not pass, so nbgrader, too, sees a failing test cell.

This module is imported by every notebook and by every check's sandbox (the notebook's own
import line is one of its definitions), so it imports the engine only when ``check`` runs.
"""

from __future__ import annotations

import inspect
import sys
import time


def check(function: str, namespace: dict | None = None) -> None:
    """Run the public checks of ``function`` on this kernel's code; print the outcome.

    ``namespace``: check the functions of this dict as they are (no definitions-only
    loading); by default the kernel's history, or the caller's globals outside IPython."""
    note = ""
    definitions = None
    if namespace is None:
        history = _kernel_history()
        if history is None:
            namespace = inspect.currentframe().f_back.f_globals
            note = ("outside IPython: checked the functions as defined in the caller's globals, "
                    "not the notebook's definitions only (as grading does)")
        else:
            from autograder.engine.local import kernel_definitions

            definitions = kernel_definitions(history)
            if function not in definitions.defined_names():
                note = (f"no cell run in this kernel so far defines `{function}`: run the cell "
                        "with its code first")
    started = time.monotonic()
    results = run(function, definitions, namespace)
    print(render(function, results, time.monotonic() - started, note))
    earned, total = _points(results)
    if earned < total:
        raise AssertionError(f"{function}: {earned:g}/{total:g} points on the public checks; "
                             "what went wrong is printed above")


def run(function: str, definitions=None, namespace: dict | None = None) -> list:
    """The public checks of ``function`` as CheckResults, run on ``definitions`` (a
    ``submission.Definitions``, loaded fresh for every check) or on ``namespace``'s functions.
    What ``check`` prints; a test compares it with grading, check for check."""
    from autograder.engine.catalogue import assignment_of
    from autograder.engine.runner import run_checks
    from autograder.engine.student import Loaded, LocalStudent
    from autograder.submission import Definitions

    assignment = assignment_of(function)
    if assignment is None:
        raise ValueError(f"no checks for {function!r}: check the spelling of the function name")
    loaded = Loaded(definitions if definitions is not None else Definitions())

    def make_student(check):
        return LocalStudent(check, loaded, namespace)

    return run_checks(assignment, make_student, public_only=True, functions={function}).results


def render(function: str, results: list, seconds: float | None = None, note: str = "") -> str:
    """What ``check`` prints: one short line per passing check; for every other check its
    status, points, what went wrong and the hint (outcomes.feedback), whole; then the total."""
    from autograder.outcomes import feedback
    from autograder.report import wrap

    lines = []
    for r in results:
        mark = "ok" if r.passed else r.status.upper()
        unit = "pt" if r.max_score == 1 else "pts"
        points = f"{r.max_score:g} {unit}" if r.passed else f"0/{r.max_score:g} {unit}"
        lines.append(f"{mark:<8}{r.id} ({points})")
        if not r.passed:
            lines += wrap(feedback(r), indent=8)
    earned, total = _points(results)
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    lines.append(f"{function}: {earned:g}/{total:g} points on the public checks{took}"
                 + ("" if earned == total else
                    " (hidden checks may test more cases when graded)"))
    if note:
        lines.append(f"note: {note}")
    return "\n".join(lines)


def _points(results) -> tuple[float, float]:
    return sum(r.score for r in results), sum(r.max_score for r in results)


def _kernel_history() -> list[str] | None:
    """The cells this IPython kernel has run (``In``), or None outside IPython."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is None:
        return None
    history = shell.user_ns.get("In")
    return list(history) if isinstance(history, list) else None
