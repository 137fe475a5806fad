"""One GitHub Classroom template repository per assignment, audited for answers it gives away."""

import ast
import shutil

import nbformat
import pytest

from autograder import answers, bundle
from autograder.course import known_assignments
from autograder.engine.catalogue import functions_of
from tests.conftest import ASSIGNMENTS, ROOT, SOLUTIONS

pytestmark = pytest.mark.unit

PIPELINE = sorted(["load_prices", "add_target", "split_chronologically", "standardize",
                   "make_windows", "prepare_data"])


def _copy_cell_of_03() -> str:
    """The cell in which notebook 03 reuses assignment 01's pipeline."""
    cells = nbformat.read(str(ASSIGNMENTS / "03_recurrent_models" / "recurrent_models.ipynb"),
                          as_version=4).cells
    return next(c.source for c in cells if c.cell_type == "code" and "def prepare_data" in c.source)


def test_a_bundle_holds_one_assignment(tmp_path):
    """Does the repository of 01 hold its notebook, its public checks, a workflow with its one
    runner and a .gitignore for result.json, and nothing of the other assignments?"""
    made = bundle.write_bundle(tmp_path / "repo", "01_sequence_data")
    files = made.files
    assert "assignments/01_sequence_data/sequence_data.ipynb" in files
    assert any(f.startswith("autograder/checks/01_sequence_data/test_") for f in files)
    for other in known_assignments()[1:]:
        assert not any(other in f for f in files), other
    assert not any("/hidden/" in f or f.startswith(("solutions", "tests", "tools")) for f in files)
    workflow = (tmp_path / "repo" / ".github" / "workflows" / "classroom.yml").read_text()
    assert "runners: a01\n" in workflow
    assert "result.json" in (tmp_path / "repo" / ".gitignore").read_text().splitlines()
    assert made.reveals == {}
    assert "REVEALS" not in "\n".join(made.report())


def test_a_later_notebook_ships_earlier_answers_only_when_declared(tmp_path):
    """Is the repository of 03, whose notebook reuses 01's pipeline, refused until it declares
    that it reveals 01, and does it then say so in its README and the audit's report?"""
    with pytest.raises(bundle.BundleError) as refused:
        bundle.write_bundle(tmp_path / "03", "03_recurrent_models")
    assert "01_sequence_data" in str(refused.value) and "--reveals" in str(refused.value)
    assert all(name in str(refused.value) for name in PIPELINE)
    assert not (tmp_path / "03").exists(), "a refused bundle is removed"

    made = bundle.write_bundle(tmp_path / "03", "03_recurrent_models",
                               reveals=["01_sequence_data"])
    assert made.reveals == {"01_sequence_data": PIPELINE}
    readme = (tmp_path / "03" / "README.md").read_text()
    assert "01_sequence_data" in readme and "deadline" in readme
    assert any("REVEALS the answers of 01_sequence_data" in line for line in made.report())


def test_bundling_every_assignment_is_all_or_nothing(tmp_path):
    """Does `bundle OUT` write one repository per assignment, and none when one is refused?"""
    with pytest.raises(bundle.BundleError):
        bundle.write_bundles(tmp_path / "all")
    assert not any((tmp_path / "all").glob("*/README.md"))
    made = bundle.write_bundles(tmp_path / "every", reveals=["01_sequence_data"])
    assert [b.assignment for b in made] == known_assignments()
    assert {b.assignment for b in made if b.reveals} == {"03_recurrent_models", "04_evaluate_aapl"}


def _course_with(tmp_path, assignment: str, notebook: nbformat.NotebookNode):
    """A course root like this repository's, with ``assignment``'s student copy replaced."""
    root = tmp_path / "course"
    root.mkdir()
    for name in bundle.SHIPPED + ["solutions"]:
        (root / name).symlink_to(ROOT / name)
    for other in known_assignments():
        shutil.copytree(ASSIGNMENTS / other, root / "assignments" / other)
    path = next((root / "assignments" / assignment).glob("*.ipynb"))
    nbformat.write(notebook, str(path))
    return root


