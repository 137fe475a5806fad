"""Write a small class for the batch tests: five students, each a classic case.

    abe/assignments/01_sequence_data/   every function loops forever      (a student repository)
    ben/01_sequence_data/               the generated stubs               (nbgrader's submitted/)
    cam/assignments/01_sequence_data/   make_windows one row early        (a realistic mistake)
    eli/01_sequence_data/               the add_target cell does not parse (a syntax error)
    eve/assignments/01_sequence_data/   the reference, locals renamed, comments gone (a copy)

The looping student comes first, so a batch with two workers starts it at once and grades the
others beside it; of two shards, it shares one with eve, and the other three make the other.
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat

from tests.conftest import ASSIGNMENTS, SOLUTIONS, replace_function
from tests.test_mutants_01 import MUTANTS

ASSIGNMENT = "01_sequence_data"
NOTEBOOK = "sequence_data.ipynb"
FUNCTIONS = ["load_prices", "add_target", "split_chronologically", "standardize",
             "make_windows", "make_dataset", "prepare_data"]
STUDENTS = ["abe", "ben", "cam", "eli", "eve"]
LOOPER, STUBS, MISTAKE, SYNTAX_ERROR, COPY = STUDENTS
REPOSITORY_LAYOUT = {LOOPER, MISTAKE, COPY}  # the others in nbgrader's layout


def reference() -> nbformat.NotebookNode:
    return nbformat.read(str(SOLUTIONS / ASSIGNMENT / NOTEBOOK), as_version=4)


def stubs() -> nbformat.NotebookNode:
    return nbformat.read(str(ASSIGNMENTS / ASSIGNMENT / NOTEBOOK), as_version=4)


def looping() -> nbformat.NotebookNode:
    notebook = stubs()
    for name in FUNCTIONS:
        replace_function(notebook, name, f"def {name}(*args, **kwargs):\n    steps = 0\n"
                                         "    while True:\n        steps += 1\n")
    return notebook


def mistake() -> nbformat.NotebookNode:
    notebook = reference()
    function, source, _ = MUTANTS["windows_target_one_row_early"]
    replace_function(notebook, function, source)
    return notebook


def syntax_error() -> nbformat.NotebookNode:
    notebook = reference()
    for cell in notebook.cells:
        if cell.cell_type == "code" and "def add_target(" in cell.source:
            cell.source += "\n    return out.copy(\n"  # an unclosed parenthesis
            return notebook
    raise AssertionError("the reference has no add_target cell")


def renamed_copy() -> nbformat.NotebookNode:
    """The reference with every local variable renamed and comments and layout rewritten,
    as a student hiding a copy would do: the same behaviour, other text."""
    notebook = reference()
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        if not any(isinstance(n, ast.FunctionDef) for n in tree.body):
            continue
        for node in tree.body:
            if isinstance(node, ast.FunctionDef):
                _rename_locals(node)
        cell.source = "# my own solution\n" + ast.unparse(tree)
    return notebook


def _rename_locals(function: ast.FunctionDef) -> None:
    parameters = {a.arg for a in ast.walk(function.args) if isinstance(a, ast.arg)}
    declared = {name for n in ast.walk(function) if isinstance(n, (ast.Global, ast.Nonlocal))
                for name in n.names}
    stored = sorted({n.id for n in ast.walk(function)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
                    - parameters - declared)
    names = {old: f"tmp_{i}" for i, old in enumerate(stored)}
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and node.id in names:
            node.id = names[node.id]


NOTEBOOKS = {LOOPER: looping, STUBS: stubs, MISTAKE: mistake, SYNTAX_ERROR: syntax_error,
             COPY: renamed_copy}


def tree_of(class_dir: Path, student: str) -> Path:
    """The folder of assignment folders ``grade`` is given for the student."""
    folder = Path(class_dir) / student
    return folder / "assignments" if student in REPOSITORY_LAYOUT else folder


def write_class(class_dir: Path) -> Path:
    for student, make in NOTEBOOKS.items():
        folder = tree_of(class_dir, student) / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(make(), str(folder / NOTEBOOK))
    return Path(class_dir)
