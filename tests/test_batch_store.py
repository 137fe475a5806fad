"""Results, merging, statuses, grades.csv and digests (batch/store.py, batch/digest.py)."""

import csv
import io
import json

import pytest

from autograder.batch import digest, store

pytestmark = pytest.mark.unit


def check(assignment, id, score, max_score, status="passed", hidden=False, message=""):
    return {"assignment": assignment, "id": id, "function": id.split(".")[0], "score": score,
            "max_score": max_score, "status": status, "hidden": hidden, "message": message,
            "hint": "a hint"}


def graded(assignment, *checks, notes=()):
    return {"score": sum(c["score"] for c in checks), "max_score": 0, "checks": list(checks),
            "notes": list(notes)}


def test_merge_replaces_one_assignment_and_keeps_the_others():
    """Does regrading 01 keep 02's checks and notes, put checks in assignment order and
    recompute the totals?"""
    record = store.new_record("alice")
    record = store.merge(record, "02_rnn_internals", graded(
        "02_rnn_internals", check("02_rnn_internals", "rnn_step.shape", 2, 2),
        notes=["02_rnn_internals: graded rnn.ipynb (expected the name rnn_internals.ipynb)"]),
        {"outcome": store.GRADED})
    record = store.merge(record, "01_sequence_data", graded(
        "01_sequence_data", check("01_sequence_data", "add_target.seed_table", 0, 3, "failed"),
        notes=["sandbox: x"]), {"outcome": store.GRADED})
    record = store.merge(record, "01_sequence_data", graded(
        "01_sequence_data", check("01_sequence_data", "add_target.seed_table", 3, 3),
        notes=["sandbox: x"]), {"outcome": store.GRADED})
    assert [c["assignment"] for c in record["checks"]] == ["01_sequence_data", "02_rnn_internals"]
    assert (record["score"], record["max_score"]) == (5, 5)
    assert record["notes"] == [
        "02_rnn_internals: graded rnn.ipynb (expected the name rnn_internals.ipynb)", "sandbox: x"]
    assert list(record["digests"]) == ["01_sequence_data", "02_rnn_internals"]
    assert store.assignment_scores(record) == {"01_sequence_data": (3, 3),
                                               "02_rnn_internals": (2, 2)}


@pytest.mark.parametrize("outcomes,status", [
    ([store.GRADED, store.NO_NOTEBOOK], "graded"),
    ([store.NO_NOTEBOOK, store.NO_NOTEBOOK], "no notebooks"),
    ([store.NO_NOTEBOOK, store.UNREADABLE], "unreadable"),
    ([store.GRADED, store.OVER_BUDGET], "over the time budget"),
    ([store.GRADER_ERROR, store.UNREADABLE], "grader error"),
])
def test_status_says_why_not_graded(outcomes, status):
    record = store.new_record("x")
    record["digests"] = {f"0{i}_a": {"outcome": o} for i, o in enumerate(outcomes)}
    assert store.status_of(record) == status


def test_grades_csv_one_row_per_student(tmp_path):
    """Does grades.csv hold one score column per assignment graded for anyone (empty where a
    student was not graded on it), the total, the maximum and the status, and neutralise an
    id a spreadsheet would run as a formula?"""
    data = store.Store(tmp_path)
    a = store.merge(store.new_record("alice"), "01_sequence_data", graded(
        "01_sequence_data", check("01_sequence_data", "add_target.x", 1.5, 2)),
        {"outcome": store.GRADED})
    b = store.merge(store.new_record("=cmd()"), "02_rnn_internals", graded(
        "02_rnn_internals", check("02_rnn_internals", "rnn_step.x", 0, 4, "error")),
        {"outcome": store.NO_NOTEBOOK})
    data.write(a)
    data.write(b)
    store.write_grades(tmp_path, data.records())
    rows = list(csv.reader(io.StringIO((tmp_path / "grades.csv").read_text())))
    assert rows[0] == ["student", "01_sequence_data", "02_rnn_internals", "total", "max_score",
                       "status"]
    assert rows[1] == ["'=cmd()", "", "0", "0", "4", "no notebooks"]
    assert rows[2] == ["alice", "1.5", "", "1.5", "2", "graded"]


def test_results_are_written_whole_and_bad_ones_ignored(tmp_path):
    """Does a write leave no temporary file, and are a half-written temporary file, a
    corrupt result and a foreign JSON skipped (so those students are graded again)?"""
    data = store.Store(tmp_path)
    data.write(store.new_record("alice"))
    assert [p.name for p in data.results.iterdir()] == ["alice.json"]
    assert json.loads(data.path("alice").read_text())["graded_at"].endswith("Z")
    (data.results / ".bob.json.x1").write_text("{")
    (data.results / "carl.json").write_text("{not json")
    (data.results / "dora.json").write_text("[1, 2]")
    assert [r["student"] for r in data.records()] == ["alice"]
    assert data.read("carl") is None


def test_notebook_digest_follows_the_notebook(tmp_path):
    """Does the digest change when the notebook changes, is renamed or deleted, and only then?"""
    folder = tmp_path / "01_sequence_data"
    folder.mkdir()
    notebook = folder / "sequence_data.ipynb"
    notebook.write_text('{"cells": []}')
    first = digest.notebook_digest(tmp_path, "01_sequence_data")
    assert digest.notebook_digest(tmp_path, "01_sequence_data") == first
    notebook.write_text('{"cells": [] }')
    second = digest.notebook_digest(tmp_path, "01_sequence_data")
    notebook.rename(folder / "mine.ipynb")
    third = digest.notebook_digest(tmp_path, "01_sequence_data")
    (folder / "mine.ipynb").unlink()
    fourth = digest.notebook_digest(tmp_path, "01_sequence_data")
    assert len({first, second, third, fourth}) == 4


def test_checks_digest_follows_the_check_files(tmp_path, monkeypatch):
    """Does the digest of the checks change with a check's bytes, a hidden check counting only
    when hidden checks are graded, and with what the checks compare against?"""
    checks = tmp_path / "autograder" / "checks"
    expected = tmp_path / "autograder" / "expected"
    (checks / "01_a" / "hidden").mkdir(parents=True)
    expected.mkdir()
    (checks / "01_a" / "test_x.py").write_text("A = 1\n")
    (checks / "01_a" / "hidden" / "test_y.py").write_text("B = 1\n")
    (expected / "a.py").write_text("C = 1\n")
    monkeypatch.setattr(digest, "CHECKS", checks)
    monkeypatch.setattr(digest, "EXPECTED", expected)
    monkeypatch.setattr(digest, "ROOT", tmp_path)

    def both():
        digest.checks_digest.cache_clear()
        return digest.checks_digest("01_a", True), digest.checks_digest("01_a", False)

    public, full = both()
    assert public != full
    (checks / "01_a" / "hidden" / "test_y.py").write_text("B = 2\n")
    public_2, full_2 = both()
    assert public_2 == public and full_2 != full
    (expected / "a.py").write_text("C = 2\n")
    public_3, full_3 = both()
    assert public_3 != public and full_3 != full_2
    digest.checks_digest.cache_clear()
