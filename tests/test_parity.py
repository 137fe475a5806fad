"""Does check("f") in a notebook give the score `grade --public-only` gives, check for check?

The notebook's self-check runs the public checks in the kernel (autograder/engine/local.py),
the grader in the sandbox. Both are run here on the same notebooks: the reference, the stubs,
every mutant of tests/test_mutants_0*.py (graded on its own function only) and a solution that
returns tf.Tensor everywhere. The grader side uses the session's sandbox; the notebook side runs
``selfcheck.run`` on the notebook's definitions, which is what ``check()`` runs on the cells a
kernel has executed.
"""

from __future__ import annotations

import textwrap

import nbformat
import pytest

from autograder import selfcheck
from autograder.course import known_assignments
from autograder.engine.catalogue import functions_of
from autograder.submission import extract_definitions, load_definitions
from tests.conftest import ASSIGNMENTS, reference_notebook, replace_function
from tests.test_mutants import MUTANTS_OF

SLOW_FUNCTIONS = {"train_model", "predict_next_close"}  # they train models: seconds per call


def outcomes(results) -> list[tuple]:
    return [(r.id, r.status, r.score) for r in results]


def both_ways(grade_tree, path, function: str) -> tuple[list, list]:
    """(what grade --public-only gives for ``function``, what check(function) gives)."""
    graded = grade_tree(path, public_only=True, functions={function}).checks
    local = selfcheck.run(function, load_definitions(path))
    return outcomes(graded), outcomes(local)


def _notebook_cases():
    for assignment in known_assignments():
        for function in functions_of(assignment):
            marks = [pytest.mark.slow] if function in SLOW_FUNCTIONS else []
            yield pytest.param(assignment, function, marks=marks,
                               id=f"{assignment[:2]}-{function}")


@pytest.mark.parametrize("assignment,function", list(_notebook_cases()))
def test_reference_scores_alike(assignment, function, grade_tree):
    """Does the reference score the same in the notebook and in grading, with full marks?"""
    path = reference_notebook(assignment)
    graded, local = both_ways(grade_tree, path, function)
    assert local == graded
    assert all(status == "passed" for _, status, _ in local), local


@pytest.mark.parametrize("assignment", known_assignments())
def test_stubs_score_alike(assignment, grade_tree):
    """Do the stubs score the same (zero, "not written yet") both ways?"""
    path = next((ASSIGNMENTS / assignment).glob("*.ipynb"))
    definitions = load_definitions(path)
    graded = grade_tree(path, public_only=True).checks
    local = [r for f in functions_of(assignment) for r in selfcheck.run(f, definitions)]
    assert sorted(outcomes(local)) == sorted(outcomes(graded))
    assert all(r.score == 0 for r in local)


def _mutant_cases():
    for assignment, module in MUTANTS_OF.items():
        for name, (function, _, _) in sorted(module.MUTANTS.items()):
            marks = [pytest.mark.slow] if function in SLOW_FUNCTIONS else []
            yield pytest.param(assignment, name, marks=marks, id=f"{assignment[:2]}-{name}")


def write_variant(folder, assignment: str, replacements: dict[str, str]):
    """The reference notebook of ``assignment`` with functions replaced, saved in ``folder``."""
    notebook = nbformat.read(str(reference_notebook(assignment)), as_version=4)
    for name, source in replacements.items():
        replace_function(notebook, name, source)
    path = folder / assignment / reference_notebook(assignment).name
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, str(path))
    return path


@pytest.mark.parametrize("assignment,name", list(_mutant_cases()))
def test_mutant_scores_alike(assignment, name, grade_tree, tmp_path):
    """Does each mutant lose the same checks in the notebook as in grading?"""
    function, source, _ = MUTANTS_OF[assignment].MUTANTS[name]
    path = write_variant(tmp_path, assignment, {function: source})
    graded, local = both_ways(grade_tree, path, function)
    assert local == graded
    assert any(status != "passed" for _, status, _ in local), "the mutant lost nothing"


