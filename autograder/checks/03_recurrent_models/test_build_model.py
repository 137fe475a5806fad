"""Public checks of build_model: the expected model layer by layer, its head, loss and metric.

Expected models are built here, in the grader's process, and described with the same probe
that describes the student's model in the sandbox; ``first_difference`` compares the two.
"""

from autograder.engine import check
from autograder.expected.assertions import raises_value_error
from autograder.expected.recurrent_models import (CELL_CLASSES, RECURRENT, assert_model, canonical,
                                                  describe_built, expected_description,
                                                  first_difference, layer_label, model_layers)
from autograder.outcomes import StudentError


def describe(student, *args, **kwargs) -> dict:
    return describe_built(student, "build_model", *args, **kwargs)


def head(description: dict) -> dict:
    layers = model_layers(description)
    assert layers, "the model has no layers"
    return layers[-1]


@check("build_model.returns_model", points=1,
       hint="Return the compiled keras.Model itself (a Sequential or a functional Model), "
            "starting with keras.Input(shape=(window_length, n_features)).")
def test_returns_model(student):
    for window_length, n_features in ((10, 3), (6, 2)):
        call = f"build_model('lstm', {window_length}, {n_features})"
        description = describe(student, "lstm", window_length, n_features)
        assert_model(description, call)
        got = tuple(description["input_shape"])[1:]
        assert got == (window_length, n_features), \
            f"{call} should take windows of shape {(window_length, n_features)}, got {got}"


@check("build_model.architecture", points=2,
       hint="Input (window_length, n_features) -> one recurrent layer of `units` -> Dense(1); "
            "compiled with Adam. Compare model.summary() with the message.")
def test_architecture(student):
    expected = expected_description("lstm", 10, 3)  # before the student's clock starts
    difference = first_difference(expected, describe(student, "lstm", 10, 3))
    assert difference is None, f"build_model('lstm', 10, 3) differs from the expected model " \
                               f"at {difference}"


@check("build_model.cell_types", points=1,
       hint='"rnn" builds keras.layers.SimpleRNN, "lstm" LSTM, "gru" GRU: one dict from name '
            'to layer class, looked up with cell_type.lower().')
def test_cell_types(student):
    for cell_type, expected in CELL_CLASSES.items():
        layers = model_layers(describe(student, cell_type, 6, 2, units=4))
        classes = [layer["class"] for layer in layers if layer["class"] in RECURRENT]
        assert classes == [expected], \
            f"build_model({cell_type!r}, 6, 2, units=4) should hold one {expected} layer, " \
            f"got {', '.join(classes) or 'no recurrent layer'}"


@check("build_model.any_case", points=1,
       hint="cell_type is case-insensitive: 'LSTM', 'Gru' and 'rnn' are all valid; look the "
            "layer up with cell_type.lower().")
def test_any_case(student):
    for cell_type in ("GRU", "Lstm"):
        call = f"build_model({cell_type!r}, 6, 2, units=4)"
        try:
            layers = model_layers(describe(student, cell_type, 6, 2, units=4))
        except StudentError as err:
            if err.type_name != "ValueError":
                raise
            raise AssertionError(f"{call} raised ValueError, but cell_type is case-insensitive: "
                                 f"compare cell_type.lower() with the names") from None
        classes = [layer["class"] for layer in layers if layer["class"] in RECURRENT]
        expected = CELL_CLASSES[cell_type.lower()]
        assert classes == [expected], \
            f"{call} should hold one {expected} layer (cell_type is case-insensitive), got " \
            f"{', '.join(classes) or 'no recurrent layer'}"


@check("build_model.classifier_head", points=2,
       hint="A classifier outputs a probability: end with Dense(1, activation='sigmoid'), "
            "which binary cross-entropy expects.")
def test_classifier_head(student):
    last = head(describe(student, "gru", 8, 3, task="classification"))
    assert last.get("class") == "Dense" and last.get("units") == 1 \
        and last.get("activation") == "sigmoid", \
        f"the classifier's last layer should be Dense(1, activation='sigmoid') (a sigmoid " \
        f"output is a probability), got {layer_label(last)}"


@check("build_model.regression_head", points=2,
       hint="A regression output is any real number: end with a linear Dense(1) (no "
            "activation); a sigmoid would squash every prediction into (0, 1).")
def test_regression_head(student):
    last = head(describe(student, "gru", 8, 3, task="regression"))
    assert last.get("class") == "Dense" and last.get("units") == 1 \
        and last.get("activation") == "linear", \
        f"the regression model's last layer should be a linear Dense(1) (no activation), " \
        f"got {layer_label(last)}"


@check("build_model.loss", points=2,
       hint="Binary cross-entropy for classification (0/1 targets, probabilities out), mean "
            "squared error for regression.")
def test_loss(student):
    for task, loss in (("classification", "binary_crossentropy"),
                       ("regression", "mean_squared_error")):
        got = describe(student, "rnn", 5, 2, units=4, task=task)
        assert canonical(got.get("loss")) == canonical(loss), \
            f"task={task!r} should be compiled with loss={loss!r} " \
            f"({'binary cross-entropy' if task == 'classification' else 'mean squared error'})" \
            f", got {got.get('loss')!r}"


@check("build_model.metrics", points=1,
       hint="compile(..., metrics=['accuracy']) for classification, metrics=['mae'] for "
            "regression.")
def test_metrics(student):
    for task, metric in (("classification", "accuracy"), ("regression", "mean_absolute_error")):
        got = describe(student, "rnn", 5, 2, units=4, task=task)
        names = [canonical(m) for m in got.get("metrics") or []]
        assert canonical(metric) in names, \
            f"task={task!r} should be compiled with metrics=[{metric!r}], got {got.get('metrics')}"


@check("build_model.unknown_arguments", points=1, needs="build_model.returns_model",
       hint="Raise ValueError naming cell_type (or task) when it is none of the known names, "
            "instead of building something else.")
def test_unknown_arguments(student):
    raises_value_error(student, "build_model", "transformer", 10, 3, why="cell_type='transformer'")
    raises_value_error(student, "build_model", "lstm", 10, 3, task="ranking", why="task='ranking'")
