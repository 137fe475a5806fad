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


@pytest.mark.unit
def test_unknown_function_is_a_clear_error():
    """Does a misspelt function name get a clear error rather than silence?"""
    with pytest.raises(ValueError, match="no checks"):
        selfcheck.check("make_window", {})


def _run_cells(shell, *sources):
    for source in sources:
        shell.run_cell(source, store_history=True)


@pytest.fixture
def shell():
    """An IPython shell in this process, as a notebook's kernel holds one."""
    from IPython.core.interactiveshell import InteractiveShell

    instance = InteractiveShell.instance()
    yield instance
    InteractiveShell.clear_instance()


def test_check_in_ipython_runs_the_definitions_only(shell, capsys):
    """In a kernel, does check() run only the definitions of the cells run so far, so a
    function that uses a variable of a dropped cell fails as in grading, with the grader's
    message naming that cell (and its hint)?"""
    _run_cells(shell, "import numpy as np\nfrom autograder.selfcheck import check",
               "LENGTH = int('3')",  # a call: grading drops this cell
               "def make_windows(features, targets, length):\n"
               "    f = np.asarray(features, dtype=np.float32)\n"
               "    X = np.stack([f[i:i + LENGTH] for i in range(len(f) - LENGTH)])\n"
               "    return X, np.asarray(targets, dtype=np.float32)[LENGTH:]\n")
    capsys.readouterr()
    result = shell.run_cell('check("make_windows")', store_history=True)
    out = capsys.readouterr().out
    assert result.error_in_exec is None and result.result == 0.0  # the cell's value: no points
    assert "`LENGTH` is computed in cell 2, which does not run during grading" in out
    assert "Hint: X has shape (n - length, length, D)" in out
    assert "note: outside IPython" not in out


def test_output_holds_message_and_hint_whole(capsys):
    """Does check() print, for a failing check, the grader's whole message and the check's
    whole hint, and keep passing checks to one line each?"""
    namespace = _namespace("01_sequence_data")
    exec("def split_chronologically(df, train_frac=0.7, val_frac=0.15):\n"
         "    n = len(df)\n"
         "    a, b = round(n * train_frac), round(n * val_frac)\n"
         "    return df.iloc[:a], df.iloc[a:a + b], df.iloc[a + b:]\n", namespace)
    earned = selfcheck.check("split_chronologically", namespace)
    out = capsys.readouterr().out
    assert earned < release.nbgrader_points("01_sequence_data")["split_chronologically"]
    message = ("19 rows with 0.7/0.15 gave (13, 3, 3): the sizes were rounded. int() truncates: "
               "int(13.3)=13, int(2.85)=2, so (13, 2, 4)")
    hint = ("Hint: n_train = int(n * train_frac) and n_val = int(n * val_frac) (int truncates; "
            "do not round); test takes the rest.")
    assert message in " ".join(out.split()) and hint in " ".join(out.split())
    passing = [line for line in out.splitlines() if line.startswith("ok")]
    assert passing and all("(" in line and "Hint" not in line for line in passing)


def test_outside_ipython_it_says_what_it_checked(capsys):
    """Without a kernel's history, does check() fall back to the caller's globals and say so?"""
    assert selfcheck.check("make_windows") == 0.0  # this module defines no make_windows
    out = capsys.readouterr().out
    assert "note: outside IPython: checked the functions as defined in the caller's globals" in out
