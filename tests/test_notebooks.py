"""Do the reference notebooks run top to bottom in a real kernel, as students will run them,
within their time budgets, and print the same numbers every time?"""

import difflib
import functools
import time

import nbclient
import nbformat
import pytest

from autograder.course import known_assignments
from tests.conftest import SOLUTIONS

# Seconds on two CPU cores (issues 2-6): a notebook over its budget is too slow for a class.
TIME_BUDGET = {"01_sequence_data": 120, "02_rnn_internals": 120, "03_recurrent_models": 180,
               "04_evaluate_aapl": 180}


def execute(assignment: str) -> tuple[nbformat.NotebookNode, float]:
    """The reference notebook of ``assignment`` run in a fresh kernel, and the seconds it took."""
    path = next((SOLUTIONS / assignment).glob("*.ipynb"))
    notebook = nbformat.read(str(path), as_version=4)
    client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": str(path.parent)}})
    started = time.monotonic()
    client.execute()
    return notebook, time.monotonic() - started


@functools.cache
def first_run(assignment: str) -> tuple[nbformat.NotebookNode, float]:
    """One run per assignment per session, shared by the tests below."""
    return execute(assignment)


def printed(notebook: nbformat.NotebookNode) -> list[tuple[int, str]]:
    """(cell index, everything the cell printed or displayed as text), for every code cell."""
    cells = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code":
            continue
        text = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                text.append(output.get("text", ""))
            elif output.get("output_type") == "error":
                text.append(f"{output.get('ename')}: {output.get('evalue')}")
            else:
                text.append(output.get("data", {}).get("text/plain", ""))
        cells.append((index, "".join(text)))
    return cells


@pytest.mark.slow
@pytest.mark.parametrize("assignment", known_assignments())
def test_reference_notebook_runs(assignment):
    """Does solutions/<assignment> execute without error within its time budget, with every
    self-check cell passing and nothing written to stderr?"""
    notebook, elapsed = first_run(assignment)
    assert elapsed < TIME_BUDGET.get(assignment, 120), f"{assignment} took {elapsed:.0f} s"
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                pytest.fail(f"stderr in cell {cell.source[:60]!r}: {output.get('text', '')[:300]}")
        if cell.source.startswith("check("):
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "points on the public checks" in text and "FAIL" not in text, text


@pytest.mark.slow
@pytest.mark.parametrize("assignment", known_assignments())
def test_reference_notebook_prints_the_same_numbers_twice(assignment):
    """Do two fresh kernels print exactly the same text in every code cell (numbers, tables,
    figure sizes), so that the numbers the prose relies on are the numbers every student sees?
    Nothing is masked: a cell that prints a timing or a memory address fails this test."""
    first, _ = first_run(assignment)
    second, elapsed = execute(assignment)
    assert elapsed < TIME_BUDGET.get(assignment, 120), f"{assignment} took {elapsed:.0f} s"
    for (index, a), (_, b) in zip(printed(first), printed(second)):
        assert a == b, (f"cell {index} printed different text in two fresh kernels:\n"
                        + "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(),
                                                         "first run", "second run", lineterm="")))
