"""What a student reads about a check: one rule (outcomes.feedback), shown whole everywhere."""

import re

import pytest

from autograder import report
from autograder.integrations import classroom
from autograder.outcomes import CheckResult, GradeResult, feedback

LONG_MESSAGE = ("y[0] should be the target of row 4 (the row after the first window), got row 3; "
                + " ".join(f"word{i}" for i in range(120)))
HINT = "y[i] = targets[i + length]: the row right after the window X[i] = features[i:i+length]."


def _check(id, status, points, message="", hint=HINT, hidden=False):
    return CheckResult("01_sequence_data", id, id.split(".")[0],
                       points if status == "passed" else 0.0, points, status, hidden, message,
                       hint)


def _result():
    return GradeResult(checks=[
        _check("make_windows.shape", "passed", 2),
        _check("make_windows.alignment", "failed", 4, LONG_MESSAGE),
        _check("make_windows.dtype", "error", 1, "`make_windows` raised ValueError: bad | input"),
        _check("add_target.seed_table", "timeout", 3, "", "Compare with the previous row."),
    ], notes=["01_sequence_data: graded mine.ipynb (expected the name sequence_data.ipynb)"])


@pytest.mark.unit
def test_feedback_is_message_then_hint_and_nothing_for_a_pass():
    """Is feedback empty for a passed check, and otherwise the message and the hint, whole?"""
    result = _result()
    assert feedback(result.checks[0]) == ""
    assert feedback(result.checks[1]) == f"{LONG_MESSAGE}\nHint: {HINT}"
    assert feedback(result.checks[3]) == "Hint: Compare with the previous row."


def _words(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.unit
@pytest.mark.parametrize("width", [60, 100, 160])
def test_table_shows_every_lost_point_whole_and_wrapped(width):
    """Does the table give each passing check one short line, and under each other check its
    whole message and hint, wrapped to the width, with subtotals and the total?"""
    text = report.table(_result(), width=width)
    lines = text.splitlines()
    assert all(len(line) <= width for line in lines), max(lines, key=len)
    assert _words(LONG_MESSAGE) in _words(text) and _words(f"Hint: {HINT}") in _words(text)
    assert "bad | input" in text and "Hint: Compare with the previous row." in text
    shape = [line for line in lines if "make_windows.shape" in line]
    assert len(shape) == 1 and shape[0].split()[0] == "ok" and shape[0].endswith("2/2")
    assert re.search(r"^  make_windows\s+2/7$", text, re.M)
    assert re.search(r"^01_sequence_data\s+2/10$", text, re.M)
    assert lines[-1] == "TOTAL 2 / 10"
    assert "note: 01_sequence_data: graded mine.ipynb" in _words(text)


@pytest.mark.unit
def test_table_quiet_and_verbose():
    """Does --quiet leave out what went wrong, and --verbose show the hints of passes too?"""
    quiet = report.table(_result(), width=100, detail="quiet")
    assert "word119" not in quiet and "Hint:" not in quiet and "TOTAL 2 / 10" in quiet
    verbose = report.table(_result(), width=100, detail="verbose")
    shape_at = verbose.splitlines().index(next(line for line in verbose.splitlines()
                                                if "make_windows.shape" in line))
    assert verbose.splitlines()[shape_at + 1].strip().startswith("Hint: y[i]")


@pytest.mark.unit
def test_table_cannot_be_drawn_over():
    """Can a message with control characters and newlines fake a line of the table?"""
    forged = _check("make_windows.alignment", "error", 4,
                    "`make_windows` raised RuntimeError: \x1b[2K\r\nTOTAL 999 / 999\n\x1b[8m")
    text = report.table(GradeResult(checks=[forged]), width=100)
    assert "\x1b" not in text and "\r" not in text
    assert [line for line in text.splitlines() if line.startswith("TOTAL")] == ["TOTAL 0 / 4"]


@pytest.mark.unit
def test_step_summary_holds_message_and_hint_whole():
    """Does the GitHub step summary carry the whole message and hint of each lost point,
    one table row per check, with nothing that breaks the row?"""
    text = classroom.summary_markdown(_result())
    rows = [line for line in text.splitlines() if line.startswith("| 01_sequence_data")]
    assert len(rows) == 4
    assert _words(LONG_MESSAGE) in rows[1] and f"<br>Hint: {HINT}" in rows[1]
    assert "bad \\| input" in rows[2]
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 6 for row in rows)  # 5 cells each
    assert rows[0].endswith("| passed |  |")
