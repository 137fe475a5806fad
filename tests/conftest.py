"""Shared fixtures: one sandbox for the whole test session, the reference and the stubs graded
once for every test that compares with them, and grading of mutant notebooks.

A mutant is the reference notebook with one function replaced by a plausible mistake; a test
asserts which checks it fails and that their messages teach (see test_mutants_*.py).

The unit tier (``pytest -m unit``, run first by ``run.py test``) imports no TensorFlow and
starts no sandbox, so that a simple break fails in seconds: a unit test that does either fails
(``pytest_runtest_setup``/``pytest_runtest_call`` below), and tests/test_unit_tier.py checks
the whole tier, collection included. The tests that drive nbgrader, kernels or the grader's
command line have that work started in the background past the unit tier (tests/background.py).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat
import pytest

from autograder import course, grading, quiet
from autograder.sandbox.client import Sandbox
from tests import background

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


@pytest.fixture(scope="session")
def graded_reference(grade_tree):
    """solutions/ graded once, every assignment with its hidden checks (a GradeResult that no
    test changes): what the grading contract, the hostile corpus and nbgrader compare with."""
    return grade_tree(SOLUTIONS)


@pytest.fixture(scope="session")
def graded_stubs(grade_tree):
    """assignments/ (the released stubs) graded once, as graded_reference."""
    return grade_tree(ASSIGNMENTS)


# --- the unit tier: no TensorFlow, no sandbox ---------------------------------------------------

SANDBOX_FIXTURES = {"sandbox", "grade_tree", "grade_mutant", "graded_reference", "graded_stubs"}


def _is_unit(item) -> bool:
    return item.get_closest_marker("unit") is not None


def pytest_collection_modifyitems(config, items):
    """The unit tests run first, then tests/test_unit_tier.py (which checks what they
    imported), then the others, each part in its own order: a simple break fails in seconds
    in any run. A unit test that asks for the sandbox is a mistake in its marks: say so."""
    check = [item for item in items if item.path.name == "test_unit_tier.py"]
    unit = [item for item in items if _is_unit(item) and item not in check]
    items[:] = unit + check + [item for item in items if not _is_unit(item)
                               and item not in check]
    for item in unit:
        uses = sorted(SANDBOX_FIXTURES & set(getattr(item, "fixturenames", ())))
        if uses:
            raise pytest.UsageError(f"{item.nodeid} is marked unit but uses the sandbox "
                                    f"({', '.join(uses)})")


def _refusing_sandbox(*args, **kwargs):
    raise AssertionError("a test marked unit started a grading sandbox: drop its unit mark")


def _unit_phase(item):
    """Run one phase of a test; for a unit test, fail it if it imported TensorFlow (unless an
    earlier test of the session already had) or started a sandbox."""
    if not _is_unit(item):
        return (yield)
    had_tensorflow = "tensorflow" in sys.modules
    original, Sandbox.__init__ = Sandbox.__init__, _refusing_sandbox
    try:
        result = yield
    finally:
        Sandbox.__init__ = original
    if not had_tensorflow and "tensorflow" in sys.modules:
        raise AssertionError(f"{item.nodeid} is marked unit but imported TensorFlow: drop its "
                             "unit mark, or import TensorFlow only where it is needed")
    return result


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _unit_phase(item))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _unit_phase(item))


# --- work in processes of its own, started early (tests/background.py) -------------------------

@pytest.fixture(autouse=True)
def _background_work(request, tmp_path_factory):
    """The first test past the unit tier starts the background work."""
    if not _is_unit(request.node):
        background.start(request.session.items, tmp_path_factory)


def pytest_sessionfinish(session):
    background.stop()


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
