"""nbgrader, exactly as an instructor runs it, gives the grader's score, check cell by check cell.

A temporary course (tests/nbgrader_course.py) runs the real `nbgrader generate_assignment`,
`autograde` and `export` on three submissions of each assignment: the reference, the stubs,
and the reference with one mistake (a mutant of tests/test_mutants_NN.py that loses some of a
function's checks but not all, so partial credit shows). nbgrader's total of each must equal
`grade`'s full grade of the same notebook (hidden checks included: they are installed in this
repository), and each `check("f")` cell must score what the checks of `f` score.

nbgrader executes every notebook top to bottom, training cells included: this is the slowest
test of the repository (docs/integrations.md gives the time). Its commands run in processes of
their own, so each course is started in the background at the beginning of the session
(tests/background.py) and runs on the second core beside the tests before this one. The reference
and the stubs are graded once for the session (conftest.py): a test asserts that nbgrader's
copies hold the very definitions graded there, which is all grading reads of a notebook.
"""

import json
from dataclasses import dataclass, field

import pytest
from traitlets.config.loader import PyFileConfigLoader

from autograder import release
from autograder.course import ROOT, known_assignments
from autograder.outcomes import GradeResult
from autograder.submission import load_definitions
from tests import background
from tests.conftest import ASSIGNMENTS, reference_notebook
from tests.nbgrader_course import NbgraderCourse, with_function
from tests.test_mutants import MUTANTS_OF

# One mistake per assignment, chosen to lose part of a function's points, not all of them.
MISTAKES = {
    "01_sequence_data": "windows_target_one_row_early",
    "02_rnn_internals": "relu_grad_one_at_zero",
    "03_recurrent_models": "classifier_without_sigmoid",
    "04_evaluate_aapl": "rmse_reports_mse",
}
STUDENTS = ("reference", "stubs", "mistake")
# The slowest cell of the reference notebooks under nbgrader, two cores loaded six-fold (04's
# check("predict_next_close") and 03's training, docs/integrations.md); the TensorFlow import
# cell once took 47 s on a busy machine.
SLOWEST_CELL_SECONDS = 47


@pytest.mark.unit
def test_config_gives_every_cell_time_on_a_loaded_machine():
    """Does nbgrader_config.py lift nbgrader's 30 s per cell, which dropped whole submissions,
    well above the slowest cell measured, and give a kernel time to start under load?"""
    config = PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config()
    assert config.Execute.timeout >= 5 * SLOWEST_CELL_SECONDS
    assert config.Execute.startup_timeout >= 120
    assert config.CourseDirectory.source_directory == "solutions"
    assert config.CourseDirectory.release_directory == "assignments"


def by_function(result) -> dict[str, tuple[float, float]]:
    """{function: (score, max_score)} of a GradeResult."""
    totals: dict[str, tuple[float, float]] = {}
    for c in result.checks:
        score, most = totals.get(c.function, (0.0, 0.0))
        totals[c.function] = (score + c.score, most + c.max_score)
    return totals


@dataclass
class NbgraderRun:
    """What nbgrader did with one assignment's course: the three submissions autograded."""

    course: NbgraderCourse
    released: str = ""  # generate_assignment's release, as text
    log: str = ""  # autograde's output
    exported: dict = field(default_factory=dict)  # export: {(student, assignment): (score, most)}
    cells: dict = field(default_factory=dict)  # {student: {check cell: (score, most)}}
    slowest: float = 0.0  # the reference's slowest cell, in seconds


def run_nbgrader(assignment: str, course: NbgraderCourse) -> NbgraderRun:
    """nbgrader generate_assignment, the three submissions, autograde and export, as an
    instructor runs them; nothing here grades with our grader."""
    done = NbgraderRun(course)
    done.released = course.generate(assignment).read_text()
    function, source, _ = MUTANTS_OF[assignment].MUTANTS[MISTAKES[assignment]]
    reference = course.reference(assignment)
    course.submit("reference", assignment, reference)
    course.submit("stubs", assignment, course.stub(assignment))
    course.submit("mistake", assignment, with_function(reference, function, source))
    done.log = course.autograde(assignment)
    done.exported = course.export()
    done.cells = {student: course.cell_scores(student, assignment) for student in STUDENTS}
    done.slowest = max(course.cell_seconds("reference", assignment).values())
    return done


def background_jobs(tmp_path_factory, items) -> dict:
    """Each selected assignment's course, a job (tests/background.py)."""
    jobs = {}
    for item in items:
        if hasattr(item, "callspec"):  # the test of each assignment, not the config's
            assignment = item.callspec.params["assignment"]
            course = NbgraderCourse(tmp_path_factory.mktemp(f"nbgrader-{assignment}") /
                                    "course", [assignment])
            jobs[assignment] = (run_nbgrader, (assignment, course))
    return jobs


def graded_as(assignment: str, shared: GradeResult, notebook, model) -> GradeResult:
    """``shared``'s checks of ``assignment`` (solutions/ or assignments/ graded for the session),
    once ``notebook`` (nbgrader's copy) is shown to hold the definitions of ``model``: grading
    reads nothing else of a notebook, so it grades the two alike."""
    assert load_definitions(notebook) == load_definitions(model), \
        f"{notebook} is graded as {model}, but their definitions differ"
    return GradeResult(checks=[c for c in shared.checks if c.assignment == assignment])


@pytest.mark.slow
@pytest.mark.parametrize("assignment", known_assignments())
def test_nbgrader_scores_as_the_grader(assignment, grade_tree, graded_reference, graded_stubs):
    """Do nbgrader's autograde and export give the reference, the stubs and a one-mistake
    submission exactly `grade`'s total and maximum, and each check cell its function's points,
    with no submission dropped?"""
    run = background.result(__name__, assignment)
    course = run.course
    committed = ASSIGNMENTS / assignment / course.released(assignment).name
    assert json.loads(run.released) == json.loads(committed.read_text()), \
        "nbgrader's own generate_assignment gives the committed release"
    assert "Removing failed" not in run.log, run.log[-3000:]
    exported = run.exported

    points = release.nbgrader_points(assignment)
    grades = {
        "reference": graded_as(assignment, graded_reference,
                               course.submitted("reference", assignment),
                               reference_notebook(assignment)),
        "stubs": graded_as(assignment, graded_stubs, course.submitted("stubs", assignment),
                           committed),
        "mistake": grade_tree(course.submitted("mistake", assignment)),
    }
    for student in STUDENTS:
        graded = grades[student]
        assert exported[(student, assignment)] == (graded.score, graded.max_score), (
            student, exported[(student, assignment)], graded.score, graded.max_score)
        cells = run.cells[student]
        expected = {f"check_{f}": totals for f, totals in by_function(graded).items()}
        assert cells == expected, (student, cells, expected)
        assert {name: most for name, (_, most) in cells.items()} == {
            f"check_{f}": p for f, p in points.items()}
    reference_score, most = exported[("reference", assignment)]
    assert reference_score == most
    assert exported[("stubs", assignment)][0] == 0
    assert 0 < exported[("mistake", assignment)][0] < most
    print(f"{assignment}: nbgrader {course.elapsed}; slowest cell {run.slowest:.0f} s")
    assert run.slowest < PyFileConfigLoader("nbgrader_config.py", path=str(ROOT)).load_config(
    ).Execute.timeout / 3, "the per-cell limit leaves too little room on a loaded machine"