def test_03s_copy_pasted_into_01s_stub_is_caught(tmp_path):
    """Would a release of 01 whose stub holds 03's working pipeline (56 of 72 points when
    graded) be refused?"""
    notebook = nbformat.read(str(ASSIGNMENTS / "01_sequence_data" / "sequence_data.ipynb"),
                             as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(_copy_cell_of_03()))
    root = _course_with(tmp_path, "01_sequence_data", notebook)
    with pytest.raises(bundle.BundleError) as refused:
        bundle.write_bundle(tmp_path / "out", "01_sequence_data", root=root)
    assert "its own graded functions" in str(refused.value)
    assert all(name in str(refused.value) for name in PIPELINE)


def _renamed(function: ast.FunctionDef, new_name: str) -> str:
    """The function under another name, every argument and variable renamed too."""
    function = ast.parse(ast.unparse(function)).body[0]
    function.name = new_name
    local = {a.arg for a in function.args.args} | {
        n.id for n in ast.walk(function)
        if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for node in ast.walk(function):
        if isinstance(node, ast.arg) and node.arg in local:
            node.arg = "my_" + node.arg
        elif isinstance(node, ast.Name) and node.id in local:
            node.id = "my_" + node.id
    return ast.unparse(function)


def test_a_renamed_copy_of_a_reference_is_caught(tmp_path):
    """Is a reference body found under another function name, with renamed variables and
    without its docstring, in another assignment's notebook?"""
    reference = next(f for f in answers._functions(SOLUTIONS / "02_rnn_internals" /
                                                   "rnn_internals.ipynb")
                     if f.name == "lstm_step")
    notebook = nbformat.read(str(ASSIGNMENTS / "04_evaluate_aapl" / "evaluate_aapl.ipynb"),
                             as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import numpy as np\n\n\n"
                                                    + _renamed(reference, "helper_cell")))
    path = tmp_path / "evaluate_aapl.ipynb"
    nbformat.write(notebook, str(path))
    found = [f for f in answers.find_answers(tmp_path, [path.name])
             if f.assignment == "02_rnn_internals"]
    assert [(f.function, f.graded, f.how) for f in found] == [
        ("helper_cell", "lstm_step", "the reference's code")]


def test_released_stubs_and_the_grader_give_nothing_away():
    """Do the student copies hold no answer of their own, and the grader's modules none at
    all (its helpers share names with graded functions but not their code)?"""
    files = [str(p.relative_to(ROOT)) for p in (ROOT / "autograder").rglob("*.py")]
    assert answers.find_answers(ROOT, files) == []
    for assignment in known_assignments():
        notebook = next((ASSIGNMENTS / assignment).glob("*.ipynb"))
        found = answers.find_answers(ROOT, [str(notebook.relative_to(ROOT))])
        assert not [f for f in found if f.assignment == assignment]
        assert set(functions_of(assignment)) <= set(
            f.name for f in answers._functions(notebook) if answers.is_stub(f))


def test_audit_catches_instructor_files_and_junk():
    """Would a reference notebook, a hidden check or a cache in the list be refused?"""
    problems = bundle.audit(["solutions/01_x/x.ipynb", "autograder/checks/01_x/hidden/test_a.py",
                             "autograder/__pycache__/a.pyc", "tests/test_a.py"])
    assert len(problems) == 4


def test_bundle_command_prints_the_audit(tmp_path, capsys):
    """Does `bundle OUT --assignment ID --reveals ID` print what the repository reveals, and a
    refused one exit 2 with the reason?"""
    from autograder import cli

    assert cli.main(["bundle", str(tmp_path / "a"), "--assignment", "04_evaluate_aapl"]) == 2
    assert "--reveals 01_sequence_data" in capsys.readouterr().err
    assert cli.main(["bundle", str(tmp_path / "b"), "--assignment", "04_evaluate_aapl",
                     "--reveals", "01_sequence_data"]) == 0
    out = capsys.readouterr().out
    assert "REVEALS the answers of 01_sequence_data (add_target, load_prices, make_windows)" in out
    assert (tmp_path / "b" / "assignments" / "04_evaluate_aapl" / "evaluate_aapl.ipynb").exists()
