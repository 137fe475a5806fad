"""OUT/results/<student>.json, one per student, and OUT/grades.csv built from all of them.

A student's result is the result JSON of docs/grader.md (``score``, ``max_score``, ``checks``,
``notes``) plus:

- ``student``: the id; ``graded_at``: when the file was last written (UTC, ISO 8601);
- ``status``: ``graded``, or why not: ``no notebooks``, ``unreadable``, ``over the time
  budget``, ``grader error`` (see ``status_of``);
- ``digests``: per assignment graded, what it was graded from and how it went:
  ``{"notebook": "sha256:...", "checks": "sha256:...", "outcome": "graded"}``, outcome one of
  ``OUTCOMES``; ``"budget_seconds"`` too when the assignment ran over the time budget.

Assignments are stored one by one as they finish (``merge``), so a batch killed half way keeps
every assignment it finished. Every file is written to a temporary name in its own folder and
renamed over the old one: a reader, another shard or a killed batch never sees half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from autograder.course import known_assignments

# How grading one assignment of one student went (the ``outcome`` of its digests entry).
GRADED, NO_NOTEBOOK, UNREADABLE = "graded", "no notebook", "unreadable"
OVER_BUDGET, GRADER_ERROR = "over the time budget", "grader error"
OUTCOMES = (GRADED, NO_NOTEBOOK, UNREADABLE, OVER_BUDGET, GRADER_ERROR)

# Spreadsheets run a cell that starts with one of these as a formula; ids come from folder names.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def atomic_write(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


class Store:
    """The results folder of OUT."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.results = self.out / "results"

    def path(self, student: str) -> Path:
        return self.results / f"{student}.json"

    def read(self, student: str) -> dict | None:
        """The stored result of ``student``; None when there is none or it cannot be read
        (then the student is simply graded again)."""
        return _load(self.path(student))

    def write(self, record: dict) -> None:
        record["graded_at"] = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        atomic_write(self.path(record["student"]), json.dumps(record, indent=2) + "\n")

    def records(self) -> list[dict]:
        """Every stored result, sorted by student (temporary files of a writer are skipped)."""
        if not self.results.is_dir():
            return []
        found = (_load(p) for p in sorted(self.results.glob("*.json"))
                 if not p.name.startswith("."))
        return sorted((r for r in found if r is not None), key=lambda r: r["student"])


def _load(path: Path) -> dict | None:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(record, dict) or not isinstance(record.get("student"), str) \
            or not isinstance(record.get("checks"), list):
        return None
    record.setdefault("notes", [])
    record.setdefault("digests", {})
    return record


def new_record(student: str) -> dict:
    return {"student": student, "graded_at": "", "status": GRADED, "score": 0.0,
            "max_score": 0.0, "checks": [], "notes": [], "digests": {}}


def merge(record: dict, assignment: str, graded: dict, entry: dict) -> dict:
    """``record`` with ``assignment`` replaced by ``graded`` (the result JSON of grading that
    assignment alone) and its digests ``entry``. Checks stay in assignment order; notes about
    other assignments are kept, notes about the submission as a whole are taken from the
    newest grading."""
    order = {a: i for i, a in enumerate(known_assignments())}
    checks = [c for c in record["checks"] if c.get("assignment") != assignment]
    checks += graded.get("checks", [])
    checks.sort(key=lambda c: order.get(c.get("assignment"), len(order)))  # stable
    own = [n for n in record["notes"] if _note_assignment(n) not in (None, assignment)]
    own += [n for n in graded.get("notes", []) if _note_assignment(n) is not None]
    general = [n for n in graded.get("notes", []) if _note_assignment(n) is None]
    own.sort(key=lambda n: order.get(_note_assignment(n), len(order)))
    digests = dict(record["digests"]) | {assignment: entry}
    merged = dict(record) | {
        "checks": checks, "notes": own + list(dict.fromkeys(general)),
        "digests": {a: digests[a] for a in sorted(digests, key=lambda a: order.get(a, 99))}}
    merged["score"] = round(sum(float(c.get("score", 0)) for c in checks), 6)
    merged["max_score"] = round(sum(float(c.get("max_score", 0)) for c in checks), 6)
    merged["status"] = status_of(merged)
    return merged


def _note_assignment(note: str) -> str | None:
    """The assignment a note is about ("01_sequence_data: ..."), None for the whole tree."""
    head = note.split(":", 1)[0]
    return head if ":" in note and head in known_assignments() else None


def status_of(record: dict) -> str:
    """``graded``, or why not: a time budget or grader failure on any assignment says so;
    otherwise ``no notebooks`` when no assignment had one, ``unreadable`` when every
    notebook found could not be read."""
    outcomes = [entry.get("outcome", GRADED) for entry in record["digests"].values()]
    for reason in (OVER_BUDGET, GRADER_ERROR):
        if reason in outcomes:
            return reason
    if outcomes and all(o == NO_NOTEBOOK for o in outcomes):
        return "no notebooks"
    if outcomes and all(o in (NO_NOTEBOOK, UNREADABLE) for o in outcomes):
        return UNREADABLE
    return GRADED


def assignment_scores(record: dict) -> dict[str, tuple[float, float]]:
    """{assignment: (score, max_score)} of a stored result, in its checks' order."""
    scores: dict[str, tuple[float, float]] = {}
    for c in record["checks"]:
        score, top = scores.get(c["assignment"], (0.0, 0.0))
        scores[c["assignment"]] = (score + float(c["score"]), top + float(c["max_score"]))
    return {a: (round(s, 6), round(m, 6)) for a, (s, m) in scores.items()}


def grades_csv(records: list[dict]) -> str:
    """One row per student: student, one score column per assignment graded for anyone,
    total, max_score, status. An assignment a student was not graded on is left empty."""
    known = known_assignments()
    seen = {a for r in records for a in assignment_scores(r)}
    columns = [a for a in known if a in seen] + sorted(seen - set(known))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", *columns, "total", "max_score", "status"])
    for record in records:
        scores = assignment_scores(record)
        writer.writerow([safe_cell(record["student"]),
                         *(f"{scores[a][0]:g}" if a in scores else "" for a in columns),
                         f"{record['score']:g}", f"{record['max_score']:g}",
                         record.get("status") or status_of(record)])
    return buffer.getvalue()


def safe_cell(text: str) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def write_grades(out: Path, records: list[dict]) -> Path:
    path = Path(out) / "grades.csv"
    atomic_write(path, grades_csv(records))
    return path
