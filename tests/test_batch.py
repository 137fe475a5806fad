"""A whole class graded by `grade-batch` (autograder/batch/): the class of tests/batch_class.py,
five students (one loops forever, stubs, a realistic mistake, a syntax error, a renamed copy of
the reference), graded on assignment 01 by the command line, as an instructor would.

Each run grades for real (two workers, a warm sandbox each), so these tests take minutes. The
looping student is bounded by a budget of BUDGET seconds, and every run grades it (the first,
the shards, the restart after SIGTERM, --force), so the budget is most of what these tests
cost: it is kept small, yet well above what an honest student of this class takes with a warm
worker (3 to 4 s on two cores while the looping student spins on one of them).
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from autograder import cli
from autograder.batch import workers
from tests import batch_class
from tests.batch_class import (ASSIGNMENT, COPY, LOOPER, MISTAKE, STUBS, STUDENTS, SYNTAX_ERROR,
                               tree_of)
from tests.conftest import ROOT

BUDGET = 30
RUN_SECONDS = 900  # a whole run of the class, on a machine others share


def grade_batch(class_dir: Path, out: Path, *extra: str, jobs: int = 2, wait: bool = True):
    """Run `python -m autograder grade-batch` on the class; the finished (or running) process."""
    command = [sys.executable, "-m", "autograder", "grade-batch", str(class_dir), "--out",
               str(out), "--assignment", ASSIGNMENT, "--jobs", str(jobs), "--budget",
               str(BUDGET), *extra]
    environment = dict(os.environ, PYTHONPATH=str(ROOT))
    if not wait:
        return subprocess.Popen(command, cwd=ROOT, env=environment, text=True,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return subprocess.run(command, cwd=ROOT, env=environment, text=True, capture_output=True,
                          timeout=RUN_SECONDS)


def finished(process: subprocess.Popen) -> tuple[str, str]:
    stdout, stderr = process.communicate(timeout=RUN_SECONDS)
    assert process.returncode == 0, stderr
    return stdout, stderr


def rows(out: Path) -> dict[str, dict]:
    """grades.csv as {student: row}."""
    return {row["student"]: row for row in csv.DictReader(io.StringIO(
        (out / "grades.csv").read_text()))}


def result(out: Path, student: str) -> dict:
    return json.loads((out / "results" / f"{student}.json").read_text())


def stored(out: Path) -> dict[str, tuple[int, bytes]]:
    """{result file: (modification time, bytes)}: what a run that grades nobody leaves alone."""
    return {p.name: (p.stat().st_mtime_ns, p.read_bytes())
            for p in sorted((out / "results").glob("*.json"))}


@pytest.fixture(scope="module")
def class_dir(tmp_path_factory):
    return batch_class.write_class(tmp_path_factory.mktemp("class"))


@pytest.fixture(scope="module")
def batch(class_dir, tmp_path_factory):
    """The class graded once, with two workers: (OUT, what the command printed, seconds)."""
    out = tmp_path_factory.mktemp("out")
    started = time.monotonic()
    run = grade_batch(class_dir, out)
    assert run.returncode == 0, run.stderr
    return out, run.stdout, time.monotonic() - started


@pytest.mark.slow
def test_each_row_equals_grade_on_that_student_alone(class_dir, batch, grade_tree):
    """Is every student's result, check by check, what `grade` gives on that student alone,
    in both layouts (repository and nbgrader's submitted/), whatever the submission?"""
    out, _, _ = batch
    table = rows(out)
    assert sorted(table) == STUDENTS
    for student in (STUBS, MISTAKE, SYNTAX_ERROR, COPY):
        alone = grade_tree(tree_of(class_dir, student), only=[ASSIGNMENT])
        mine = result(out, student)
        assert [(c["id"], c["score"], c["status"]) for c in mine["checks"]] == \
            [(c.id, c.score, c.status) for c in alone.checks], student
        assert (mine["score"], mine["max_score"]) == (alone.score, alone.max_score)
        row = table[student]
        assert (float(row[ASSIGNMENT]), float(row["total"]), float(row["max_score"]),
                row["status"]) == (alone.score, alone.score, alone.max_score, "graded"), student
        assert mine["student"] == student and mine["graded_at"]
        assert mine["digests"][ASSIGNMENT]["outcome"] == "graded"
        assert mine["digests"][ASSIGNMENT]["notebook"].startswith("sha256:")
    # what each case should have earned, so that equal rows are also right rows
    maximum = float(table[COPY]["max_score"])
    assert float(table[COPY]["total"]) == maximum > 0
    assert float(table[STUBS]["total"]) == 0
    assert 0 < float(table[MISTAKE]["total"]) < maximum
    missed = {c["id"] for c in result(out, MISTAKE)["checks"] if c["status"] != "passed"}
    assert "make_windows.alignment" in missed
    broken = {c["function"] for c in result(out, SYNTAX_ERROR)["checks"] if c["status"] != "passed"}
    assert "add_target" in broken and "make_windows" not in broken


@pytest.mark.slow
def test_the_endless_loop_is_bounded_and_recorded(batch):
    """Does the student whose every function loops forever cost one budget, not the batch,
    and get a row that says why: over the time budget, every check 0 out of the maximum?"""
    out, printed, seconds = batch
    row = rows(out)[LOOPER]
    assert row["status"] == "over the time budget"
    assert float(row["total"]) == 0
    assert float(row["max_score"]) == float(rows(out)[COPY]["max_score"])
    mine = result(out, LOOPER)
    assert {c["status"] for c in mine["checks"]} == {"timeout"}
    assert mine["digests"][ASSIGNMENT]["budget_seconds"] == BUDGET
    assert f"time budget of {BUDGET} s" in mine["checks"][0]["message"]
    # without the budget, 7 functions x 2 timeouts x 30 s would take 7 minutes on its own
    assert seconds < 420
    assert f"{LOOPER}: 0/72 over the time budget" in printed


@pytest.mark.slow
def test_feedback_and_similarity_for_the_class(class_dir, batch):
    """Does every student get Markdown and HTML feedback, and does similarity.csv put the
    renamed copy of the reference at the top of every function, leaving stubs out?"""
    out, printed, _ = batch
    for student in STUDENTS:
        md = (out / "feedback" / f"{student}.md").read_text()
        assert md.startswith(f"# Feedback for {student}")
        assert (out / "feedback" / f"{student}.html").read_text().startswith("<!DOCTYPE html>")
    assert "make_windows.alignment" in (out / "feedback" / f"{MISTAKE}.md").read_text()
    assert "over its time budget" in (out / "feedback" / f"{LOOPER}.md").read_text()
    pairs = list(csv.DictReader(io.StringIO((out / "similarity.csv").read_text())))
    for function in batch_class.FUNCTIONS:  # the mistake and the syntax error copy it too
        ours = [p for p in pairs if p["function"] == function]
        top = {(p["student_a"], p["student_b"]) for p in ours if p["score"] == ours[0]["score"]}
        assert ours[0]["score"] == "1.000" and ("reference", COPY) in top, function
    students = {p["student_a"] for p in pairs} | {p["student_b"] for p in pairs}
    assert STUBS not in students and LOOPER not in students
    assert not any(MISTAKE in (p["student_a"], p["student_b"]) and p["function"] == "make_windows"
                   and p["score"] == "1.000" for p in pairs)
    for student in STUDENTS:  # one line per student in a log
        assert sum(line.split("] ", 1)[-1].startswith(f"{student}:")
                   for line in printed.splitlines()) == 1


@pytest.mark.slow
def test_a_second_run_grades_nobody(class_dir, batch):
    """Does running again, nothing changed, grade no student and leave every result as it was?"""
    out, _, _ = batch
    before, grades = stored(out), (out / "grades.csv").read_bytes()
    run = grade_batch(class_dir, out)
    assert run.returncode == 0, run.stderr
    assert "grading 0 of 5 students (5 unchanged)" in run.stdout
    assert stored(out) == before
    assert (out / "grades.csv").read_bytes() == grades


@pytest.mark.slow
def test_shards_at_once_into_one_folder_then_merge(class_dir, batch, tmp_path):
    """Do shards 0/2 and 1/2, running at the same time into one OUT, grade each student once,
    and does a plain run afterwards grade nobody and write what the unsharded run wrote?"""
    out, _, _ = batch
    merged = tmp_path / "out"
    shards = [grade_batch(class_dir, merged, "--shard", f"{k}/2", jobs=1, wait=False)
              for k in range(2)]
    printed = [finished(shard)[0] for shard in shards]
    assert "grading 3 of 3 students, shard 0/2" in printed[0]
    assert "grading 2 of 2 students, shard 1/2" in printed[1]
    assert not (merged / "similarity.csv").exists()  # a class-wide output: the merge writes it
    assert sorted(p.stem for p in (merged / "results").glob("*.json")) == STUDENTS
    merge = grade_batch(class_dir, merged)
    assert merge.returncode == 0, merge.stderr
    assert "grading 0 of 5 students (5 unchanged)" in merge.stdout
    assert (merged / "grades.csv").read_text() == (out / "grades.csv").read_text()
    assert (merged / "similarity.csv").read_text() == (out / "similarity.csv").read_text()
    for student in STUDENTS:
        assert (merged / "feedback" / f"{student}.md").read_text() == \
            (out / "feedback" / f"{student}.md").read_text()


@pytest.mark.slow
def test_sigterm_half_way_then_restart(class_dir, batch, tmp_path):
    """Killed with SIGTERM after its first result, does the batch stop every process it
    started (the looping student's among them), and does a restart keep what was stored,
    grade only the rest, and end with the same grades.csv as an uninterrupted run?"""
    out, _, _ = batch
    killed = tmp_path / "out"
    process = grade_batch(class_dir, killed, wait=False)
    deadline = time.monotonic() + RUN_SECONDS
    while not list((killed / "results").glob("*.json")):
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.2)
    family = workers.descendants(process.pid)
    assert len(family) >= 4  # two workers, their fork servers, a check's child
    process.send_signal(signal.SIGTERM)
    stdout, _ = process.communicate(timeout=120)
    assert process.returncode == 128 + signal.SIGTERM
    assert "interrupted" in stdout
    time.sleep(0.5)
    assert not [pid for pid, start in family.items() if workers._start_time(pid) == start]
    kept = stored(killed)
    assert 1 <= len(kept) < len(STUDENTS)

    restart = grade_batch(class_dir, killed)
    assert restart.returncode == 0, restart.stderr
    assert f"grading {5 - len(kept)} of 5 students ({len(kept)} unchanged)" in restart.stdout
    assert {name: stored(killed)[name] for name in kept} == kept  # nothing finished is redone
    assert (killed / "grades.csv").read_text() == (out / "grades.csv").read_text()


