"""Does first_difference name the first way two described models differ, and only that?

Plain dicts shaped like autograder.probes.describe_model's, so no Keras and no sandbox.
"""

import pytest

from autograder.expected.recurrent_models import (canonical, first_difference, layer_label,
                                             model_layers, stop_epoch)

pytestmark = pytest.mark.unit  # no TensorFlow, no sandbox


def recurrent(kind="LSTM", units=32, sequences=False, params=4608, steps=10):
    shape = (None, steps, units) if sequences else (None, units)
    return {"class": kind, "units": units, "activation": "tanh", "return_sequences": sequences,
            "rate": None, "output_shape": shape, "params": params}


def dense(activation="sigmoid", inputs=32):
    return {"class": "Dense", "units": 1, "activation": activation, "return_sequences": None,
            "rate": None, "output_shape": (None, 1), "params": inputs + 1}


def dropout(rate=0.2, shape=(None, 32)):
    return {"class": "Dropout", "units": None, "activation": None, "return_sequences": None,
            "rate": rate, "output_shape": shape, "params": 0}


def model(*layers, loss="binary_crossentropy", optimizer="Adam", input_shape=(None, 10, 3)):
    return {"input_shape": input_shape, "layers": list(layers), "compiled": loss is not None,
            "loss": loss, "optimizer": optimizer if loss is not None else None,
            "metrics": ["accuracy"], "params": sum(l["params"] or 0 for l in layers)}


EXPECTED = model(recurrent(), dense())


def test_identical_models_have_no_difference():
    """Does a model equal to the expected one compare as None?"""
    assert first_difference(EXPECTED, model(recurrent(), dense())) is None


def test_other_cell_class_is_named_with_units():
    """Does an LSTM where a GRU belongs read "layer 0: expected GRU(32), got LSTM(32)"?"""
    expected = model(recurrent("GRU", params=3552), dense())
    assert first_difference(expected, EXPECTED) == "layer 0: expected GRU(32), got LSTM(32)"


def test_units_differ():
    """Are other units reported on the layer that has them?"""
    got = model(recurrent(units=16, params=1280), dense(inputs=16))
    assert first_difference(EXPECTED, got) == "layer 0: expected LSTM(32), got LSTM(16)"


def test_missing_sigmoid_is_an_activation_difference():
    """Does Dense(1) where Dense(1, sigmoid) belongs name both activations?"""
    got = model(recurrent(), dense("linear"))
    assert first_difference(EXPECTED, got) == \
        "layer 1: expected Dense(1, activation='sigmoid'), got Dense(1)"


def test_custom_activation_is_not_taken_for_sigmoid():
    """Is a lambda activation (described as None) a difference, said as a custom function?"""
    message = first_difference(EXPECTED, model(recurrent(), dense(None)))
    assert message == "layer 1: expected Dense(1, activation='sigmoid'), got " \
                      "Dense(1, activation=<custom function>)"


def test_return_sequences_difference():
    """Does an inner layer that does not return sequences show in its label?"""
    expected = model(recurrent(units=64, sequences=True, params=17408), recurrent(params=12416),
                     dense())
    got = model(recurrent(units=64, params=17408), recurrent(params=12416), dense())
    assert first_difference(expected, got) == \
        "layer 0: expected LSTM(64, return_sequences=True), got LSTM(64)"


def test_missing_layer_is_a_difference():
    """Is a model one Dropout short reported at the index where the Dropout belongs?"""
    expected = model(recurrent(), dropout(), dense())
    assert first_difference(expected, EXPECTED) == \
        "layer 1: expected Dropout(0.2), got Dense(1, activation='sigmoid')"


def test_layer_too_many_and_too_few():
    """Does one layer too many, or too few, count as a difference at the end?"""
    longer = model(recurrent(), dense(), dropout(shape=(None, 1)))
    assert first_difference(EXPECTED, longer) == \
        "layer 2: expected no layer, got Dropout(0.2) (the model should end after layer 1)"
    shorter = model(recurrent())
    assert first_difference(EXPECTED, shorter) == \
        "layer 1: expected Dense(1, activation='sigmoid'), got no layer " \
        "(the model ends after layer 0)"


def test_dropout_rate_differs():
    """Is Dropout(0.5) where Dropout(0.2) belongs a difference?"""
    expected = model(recurrent(), dropout(0.2), dense())
    got = model(recurrent(), dropout(0.5), dense())
    assert first_difference(expected, got) == "layer 1: expected Dropout(0.2), got Dropout(0.5)"


