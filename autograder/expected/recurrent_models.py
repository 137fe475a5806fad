"""Keras models as data: compare a student's with the expected one, and a task to train on.

``first_difference(expected, actual)`` takes two descriptions made by the probe
``autograder.probes.describe_model`` (the expected one built in the check's own process, the
student's in the sandbox) and names the first way they differ, in the order a student reads a
model: the input, then each layer by index (class, units, activation, return_sequences, dropout
rate, output shape, parameter count), then the compiled loss and optimizer. Layers are counted
from 0 as in ``model.layers`` of a Sequential model; a functional model's InputLayer is skipped,
and an ``Activation`` layer right after a linear layer counts as that layer's activation.
Pure data in, a sentence out: no Keras needed, so it is unit-tested on plain dicts.
"""

from __future__ import annotations

import numpy as np

from autograder.cells import CELL_CLASSES, layer_class
from autograder.engine import values_shown
from autograder.expected.assertions import as_array, as_parts
from autograder.sandbox.wire import Remote

RECURRENT = ("SimpleRNN", "LSTM", "GRU")
_ALIASES = {  # Keras accepts several spellings of one loss or metric
    "bce": "binarycrossentropy", "mse": "meansquarederror", "mae": "meanabsoluteerror",
    "acc": "accuracy", "binaryaccuracy": "accuracy",
}


def canonical(name) -> str | None:
    """One spelling per loss or metric: 'bce', 'BinaryCrossentropy' -> 'binarycrossentropy'."""
    if name is None:
        return None
    key = str(name).lower().replace("_", "").replace(" ", "")
    return _ALIASES.get(key, key)


def model_layers(description: dict) -> list[dict]:
    """The layers a comparison counts: InputLayer dropped, Activation folded into the layer
    before it when that one is linear (``Dense(1)`` + ``Activation("sigmoid")``)."""
    layers: list[dict] = []
    for layer in description.get("layers") or []:
        if layer.get("class") == "InputLayer":
            continue
        if (layer.get("class") == "Activation" and layers
                and _activation(layers[-1]) == "linear"):
            layers[-1] = layers[-1] | {"activation": layer.get("activation"),
                                       "output_shape": layer.get("output_shape")}
            continue
        layers.append(dict(layer))
    return layers


def layer_label(layer: dict | None) -> str:
    """How a layer is written in Keras, with only what differs from its defaults:
    ``LSTM(64, return_sequences=True)``, ``Dense(1, activation='sigmoid')``, ``Dropout(0.2)``."""
    if layer is None:
        return "no layer"
    kind = layer.get("class") or "?"
    if kind == "Dropout":
        from autograder.engine import values_shown  # a hidden case's rate is one of its values

        return f"Dropout({_number(layer.get('rate')) if values_shown() else 'dropout'})"
    options = [] if layer.get("units") is None else [str(layer["units"])]
    activation = _activation(layer)
    default = "tanh" if kind in RECURRENT else "linear"
    if activation != default and (layer.get("units") is not None or kind == "Activation"):
        options.append("activation=<custom function>" if activation is None
                       else f"activation={activation!r}")
    if kind in RECURRENT and layer.get("return_sequences"):
        options.append("return_sequences=True")
    return f"{kind}({', '.join(options)})"


def first_difference(expected: dict, actual: dict) -> str | None:
    """The first way ``actual`` differs from ``expected`` (two describe_model dicts), as one
    sentence such as "layer 1: expected LSTM(32), got GRU(32)"; None when they match."""
    want, got = _per_sample(expected.get("input_shape")), _per_sample(actual.get("input_shape"))
    if want != got:
        if got is None:
            return (f"input: expected shape {want} per sample, but the model has no input shape: "
                    "start it with keras.Input(shape=(window_length, n_features))")
        return f"input: expected shape {want} per sample (window_length, n_features), got {got}"
    want_layers, got_layers = model_layers(expected), model_layers(actual)
    for index in range(max(len(want_layers), len(got_layers))):
        w = want_layers[index] if index < len(want_layers) else None
        g = got_layers[index] if index < len(got_layers) else None
        difference = _layer_difference(w, g)
        if difference:
            if g is None:
                difference += f" (the model ends after layer {index - 1})"
            elif w is None:
                difference += f" (the model should end after layer {index - 1})"
            return f"layer {index}: {difference}"
    return _compile_difference(expected, actual)


