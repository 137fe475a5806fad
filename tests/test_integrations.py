"""GitHub Classroom, Gradescope and the student bundle, all made from one GradeResult."""

import base64
import json
import os
import re
import subprocess
import sys

import pytest

from autograder import bundle
from autograder.course import known_assignments
from autograder.engine.catalogue import catalogue
from autograder.outcomes import CheckResult
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


@pytest.mark.unit
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


def _workflow(assignments):
    import yaml

    text = classroom.workflow(assignments)
    return text, yaml.safe_load(text)


@pytest.mark.unit
def test_workflow_is_named_and_shaped_as_classrooms_own():
    """Does the generated workflow carry Classroom's names, guard the bot, read only, restore a
    cached environment keyed on the requirements, and map every runner's env?"""
    text, document = _workflow(known_assignments())
    assert document["name"] == "Autograding Tests"
    assert list(document["jobs"]) == ["run-autograding-tests"]
    job = document["jobs"]["run-autograding-tests"]
    assert job["if"] == "github.actor != 'github-classroom[bot]'"
    assert document["permissions"] == {"actions": "read", "contents": "read"}
    assert document["on"] == ["push", "workflow_dispatch", "repository_dispatch"]
    steps = {step.get("name"): step for step in job["steps"]}
    assert steps["Checkout code"]["uses"] == "actions/checkout@v4"
    cache = steps["Restore the Python environment"]
    assert cache["uses"].startswith("actions/cache@") and cache["with"]["path"] == ".venv"
    assert "hashFiles('requirements.txt', 'pyproject.toml')" in cache["with"]["key"]
    assert "steps.python.outputs.python-version" in cache["with"]["key"]
    grading = steps["Grade the notebook (public checks)"]
    assert grading["run"] == "python run.py classroom" and grading["timeout-minutes"] > 0
    reporter = steps["Autograding Reporter"]
    assert reporter["if"] == "always()"
    runners = reporter["with"]["runners"].split(",")
    assert runners == [classroom.runner_id(a) for a in known_assignments()]
    for runner in runners:
        assert reporter["env"][f"{runner.upper()}_RESULTS"].startswith(
            f"${{{{ steps.grade.outputs.{runner} || '")


@pytest.mark.unit
def test_workflow_fallback_is_a_result_worth_the_public_points():
    """When the grading step is killed, does the reporter still read, for every runner, a
    decodable result with a tests list, worth 0 of that assignment's public points?"""
    _, document = _workflow(["01_sequence_data", "04_evaluate_aapl"])
    job = document["jobs"]["run-autograding-tests"]
    reporter = next(s for s in job["steps"] if s.get("name") == "Autograding Reporter")
    grading = next(s for s in job["steps"] if s.get("id") == "grade")
    table = json.loads(grading["env"]["AUTOGRADING_RUNNERS"])
    public = catalogue(public_only=True)
    for runner, assignment in (("a01", "01_sequence_data"), ("a04", "04_evaluate_aapl")):
        value = reporter["env"][f"{runner.upper()}_RESULTS"]
        literal = re.search(r"\|\| '([A-Za-z0-9+/=]+)' }}", value)
        payload = json.loads(base64.b64decode(literal.group(1)))
        points = sum(c.points for c in public[assignment])
        assert payload["max_score"] == points == table[runner]["max_score"]
        assert payload["status"] == "error" and payload["tests"][0]["score"] == 0
        assert "did not finish" in payload["tests"][0]["message"]


def _decoded(output_file):
    payloads = {}
    for line in output_file.read_text().splitlines():
        runner, encoded = line.split("=", 1)
        payloads[runner] = json.loads(base64.b64decode(encoded))
    return payloads


RUNNERS = {"a01": {"assignment": "01_sequence_data", "max_score": 51.0},
           "a02": {"assignment": "02_rnn_internals", "max_score": 35.0}}


@pytest.mark.unit
@pytest.mark.parametrize("code,says", [
    ("import os, signal; os.kill(os.getpid(), signal.SIGKILL)", "killed by SIGKILL"),
    ("raise SystemExit(3)", "exit status 3"),
    ("import os; open(os.environ['GITHUB_OUTPUT'], 'a').write('a01=e30=\\n'); "
     "raise MemoryError", "exit status 1"),
], ids=["killed", "exits", "half-written"])
def test_a_dying_grader_still_reports(tmp_path, code, says):
    """When the grader dies before it writes every runner's output, does $GITHUB_OUTPUT get,
    for each runner, a valid result with a tests list that says why?"""
    output, summary = tmp_path / "output", tmp_path / "summary.md"
    environment = dict(os.environ, GITHUB_OUTPUT=str(output), GITHUB_STEP_SUMMARY=str(summary))
    status = classroom.run_and_report([sys.executable, "-c", code], RUNNERS, env=environment)
    assert status != 0
    payloads = _decoded(output)
    assert set(payloads) == set(RUNNERS)
    for runner, payload in payloads.items():
        assert payload["status"] == "error" and payload["max_score"] == RUNNERS[runner]["max_score"]
        assert payload["tests"] and says in payload["tests"][0]["message"]
    assert says in summary.read_text()


@pytest.mark.unit
def test_a_finished_grader_reports_its_own_outputs(tmp_path):
    """Are the grader's own outputs passed on unchanged when it wrote every runner?"""
    output = tmp_path / "output"
    script = ("import os\nwith open(os.environ['GITHUB_OUTPUT'], 'a') as out:\n"
              "    out.write('a01=eyJhIjogMX0=\\na02=eyJiIjogMn0=\\n')\n")
    status = classroom.run_and_report([sys.executable, "-c", script], RUNNERS,
                                      env=dict(os.environ, GITHUB_OUTPUT=str(output)))
    assert status == 0
    assert _decoded(output) == {"a01": {"a": 1}, "a02": {"b": 2}}


@pytest.mark.unit
def test_run_py_reports_a_failed_set_up(tmp_path, monkeypatch):
    """When installing the packages fails, does `run.py classroom` still give the reporter a
    result per runner, and exit non-zero?"""
    import run

    def broken():
        raise subprocess.CalledProcessError(1, ["pip", "install"])

    output = tmp_path / "output"
    monkeypatch.setattr(run, "set_up", broken)
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.setenv("AUTOGRADING_RUNNERS", json.dumps(RUNNERS))
    assert run.main(["classroom"]) == 1
    payloads = _decoded(output)
    assert set(payloads) == {"a01", "a02"}
    assert "Setting up the Python packages failed" in payloads["a01"]["tests"][0]["message"]


@pytest.mark.unit
def test_gradescope_results():
    """Does results.json carry Gradescope's fields, hidden checks shown after publishing?"""
    document = gradescope.results(_result(), execution_time=3.21)
    assert document["score"] == 6 and document["execution_time"] == 3.2
    statuses = [t["status"] for t in document["tests"]]
    assert statuses == ["passed", "failed", "failed", "passed"]
    assert document["tests"][2]["visibility"] == "after_published"
    assert "Hint: a hint" in document["tests"][1]["output"]


@pytest.mark.slow
def test_bundle_grades_with_its_own_public_checks(tmp_path):
    """Does a student's repository grade itself, with no hidden checks to find?"""
    student = tmp_path / "student"
    bundle.write_bundle(student, "01_sequence_data")
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", "assignments",
                           "--assignment", "01_sequence_data", "--json", "r.json"],
                          cwd=student, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads((student / "r.json").read_text())
    assert result["checks"] and not any(c["hidden"] for c in result["checks"])
    assert result["score"] == 0