def test_input_shape_comes_first_and_ignores_the_batch_size():
    """Is a transposed input reported before the layers, and a fixed batch size accepted?"""
    got = model(recurrent(), dense(), input_shape=(None, 3, 10))
    assert first_difference(EXPECTED, got) == \
        "input: expected shape (10, 3) per sample (window_length, n_features), got (3, 10)"
    fixed_batch = model(recurrent(), dense(), input_shape=(32, 10, 3))
    fixed_batch["layers"] = [l | {"output_shape": (32, *l["output_shape"][1:])}
                             for l in fixed_batch["layers"]]
    assert first_difference(EXPECTED, fixed_batch) is None


def test_unbuilt_model_is_told_to_start_with_an_input():
    """Does a model never built (no input shape) get told about keras.Input?"""
    unbuilt = model(recurrent() | {"output_shape": None, "params": None},
                    dense() | {"output_shape": None, "params": None}, input_shape=None)
    assert "keras.Input(shape=(window_length, n_features))" in first_difference(EXPECTED, unbuilt)


def test_output_shape_and_parameter_count():
    """When the labels agree, are a different output shape, then parameter count, reported?"""
    got = model(recurrent() | {"output_shape": (None, 10, 32)}, dense())
    assert first_difference(EXPECTED, got) == \
        "layer 0: LSTM(32) should output shape (None, 32), got (None, 10, 32)"
    gru = model(recurrent("GRU", params=3552), dense())
    old_gru = model(recurrent("GRU", params=3456), dense())
    assert first_difference(gru, old_gru).startswith(
        "layer 0: GRU(32) should have 3,552 parameters, got 3,456")


def test_functional_input_layer_is_skipped():
    """Does a functional model's InputLayer not shift the layer indices?"""
    input_layer = {"class": "InputLayer", "units": None, "activation": None,
                   "return_sequences": None, "rate": None, "output_shape": (None, 10, 3),
                   "params": 0}
    assert first_difference(EXPECTED, model(input_layer, recurrent(), dense())) is None


def test_activation_layer_after_linear_dense_counts_as_its_activation():
    """Is Dense(1) followed by Activation('sigmoid') the same as Dense(1, sigmoid)?"""
    activation = {"class": "Activation", "units": None, "activation": "sigmoid",
                  "return_sequences": None, "rate": None, "output_shape": (None, 1), "params": 0}
    got = model(recurrent(), dense("linear"), activation)
    assert [l["class"] for l in model_layers(got)] == ["LSTM", "Dense"]
    assert first_difference(EXPECTED, got) is None


@pytest.mark.parametrize("spelling", ["binary_crossentropy", "bce", "BinaryCrossentropy"])
def test_loss_spellings_are_one_loss(spelling):
    """Do Keras' spellings of binary cross-entropy all match it?"""
    assert first_difference(EXPECTED, model(recurrent(), dense(), loss=spelling)) is None


def test_wrong_loss_optimizer_and_uncompiled():
    """Are the loss, then the optimizer, then a missing compile reported?"""
    assert first_difference(EXPECTED, model(recurrent(), dense(), loss="mse")) == \
        "loss: expected binary_crossentropy, got mse"
    assert first_difference(EXPECTED, model(recurrent(), dense(), optimizer="SGD")) == \
        "optimizer: expected Adam, got SGD"
    assert first_difference(EXPECTED, model(recurrent(), dense(), loss=None)).startswith(
        "compile: the model is not compiled")


def test_layer_differences_come_before_compile_differences():
    """With a wrong layer and a wrong loss, is the layer (the earlier one) reported?"""
    got = model(recurrent("GRU", params=3552), dense(), loss="mse")
    assert first_difference(EXPECTED, got).startswith("layer 0:")


def test_labels_and_canonical_names():
    """Are labels written as Keras code and metric spellings folded together?"""
    assert layer_label(recurrent(sequences=True)) == "LSTM(32, return_sequences=True)"
    assert layer_label(dropout(0.25)) == "Dropout(0.25)"
    assert layer_label(None) == "no layer"
    assert canonical("acc") == canonical("binary_accuracy") == canonical("accuracy")
    assert canonical("mae") == canonical("mean_absolute_error")


@pytest.mark.parametrize("val_loss, patience, stop", [
    ([0.8, 0.9, 1.0, 1.1], 2, 2),
    ([0.8, 0.7, 0.75, 0.76, 0.77], 1, 2),
    ([0.8, 0.7, 0.6], 2, None),
    ([0.5, 0.5, 0.5], 2, 2),  # an equal value is no improvement
])
def test_stop_epoch_follows_keras(val_loss, patience, stop):
    """Does stop_epoch stop where Keras' EarlyStopping(patience) would?"""
    assert stop_epoch(val_loss, patience) == stop
