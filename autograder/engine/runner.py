"""Collect or run one assignment's checks with pytest, and apply ``needs``.

``collect_checks(assignment)`` lists the checks without running any; ``run_checks(assignment,
make_student)`` runs them and returns one ``CheckResult`` per check, in check order. pytest
runs in-process with the engine's own settings (engine/pytest.ini), never a submission's:
a ``conftest.py`` or ``pytest.ini`` in a student's folder is not in the checks' folder.
"""

from __future__ import annotations

import io
import os
import tempfile
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pytest

from autograder import quiet
from autograder.course import CHECKS
from autograder.engine import Check
from autograder.engine.plugin import GradingPlugin
from autograder.outcomes import CheckResult

SETTINGS = Path(__file__).with_name("pytest.ini")


class CollectionError(RuntimeError):
    """A check file could not be collected: the instructor's problem, never hidden."""


@dataclass
class Run:
    """What running one assignment's checks gave."""

    results: list[CheckResult] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)


def collect_checks(assignment: str, *, public_only: bool = False,
                   functions: set[str] | None = None) -> list[Check]:
    """The checks of ``assignment`` in report order, without running any."""
    plugin = _pytest(assignment, None, public_only, functions, ["--collect-only"])
    return plugin.collected


def run_checks(assignment: str, make_student: Callable[[Check], object], *,
               public_only: bool = False, functions: set[str] | None = None) -> Run:
    """Run the checks of ``assignment`` (only those of ``functions`` when given), each with a
    ``student`` made by ``make_student(check)``; results in check order, ``needs`` applied."""
    plugin = _pytest(assignment, make_student, public_only, functions, [])
    return Run(apply_needs(plugin.results, plugin.collected), plugin.collected)


def _pytest(assignment: str, make_student, public_only: bool, functions: set[str] | None,
            extra: list[str]) -> GradingPlugin:
    folder = CHECKS / assignment
    if not folder.is_dir():
        raise CollectionError(f"no checks for assignment {assignment}")
    plugin = GradingPlugin(assignment, make_student, functions)
    arguments = [
        # unraisableexception: its gc.collect() at exit takes half a second once TensorFlow
        # is loaded, on every run (each check() in a notebook); the grade needs nothing of it.
        str(folder), "-p", "no:cacheprovider", "-p", "no:terminal", "-p", "no:stepwise",
        "-p", "no:unraisableexception",
        "--import-mode=importlib", "-c", str(SETTINGS), "--rootdir", str(CHECKS),
        "-W", "ignore", "--capture=sys", *extra,
    ]
    hidden = folder / "hidden"
    if public_only and hidden.exists():
        arguments += ["--ignore", str(hidden)]
    # pytest and the checks print nothing the report needs; keep the grader's output clean
    # (checks that build Keras layers import TensorFlow here, which writes to fd 2).
    with redirect_stdout(io.StringIO()), redirect_stderr(io.StringIO()), \
            quiet.stderr_to_devnull(), tempfile.TemporaryDirectory(prefix="autograder-") as temp:
        pytest.main(arguments + ["--basetemp", os.path.join(temp, "pytest")], plugins=[plugin])
    if plugin.collection_errors:
        raise CollectionError(f"checks of {assignment} could not be collected:\n"
                              + "\n".join(plugin.collection_errors))
    return plugin


def apply_needs(results: list[CheckResult], checks: list[Check]) -> list[CheckResult]:
    """A passed check whose ``needs`` did not pass scores nothing: raising ValueError for
    every input is not an answer. A check of error handling needs the check that its function
    returns a well-formed value for a valid input (not a correct one: one mistake in the
    numbers must not cost the error handling too). Its message says which check that is."""
    passed = {r.id for r in results if r.passed}
    needs = {c.id: c.needs for c in checks if c.needs}
    for r in results:
        needed = needs.get(r.id)
        if r.passed and needed and needed not in passed:
            r.status, r.score = "failed", 0.0
            r.message = (f"`{r.function}` rejects the invalid input as it should; this earns "
                         f"its points once `{r.function}` also returns a well-formed value for "
                         f"a valid input (see the check {needed})")
    return results
