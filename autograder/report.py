"""Show a GradeResult: the score table people read and the result JSON tools read."""

from __future__ import annotations

import json
import shutil
import textwrap
from itertools import groupby
from pathlib import Path

from autograder import safe_write
from autograder.outcomes import CheckResult, GradeResult, feedback

_STATUS_MARK = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}
DETAILS = ("quiet", "normal", "verbose")
DEFAULT_WIDTH = 100  # when the output is not a terminal (a log, a pipe)


def table(result: GradeResult, width: int | None = None, detail: str = "normal") -> str:
    """The score table: per assignment and graded function a subtotal, one short line per
    check, and under every check that lost points what went wrong and its hint
    (outcomes.feedback), wrapped to ``width`` (the terminal's by default), never cut.

    ``detail``: "quiet" leaves out the feedback lines, "verbose" also prints the hint of
    checks that passed."""
    if detail not in DETAILS:
        raise ValueError(f"detail must be one of {DETAILS}, got {detail!r}")
    width = width or shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    width = max(60, width)
    names = [c.id + (" (hidden)" if c.hidden else "") for c in result.checks]
    id_width = min(max((len(n) for n in names), default=10), width // 2)
    points = [f"{c.score:g}/{c.max_score:g}" for c in result.checks]
    point_width = max((len(p) for p in points), default=5)
    lines = []
    rows = iter(zip(result.checks, names, points))
    for assignment, in_assignment in groupby(rows, key=lambda row: row[0].assignment):
        in_assignment = list(in_assignment)
        lines.append(f"{assignment}  {_subtotal([row[0] for row in in_assignment])}")
        for function, in_function in groupby(in_assignment, key=lambda row: row[0].function):
            in_function = list(in_function)
            lines.append(f"  {function}  {_subtotal([row[0] for row in in_function])}")
            for check, name, score in in_function:
                mark = _STATUS_MARK[check.status]
                lines.append(f"    {mark:<8}{name:<{id_width}}  {score:>{point_width}}")
                text = _details(check, detail)
                if text:
                    lines += wrap(text, indent=12, width=width)
        lines.append("")
    for note in result.notes:
        lines += wrap(f"note: {note}", indent=0, width=width, hanging=6)
    lines.append(f"TOTAL {result.score:g} / {result.max_score:g}")
    return "\n".join(lines)


def _details(check: CheckResult, detail: str) -> str:
    if detail == "quiet":
        return ""
    if check.passed:
        return f"Hint: {check.hint}" if detail == "verbose" else ""
    return feedback(check)


def _subtotal(checks: list[CheckResult]) -> str:
    return f"{sum(c.score for c in checks):g}/{sum(c.max_score for c in checks):g}"


def wrap(text: str, indent: int = 0, width: int | None = None, hanging: int = 0) -> list[str]:
    """``text`` as printable lines of at most ``width`` characters (the terminal's by default),
    each indented by ``indent`` spaces (continuation lines by ``hanging`` more); every word
    kept. Newlines in ``text`` start new paragraphs; control characters become spaces, so a
    message cannot move the cursor and draw over the table."""
    width = width or shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    room = max(20, width - indent)
    lines = []
    for paragraph in _printable(text).split("\n"):
        words = " ".join(paragraph.split())
        if not words:
            continue
        lines += [" " * indent + line for line in textwrap.wrap(
            words, room, subsequent_indent=" " * hanging, break_on_hyphens=False)]
    return lines


def _printable(text: str) -> str:
    """Student text without control characters (newlines kept, to be wrapped)."""
    return "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)


def write_json(result: GradeResult, path: Path) -> None:
    """Write atomically and never through a link (safe_write), so a reader never sees half a
    file; UnsafeTarget when ``path`` is not a regular file."""
    safe_write.write_text(path, json.dumps(result.to_json(), indent=2) + "\n")
