"""run.py's test command: the unit tier first, a failure stops there, the slowest tests last."""

import subprocess

import pytest

import run

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("rest,runs", [
    ([], [["-m", "unit"], ["-m", "not unit", "--durations=15"]]),
    (["-x", "tests/test_docs.py"], [["-m", "unit", "-x", "tests/test_docs.py"],
                                    ["-m", "not unit", "-x", "tests/test_docs.py",
                                     "--durations=15"]]),
    (["-m", "unit"], [["-m", "unit", "--durations=15"]]),
    (["-m", "not slow", "-q"], [["-m", "not slow", "-q", "--durations=15"]]),
    (["-mslow"], [["-mslow", "--durations=15"]]),
    (["--maxfail=1"], [["-m", "unit", "--maxfail=1"],
                       ["-m", "not unit", "--maxfail=1", "--durations=15"]]),
    (["--durations=5"], [["-m", "unit", "--durations=5"], ["-m", "not unit", "--durations=5"]]),
], ids=["plain", "options-and-paths", "own-marker", "own-marker-expression", "glued-marker",
        "long-option-is-no-marker", "own-durations"])
def test_the_runs_of_run_py_test(rest, runs):
    """Does `run.py test REST` run the unit tier, then the rest, each with REST, and only
    REST's own selection when it gives -m, durations at the end?"""
    assert run.pytest_runs(rest) == runs


@pytest.mark.parametrize("statuses,ran,status", [
    ([0, 0], 2, 0),
    ([1, 0], 1, 1),  # a failing unit tier stops there
    ([0, 1], 2, 1),
    ([5, 0], 2, 0),  # a tier the paths leave empty is no failure
    ([0, 5], 2, 0),
    ([5, 5], 2, 5),
], ids=["green", "unit-fails", "slow-fails", "no-unit-test", "no-slow-test", "nothing"])
def test_the_unit_tier_fails_fast(monkeypatch, statuses, ran, status):
    """Does a failing tier stop the run with its status, and an empty one count as no failure?"""
    calls = []

    def fake(command, **options):
        calls.append(command)
        return subprocess.CompletedProcess(command, statuses[len(calls) - 1])

    monkeypatch.setattr(run.subprocess, "run", fake)
    assert run.run_tests([], {}) == status
    assert len(calls) == ran
    assert [c[1:5] for c in calls] == [["-m", "pytest", "-m", "unit"],
                                       ["-m", "pytest", "-m", "not unit"]][:ran]
