"""Public checks of build_stacked_model: the stack layer by layer, sequences between the
recurrent layers, and a Dropout after each of them."""

from autograder.engine import check
from autograder.expected.recurrent_models import (RECURRENT, assert_model, describe_built,
                                                  expected_description, first_difference,
                                                  layer_label, model_layers)


def describe(student, *args, **kwargs) -> dict:
    return describe_built(student, "build_stacked_model", *args, **kwargs)


@check("build_stacked_model.returns_model", points=1,
       hint="Return the compiled keras.Model itself, starting with "
            "keras.Input(shape=(window_length, n_features)).")
def test_returns_model(student):
    for window_length, n_features in ((10, 3), (6, 2)):
        call = f"build_stacked_model('lstm', {window_length}, {n_features})"
        description = describe(student, "lstm", window_length, n_features)
        assert_model(description, call)
        got = tuple(description["input_shape"])[1:]
        assert got == (window_length, n_features), \
            f"{call} should take windows of shape {(window_length, n_features)}, got {got}"


@check("build_stacked_model.architecture", points=2,
       hint="One recurrent layer per entry of `units` (64 then 32 by default), then Dense(1); "
            "compiled as in build_model. Compare model.summary() with the message.")
def test_architecture(student):
    expected = expected_description("lstm", 10, 3, units=(64, 32))
    difference = first_difference(expected, describe(student, "lstm", 10, 3))
    assert difference is None, f"build_stacked_model('lstm', 10, 3) differs from the expected " \
                               f"model at {difference}"


@check("build_stacked_model.return_sequences", points=2,
       hint="Every recurrent layer but the last needs return_sequences=True (the next one reads "
            "a sequence); the last returns only its final state, for Dense(1).")
def test_return_sequences(student):
    units = (16, 8, 4)
    layers = model_layers(describe(student, "gru", 6, 2, units=units))
    flags = [bool(layer.get("return_sequences")) for layer in layers
             if layer.get("class") in RECURRENT]
    expected = [True, True, False]
    assert len(flags) == 3, f"units={units} should give 3 recurrent layers, got {len(flags)}"
    assert flags == expected, \
        f"units={units}: return_sequences should be {expected} (every layer but the last " \
        f"returns sequences), got {flags}" + \
        (": the last recurrent layer must return only its final state" if flags[-1] else "")


@check("build_stacked_model.dropout", points=2,
       hint="With dropout > 0, put keras.layers.Dropout(dropout) right after each recurrent "
            "layer; with dropout=0, no Dropout at all.")
def test_dropout(student):
    layers = model_layers(describe(student, "lstm", 6, 2, units=(8, 4), dropout=0.25))
    after = [layers[i + 1] if i + 1 < len(layers) else None
             for i, layer in enumerate(layers) if layer.get("class") in RECURRENT]
    for position, layer in enumerate(after):
        rate = (layer or {}).get("rate")
        assert layer is not None and layer.get("class") == "Dropout" \
            and abs(float(rate) - 0.25) < 1e-9, \
            f"dropout=0.25: recurrent layer {position + 1} of 2 should be followed by " \
            f"Dropout(0.25), got {layer_label(layer)}"
    none = model_layers(describe(student, "lstm", 6, 2, units=(8, 4), dropout=0.0))
    extra = [layer_label(layer) for layer in none if layer.get("class") == "Dropout"]
    assert not extra, f"dropout=0.0 should add no Dropout layer, got {', '.join(extra)}"
