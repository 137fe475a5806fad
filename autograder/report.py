"""Show a GradeResult: the score table people read and the result JSON tools read."""

from __future__ import annotations

import json
from pathlib import Path

from autograder import safe_write
from autograder.outcomes import GradeResult, feedback

_STATUS_MARK = {"passed": "ok", "failed": "FAIL", "error": "ERROR", "timeout": "TIMEOUT"}


def table(result: GradeResult, width: int = 110) -> str:
    """One row per check (assignment, check, points, status, one-line hint), then the total."""
    rows = [("assignment", "check", "points", "status", "hint")]
    for c in result.checks:
        hint = " ".join(_printable(feedback(c)).split())
        rows.append((c.assignment, c.id + (" (hidden)" if c.hidden else ""),
                     f"{c.score:g}/{c.max_score:g}", _STATUS_MARK[c.status], hint))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    room = max(20, width - sum(widths) - 8)
    lines = []
    for r in rows:
        hint = r[4] if len(r[4]) <= room else r[4][: room - 3] + "..."
        lines.append("  ".join(v.ljust(w) for v, w in zip(r[:4], widths)) + "  " + hint)
    lines.insert(1, "-" * min(width, len(max(lines, key=len))))
    lines.append("")
    for note in result.notes:
        lines.append(f"note: {_printable(note)}")
    lines.append(f"TOTAL {result.score:g} / {result.max_score:g}")
    return "\n".join(lines)


def _printable(text: str) -> str:
    """Student text without control characters: an error message must not move the cursor
    and draw a fake total over the table."""
    return "".join(ch if ch.isprintable() else " " for ch in text)


def write_json(result: GradeResult, path: Path) -> None:
    """Write atomically and never through a link (safe_write), so a reader never sees half a
    file; UnsafeTarget when ``path`` is not a regular file."""
    safe_write.write_text(path, json.dumps(result.to_json(), indent=2) + "\n")