def _layer_difference(want: dict | None, got: dict | None) -> str | None:
    if want is None or got is None or layer_label(want) != layer_label(got) \
            or _activation(want) != _activation(got):
        return f"expected {layer_label(want)}, got {layer_label(got)}"
    w_shape, g_shape = _per_sample(want.get("output_shape")), _per_sample(got.get("output_shape"))
    if w_shape != g_shape:
        return (f"{layer_label(want)} should output shape {_batch(w_shape)}, "
                f"got {_batch(g_shape)}")
    if want.get("params") != got.get("params"):
        return (f"{layer_label(want)} should have {_count(want.get('params'))} parameters, got "
                f"{_count(got.get('params'))}: keep Keras' defaults (use_bias, reset_after...)")
    return None


def _compile_difference(expected: dict, actual: dict) -> str | None:
    if expected.get("compiled") and not actual.get("compiled"):
        return ("compile: the model is not compiled; call model.compile(optimizer=..., "
                "loss=..., metrics=...) before returning it")
    if canonical(expected.get("loss")) != canonical(actual.get("loss")):
        return f"loss: expected {expected.get('loss')}, got {actual.get('loss')}"
    if expected.get("optimizer") != actual.get("optimizer"):
        return f"optimizer: expected {expected.get('optimizer')}, got {actual.get('optimizer')}"
    return None


def _activation(layer: dict) -> str | None:
    activation = layer.get("activation")
    if activation is None and layer.get("class") == "Dense":
        return None  # a custom function Keras could not name
    return activation


def _per_sample(shape):
    """A shape without its batch dimension, as a tuple (None stays None)."""
    return None if shape is None else tuple(shape)[1:]


def _batch(shape) -> str:
    return "unknown (the layer was never built)" if shape is None else str((None, *shape))


def _count(n) -> str:
    return "an unknown number of (never built)" if n is None else f"{n:,}"


def _number(x) -> str:
    return "?" if x is None else f"{float(x):g}"


# --- what the checks build and train (Keras imported only when called) -----------------------

def expected_description(cell_type: str, window_length: int, n_features: int, units=(32,),
                         task: str = "classification", dropout: float = 0.0) -> dict:
    """describe_model of the model docs/course.md asks for, built here in the grader's process."""
    from autograder import quiet
    from autograder.probes import describe_model

    keras = quiet.import_tensorflow()

    layer = layer_class(cell_type)
    classify = task == "classification"
    stack = [keras.Input(shape=(window_length, n_features))]
    for i, n in enumerate(units):
        stack.append(layer(n, return_sequences=i < len(units) - 1))
        if dropout > 0:
            stack.append(keras.layers.Dropout(dropout))
    stack.append(keras.layers.Dense(1, activation="sigmoid" if classify else None))
    model = keras.Sequential(stack)
    model.compile(optimizer="adam", loss="binary_crossentropy" if classify else "mse",
                  metrics=["accuracy"] if classify else ["mae"])
    return describe_model(model)


