"""Gradescope: results.json as its autograder spec reads it.

``tests[]`` with name, score, max_score, status (passed/failed), output, visibility; hidden
checks are shown ``after_published`` so students see them with their released grade. An upload
that cannot be graded still gets a results.json (``unusable``). The zip that runs all this is
built by ``gradescope_zip``; what runs for each upload is ``gradescope_run``.
"""

from __future__ import annotations

import json
from pathlib import Path

from autograder import safe_write
from autograder.outcomes import CheckResult, GradeResult, feedback


def results(result: GradeResult, execution_time: float | None = None) -> dict:
    tests = []
    for number, c in enumerate(result.checks, start=1):
        output = feedback(c)
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


def unusable(reason: str, assignment: str | None = None,
             execution_time: float | None = None) -> dict:
    """results.json for an upload that cannot be graded: score 0 and the reason in
    ``output``; when the assignment is known, each of its checks listed at 0 with the reason,
    so the student sees what there was to earn (and Gradescope the right maximum)."""
    checks = []
    if assignment:
        from autograder.engine.catalogue import catalogue

        checks = [CheckResult(assignment, c.id, c.function, 0.0, c.points, "error", c.hidden,
                              reason, c.hint) for c in catalogue()[assignment]]
    return results(GradeResult(checks=checks, notes=[reason]), execution_time)


def write(result: GradeResult, path: Path, execution_time: float | None = None) -> None:
    write_document(results(result, execution_time), path)


def write_document(document: dict, path: Path) -> None:
    """Write results.json whole or not at all, never through a link (autograder.safe_write),
    so Gradescope never reads half a file."""
    safe_write.write_text(path, json.dumps(document, indent=2) + "\n")
