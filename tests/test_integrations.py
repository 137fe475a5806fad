"""GitHub Classroom, Gradescope and the student bundle, all made from one GradeResult."""

import base64
import json
import re
import subprocess
import sys

import pytest

from autograder import bundle
from autograder.outcomes import CheckResult
from autograder.course import known_assignments
from autograder.outcomes import GradeResult
from autograder.integrations import classroom, gradescope


def _result():
    def check(assignment, id, status, points, hidden=False):
        return CheckResult(assignment, id, id.split(".")[0], points if status == "passed" else 0,
                           points, status, hidden, "" if status == "passed" else "why",
                           "a hint")
    return GradeResult(checks=[check("01_sequence_data", "f.a", "passed", 2),
                               check("01_sequence_data", "f.b", "failed", 3),
                               check("01_sequence_data", "g.c", "timeout", 1, hidden=True),
                               check("02_rnn_internals", "h.d", "passed", 4)])


def test_classroom_runners_follow_the_reporter_format(tmp_path):
    """Are runner ids alphanumeric and each payload a decodable result with a tests list,
    also for an assignment that has no checks?"""
    out, summary = tmp_path / "out", tmp_path / "summary.md"
    classroom.write_outputs(_result(), ["01_sequence_data", "02_rnn_internals", "03_recurrent_models"],
                            str(out), str(summary))
    payloads = {}
    for line in out.read_text().splitlines():
        runner, encoded = line.split("=", 1)
        assert re.fullmatch(r"[A-Za-z0-9]+", runner)
        payloads[runner] = json.loads(base64.b64decode(encoded))
    assert set(payloads) == {"a01", "a02", "a03"}
    first = payloads["a01"]
    assert first["version"] == 1 and first["max_score"] == 6 and first["status"] == "error"
    assert [t["status"] for t in first["tests"]] == ["pass", "fail", "error"]
    assert sum(t["score"] for t in first["tests"]) == 2
    assert payloads["a02"]["status"] == "pass"
    assert payloads["a03"]["tests"] == [] and payloads["a03"]["status"] == "error"
    assert "Score: 6 / 10" in summary.read_text()


def test_workflow_matches_its_runners():
    """Does the generated workflow guard the bot, read only, and map every runner's env?"""
    text = classroom.workflow(known_assignments())
    assert "github.actor != 'github-classroom[bot]'" in text
    assert "actions: read" in text and "contents: read" in text
    runners = re.search(r"runners: (.*)", text).group(1).split(",")
    for runner in runners:
        assert f"{runner.upper()}_RESULTS: \"${{{{ steps.grade.outputs.{runner} }}}}\"" in text


def test_gradescope_results():
    """Does results.json carry Gradescope's fields, hidden checks shown after publishing?"""
    document = gradescope.results(_result(), execution_time=3.21)
    assert document["score"] == 6 and document["execution_time"] == 3.2
    statuses = [t["status"] for t in document["tests"]]
    assert statuses == ["passed", "failed", "failed", "passed"]
    assert document["tests"][2]["visibility"] == "after_published"
    assert "Hint: a hint" in document["tests"][1]["output"]


def test_bundle_ships_no_solutions_hidden_checks_or_junk(tmp_path):
    """Does the student bundle hold the notebooks, public checks and workflow, and nothing
    an instructor keeps private?"""
    files = bundle.write_bundle(tmp_path / "student")
    assert ".github/workflows/classroom.yml" in files and "run.py" in files
    assert all(f"assignments/{a}" in "\n".join(files) for a in known_assignments())
    assert not bundle.audit(files)
    assert not any(f.startswith("solutions") or "/hidden/" in f or "__pycache__" in f
                   for f in files)
    assert any(f.startswith("autograder/checks/01_sequence_data/test_") for f in files)


def test_bundle_audit_catches_leaks():
    """Would a reference notebook, a hidden check or a cache in the list be refused?"""
    assert bundle.audit(["solutions/01_x/x.ipynb", "autograder/checks/01_x/hidden/test_a.py",
                         "autograder/__pycache__/a.pyc"]) != []


@pytest.mark.slow
def test_bundle_grades_with_its_own_public_checks(tmp_path):
    """Does a student's repository grade itself, with no hidden checks to find?"""
    student = tmp_path / "student"
    bundle.write_bundle(student)
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "assignments",
                           "--assignment", "01_sequence_data", "--json", "r.json"],
                          cwd=student, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads((student / "r.json").read_text())
    assert result["checks"] and not any(c["hidden"] for c in result["checks"])
    assert result["score"] == 0
