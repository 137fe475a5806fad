"""Run one assignment's checks with pytest and turn each outcome into a graded result.

``run_checks(assignment, make_student)`` runs pytest on that assignment's check folder with
this plugin, which provides the ``student`` fixture (built by ``make_student(check)``) and
records, for every check, one ``CheckResult``: passed, failed (an assertion: the student's code
gave a wrong answer), error (student code raised, is missing or crashed) or timeout.
"""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import pytest

from autograder import quiet
from autograder.checks import CHECKS_ROOT, Check
from autograder.sandbox.client import CheckTimeout, StudentError, WorkerCrashed

TIMEOUTS_BEFORE_SKIP = 2  # after this many timeouts of a function, its other checks are not run
MESSAGE_CHARS = 2000  # a message is for reading; a student's (or a forged) longer one is cut


@dataclass
class CheckResult:
    """One line of the report; the fields of GRADER.md's result JSON, plus the hint."""

    assignment: str
    id: str
    function: str
    score: float
    max_score: float
    status: str  # passed | failed | error | timeout
    hidden: bool
    message: str
    hint: str

    def to_json(self) -> dict:
        return asdict(self)


class GradingPlugin:
    def __init__(self, assignment: str, make_student: Callable[[Check], object],
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
        grading: Check = request.node.grading_check
        student = self.make_student(grading)
        yield student
        student.close()

    def pytest_collection_modifyitems(self, config, items):
        kept = []
        for item in items:
            base = getattr(getattr(item, "function", None), "grading", None)
            if base is None:
                self.collection_errors.append(f"{item.nodeid}: a test without @check")
                continue
            if self.functions is not None and base.function not in self.functions:
                continue
            suffix = f"[{item.callspec.id}]" if hasattr(item, "callspec") else ""
            item.grading_check = Check(base.id + suffix, base.function, base.points, base.hint,
                                       base.hidden, base.timeout, base.needs)
            kept.append(item)
        # Group by function, public before hidden, so the table reads like the notebook.
        kept.sort(key=lambda item: (item.grading_check.function, item.grading_check.hidden))
        self.collected = [item.grading_check for item in kept]
        items[:] = kept

    def pytest_collectreport(self, report):
        if report.failed:
            self.collection_errors.append(f"{report.nodeid}: {report.longreprtext[-500:]}")

    def pytest_runtest_setup(self, item):
        grading: Check = item.grading_check
        if self.timeouts.get(grading.function, 0) >= TIMEOUTS_BEFORE_SKIP:
            raise _SkippedAfterTimeouts()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if call.when == "call" or (call.when == "setup" and call.excinfo is not None):
            self._record(item.grading_check, call.excinfo)
        return report

    def _record(self, grading: Check, excinfo) -> None:
        status, message = outcome(grading, excinfo.value if excinfo else None)
        if status == "timeout":
            self.timeouts[grading.function] = self.timeouts.get(grading.function, 0) + 1
        self.results.append(CheckResult(
            assignment=self.assignment, id=grading.id, function=grading.function,
            score=grading.points if status == "passed" else 0.0, max_score=grading.points,
            status=status, hidden=grading.hidden, message=message[:MESSAGE_CHARS],
            hint=grading.hint))


class _SkippedAfterTimeouts(Exception):
    pass


def outcome(grading: Check, error: BaseException | None) -> tuple[str, str]:
    """(status, message) for a check that raised ``error`` (None: it passed)."""
    name = f"`{grading.function}`"
    if error is None:
        return "passed", ""
    if isinstance(error, _SkippedAfterTimeouts):
        return "timeout", (f"not run: {name} ran out of time in {TIMEOUTS_BEFORE_SKIP} earlier "
                           "checks. Look for a loop that never ends.")
    if isinstance(error, CheckTimeout):
        return "timeout", (f"{name} did not finish within {grading.timeout:g} s. Look for a loop "
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
        text = _check_message_first(str(error).split("\nassert ", 1)[0].strip())
        if not text or text.startswith("assert "):
            text = grading.hint
        return "failed", text[:500]
    return "failed", (f"{name} returned something the check could not use "
                      f"({type(error).__name__}: {str(error)[:300]}).")


def _check_message_first(text: str) -> str:
    """numpy.testing puts its own header before the check's err_msg; students should read
    the check's sentence first, then the numbers."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if not lines or not lines[0].startswith(("Not equal to tolerance", "Arrays are not")):
        return text
    said = [ln for ln in lines[1:] if not ln.startswith(
        ("Mismatch", "Max ", "ACTUAL", "DESIRED", "x:", "y:", "(shapes", "[", "+", "-"))]
    detail = [ln for ln in lines if ln.startswith(("Mismatched elements", "ACTUAL", "DESIRED",
                                                   "x:", "y:", "(shapes"))]
    return "; ".join((said or lines[:1]) + detail)


def run_checks(assignment: str, make_student: Callable[[Check], object] | None, *,
               public_only: bool = False, functions: set[str] | None = None,
               collect_only: bool = False) -> tuple[list, list[str]]:
    """Run the checks of ``assignment``; return (results in check order, collection errors).
    With ``collect_only``, run nothing and return the checks themselves instead."""
    folder = CHECKS_ROOT / assignment
    if not folder.is_dir():
        return [], [f"no checks for assignment {assignment}"]
    plugin = GradingPlugin(assignment, make_student, functions)
    arguments = [
        str(folder), "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:stepwise",
        "--import-mode=importlib", "-c", str(CHECKS_ROOT / "pytest.ini"),
        "--rootdir", str(CHECKS_ROOT), "-W", "ignore", "--capture=sys",
    ]
    hidden = folder / "hidden"
    if public_only and hidden.exists():
        arguments += ["--ignore", str(hidden)]
    if collect_only:
        arguments.append("--collect-only")
    # pytest and the checks print nothing the report needs; keep the grader's output clean
    # (checks that build Keras layers import TensorFlow here, which writes to fd 2).
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()), \
            quiet.stderr_to_devnull(), tempfile.TemporaryDirectory(prefix="autograder-") as temp:
        pytest.main(arguments + ["--basetemp", os.path.join(temp, "pytest")], plugins=[plugin])
    if collect_only:
        return plugin.collected, plugin.collection_errors
    return apply_needs(plugin.results, plugin.collected), plugin.collection_errors


def apply_needs(results: list[CheckResult], checks: list[Check]) -> list[CheckResult]:
    """A passed check whose ``needs`` did not pass scores nothing: raising ValueError for
    every input is not an answer. Its message says which check to make pass first."""
    passed = {r.id for r in results if r.status == "passed"}
    needs = {c.id: c.needs for c in checks if c.needs}
    for r in results:
        needed = needs.get(r.id)
        if r.status == "passed" and needed and needed not in passed:
            r.status, r.score = "failed", 0.0
            r.message = (f"error handling earns its points once `{needed}` passes: a function "
                         "that raises ValueError for every input has not done the work yet")
    return results
