"""Every check of every assignment, without running any: the readable view of the metadata.

Reports, workflow files and the tests all read points, visibility and hints from here, so they
are written once, in the ``@check`` decorators.
"""

from __future__ import annotations

from functools import lru_cache

from autograder.checks import Check, assignment_folders
from autograder.checks.plugin import run_checks


@lru_cache(maxsize=None)
def _collect(assignment: str) -> tuple[Check, ...]:
    checks, errors = run_checks(assignment, None, collect_only=True)
    if errors:
        raise RuntimeError(f"checks of {assignment} could not be collected:\n" + "\n".join(errors))
    return tuple(checks)


def catalogue(public_only: bool = False) -> dict[str, list[Check]]:
    """{assignment id: its checks in order}."""
    return {folder.name: [c for c in _collect(folder.name) if not (public_only and c.hidden)]
            for folder in assignment_folders()}


def functions_of(assignment: str) -> list[str]:
    """The graded functions of an assignment, in the order their checks appear."""
    return list(dict.fromkeys(c.function for c in _collect(assignment)))