def sign_task(n: int, length: int, n_features: int, seed: int, flipped: bool = False):
    """(X, y): X (n, length, n_features) float32 noise, y = 1.0 where the first feature sums
    to more than 0 over the window. A small recurrent net learns it in a few epochs. With
    ``flipped`` the labels are reversed: validated on it, a model that learns the training rule
    gets worse every epoch, so early stopping must stop and the best epoch is an early one."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, length, n_features)).astype(np.float32)
    y = (X[:, :, 0].sum(axis=1) > 0).astype(np.float32)
    return X, (1.0 - y if flipped else y)


def binary_crossentropy(y_true, y_prob) -> float:
    """Keras' binary cross-entropy of probabilities (clipped to [1e-7, 1 - 1e-7]), averaged."""
    p = np.clip(np.asarray(y_prob, dtype=np.float64).reshape(-1), 1e-7, 1 - 1e-7)
    y = np.asarray(y_true, dtype=np.float64).reshape(-1)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def same_loss(computed: float, logged: float) -> bool:
    """A loss computed here equals one Keras logged (float32 sums in another order)."""
    return abs(computed - logged) <= 1e-4 + 1e-4 * abs(logged)


def stop_epoch(val_loss, patience: int) -> int | None:
    """Keras' EarlyStopping rule on val_loss (min_delta 0): the 0-based epoch at which training
    stops, or None if it runs every epoch given."""
    best, wait = np.inf, 0
    for epoch, value in enumerate(val_loss):
        wait += 1
        if value < best:
            best, wait = value, 0
            continue
        if wait >= patience and epoch > 0:
            return epoch
    return None


VALIDATED_ELSEWHERE = ("Keras validated on other data than the (X_val, y_val) given "
                      "(validation_split holds out part of the training data instead): pass "
                      "validation_data=(X_val, y_val).")


def run_training(student, model, train, val, **options) -> dict:
    """Call the student's train_model(model, X_train, y_train, X_val, y_val, **options) on a
    model from the probe ``training_model`` (``model`` = its arguments) or on the Remote
    ``model`` given; return what the checks read, as data (so ``student.memo`` can keep it):
    the call as text, the model's loss on the training data before and after, the History's
    history_dict, and the model's loss on (X_val, y_val) after the call."""
    if isinstance(model, tuple):
        model = student.probe("training_model", *model)
    (X_train, y_train), (X_val, y_val) = train, val
    settings = ", ".join(f"{k}={v}" for k, v in options.items())
    call = f"train_model(model, X_train, y_train, X_val, y_val, {settings})"
    before = model_loss(student, model, X_train, y_train)
    value = student.call_uncached("train_model", model, X_train, y_train, X_val, y_val,
                                  **options)
    history = history_of(student, value, call)
    return {"call": call, "before": before, "history": history,
            "after": model_loss(student, model, X_train, y_train),
            "val_loss_after": model_loss(student, model, X_val, y_val),
            "train_size": len(X_train)}


def assert_trained(run: dict) -> None:
    """The model given was trained: its loss on the training data fell."""
    assert run["after"] < run["before"] - 0.005, \
        f"{run['call']}: the model given should fit the training data better afterwards, but " \
        f"its loss on (X_train, y_train) went {run['before']:.4f} -> {run['after']:.4f}. " \
        "Train that model with model.fit, not a copy of it"


def val_losses(run: dict) -> list[float]:
    val_loss = run["history"]["history"].get("val_loss", [])
    assert val_loss, "the History has no val_loss: pass validation_data=(X_val, y_val) to fit"
    return val_loss


def history_of(student, value, call: str) -> dict:
    """The history_dict of what train_model returned, or a failure saying it is no History."""
    type_name = getattr(value, "type_name", None) or \
        f"{type(value).__module__}.{type(value).__qualname__}"
    assert type_name.endswith("History"), \
        f"{call} should return the History that model.fit returns, got a {type_name}"
    return student.probe("history_dict", value)


def model_loss(student, model, X, y) -> float:
    """The binary cross-entropy of the model, as it is now, on (X, y), computed here."""
    return binary_crossentropy(y, student.probe("predict", model, X))


