"""The pytest plugin that runs checks: a ``student`` fixture, and one ``CheckResult`` per check.

``GradingPlugin(assignment, make_student)`` provides the ``student`` fixture (built by
``make_student(check)`` for each check) and records, for every check, one result: passed,
failed (an assertion: the student's code gave a wrong answer), error (student code raised, is
missing or crashed) or timeout. ``outcome`` is the rule that turns what a check raised into
a status and the message the student reads.
"""

from __future__ import annotations

from typing import Callable

import pytest

from autograder.engine import Check, showing_values
from autograder.outcomes import CheckResult, CheckTimeout, Status, StudentError, WorkerCrashed

TIMEOUTS_BEFORE_SKIP = 2  # after this many timeouts of a function, its other checks are not run
MESSAGE_CHARS = 2000  # a message is for reading; a student's (or a forged) longer one is cut


class GradingPlugin:
    def __init__(self, assignment: str, make_student: Callable[[Check], object] | None,
                 functions: set[str] | None = None) -> None:
        self.assignment = assignment
        self.make_student = make_student
        self.functions = functions  # only checks of these functions (the notebook self-check)
        self.results: list[CheckResult] = []
        self.collected: list[Check] = []
        self.timeouts: dict[str, int] = {}
        self.collection_errors: list[str] = []

    @pytest.fixture
    def student(self, request):
        student = self.make_student(request.node.check)
        yield student
        student.close()

    def pytest_collection_modifyitems(self, config, items):
        kept = []
        for item in items:
            marked: Check | None = getattr(getattr(item, "function", None), "check", None)
            if not isinstance(marked, Check):
                self.collection_errors.append(f"{item.nodeid}: a test without @check")
                continue
            if self.functions is not None and marked.function not in self.functions:
                continue
            suffix = f"[{item.callspec.id}]" if hasattr(item, "callspec") else ""
            item.check = Check(marked.id + suffix, marked.function, marked.points, marked.hint,
                               marked.hidden, marked.timeout, marked.needs)
            kept.append(item)
        # Group by function, public before hidden, so the table reads like the notebook.
        kept.sort(key=lambda item: (item.check.function, item.check.hidden))
        self.collected = [item.check for item in kept]
        items[:] = kept

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext[-500:]}")

    def pytest_runtest_setup(self, item):
        if self.timeouts.get(item.check.function, 0) >= TIMEOUTS_BEFORE_SKIP:
            raise _SkippedAfterTimeouts()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item):
        with showing_values(not item.check.hidden):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            self._record(item.check, call.excinfo)
        return report

    def _record(self, check: Check, excinfo) -> None:
        status, message = outcome(check, excinfo.value if excinfo else None)
        if status == "timeout":
            self.timeouts[check.function] = self.timeouts.get(check.function, 0) + 1
        self.results.append(CheckResult(
            assignment=self.assignment, id=check.id, function=check.function,
            score=check.points if status == "passed" else 0.0, max_score=check.points,
            status=status, hidden=check.hidden, message=message[:MESSAGE_CHARS],
            hint=check.hint))


class _SkippedAfterTimeouts(Exception):
    pass


def outcome(check: Check, error: BaseException | None) -> tuple[Status, str]:
    """(status, message) for a check that raised ``error`` (None: it passed)."""
    name = f"`{check.function}`"
    if error is None:
        return "passed", ""
    if isinstance(error, _SkippedAfterTimeouts):
        return "timeout", (f"not run: {name} ran out of time in {TIMEOUTS_BEFORE_SKIP} earlier "
                           "checks. Look for a loop that never ends.")
    if isinstance(error, CheckTimeout):
        return "timeout", (f"{name} did not finish within {check.timeout:g} s. Look for a loop "
                           "that never ends, or training far longer than the task needs.")
    if isinstance(error, WorkerCrashed):
        return "error", (f"{name} ended the grading process ({error}): do not call os._exit, "
                         "and keep memory use reasonable.")
    if isinstance(error, StudentError):
        if error.kind in ("missing", "name"):
            return "error", error.message
        if error.kind == "probe":
            return "failed", f"what {name} returned could not be inspected: {error}"
        if error.type_name == "NotImplementedError":
            return "error", f"{name} is not written yet (it raises NotImplementedError)."
        return "error", f"{name} raised {error}"
    if isinstance(error, AssertionError):
        # The check's own sentence; pytest's rewritten "assert x == y" part is not for students.
        text = str(error).split("\nassert ", 1)[0].strip()
        if not text or text.startswith("assert "):
            text = ""  # a bare assert: the hint, which feedback() adds, says what to do
        return "failed", text
    # A check met a value it did not foresee (the checks validate what they read, so this is
    # rare): say so about the student's value, without the library's words.
    return "failed", (f"{name} returned a value this check could not read "
                      f"({type(error).__name__}), so it cannot be graded: compare the type "
                      "and shape of what it returns with the docstring.")
