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

Where the hidden checks are installed (the instructor's copy) it runs them too, and prints
only how many of them passed: their messages are for the instructor's report.

The cell's value is the points earned, a number: nbgrader's autograde takes a test cell's
numeric value as its partial credit (its cell is worth every check of the function, see
autograder/release.py), so nbgrader scores each function as the grader does. A failing check
therefore does not raise: an error would give the cell no points at all.

This module is imported by every notebook and by every check's sandbox (the notebook's own
import line is one of its definitions), so it imports the engine only when ``check`` runs.
"""

from __future__ import annotations

import inspect
import os
import sys


def check(function: str, namespace: dict | None = None) -> float:
    """Run the checks of ``function`` on this kernel's code, print the outcome and return the
    points earned (public checks, and hidden ones where installed).

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
    results = run(function, definitions, namespace, hidden=None)
    print(render(function, results, note))
    return float(sum(r.score for r in results))


def run(function: str, definitions=None, namespace: dict | None = None, *,
        hidden: bool | None = False) -> list:
    """The checks of ``function`` as CheckResults, run on ``definitions`` (a
    ``submission.Definitions``, loaded fresh for every check) or on ``namespace``'s functions.
    ``hidden``: also the hidden checks (None: where they are installed). What ``check``
    prints; a test compares it with grading, check for check."""
    from autograder.engine.catalogue import assignment_of
    from autograder.engine.runner import run_checks
    from autograder.engine.student import Loaded, LocalStudent
    from autograder.submission import Definitions

    assignment = assignment_of(function)
    if assignment is None:
        raise ValueError(f"no checks for {function!r}: check the spelling of the function name")
    if hidden is None:
        hidden = hidden_checks_installed(assignment)
    loaded = Loaded(definitions if definitions is not None else Definitions())

    def make_student(check):
        return LocalStudent(check, loaded, namespace)

    return run_checks(assignment, make_student, public_only=not hidden,
                      functions={function}).results


def hidden_checks_installed(assignment: str) -> bool:
    """Are ``assignment``'s hidden checks here and readable (the instructor's copy)?"""
    from autograder.course import CHECKS

    folder = CHECKS / assignment / "hidden"
    return folder.is_dir() and os.access(folder, os.R_OK | os.X_OK)


def render(function: str, results: list, note: str = "") -> str:
    """What ``check`` prints: one short line per passing public check; for every other its
    status, points, what went wrong and the hint (outcomes.feedback), whole; then the total.
    Hidden checks (instructor's copy) are counted, not spelled out. No timing: the same code
    prints the same text in every kernel (the notebooks' determinism test compares it)."""
    from autograder.outcomes import feedback
    from autograder.report import wrap

    public = [r for r in results if not r.hidden]
    hidden = [r for r in results if r.hidden]
    lines = []
    for r in public:
        mark = "ok" if r.passed else r.status.upper()
        unit = "pt" if r.max_score == 1 else "pts"
        points = f"{r.max_score:g} {unit}" if r.passed else f"0/{r.max_score:g} {unit}"
        lines.append(f"{mark:<8}{r.id} ({points})")
        if not r.passed:
            lines += wrap(feedback(r), indent=8)
    earned, total = _points(public)
    lines.append(f"{function}: {earned:g}/{total:g} points on the public checks"
                 + ("" if earned == total or hidden else
                    " (hidden checks may test more cases when graded)"))
    if hidden:
        secret_earned, secret_total = _points(hidden)
        lines.append(f"hidden checks (installed here): {secret_earned:g}/{secret_total:g} "
                     f"points, {sum(not r.passed for r in hidden)} not passed")
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