def call_text(function: str, *args, **kwargs) -> str:
    """A call as the student would write it: "build_model('gru', 6, 2, units=4)"; in a hidden
    check only its kind: "build_model('gru', ..., task='regression') for other sizes"."""
    from autograder.engine import values_shown

    if not values_shown():
        task = f", task={kwargs['task']!r}" if "task" in kwargs else ""
        first = f"{args[0]!r}, " if args else ""
        return f"{function}({first}...{task}) for other sizes"
    arguments = [repr(a) for a in args] + [f"{k}={v!r}" for k, v in kwargs.items()]
    return f"{function}({', '.join(arguments)})"


def assert_model(description: dict, call: str) -> None:
    """A well-formed model (not necessarily the right one): compiled, with an input shape and
    at least one layer after it."""
    assert description.get("input_shape") is not None, (
        f"{call} should return a model that knows its input shape: start it with "
        "keras.Input(shape=(window_length, n_features))")
    assert model_layers(description), f"{call} returned a model without layers"
    assert description.get("compiled"), (
        f"{call} should return a compiled model: call model.compile(optimizer=..., loss=..., "
        "metrics=...) before returning it")


def describe_built(student, function: str, *args, **kwargs) -> dict:
    """describe_model of what ``student.<function>(*args, **kwargs)`` returns. Keras' refusal
    to stack a recurrent layer on one that returns its last state only ("expected ndim=3,
    found ndim=2") becomes a failure that names the missing return_sequences=True."""
    from autograder.outcomes import StudentError

    try:
        model = student.call(function, *args, **kwargs)
    except StudentError as err:
        if err.type_name != "ValueError" or "ndim=3" not in err.message:
            raise
        raise AssertionError(
            f"{call_text(function, *args, **kwargs)} failed while stacking: a recurrent layer "
            "received one vector per sample instead of a sequence, so the layer before it "
            "needs return_sequences=True") from None
    from autograder.expected.assertions import kind_of

    wrong = (f"{call_text(function, *args, **kwargs)} should return a Keras model "
             f"(keras.Sequential or keras.Model), got {kind_of(model)}")
    if not isinstance(model, Remote):
        raise AssertionError(wrong)
    try:
        return student.probe("describe_model", model)
    except StudentError as err:
        if err.kind != "probe":
            raise
        raise AssertionError(wrong) from None


# --- the seed of build_model and build_stacked_model (issue 13) --------------------------------
#
# The same arguments give the same initial weights, whatever was seeded before the call; another
# seed gives other weights.

def initial_weights(student, function: str, global_seed: int, *args, **kwargs) -> list:
    """The weights of the model built after the global random state was set to global_seed."""
    student.probe("set_random_seed", global_seed)  # whatever ran before the call
    model = student.call(function, *args, **kwargs)
    return [np.asarray(w, dtype=float) for w in student.probe("get_weights", model)]


def largest_gap(first: list, second: list) -> float:
    assert len(first) == len(second), "the two models hold different numbers of weight arrays"
    return max(float(np.max(np.abs(a - b))) if a.shape == b.shape else np.inf
               for a, b in zip(first, second))


def assert_seeded(student, function: str, *args, **kwargs) -> None:
    """Two calls with seed=5 after different global seeds: same weights; seed=6: others."""
    call = call_text(function, *args, **kwargs, seed=5)
    first = initial_weights(student, function, 777, *args, **kwargs, seed=5)
    again = initial_weights(student, function, 12345, *args, **kwargs, seed=5)
    gap = largest_gap(first, again)
    size = f" (largest difference {gap:.3g})" if values_shown() else ""
    assert gap == 0, (
        f"two calls of {call} gave different initial weights{size}: "
        f"call keras.utils.set_random_seed(seed) inside {function}, before the layers are "
        "created; they draw their weights when they are built")
    other = initial_weights(student, function, 777, *args, **kwargs, seed=6)
    assert largest_gap(first, other) > 0, (
        f"{function} with seed=5 and with seed=6 gave the same initial weights: seed with the "
        "`seed` argument, keras.utils.set_random_seed(seed), not with a fixed number")


