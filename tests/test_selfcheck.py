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
    """Does check("make_windows") pass on the reference and say so?"""
    selfcheck.check("make_windows", _namespace("01_sequence_data"))
    out = capsys.readouterr().out
    total = release.selfcheck_points("01_sequence_data")["make_windows"]
    assert f"make_windows: {total:g}/{total:g} points on the public checks" in out
    assert "FAIL" not in out


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
    with pytest.raises(AssertionError):
        selfcheck.check("make_windows", namespace)
    out = capsys.readouterr().out
    graded = grade_mutant("01_sequence_data", {"make_windows": wrong})
    alignment = [c for c in graded.checks if c.id == "make_windows.alignment"][0]
    assert alignment.status == "failed" and alignment.message in out


def test_unknown_function_is_a_clear_error():
    """Does a misspelt function name get a clear error rather than silence?"""
    with pytest.raises(ValueError, match="no checks"):
        selfcheck.check("make_window", {})
