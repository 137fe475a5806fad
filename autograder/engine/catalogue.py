"""Every check of every assignment, without running any: the readable view of the metadata.

Reports, workflow files, release and the tests all read points, visibility and hints from
here, so they are written once, in the ``@check`` decorators.
"""

from __future__ import annotations

from functools import lru_cache

from autograder.course import CHECKS, known_assignments
from autograder.engine import Check
from autograder.engine.runner import collect_checks


@lru_cache(maxsize=None)
def _collect(assignment: str) -> tuple[Check, ...]:
    return tuple(collect_checks(assignment))


def catalogue(public_only: bool = False) -> dict[str, list[Check]]:
    """{assignment id: its checks in order}."""
    return {assignment: [c for c in _collect(assignment) if not (public_only and c.hidden)]
            for assignment in known_assignments()}


def functions_of(assignment: str) -> list[str]:
    """The graded functions of an assignment, in the order their checks appear."""
    return list(dict.fromkeys(c.function for c in _collect(assignment)))


def assignment_of(function: str) -> str | None:
    """The assignment whose checks grade ``function`` (None: no check grades it). Only the
    assignments whose check files name ``function`` are collected: the notebook's first
    check() should not pay for collecting all four."""
    likely = [a for a in known_assignments() if _mentions(a, function)]
    others = [a for a in known_assignments() if a not in likely]
    return next((a for a in likely + others if function in functions_of(a)), None)


def _mentions(assignment: str, function: str) -> bool:
    needle = f'"{function}.'  # as in @check("function.what", ...)
    return any(needle in path.read_text(encoding="utf-8", errors="replace")
               for path in (CHECKS / assignment).rglob("test_*.py"))
