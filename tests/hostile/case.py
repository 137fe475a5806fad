"""One entry of the hostile corpus: how to build the submission and what grading it must give."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

EVERY_FUNCTION = "*"  # in ``loses``: every graded function of the assignment


@dataclass
class Outcome:
    """What grading one case gave, for the case's own extra assertions."""

    result: dict  # the result JSON (docs/grader.md), from the file (command line) or GradeResult
    root: Path  # the submission that was graded
    elapsed: float  # seconds of wall time the grading took
    stdout: bytes = b""  # what the command line printed (API: the table it would print)
    stderr: bytes = b""  # command line only
    json_path: Path | None = None
    peak_rss_bytes: int = 0  # API only: the grader process's peak memory during grading

    def checks_of(self, *functions: str) -> list[dict]:
        return [c for c in self.result["checks"] if c["function"] in functions]


@dataclass(frozen=True)
class Case:
    """A submission that attacks or breaks the grader, with the score it must get and why.

    Expected score of each check: the honest ``base`` notebook's score on it (graded once per
    session: the reference's is full marks, the stub's zero), except the checks of ``loses``
    and of the functions that call them by contract (prepare_data calls make_windows), which
    score 0. An attack that aims at points it did not earn (``gains``) must also score no
    more than the stub.
    """

    name: str
    why: str  # one line: why that is the score it must get
    build: Callable[[Path], Path]  # write the submission into an empty folder, return it
    base: str = "reference"  # "reference" or "stub": the honest notebook it starts from
    loses: tuple[str, ...] = ()  # functions whose checks score 0 (EVERY_FUNCTION: all)
    status: str | None = None  # the status every check of ``loses`` must have
    says: str | None = None  # words every check of ``loses`` must have in its message
    gains: bool = False  # the attack aims at points: score <= the stub's
    cli: bool = False  # graded by ``python -m autograder grade --json`` in a subprocess
    functions: tuple[str, ...] | None = None  # API only: grade just these functions' checks
    cap: float | None = None  # API only: seconds for the checks of ``loses`` instead of their
    #                           30 s: the mechanism is the same, the wait is not
    slow: bool = False
    needs: tuple[str, ...] = ()  # fences it needs (keys of autograder.sandbox.isolation.FENCES):
    #                             skipped where this machine cannot build them
    verify: Callable[[Outcome], None] | None = None  # extra assertions on the outcome
    budget: float | None = None  # API only: the submission's time budget (grade's budget_seconds)
    also: tuple[str, ...] = ()  # other assignments of the submission, graded too: as stubs,
    #                             every one of their checks must score 0
    environment: dict[str, str] | None = None  # command line only: added to the grader's
    outputs: Callable[[Path], dict[str, Path]] | None = None  # command line only: the result
    #   options and their paths, made in a folder anyone may write (default: --json result.json)
    exit_status: int = 0  # command line only: 2 for a usage error, whose result has no checks
    gap: str | None = None  # a known weakness not fixed yet: the case fails until it is

    def __str__(self) -> str:
        return self.name
