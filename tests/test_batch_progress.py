"""How far a batch is, on a terminal and in a log (batch/progress.py)."""

import io

import pytest

from autograder.batch.progress import Progress

pytestmark = pytest.mark.unit


def test_a_log_gets_one_line_per_student():
    """Without a terminal, is every student one plain line, control characters replaced?"""
    out = io.StringIO()
    progress = Progress(2, out)
    progress.student_done("alice", 61, 72, "graded", 33.6)
    progress.student_done("bob\x1b[2J", 0, 72, "over the time budget", 120.2)
    progress.close()
    assert out.getvalue().splitlines() == [
        "[1/2] alice: 61/72 graded (34 s)",
        "[2/2] bob?[2J: 0/72 over the time budget (120 s)"]


def test_a_terminal_gets_a_bar_with_failures_and_time_left():
    """On a terminal, does tqdm's bar count students done and failed and estimate the rest?"""
    out = io.StringIO()
    progress = Progress(4, out, bar=True)
    progress.student_done("alice", 61, 72, "graded", 1.0)
    progress.student_done("bob", 0, 72, "unreadable", 1.0)
    progress.close()
    text = out.getvalue()
    assert "2/4" in text and "failed 1" in text and "<" in text  # tqdm's "elapsed<left"
    assert "bob: unreadable" in text
