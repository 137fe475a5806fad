"""Do the checks of assignment 03 catch each classic mistake, each with its own hint?

Each mutant is the reference with one function rewritten the way students get it wrong. The
build_model and build_stacked_model mutants grade in seconds; the train_model ones train small
models and are marked slow.
"""

import pytest


BUILD = '''
def build_model(cell_type, window_length, n_features, units=32, task="classification"):
    cells = {{"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": {gru}}}
    kind = str(cell_type).lower()
    if kind not in cells or task not in ("classification", "regression"):
        raise ValueError(f"unknown cell_type {{cell_type!r}} or task {{task!r}}")
    classify = task == "classification"
    model = keras.Sequential([
        keras.Input(shape=(window_length, n_features)),
        cells[kind](units),
        keras.layers.Dense(1, activation={activation}),
    ])
    model.compile(optimizer="adam", loss={loss},
                  metrics=["accuracy"] if classify else ["mean_absolute_error"])
    return model
'''
RIGHT = {"gru": "keras.layers.GRU", "activation": '"sigmoid" if classify else None',
         "loss": '"binary_crossentropy" if classify else "mean_squared_error"'}


def build(**mistake) -> str:
    return BUILD.format(**(RIGHT | mistake))


STACKED = '''
def build_stacked_model(cell_type, window_length, n_features, units=(64, 32),
                        task="classification", dropout=0.0):
    cells = {{"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}}
    kind = str(cell_type).lower()
    if kind not in cells or task not in ("classification", "regression"):
        raise ValueError(f"unknown cell_type {{cell_type!r}} or task {{task!r}}")
    classify = task == "classification"
    units = list(units)
    stack = [keras.Input(shape=(window_length, n_features))]
    for i, size in enumerate(units):
        stack.append(cells[kind](size, return_sequences={sequences}))
        if {dropout_test}:
            stack.append(keras.layers.Dropout(dropout))
    stack.append(keras.layers.Dense(1, activation="sigmoid" if classify else None))
    model = keras.Sequential(stack)
    model.compile(optimizer="adam",
                  loss="binary_crossentropy" if classify else "mean_squared_error",
                  metrics=["accuracy"] if classify else ["mean_absolute_error"])
    return model
'''
STACKED_RIGHT = {"sequences": "i < len(units) - 1", "dropout_test": "dropout > 0"}


def stacked(**mistake) -> str:
    return STACKED.format(**(STACKED_RIGHT | mistake))


TRAIN = '''
def train_model(model, X_train, y_train, X_val, y_val, epochs=20, batch_size=32, patience=3,
                seed=0):
    {seeding}
    stop = keras.callbacks.EarlyStopping(monitor="val_loss", patience={patience},
                                         restore_best_weights={restore})
    return model.fit(X_train, y_train, {validation}, epochs=epochs,
                     batch_size=batch_size, callbacks=[stop], verbose=0)
'''
TRAIN_RIGHT = {"seeding": "keras.utils.set_random_seed(seed)", "patience": "patience",
               "restore": "True", "validation": "validation_data=(X_val, y_val)"}


def train(**mistake) -> str:
    return TRAIN.format(**(TRAIN_RIGHT | mistake))


SEEDED_TOO_LATE = '''
def build_model(cell_type, window_length, n_features, units=32, task="classification", seed=0):
    cells = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM, "gru": keras.layers.GRU}
    kind = str(cell_type).lower()
    if kind not in cells or task not in ("classification", "regression"):
        raise ValueError(f"unknown cell_type {cell_type!r} or task {task!r}")
    classify = task == "classification"
    model = keras.Sequential([
        keras.Input(shape=(window_length, n_features)),
        cells[kind](units),
        keras.layers.Dense(1, activation="sigmoid" if classify else None),
    ])
    keras.utils.set_random_seed(seed)  # too late: the layers drew their weights already
    model.compile(optimizer="adam",
                  loss="binary_crossentropy" if classify else "mean_squared_error",
                  metrics=["accuracy"] if classify else ["mean_absolute_error"])
    return model
'''
FIXED_SEED = SEEDED_TOO_LATE.replace(
    "    keras.utils.set_random_seed(seed)  # too late: the layers drew their weights already\n",
    "").replace("    classify = task == \"classification\"\n",
                "    classify = task == \"classification\"\n    keras.utils.set_random_seed(0)\n")
LAG = '''
def make_lag_task(n, T, lag, seed=0):
    if n < 1 or not 0 <= lag < T:
        raise ValueError(f"bad n or lag: n={{n}}, lag={{lag}}")
    X = np.random.default_rng(seed).standard_normal((n, T, 1)).astype(np.float32)
    return X, (X[:, {index}, 0] > 0).astype(np.float32)
'''

