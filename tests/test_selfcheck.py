"""The notebook self-check runs the grading checks on the kernel's own functions."""

import nbformat
import pytest

from autograder import release, selfcheck
from autograder.submission import extract_definitions
from tests.conftest import reference_notebook


def _namespace(assignment):
    """The reference's definitions, executed as a kernel would hold them."""
    namespace = {}
    notebook = nbformat.read(str(reference_notebook(assignment)), as_version=4)
    for statement in extract_definitions(notebook).statements:
        exec(compile(statement.source, "<cell>", "exec"), namespace)
    return namespace


def test_reference_function_passes(capsys):
    """Does check("make_windows") pass on the reference, say so, and give as its value every
    point of the function: the hidden checks' too, since they are installed here?"""
    earned = selfcheck.check("make_windows", _namespace("01_sequence_data"))
    out = capsys.readouterr().out
    total = release.selfcheck_points("01_sequence_data")["make_windows"]
    assert f"make_windows: {total:g}/{total:g} points on the public checks" in out
    assert "FAIL" not in out and "hidden checks (installed here)" in out
    assert earned == release.nbgrader_points("01_sequence_data")["make_windows"] > total


def test_a_students_copy_counts_the_public_checks(monkeypatch, capsys):
    """Without hidden checks (a student's copy), is the value the public points earned?"""
    monkeypatch.setattr(selfcheck, "hidden_checks_installed", lambda assignment: False)
    earned = selfcheck.check("make_windows", _namespace("01_sequence_data"))
    assert earned == release.selfcheck_points("01_sequence_data")["make_windows"]
    assert "hidden" not in capsys.readouterr().out.split("points on the public checks")[1]


def test_wrong_function_gets_the_graders_hint(capsys, grade_mutant):
    """Does a student see, in the notebook, the very message the grader gives?"""
    wrong = ("def make_windows(features, targets, length):\n"
             "    import numpy as np\n"
             "    f = np.asarray(features, dtype=np.float32)\n"
             "    t = np.asarray(targets, dtype=np.float32)\n"
             "    X = np.stack([f[i:i + length] for i in range(len(f) - length)])\n"
             "    return X, t[length - 1:-1]\n")
    namespace = _namespace("01_sequence_data")
    exec(wrong, namespace)
    earned = selfcheck.check("make_windows", namespace)  # a number, never an error: nbgrader
    out = capsys.readouterr().out  # takes it as the cell's partial credit
    graded = grade_mutant("01_sequence_data", {"make_windows": wrong})
    alignment = [c for c in graded.checks if c.id == "make_windows.alignment"][0]
    assert alignment.status == "failed" and alignment.message in out
    assert earned == sum(c.score for c in graded.checks if c.function == "make_windows")


def test_unknown_function_is_a_clear_error():
    """Does a misspelt function name get a clear error rather than silence?"""
    with pytest.raises(ValueError, match="no checks"):
        selfcheck.check("make_window", {})
