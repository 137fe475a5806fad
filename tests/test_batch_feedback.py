"""What a student reads about their grade: Markdown and HTML feedback (batch/feedback.py)."""

import re

import pytest

from autograder.batch import feedback, store

pytestmark = pytest.mark.unit

A = "01_sequence_data"


def check(id, score, max_score, status="passed", hidden=False, message="", hint="The hint."):
    return {"assignment": A, "id": id, "function": id.split(".")[0], "score": score,
            "max_score": max_score, "status": status, "hidden": hidden, "message": message,
            "hint": hint}


def record(*checks, outcome=store.GRADED, notes=()):
    result = {"checks": list(checks), "notes": list(notes)}
    return store.merge(store.new_record("alice"), A, result, {"outcome": outcome})


def test_points_per_assignment_and_function_and_why_each_was_lost():
    """Does the feedback give points earned of possible per assignment and function, and for
    a lost point both what went wrong and the check's hint?"""
    text = feedback.markdown(record(
        check("add_target.seed_table", 3, 3),
        check("make_windows.alignment", 0, 4, "failed",
              message="y[0] should be the target of row 3, got row 2",
              hint="y[i] = targets[i + length]."),
        check("make_windows.shape", 2, 2)))
    assert "**Total: 5 / 9**" in text
    assert f"## {A}: 5 / 9" in text
    assert "### `add_target`: 3 / 3" in text and "All 1 checks passed." in text
    assert "### `make_windows`: 2 / 6" in text
    line = next(l for l in text.splitlines() if "make_windows.alignment" in l)
    assert "0 of 4 points, failed" in line
    assert "y[0] should be the target of row 3, got row 2. *Hint:* y[i] = targets[i + length]." \
        in line
    assert "make_windows.shape" not in text  # a passed check is not listed


def test_a_hidden_check_shows_its_hint_never_its_data():
    """Does a failed hidden check say what kind of failure and its hint, and nothing of the
    message, which may hold the hidden inputs and expected values?"""
    text = feedback.markdown(record(check(
        "load_prices.other_ticker", 0, 2, "failed", hidden=True,
        message="on MSFT row 17 expected 27.3125, got 27.25", hint="Any price CSV works.")))
    line = next(l for l in text.splitlines() if "load_prices.other_ticker" in l)
    assert "(hidden check)" in line and "wrong answer" in line
    assert "*Hint:* Any price CSV works." in line
    assert "MSFT" not in text and "27.3125" not in text


def test_an_assignment_that_could_not_run_says_why_once():
    """Is a missing notebook one reason and the points per function, not one line per check?"""
    why = "folder 01_sequence_data/ is missing from the submission"
    text = feedback.markdown(record(
        check("add_target.a", 0, 3, "error", message=why),
        check("add_target.b", 0, 1, "error", hidden=True, message=why),
        check("make_windows.a", 0, 2, "error", message=why), outcome=store.NO_NOTEBOOK,
        notes=[f"{A}: {why}", "sandbox: some private folders could not be covered"]))
    assert text.count(why) == 2  # the note, and the reason
    assert "- `add_target`: 0 / 4" in text and "- `make_windows`: 0 / 2" in text
    assert "Status: no notebooks." in text
    assert "sandbox" not in text  # about the grader's machine, not the student's work


HOSTILE = ("<script>alert(1)</script> [prize](javascript:alert(1)) ![x](http://tracker/p.png) "
           "<img src=x onerror=alert(1)> # not a heading *not bold*")


def test_student_text_stays_text_in_markdown_and_html():
    """Can an error message (student text) add a script, a link, an image or formatting to
    the feedback page? It must show as the same words, and nothing more."""
    rec = record(check("add_target.a", 0, 3, "error", message=f"ValueError: {HOSTILE}"))
    page = feedback.to_html(feedback.markdown(rec), "Feedback for alice")
    body = page.split("<body>")[1].replace("<em>Hint:</em>", "")  # ours, not the student's
    assert not re.search(r"<(script|a|img|em|iframe)\b", body)
    assert not re.search(r"<[^>]*\s(href|src|on\w+)=", body)  # no tag carries a link or code
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "[prize](javascript:alert(1))" in body and "*not bold*" in body
    assert page.startswith("<!DOCTYPE html>") and "<style>" in page  # one standalone file


@pytest.mark.parametrize("raw,shown", [
    ("snake_case and `code <b>` kept", "snake_case and `code <b>` kept"),
    ("# heading", "\\# heading"),
    ("1. item", "1\\. item"),
    ("a\nb\tc\x1b[2J", "a b c [2J"),
])
def test_text_escapes_only_what_markdown_would_act_on(raw, shown):
    assert feedback.text(raw) == shown


def test_files_are_written_for_a_student(tmp_path):
    md, html = feedback.write(tmp_path, record(check("add_target.a", 1, 1)))
    assert md == tmp_path / "feedback" / "alice.md" and md.read_text().startswith("# Feedback")
    assert "<h1>Feedback for alice</h1>" in html.read_text()
