"""The grader graded: full marks on the reference, zero on the stubs, and docs/grader.md's surface."""

import json
import subprocess
import sys

import pytest

from autograder.engine.catalogue import catalogue
from autograder.course import known_assignments
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def reference(graded_reference):
    """solutions/ graded (conftest.py grades it once for the session)."""
    return graded_reference


@pytest.fixture(scope="module")
def stubs(graded_stubs):
    """assignments/ graded (conftest.py grades it once for the session)."""
    return graded_stubs


@pytest.mark.unit
def test_every_assignment_has_checks_public_and_hidden():
    """Does every assignment have public checks a student can run and hidden ones?"""
    for assignment, checks in catalogue().items():
        assert any(not c.hidden for c in checks), assignment
        assert any(c.hidden for c in checks), assignment
        assert len({c.id for c in checks}) == len(checks), f"duplicate check ids in {assignment}"


@pytest.mark.unit
def test_needs_name_a_public_check_of_the_same_function():
    """Does every `needs=` point at a public check of its own function, so that it is there
    in a student's copy and in the notebook's self-check too?"""
    for assignment, checks in catalogue().items():
        public = {c.id: c for c in checks if not c.hidden}
        for c in checks:
            if c.needs:
                assert c.needs in public and public[c.needs].function == c.function, c.id


@pytest.mark.slow
def test_reference_scores_full_marks(reference):
    """Does every check pass on solutions/?"""
    failing = [(c.id, c.status, c.message) for c in reference.checks if c.status != "passed"]
    assert not failing, failing
    assert reference.score == reference.max_score > 0


def test_stubs_score_zero(stubs):
    """Does every check fail on the generated student notebooks, and never as a crash?"""
    passing = [c.id for c in stubs.checks if c.status == "passed"]
    assert not passing, passing
    assert stubs.score == 0
    assert all(c.status == "error" and "not written yet" in c.message for c in stubs.checks)


@pytest.mark.slow
def test_same_checks_on_both(reference, stubs):
    """Are the reference and the stubs graded on the same checks, worth the same points?"""
    assert [(c.id, c.max_score) for c in reference.checks] == \
        [(c.id, c.max_score) for c in stubs.checks]
    assert {c.assignment for c in reference.checks} == set(known_assignments())


def test_one_broken_function_costs_only_its_points(grade_mutant):
    """Does a function that raises lose its own checks and nothing else?"""
    result = grade_mutant("01_sequence_data", {
        "add_target": "def add_target(df):\n    raise KeyError('Close')\n",
        "make_windows": "def make_windows(features, targets, length):\n    return 1 / 0\n"})
    assert {c.function for c in result.checks} == {"add_target", "make_windows"}
    assert result.score == 0
    assert all(c.status in ("error", "failed") for c in result.checks)
    assert any("ZeroDivisionError" in c.message for c in result.checks)


def test_one_broken_function_spares_the_others(grade_tree, tmp_path):
    """Does a crash in one function leave the other functions' full marks? (prepare_data
    chains add_target by contract, so it alone shares the loss; injecting a reference
    add_target into the sandbox would hand students the solution.)"""
    import nbformat

    from tests.conftest import reference_notebook, replace_function

    notebook = nbformat.read(str(reference_notebook("01_sequence_data")), as_version=4)
    replace_function(notebook, "add_target", "def add_target(df):\n    raise RuntimeError('x')\n")
    path = tmp_path / "01_sequence_data" / "sequence_data.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, str(path))
    result = grade_tree(path.parent)
    others = [c for c in result.checks if c.function not in ("add_target", "prepare_data")]
    assert others and all(c.status == "passed" for c in others)
    assert all(c.status == "error" and "RuntimeError" in c.message
               for c in result.checks if c.function == "add_target")


def _cli(*arguments, timeout=600):
    return subprocess.run([sys.executable, "-m", "autograder", *arguments], cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


def test_cli_writes_the_result_json(tmp_path):
    """Does `grade PATH --json FILE` print the table and write docs/grader.md's JSON, exit 0?"""
    out = tmp_path / "result.json"
    done = _cli("grade", "solutions/01_sequence_data", "--json", str(out))
    assert done.returncode == 0, done.stderr
    assert "TOTAL" in done.stdout and "make_windows.alignment" in done.stdout
    result = json.loads(out.read_text())
    assert set(result) >= {"score", "max_score", "checks"}
    assert result["score"] == result["max_score"] > 0
    for check in result["checks"]:
        assert set(check) >= {"assignment", "id", "function", "score", "max_score", "status",
                              "hidden", "message"}
        assert check["status"] in {"passed", "failed", "error", "timeout"}
        assert check["assignment"] == "01_sequence_data"


def test_cli_public_only_skips_hidden_checks(tmp_path):
    """Does --public-only run exactly the public checks?"""
    out = tmp_path / "result.json"
    done = _cli("grade", "assignments", "--assignment", "01_sequence_data", "--public-only",
                "--json", str(out))
    assert done.returncode == 0, done.stderr
    checks = json.loads(out.read_text())["checks"]
    public = [c.id for c in catalogue(public_only=True)["01_sequence_data"]]
    assert [c["id"] for c in checks] == public and not any(c["hidden"] for c in checks)


def test_cli_single_notebook_and_usage_errors(tmp_path):
    """Is one notebook gradable, and is a path or assignment that does not exist exit 2?"""
    out = tmp_path / "one.json"
    done = _cli("grade", "solutions/01_sequence_data/sequence_data.ipynb", "--json", str(out))
    assert done.returncode == 0 and json.loads(out.read_text())["max_score"] > 0
    assert _cli("grade", "no/such/folder").returncode == 2
    assert _cli("grade", "solutions", "--assignment", "99_nothing").returncode == 2
    assert _cli("frobnicate").returncode == 2


@pytest.mark.unit
def test_cli_budget_must_be_a_positive_number_of_seconds(capsys):
    """Is --budget given in seconds, and anything but a positive number a usage error?"""
    from autograder import cli

    assert cli.build_parser().parse_args(["grade", "--budget", "90"]).budget == 90.0
    for bad in ("0", "-5", "soon", "nan"):
        with pytest.raises(SystemExit) as exit:
            cli.build_parser().parse_args(["grade", "--budget", bad])
        assert exit.value.code == 2 and "positive number of seconds" in capsys.readouterr().err
