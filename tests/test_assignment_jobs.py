"""Does grading several assignments at a time (``grade --jobs N``) give exactly what grading
them one after another gives, and lose nothing when a grading process dies?"""

import json

import pytest

from autograder import assignment_jobs, grading
from tests import assignment_jobs_helpers
from tests.conftest import ASSIGNMENTS, SOLUTIONS

# One cheap function per assignment: the point is the plumbing, not the checks.
FUNCTIONS = {"make_windows", "rnn_step", "build_model", "rmse"}


def as_json(result) -> str:
    return json.dumps({"checks": [c.to_json() for c in result.checks], "notes": result.notes},
                      sort_keys=True)


@pytest.fixture(scope="module")
def one_at_a_time():
    return as_json(grading.grade(SOLUTIONS, functions=FUNCTIONS, jobs=1))


@pytest.mark.slow
def test_two_jobs_give_the_same_result_in_the_same_order(one_at_a_time):
    result = grading.grade(SOLUTIONS, functions=FUNCTIONS, jobs=2)
    assert as_json(result) == one_at_a_time
    assignments = [c.assignment for c in result.checks]
    assert assignments == sorted(assignments) and len(set(assignments)) == 4


@pytest.mark.slow
@pytest.mark.parametrize("stand_in", ["dies_at_once", "takes_one_then_dies"])
def test_a_helper_that_dies_leaves_its_assignments_to_the_grader(monkeypatch, one_at_a_time,
                                                                 stand_in):
    """The part a dead helper had taken, and every part it never took, are graded here."""
    monkeypatch.setattr(assignment_jobs, "_helper", getattr(assignment_jobs_helpers, stand_in))
    assert as_json(grading.grade(SOLUTIONS, functions=FUNCTIONS, jobs=2)) == one_at_a_time


@pytest.mark.slow
def test_the_stubs_score_zero_with_two_jobs():
    result = grading.grade(ASSIGNMENTS, functions=FUNCTIONS, jobs=3)
    assert {c.assignment for c in result.checks} == {p.name for p in ASSIGNMENTS.iterdir()
                                                     if p.is_dir() and p.name[:2].isdigit()}
    assert result.checks and all(c.score == 0 for c in result.checks)


@pytest.mark.unit
@pytest.mark.parametrize("text", ["0", "-2", "two", "1.5"])
def test_jobs_must_be_a_whole_number_of_at_least_one(text, capsys):
    from autograder.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args(["grade", "--jobs", text])
    assert "--jobs" in capsys.readouterr().err
