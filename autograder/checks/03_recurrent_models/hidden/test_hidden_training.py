"""Hidden checks of train_model: a GRU with patience 1, other shapes, and fit's arguments."""

import math

import numpy as np

from autograder.engine import check
from autograder.expected.recurrent_models import (history_of, model_loss, same_loss, sign_task,
                                             stop_epoch)

SHAPE = (6, 3)  # T, D
X_TRAIN, Y_TRAIN = sign_task(192, *SHAPE, seed=3)
X_FLIP, Y_FLIP = sign_task(48, *SHAPE, seed=4, flipped=True)
CALL = "train_model(model, X_train, y_train, X_val, y_val, epochs=12, batch_size=16, patience=1)"


def train_gru(student):
    model = student.probe("training_model", "gru", SHAPE, 6)
    before = model_loss(student, model, X_TRAIN, Y_TRAIN)
    value = student.train_model(model, X_TRAIN, Y_TRAIN, X_FLIP, Y_FLIP, epochs=12,
                                batch_size=16, patience=1, seed=4)
    history = history_of(student, value, CALL)
    after = model_loss(student, model, X_TRAIN, Y_TRAIN)
    assert after < before - 0.005, \
        f"{CALL}: the model given should fit the training data better afterwards, but its " \
        f"loss on (X_train, y_train) went {before:.4f} -> {after:.4f}"
    return model, history


@check("train_model.patience_one", points=2, timeout=60,
       hint="Pass `patience` on to EarlyStopping (patience=1 stops one epoch after the best) "
            "and restore the best weights.")
def test_patience_one(student):
    model, history = train_gru(student)
    val_loss = history["history"].get("val_loss", [])
    assert val_loss, "the History has no val_loss: validate on (X_val, y_val)"
    stop = stop_epoch(val_loss, 1)
    expected = 12 if stop is None else stop + 1
    assert len(val_loss) == expected, \
        f"{CALL}: training should stop 1 epoch after the best val_loss, after {expected} " \
        f"epochs; it ran {len(val_loss)}"
    best = float(np.min(val_loss))
    now = model_loss(student, model, X_FLIP, Y_FLIP)
    assert same_loss(now, best), \
        f"{CALL}: the model's loss on (X_val, y_val) is {now:.4f} after training, but the " \
        f"best epoch had {best:.4f}: restore the best weights"


@check("train_model.fit_arguments", points=1, timeout=60,
       hint="Pass epochs and batch_size on to model.fit: 192 samples in batches of 16 are 12 "
            "steps per epoch.")
def test_fit_arguments(student):
    _, history = train_gru(student)
    params = history.get("params", {})
    steps = math.ceil(len(X_TRAIN) / 16)
    assert params.get("epochs") == 12, \
        f"{CALL}: fit should be given epochs=12, History.params says {params.get('epochs')}"
    assert params.get("steps") == steps, \
        f"{CALL}: {len(X_TRAIN)} training samples in batches of 16 make {steps} steps per " \
        f"epoch, History.params says {params.get('steps')}: fit on all of X_train with " \
        f"batch_size=batch_size"
