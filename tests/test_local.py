"""The notebook's side of the sandbox's rules (autograder/engine/local.py), in this process."""

import dataclasses
import time

import nbformat
import numpy as np
import pytest

from autograder.engine.local import LocalSession, kernel_definitions
from autograder.engine.runner import run_checks
from autograder.engine.student import Loaded, LocalStudent, SandboxStudent
from autograder.outcomes import CheckTimeout, StudentError
from autograder.sandbox import wire
from autograder.submission import extract_definitions
from tests.conftest import reference_notebook, replace_function


def _definitions(*sources):
    return extract_definitions(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(s) for s in sources]))


def test_time_limit_ends_a_call_that_never_returns():
    """Does a call that loops or sleeps past the check's time end with CheckTimeout, soon?"""
    definitions = _definitions("import time\n\ndef sleeps():\n    time.sleep(30)\n",
                               "def loops():\n    while True:\n        pass\n")
    for name in ("sleeps", "loops"):
        session = LocalSession(definitions, 1.0)
        started = time.monotonic()
        with pytest.raises(CheckTimeout):
            session.call(name)
        assert time.monotonic() - started < 5
        session.close()


def test_values_make_the_wires_round_trip():
    """Do arguments arrive as copies, array-likes as arrays and objects as Remote handles that
    probes resolve, as in the sandbox?"""
    definitions = _definitions(
        "import numpy as np\n",
        "class Box:\n    def __array__(self, dtype=None, copy=None):\n"
        "        return np.arange(3.0)\n",
        "def boxed():\n    return Box()\n",
        "def opaque():\n    return object()\n",
        "def grows(values):\n    values.append(1)\n    return len(values)\n")
    session = LocalSession(definitions, 10.0)
    assert isinstance(session.call("boxed"), np.ndarray)
    assert isinstance(session.call("opaque"), wire.Remote)
    values = [0]
    assert session.call("grows", values) == 2 and values == [0]
    with pytest.raises(StudentError) as raised:
        session.call("missing")
    assert raised.value.kind == "missing"
    session.close()


@pytest.mark.unit
def test_kernel_history_numbers_cells_by_execution_count():
    """Does "cell N" in a message mean the cell Jupyter marks [N]?"""
    found = kernel_definitions(["", "import numpy as np", "data = np.load('x')",
                                "def f():\n    return data"])
    assert found.defined_names() == {"np", "f"}
    assert found.dropped_names == {"data": 2}


def test_a_loop_times_out_alike_in_the_notebook_and_in_grading(sandbox, tmp_path):
    """Does an endless loop give the same timeouts, then the same skipped checks, both ways?"""
    notebook = nbformat.read(str(reference_notebook("01_sequence_data")), as_version=4)
    replace_function(notebook, "make_windows",
                     "def make_windows(features, targets, length):\n    while True:\n        pass\n")
    definitions = extract_definitions(notebook)

    def capped(check):
        return dataclasses.replace(check, timeout=1.0)

    local_loaded, graded_loaded = Loaded(definitions), Loaded(definitions)
    local = run_checks("01_sequence_data", lambda c: LocalStudent(capped(c), local_loaded),
                       public_only=True, functions={"make_windows"}).results
    graded = run_checks("01_sequence_data",
                        lambda c: SandboxStudent(capped(c), sandbox, graded_loaded),
                        public_only=True, functions={"make_windows"}).results
    assert [(r.id, r.status, r.message) for r in local] == \
        [(r.id, r.status, r.message) for r in graded]
    assert {r.status for r in local} == {"timeout"}