# --- make_lag_task (issue 13) --------------------------------------------------------------------
#
# The labels are recomputed from the X the function returns: the contract fixes the rule, not
# the random generator. Known mistakes are recognised by name.

def lag_call(student, n: int, T: int, lag: int, **kwargs):
    """(X, y) of make_lag_task as float arrays, with their shapes and dtypes checked."""
    call = f"make_lag_task({n}, {T}, {lag}" + "".join(f", {k}={v!r}" for k, v in kwargs.items()) \
        + ")"
    value = as_parts(student.make_lag_task(n, T, lag, **kwargs), 2, call, "X, y")
    X, y = (as_array(v, f"{call}: {what}") for v, what in zip(value, ("X", "y")))
    assert X.shape == (n, T, 1), f"{call}: X should have shape (N, T, 1) = {(n, T, 1)}, " \
                                 f"got {X.shape}"
    assert y.shape == (n,), f"{call}: y should have shape (N,) = {(n,)}, got {y.shape}"
    for what, v in (("X", value[0]), ("y", value[1])):
        dtype = getattr(v, "dtype", None)
        assert dtype is not None and str(dtype) == "float32", \
            f"{call}: {what} should be float32 (what Keras trains on), got {dtype or type(v)}"
    return X, y, call


def label_mistake(X: np.ndarray, y: np.ndarray, lag: int) -> str | None:
    """Which known mistake y shows, given the X it came with (in a hidden check without the
    positions of this case)."""
    T = X.shape[1]
    signs = {t: (X[:, t, 0] > 0).astype(float) for t in range(T)}
    if lag == 0 and T > 1 and np.array_equal(y, signs[0]):
        return ("for lag 0 y is the sign of the first input, X[:, 0, 0]; lag 0 is the last "
                "input, X[:, T - 1, 0] (careful: X[:, -lag] is X[:, 0] when lag is 0)")
    if lag != T - 1 - lag and np.array_equal(y, signs[lag]):
        where = f" = X[:, {T - 1 - lag}, 0], not X[:, {lag}, 0]" if values_shown() else ""
        return ("the lag is counted from the start: y is the sign of X[:, lag, 0]; it should be "
                f"counted back from the last step, X[:, T - 1 - lag, 0]{where}")
    if lag > 0 and np.array_equal(y, signs[T - lag]):
        return (f"y is the sign of X[:, T - lag, 0], one step too late; the input lag steps "
                f"before the last is X[:, T - 1 - lag, 0]")
    if lag < T - 1 and np.array_equal(y, signs[T - 2 - lag]):
        return "y is the sign of X[:, T - 2 - lag, 0], one step too early; use X[:, T - 1 - lag, 0]"
    if lag > 0 and np.array_equal(y, signs[T - 1]):
        return "y is the sign of the last input whatever the lag; use X[:, T - 1 - lag, 0]"
    if np.array_equal(y, 1 - signs[T - 1 - lag]):
        return "the labels are reversed: 1.0 where the input is positive, 0.0 otherwise"
    return None


def assert_labels(student, n: int, T: int, lag: int, name: str, seed: int = 0) -> None:
    """y = (X[:, T - 1 - lag, 0] > 0) for the X that came with it; mistakes named."""
    X, y, call = lag_call(student, n, T, lag, seed=seed)
    expected = (X[:, T - 1 - lag, 0] > 0).astype(float)
    if not np.array_equal(y, expected):
        mistake = label_mistake(X, y, lag)
        assert mistake is None, f"make_lag_task on {name}: {mistake}."
        wrong = int(np.sum(y != expected))
        raise AssertionError(
            f"make_lag_task on {name}: {wrong} of {n} labels differ from "
            "(X[:, T - 1 - lag, 0] > 0), 1.0 where the input lag steps before the last is "
            "positive, else 0.0")
