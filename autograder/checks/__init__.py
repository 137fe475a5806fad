"""Graded checks: pytest tests, one folder per assignment, named like the assignment folder.

    autograder/checks/01_sequence_data/test_make_windows.py          public checks
    autograder/checks/01_sequence_data/hidden/test_make_windows.py   hidden checks

A check is a test function taking the ``student`` fixture and decorated with ``@check``, which
holds everything a report needs about it, in one place: its id, points, hint and time limit.
Visibility is where the file lies: under ``hidden/`` a check is hidden, and the student bundle
leaves that folder out. ``python -m autograder checks`` lists them all.

    @check("make_windows.shape", points=2, hint="One window per row after the first `length`.")
    def test_shape(student):
        X, y = student.make_windows(features, targets, 3)
        assert X.shape == (3, 3, 2), f"X.shape should be (3, 3, 2), got {X.shape}"

The ``student`` fixture calls the submission's functions in the sandbox (see
``autograder.checks.student``); the assertion message is what the student reads, so say what was
expected, what came, and where to look.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from pathlib import Path

CHECKS_ROOT = Path(__file__).resolve().parent
DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Check:
    """What the grader knows about a check before running it."""

    id: str  # "<function>.<what it checks>", unique within its assignment
    function: str  # the graded function of COURSE.md it is about
    points: float
    hint: str  # one line that teaches; shown when the check does not pass
    hidden: bool
    timeout: float  # seconds of student code this check may use in all
    needs: str = ""  # a public check of the same function that must pass for this one to count


def check(id: str, *, points: float, hint: str, timeout: float = DEFAULT_TIMEOUT_SECONDS,
          needs: str = ""):
    """Mark a pytest test as a graded check (see the module docstring).

    ``needs="f.other"``: this check's points count only once that check passes. For checks of
    error handling ("raises ValueError for length 0"), which a function that raises
    ValueError for everything would pass without doing any work.
    """
    function = id.split(".", 1)[0]
    if "." not in id or not hint.strip() or points <= 0:
        raise ValueError(f"check {id!r}: needs an id 'function.what', positive points and a hint")
    if needs and needs.split(".", 1)[0] != function:
        raise ValueError(f"check {id!r} can only need a check of {function}, not {needs!r}")

    def mark(test):
        hidden = "hidden" in Path(inspect.getfile(test)).resolve().relative_to(CHECKS_ROOT).parts
        test.grading = Check(id, function, float(points), hint.strip(), hidden, float(timeout),
                             needs)
        return test

    return mark


def assignment_folders() -> list[Path]:
    """Folders of checks, one per assignment id (``01_sequence_data``...), in order."""
    return sorted(p for p in CHECKS_ROOT.iterdir() if p.is_dir() and p.name[:2].isdigit())