# name: (function, source, {check id: words its message must contain})
MUTANTS = {
    "classifier_without_sigmoid": ("build_model", build(activation="None"),
                                   {"build_model.classifier_head": "sigmoid"}),
    "regression_head_with_sigmoid": ("build_model", build(activation='"sigmoid"'),
                                     {"build_model.regression_head": "linear Dense(1)"}),
    "gru_builds_an_lstm": ("build_model", build(gru="keras.layers.LSTM"),
                           {"build_model.cell_types": "should hold one GRU layer, got LSTM",
                            "build_model.random_shapes": "expected GRU("}),
    "mse_for_classification": ("build_model", build(loss='"mean_squared_error"'),
                               {"build_model.loss": "binary cross-entropy"}),
    "inner_layer_returns_last_state_only": (
        "build_stacked_model", stacked(sequences="False"),
        {"build_stacked_model.return_sequences": "needs return_sequences=True",
         "build_stacked_model.architecture": "needs return_sequences=True"}),
    "last_layer_returns_sequences": (
        "build_stacked_model", stacked(sequences="True"),
        {"build_stacked_model.return_sequences": "the last recurrent layer must return only"}),
    "dropout_forgotten": ("build_stacked_model", stacked(dropout_test="False"),
                          {"build_stacked_model.dropout": "should be followed by Dropout(0.25)",
                           "build_stacked_model.random_shapes": "expected Dropout("}),
    "restore_best_weights_off": ("train_model", train(restore="False"),
                                 {"train_model.best_weights": "restore_best_weights=True",
                                  "train_model.patience_one": "restore the best weights"}),
    "validation_split_of_training_data": (
        "train_model", train(validation="validation_split=0.2"),
        {"train_model.validation_data": "not validation_split",
         "train_model.best_weights": "validation_split holds out part of the training data",
         "train_model.patience_one": "validation_split holds out part of the training data",
         "train_model.fit_arguments": "(validation_split?)"}),
    "seed_ignored": ("train_model", train(seeding="pass"),
                     {"train_model.seeded": "seed every random source"}),
    "patience_fixed_at_five": ("train_model", train(patience="5"),
                               {"train_model.early_stopping": "with patience=2",
                                "train_model.patience_one": "stop 1 epoch after the best"}),
    "build_model_seeded_after_the_layers": (
        "build_model", SEEDED_TOO_LATE,
        {"build_model.seeded": "before the layers are created"}),
    "build_model_fixed_seed": ("build_model", FIXED_SEED,
                               {"build_model.seeded": "not with a fixed number"}),
    "lag_counted_from_the_start": ("make_lag_task", LAG.format(index="lag"),
                                   {"make_lag_task.labels": "counted from the start"}),
    "lag_one_step_late": ("make_lag_task", LAG.format(index="-lag"),
                          {"make_lag_task.labels": "one step too late"}),
}
SLOW = {name for name, (function, _, _) in MUTANTS.items() if function == "train_model"}


@pytest.mark.slow
def test_correct_variants_are_not_mutants(grade_mutant):
    """Do equivalent correct spellings (functional API, Activation layer, 'bce', 'acc') pass?"""
    functional = '''
def build_model(cell_type, window_length, n_features, units=32, task="classification", seed=0):
    layer = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
             "gru": keras.layers.GRU}.get(str(cell_type).lower())
    if layer is None or task not in ("classification", "regression"):
        raise ValueError(f"unknown cell_type {cell_type!r} or task {task!r}")
    keras.utils.set_random_seed(seed)
    inputs = keras.Input(shape=(window_length, n_features))
    outputs = keras.layers.Dense(1)(layer(units)(inputs))
    if task == "classification":
        outputs = keras.layers.Activation("sigmoid")(outputs)
    model = keras.Model(inputs, outputs)
    if task == "classification":
        model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="bce", metrics=["acc"])
    else:
        model.compile(optimizer="adam", loss=keras.losses.MeanSquaredError(), metrics=["mae"])
    return model
'''
    result = grade_mutant("03_recurrent_models", {"build_model": functional})
    failing = [(c.id, c.message) for c in result.checks if c.status != "passed"]
    assert not failing, failing


def test_correct_lag_task_variant_is_not_a_mutant(grade_mutant):
    """Does a make_lag_task with another generator and a negative index pass every check?"""
    variant = '''
def make_lag_task(n, T, lag, seed=0):
    if not isinstance(n, int) or n < 1:
        raise ValueError("n must be a positive integer")
    if lag < 0 or lag > T - 1:
        raise ValueError("lag out of range")
    np.random.seed(seed)  # the legacy global generator: another stream, still seeded
    X = np.random.randn(n, T, 1).astype("float32")
    y = np.where(X[:, -1 - lag, 0] > 0, 1.0, 0.0).astype("float32")
    return X, y
'''
    result = grade_mutant("03_recurrent_models", {"make_lag_task": variant})
    failing = [(c.id, c.message) for c in result.checks if c.status != "passed"]
    assert not failing, failing
