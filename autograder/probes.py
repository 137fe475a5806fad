"""Trusted helpers that run inside the sandbox to turn student objects into plain data.

A Keras model, a tf.data.Dataset or a History cannot leave the sandbox; a check asks a probe to
describe it instead: ``student.probe("describe_model", model)``. Probes run in the same
process as student code, so they describe, they never judge: every verdict is made by the
check, in the grader's own process. Each probe is listed in ``__all__``; nothing else can be
called by name.
"""

from __future__ import annotations

import numpy as np

from autograder.cells import layer_class

__all__ = [
    "describe_model", "dataset_arrays", "history_dict", "get_weights", "set_weights",
    "predict", "recurrent_layer", "clone_model", "training_model", "set_random_seed",
]


def describe_model(model) -> dict:
    """Layers in order (class, units, activation, return_sequences, rate, output shape,
    parameter count), the input shape, and the compiled loss, optimizer and metrics."""
    layers = []
    for layer in model.layers:
        config = layer.get_config()
        activation = config.get("activation")
        if isinstance(activation, dict):  # Keras 3 may serialise custom activations as dicts
            activation = activation.get("config", {}).get("name") or activation.get("class_name")
        output = getattr(layer, "output", None)
        layers.append({
            "class": type(layer).__name__,
            "units": config.get("units"),
            "activation": activation,
            "return_sequences": config.get("return_sequences"),
            "rate": config.get("rate"),
            "output_shape": tuple(output.shape) if output is not None else None,
            "params": int(layer.count_params()) if layer.built else None,  # None: never built
        })
    loss = getattr(model, "loss", None)
    optimizer = getattr(model, "optimizer", None)
    # Mixed precision wraps the optimizer in a LossScaleOptimizer: describe the one inside.
    optimizer = getattr(optimizer, "inner_optimizer", optimizer)
    compiled = getattr(model, "compiled", False) or optimizer is not None
    metrics = []
    if compiled:
        compiled_metrics = getattr(model, "_compile_metrics", None)
        if compiled_metrics is not None:
            metrics = [_name(m) for m in _flatten(getattr(compiled_metrics, "_user_metrics", []))]
    inputs = getattr(model, "inputs", None) or []
    return {
        "input_shape": tuple(inputs[0].shape) if inputs else None,
        "layers": layers,
        "compiled": bool(compiled),
        "loss": _name(loss) if loss is not None else None,
        "optimizer": type(optimizer).__name__ if optimizer is not None else None,
        "metrics": metrics,
        "params": int(model.count_params()) if model.built else None,
    }


def dataset_arrays(dataset) -> dict:
    """Every batch of a (features, targets) dataset: sizes and the concatenated arrays."""
    xs, ys, sizes = [], [], []
    for batch in dataset:
        if not isinstance(batch, (tuple, list)) or len(batch) != 2:
            raise TypeError("each batch should be a (windows, targets) pair")
        x, y = (np.asarray(part) for part in batch)
        xs.append(x)
        ys.append(y)
        sizes.append(int(x.shape[0]))
    return {"X": np.concatenate(xs) if xs else np.empty((0,)),
            "y": np.concatenate(ys) if ys else np.empty((0,)),
            "batch_sizes": sizes,
            "type": type(dataset).__name__}


def history_dict(history) -> dict:
    """A History's per-epoch metrics, its epoch numbers and its fit parameters."""
    return {"history": {k: [float(v) for v in vals] for k, vals in history.history.items()},
            "epochs": [int(e) for e in getattr(history, "epoch", [])],
            "params": dict(getattr(history, "params", {}) or {})}


def get_weights(model_or_layer) -> list:
    return [np.asarray(w) for w in model_or_layer.get_weights()]


def set_weights(model_or_layer, weights) -> None:
    model_or_layer.set_weights([np.asarray(w) for w in weights])


def predict(model, x) -> np.ndarray:
    return np.asarray(model.predict(np.asarray(x), verbose=0))


def recurrent_layer(kind: str, units: int, input_shape, weights=None, **options):
    """Build a Keras recurrent layer (SimpleRNN, LSTM, GRU) for a student function to use."""
    layer = layer_class(kind)(units, **options)
    layer.build(tuple(input_shape))
    if weights is not None:
        layer.set_weights([np.asarray(w) for w in weights])
    return layer


def clone_model(model):
    """A copy with the same weights, so a check can train twice from the same start."""
    import keras

    copy = keras.models.clone_model(model)
    copy.set_weights(model.get_weights())
    if getattr(model, "optimizer", None) is not None:
        # Same optimizer settings (learning rate...), fresh state: both copies train alike.
        optimizer = type(model.optimizer).from_config(model.optimizer.get_config())
        copy.compile(optimizer=optimizer, loss=model.loss)
    return copy


def training_model(kind: str, input_shape, units: int, learning_rate: float = 0.01):
    """A small compiled classifier (recurrent layer, Dense(1, sigmoid), Adam, binary
    cross-entropy) for a check to hand to a student's train_model, so that grading train_model
    never depends on the student's own build_model."""
    import keras

    layer = layer_class(kind)
    model = keras.Sequential([keras.Input(tuple(input_shape)), layer(units),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer=keras.optimizers.Adam(learning_rate), loss="binary_crossentropy")
    return model


def set_random_seed(seed: int) -> None:
    """Seed Python, NumPy, TensorFlow and Keras, as code run before a call might have left
    them: a function that seeds itself gives the same result whatever was seeded before."""
    import keras

    keras.utils.set_random_seed(int(seed))


def _name(thing) -> str:
    if isinstance(thing, str):
        return thing
    return getattr(thing, "name", None) or getattr(thing, "__name__", None) or type(thing).__name__


def _flatten(items):
    if isinstance(items, dict):
        items = list(items.values())
    for item in items or []:
        if isinstance(item, (list, tuple, dict)):
            yield from _flatten(item)
        elif item is not None:
            yield item
