"""Shared fixtures: one sandbox for the whole test session, and grading of mutant notebooks.

A mutant is the reference notebook with one function replaced by a plausible mistake; a test
asserts which checks it fails and that their messages teach (see test_mutants_*.py).
"""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import pytest

from autograder import course, grading, quiet
from autograder.sandbox.client import Sandbox

quiet.silence_tensorflow()

ROOT, SOLUTIONS, ASSIGNMENTS = course.ROOT, course.SOLUTIONS, course.ASSIGNMENTS


@pytest.fixture(scope="session")
def sandbox():
    with Sandbox(hide=course.private_folders()) as box:
        yield box


@pytest.fixture(scope="session")
def grade_tree(sandbox):
    """grade_tree(path, **options) -> GradeResult, using the session's sandbox."""
    def run(path, **options):
        return grading.grade(Path(path), sandbox=sandbox, **options)
    return run


reference_notebook = course.reference_notebook


def find_definition(notebook: nbformat.NotebookNode, name: str) -> tuple[int, ast.stmt]:
    """(index of the code cell, its top-level node) that defines ``name``."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if getattr(node, "name", None) == name:
                return index, node
    raise KeyError(f"no definition of {name} in the notebook")


def replace_function(notebook: nbformat.NotebookNode, name: str, source: str) -> None:
    """Replace the top-level ``def name`` (or class) in whichever code cell defines it."""
    index, node = find_definition(notebook, name)
    cell = notebook.cells[index]
    lines = cell.source.splitlines()
    start = min([node.lineno] + [d.lineno for d in node.decorator_list]) - 1
    lines[start:node.end_lineno] = source.strip("\n").splitlines()
    cell.source = "\n".join(lines)


@pytest.fixture(scope="session")
def grade_mutant(grade_tree, tmp_path_factory):
    """grade_mutant(assignment, {function: new source}) -> GradeResult of that assignment,
    graded with its hidden checks, only the mutated functions' checks."""
    def run(assignment: str, replacements: dict[str, str]):
        notebook = nbformat.read(str(reference_notebook(assignment)), as_version=4)
        for name, source in replacements.items():
            replace_function(notebook, name, source)
        folder = tmp_path_factory.mktemp("mutant") / assignment
        folder.mkdir()
        path = folder / reference_notebook(assignment).name
        nbformat.write(notebook, str(path))
        return grade_tree(path, functions=set(replacements))
    return run


def by_id(result) -> dict:
    """{check id: CheckResult} of a GradeResult."""
    return {c.id: c for c in result.checks}