# Assignment 02 with every function returning TensorFlow values instead of NumPy arrays.
TENSOR_SOLUTION = {
    "rnn_step": '''
def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    import tensorflow as tf
    z = tf.matmul(x_t, kernel) + tf.matmul(h_prev, recurrent_kernel) + bias
    return tf.tanh(z)
''',
    "rnn_forward": '''
def rnn_forward(x, kernel, recurrent_kernel, bias, h0=None):
    import tensorflow as tf
    x = tf.convert_to_tensor(x)
    h = tf.zeros((x.shape[0], recurrent_kernel.shape[0]), x.dtype) if h0 is None else \\
        tf.convert_to_tensor(h0, x.dtype)
    states = []
    for t in range(x.shape[1]):
        h = tf.tanh(tf.matmul(x[:, t], tf.cast(kernel, x.dtype))
                    + tf.matmul(h, tf.cast(recurrent_kernel, x.dtype)) + tf.cast(bias, x.dtype))
        states.append(h)
    return tf.stack(states, axis=1)
''',
    "lstm_step": '''
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    import tensorflow as tf
    z = tf.matmul(x_t, kernel) + tf.matmul(h_prev, recurrent_kernel) + bias
    i, f, c, o = tf.split(z, 4, axis=1)
    c_t = tf.sigmoid(f) * c_prev + tf.sigmoid(i) * tf.tanh(c)
    return tf.sigmoid(o) * tf.tanh(c_t), c_t
''',
    "count_params": '''
def count_params(cell_type, n_features, units):
    import tensorflow as tf
    blocks = {"rnn": (1, 1), "lstm": (4, 1), "gru": (3, 2)}
    if cell_type not in blocks:
        raise ValueError(f"unknown cell_type {cell_type!r}")
    gates, biases = blocks[cell_type]
    return tf.constant(gates * units * (n_features + units + biases))
''',
    "activation_grad": '''
def activation_grad(name, z):
    import tensorflow as tf
    z = tf.convert_to_tensor(z, tf.float64)
    if name == "tanh":
        return 1 - tf.tanh(z) ** 2
    if name == "sigmoid":
        return tf.sigmoid(z) * (1 - tf.sigmoid(z))
    if name == "relu":
        return tf.cast(z > 0, tf.float64)
    raise ValueError(f"unknown name {name!r}")
''',
    "input_gradient_norms": '''
def input_gradient_norms(layer, x):
    import tensorflow as tf
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    return tf.norm(tape.gradient(total, x), axis=(0, 2))
''',
}


def test_a_solution_returning_tensors_scores_full_marks_both_ways(grade_tree, tmp_path):
    """Does assignment 02 written with tf.Tensor results score full marks in grading and in
    the notebook alike (any array-like is accepted, converted in one place)?"""
    path = write_variant(tmp_path, "02_rnn_internals", TENSOR_SOLUTION)
    graded = grade_tree(path, public_only=True).checks
    definitions = load_definitions(path)
    local = [r for f in functions_of("02_rnn_internals") for r in selfcheck.run(f, definitions)]
    assert sorted(outcomes(local)) == sorted(outcomes(graded))
    failing = [(r.id, r.message) for r in graded if not r.passed]
    assert not failing, failing


def test_definitions_only_in_the_notebook_too(grade_tree, tmp_path):
    """Does a function that uses a variable of a cell grading drops fail in check() exactly as
    in grading, with the message that names the cell?"""
    notebook = nbformat.read(str(reference_notebook("01_sequence_data")), as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("LENGTH_FROM_DATA = int(len('abc'))"))
    replace_function(notebook, "make_windows", textwrap.dedent('''
        def make_windows(features, targets, length):
            features = np.asarray(features, dtype=np.float32)
            if length != LENGTH_FROM_DATA:
                pass
            X = np.stack([features[i:i + length] for i in range(len(features) - length)])
            return X, np.asarray(targets, dtype=np.float32)[length:]
    '''))
    path = tmp_path / "01_sequence_data" / "sequence_data.ipynb"
    path.parent.mkdir()
    nbformat.write(notebook, str(path))
    graded, local = both_ways(grade_tree, path, "make_windows")
    assert local == graded and all(status == "error" for _, status, _ in local)
    results = selfcheck.run("make_windows", extract_definitions(notebook))
    assert all("LENGTH_FROM_DATA` is computed in cell" in r.message for r in results)
