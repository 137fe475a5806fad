"""Do the reference notebooks run top to bottom in a real kernel, as students will run them,
within their time budgets, and print the same numbers every time?

Each notebook runs in a process of its own (nbclient and a kernel), started in the background
at the beginning of the session (tests/background.py): a kernel spends most of a notebook
importing and computing on one core, beside the tests that run before this one.
"""

import difflib
import json
import subprocess
import sys

import nbformat
import pytest

from autograder.course import known_assignments
from tests import background
from tests.conftest import ROOT, SOLUTIONS

# Seconds on two CPU cores (issues 2-6): a notebook over its budget is too slow for a class.
TIME_BUDGET = {"01_sequence_data": 120, "02_rnn_internals": 120, "03_recurrent_models": 180,
               "04_evaluate_aapl": 180}

# Run in a fresh process: execute PATH in a python3 kernel started in its folder, write the
# executed notebook to OUT, print the seconds the execution took (kernel start included).
EXECUTE = """
import sys, time
import nbclient, nbformat
path, folder, out = sys.argv[1:]
notebook = nbformat.read(path, as_version=4)
client = nbclient.NotebookClient(notebook, timeout=600, kernel_name="python3",
                                 resources={"metadata": {"path": folder}})
started = time.monotonic()
client.execute()
elapsed = time.monotonic() - started
nbformat.write(notebook, out)
print(elapsed)
"""


def execute(assignment: str, out_folder) -> tuple[nbformat.NotebookNode, float]:
    """(the executed notebook, seconds its execution took) of solutions/<assignment>."""
    path = next((SOLUTIONS / assignment).glob("*.ipynb"))
    out = out_folder / path.name
    done = subprocess.run([sys.executable, "-c", EXECUTE, str(path), str(path.parent), str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{assignment} did not run:\n{done.stderr[-4000:]}"
    return nbformat.read(str(out), as_version=4), json.loads(done.stdout.splitlines()[-1])


def background_jobs(tmp_path_factory, items) -> dict:
    """Each selected assignment's executions, a job each (tests/background.py): the first run
    for both tests below, a second one, in another fresh kernel, for the comparison."""
    jobs = {}
    for item in items:
        assignment = item.callspec.params["assignment"]
        twice = item.originalname == "test_reference_notebook_prints_the_same_numbers_twice"
        runs = (0, 1) if twice else (0,)
        for run in runs:
            jobs[(assignment, run)] = (execute, (
                assignment, tmp_path_factory.mktemp(f"executed-{assignment}-{run}")))
    return jobs


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
    notebook, elapsed = background.result(__name__, (assignment, 0))
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
    first, _ = background.result(__name__, (assignment, 0))
    second, elapsed = background.result(__name__, (assignment, 1))
    assert elapsed < TIME_BUDGET.get(assignment, 120), f"{assignment} took {elapsed:.0f} s"
    for (index, a), (_, b) in zip(printed(first), printed(second)):
        assert a == b, (f"cell {index} printed different text in two fresh kernels:\n"
                        + "\n".join(difflib.unified_diff(a.splitlines(), b.splitlines(),
                                                         "first run", "second run", lineterm="")))
