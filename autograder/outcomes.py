"""What can happen to a check, and what a grading run hands to every report.

The types every layer shares (the sandbox raises these errors, the engine records the results,
reports and integrations read them), so none of them has to import another layer for a type:

- ``StudentError``, ``CheckTimeout``, ``WorkerCrashed``: student code raised (or a graded function
  is missing), ran out of time, or ended the process running it.
- ``CheckResult``: one check's line of the report; ``GradeResult``: a whole submission.
- ``Status``: passed | failed | error | timeout (docs/grader.md).
- ``feedback``: the one rule for what a student reads about a check.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal, get_args

Status = Literal["passed", "failed", "error", "timeout"]
STATUSES: tuple[str, ...] = get_args(Status)

# Why a call into student code did not return a value (StudentError.kind).
ErrorKind = Literal[
    "raised",  # student code raised an exception
    "missing",  # the graded function is not defined (or could not be)
    "name",  # student code needs a global that grading does not run
    "probe",  # a trusted probe could not describe what student code returned
    "unsendable",  # the returned value cannot be turned into data
]


class StudentError(Exception):
    """Student code raised, or a graded function is missing. ``kind`` says which."""

    def __init__(self, kind: ErrorKind, type_name: str, message: str, where: str) -> None:
        self.kind, self.type_name, self.message, self.where = kind, type_name, message, where
        text = f"{type_name}: {message}" if type_name else message
        super().__init__(f"{text} ({where})" if where else text)


class CheckTimeout(Exception):
    """The check's time ran out while student code was running."""


class WorkerCrashed(Exception):
    """The process running student code ended while it ran (os._exit, a segfault)."""


@dataclass
class CheckResult:
    """One line of the report: the fields of the result JSON (docs/grader.md), plus the hint."""

    assignment: str
    id: str
    function: str
    score: float
    max_score: float
    status: Status
    hidden: bool
    message: str
    hint: str

    @property
    def passed(self) -> bool:
        return self.status == "passed"

    def to_json(self) -> dict:
        return asdict(self)


def feedback(result: CheckResult) -> str:
    """What a student reads about a check, the one rule every report follows (the table, the
    GitHub step summary, the notebook's check()): nothing when it passed; otherwise what the
    check said went wrong, then its hint, both whole. Lines are separated by newlines; a
    report wraps them, never cuts them."""
    if result.passed:
        return ""
    message, hint = result.message.strip(), result.hint.strip()
    if not message or message == hint:
        return f"Hint: {hint}" if hint else ""
    return f"{message}\nHint: {hint}" if hint else message


@dataclass
class GradeResult:
    """A graded submission: every check's result, and notes about the submission as a whole."""

    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(c.score for c in self.checks), 6)

    @property
    def max_score(self) -> float:
        return round(sum(c.max_score for c in self.checks), 6)

    def to_json(self) -> dict:
        return {"score": self.score, "max_score": self.max_score,
                "checks": [c.to_json() for c in self.checks], "notes": self.notes}
