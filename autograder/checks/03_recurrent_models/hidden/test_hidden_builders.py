"""Hidden checks of build_model and build_stacked_model: random shapes, any case, edge stacks."""

import itertools

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import raises_value_error
from autograder.expected.recurrent_models import (CELL_CLASSES, RECURRENT, describe_built,
                                             expected_description, first_difference,
                                             model_layers)

RNG_SEED = 303


@check("build_model.random_shapes", points=2,
       hint="The input is (window_length, n_features) and the recurrent layer has `units`, "
            "whatever their values; the head, loss and metric follow `task`.")
def test_build_model_random_shapes(student):
    rng = np.random.default_rng(RNG_SEED)
    for cell_type, task in itertools.product(CELL_CLASSES, ("classification", "regression")):
        T, D, H = (int(rng.integers(2, 30)), int(rng.integers(1, 8)), int(rng.integers(1, 40)))
        expected = expected_description(cell_type, T, D, units=(H,), task=task)
        got = describe_built(student, "build_model", cell_type, T, D, units=H, task=task)
        difference = first_difference(expected, got)
        assert difference is None, \
            f"build_model({cell_type!r}, ..., task={task!r}) for random sizes differs from " \
            f"the expected model at {difference}"


@check("build_model.case_insensitive", points=1,
       hint="Compare cell_type.lower() with the names: 'LSTM', 'Gru' and 'rnn' are all valid.")
def test_build_model_case_insensitive(student):
    for cell_type in ("LSTM", "Gru", "RNN"):
        layers = model_layers(describe_built(student, "build_model", cell_type, 4, 2,
                                             units=3))
        classes = [layer["class"] for layer in layers if layer["class"] in RECURRENT]
        expected = CELL_CLASSES[cell_type.lower()]
        assert classes == [expected], \
            f"build_model({cell_type!r}, 4, 2, units=3) should hold one {expected} layer, " \
            f"got {', '.join(classes) or 'no recurrent layer'}"


@check("build_stacked_model.random_shapes", points=2,
       hint="One recurrent layer per entry of `units`, sequences between them, Dropout(dropout) "
            "after each when dropout > 0, then the head and compile settings of `task`.")
def test_stacked_random_shapes(student):
    rng = np.random.default_rng(RNG_SEED + 1)
    for cell_type, task in itertools.product(CELL_CLASSES, ("classification", "regression")):
        T, D = int(rng.integers(2, 20)), int(rng.integers(1, 6))
        units = tuple(int(u) for u in rng.integers(1, 24, size=int(rng.integers(1, 4))))
        dropout = float(rng.choice([0.0, 0.1, 0.3, 0.5]))
        expected = expected_description(cell_type, T, D, units=units, task=task,
                                        dropout=dropout)
        got = describe_built(student, "build_stacked_model", cell_type, T, D, units=units,
                             task=task, dropout=dropout)
        difference = first_difference(expected, got)
        kind = (f"build_stacked_model({cell_type!r}, ..., task={task!r}) for random sizes, "
                f"{len(units)} recurrent layer{'s' * (len(units) > 1)}, "
                f"{'with' if dropout else 'without'} dropout,")
        assert difference is None, f"{kind} differs from the expected model at {difference}"


@check("build_stacked_model.single_layer", points=1,
       hint="units=(8,) is a stack of one: that layer is the last, so it returns its final "
            "state only (return_sequences=False), exactly like build_model.")
def test_stacked_single_layer(student):
    expected = expected_description("lstm", 7, 2, units=(8,))
    got = describe_built(student, "build_stacked_model", "lstm", 7, 2, units=(8,))
    difference = first_difference(expected, got)
    assert difference is None, \
        f"build_stacked_model('lstm', 7, 2, units=(8,)) differs from the expected model at " \
        f"{difference}"


@check("build_stacked_model.unknown_arguments", points=1,
       needs="build_stacked_model.returns_model",
       hint="As in build_model: raise ValueError for an unknown cell_type or task.")
def test_stacked_unknown_arguments(student):
    raises_value_error(student, "build_stacked_model", "cnn", 10, 3, why="cell_type='cnn'")
    raises_value_error(student, "build_stacked_model", "gru", 10, 3, task="forecast",
                       why="task='forecast'")
