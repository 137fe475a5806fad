"""Gradescope: results.json as its autograder spec reads it.

``tests[]`` with name, score, max_score, status (passed/failed), output, visibility; hidden
checks are shown ``after_published`` so students see them with their released grade.
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder import safe_write
from autograder.outcomes import GradeResult


def results(result: GradeResult, execution_time: float | None = None) -> dict:
    tests = []
    for number, c in enumerate(result.checks, start=1):
        output = "" if c.passed else f"{c.message}\nHint: {c.hint}".strip()
        tests.append({"name": f"{c.assignment}: {c.id}", "number": str(number),
                      "score": c.score, "max_score": c.max_score,
                      "status": "passed" if c.passed else "failed",
                      "output": output, "output_format": "text",
                      "tags": [c.assignment, c.function, c.status],
                      "visibility": "after_published" if c.hidden else "visible"})
    document = {"score": result.score, "tests": tests, "visibility": "visible",
                "stdout_visibility": "hidden",
                "output": "\n".join(result.notes)}
    if execution_time is not None:
        document["execution_time"] = round(execution_time, 1)
    return document


def write(result: GradeResult, path: Path, execution_time: float | None = None) -> None:
    """Write results.json atomically and never through a link (autograder.safe_write)."""
    safe_write.write_text(path, json.dumps(results(result, execution_time), indent=2) + "\n")