@pytest.mark.slow
def test_force_grades_everyone_again(class_dir, batch):
    """Does --force grade every student again, to the same grades? (Last: it rewrites OUT.)"""
    out, _, _ = batch
    grades, before = (out / "grades.csv").read_text(), stored(out)
    run = grade_batch(class_dir, out, "--force")
    assert run.returncode == 0, run.stderr
    assert "grading 5 of 5 students (0 unchanged)" in run.stdout
    after = stored(out)
    assert all(after[name][0] > before[name][0] for name in before)
    assert (out / "grades.csv").read_text() == grades


@pytest.mark.unit
@pytest.mark.parametrize("arguments,words", [
    (["--assignment", "99_nothing"], "unknown assignment"),
    (["--shard", "2/2"], "--shard"),
    (["--jobs", "0"], "--jobs"),
    (["--budget", "0"], "--budget"),
    (["--similarity-threshold", "1.5"], "--similarity-threshold"),
])
def test_usage_errors(tmp_path, capsys, arguments, words):
    """Is an impossible request a usage error (exit 2) that says what is wrong, before any
    grading starts?"""
    (tmp_path / "class" / "alice").mkdir(parents=True)
    code = cli.main(["grade-batch", str(tmp_path / "class"), "--out", str(tmp_path / "out"),
                     *arguments])
    assert code == 2 and words in capsys.readouterr().err
    assert not (tmp_path / "out" / "results").exists()


@pytest.mark.unit
def test_a_missing_class_is_a_usage_error(tmp_path, capsys):
    assert cli.main(["grade-batch", str(tmp_path / "nowhere"), "--out", str(tmp_path)]) == 2
    assert "no such folder" in capsys.readouterr().err
