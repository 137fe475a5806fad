"""The grading engine: what a check is, and how checks run against a submission.

A check is a pytest test in ``autograder/checks/<assignment>/`` that takes the ``student``
fixture and is decorated with ``@check``, which holds everything a report needs about it, in
one place: its id, points, hint and time limit. Visibility is where the file lies: under
``hidden/`` a check is hidden, and the student bundle leaves that folder out.

    @check("make_windows.shape", points=2, hint="One window per row after the first `length`.")
    def test_shape(student):
        X, y = student.make_windows(features, targets, 3)
        assert X.shape == (3, 3, 2), f"X.shape should be (3, 3, 2), got {X.shape}"

The modules, in the order a grading run uses them:

- ``catalogue``: every check, collected without running any (points, visibility, hints);
- ``runner``: ``collect_checks`` and ``run_checks`` (pytest with the plugin below), ``needs``;
- ``plugin``: the pytest plugin that provides ``student`` and records a ``CheckResult`` each;
- ``student``: what ``student`` is: the sandbox's functions, or the notebook kernel's.

The assertion message of a check is what the student reads: say what was expected, what came,
and where to look (``autograder.expected.assertions`` writes such sentences). A hidden check's
message names the kind of case and the mistake, never the case's values (its data, the
expected numbers): feedback must not be replayable into a hard-coded answer. While a hidden
check runs, ``values_shown()`` is False and the shared assertions leave the values out.
"""

from __future__ import annotations

import contextlib
import contextvars
import inspect
from dataclasses import dataclass
from pathlib import Path

from autograder.course import CHECKS

DEFAULT_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class Check:
    """What the grader knows about a check before running it."""

    id: str  # "<function>.<what it checks>", unique within its assignment
    function: str  # the graded function of docs/course.md it is about
    points: float
    hint: str  # one line that teaches; shown when the check does not pass
    hidden: bool
    timeout: float  # seconds of student code this check may use in all
    needs: str = ""  # a check of the same function that must pass for this one to count


def check(id: str, *, points: float, hint: str, timeout: float = DEFAULT_TIMEOUT_SECONDS,
          needs: str = ""):
    """Mark a pytest test as a graded check (see the module docstring).

    ``needs="f.returns_..."``: this check's points count only once that check passes. For
    checks of error handling ("raises ValueError for length 0"), which a function that raises
    ValueError for everything would pass without doing any work. Name the check that ``f``
    returns a well-formed value for a valid input, not one of its correctness: a wrong number
    must not cost the error handling too (tests/test_needs.py holds every ``needs`` to that).
    """
    function = id.split(".", 1)[0]
    if "." not in id or not hint.strip() or points <= 0:
        raise ValueError(f"check {id!r}: needs an id 'function.what', positive points and a hint")
    if needs and needs.split(".", 1)[0] != function:
        raise ValueError(f"check {id!r} can only need a check of {function}, not {needs!r}")

    def mark(test):
        hidden = "hidden" in Path(inspect.getfile(test)).resolve().relative_to(CHECKS).parts
        test.check = Check(id, function, float(points), hint.strip(), hidden, float(timeout),
                           needs)
        return test

    return mark


_VALUES_SHOWN = contextvars.ContextVar("values_shown", default=True)


def values_shown() -> bool:
    """Whether a message may show the case's values: True, except while a hidden check runs."""
    return _VALUES_SHOWN.get()


@contextlib.contextmanager
def showing_values(shown: bool):
    """Run a check with its messages showing (or not) the values of its case."""
    token = _VALUES_SHOWN.set(shown)
    try:
        yield
    finally:
        _VALUES_SHOWN.reset(token)
