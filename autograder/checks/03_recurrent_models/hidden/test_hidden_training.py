"""Hidden checks of train_model: a GRU with patience 1, other shapes, and fit's arguments.

Both checks read one training run, trained once per grading (``student.memo``)."""

import math

import numpy as np

from autograder.engine import check
from autograder.expected.recurrent_models import (VALIDATED_ELSEWHERE, assert_trained, run_training,
                                                  same_loss, sign_task, stop_epoch, val_losses)

SHAPE = (6, 3)  # T, D
X_TRAIN, Y_TRAIN = sign_task(192, *SHAPE, seed=3)
X_FLIP, Y_FLIP = sign_task(48, *SHAPE, seed=4, flipped=True)
BATCH = 16


def gru_run(student) -> dict:
    return student.memo("gru_run", lambda: run_training(
        student, ("gru", SHAPE, 6), (X_TRAIN, Y_TRAIN), (X_FLIP, Y_FLIP), epochs=12,
        batch_size=BATCH, patience=1, seed=4))


@check("train_model.patience_one", points=2, timeout=60,
       hint="Pass `patience` on to EarlyStopping (patience=1 stops one epoch after the best) "
            "and restore the best weights.")
def test_patience_one(student):
    run = gru_run(student)
    assert_trained(run)
    val_loss = val_losses(run)
    stop = stop_epoch(val_loss, 1)
    expected = 12 if stop is None else stop + 1
    assert len(val_loss) == expected, \
        "with another model and patience=1, training should stop 1 epoch after the best " \
        "val_loss; it did not: pass patience on to EarlyStopping"
    now = run["val_loss_after"]
    assert any(same_loss(now, v) for v in val_loss), \
        f"with another model, the trained model's loss on (X_val, y_val) is no epoch's " \
        f"val_loss: {VALIDATED_ELSEWHERE}"
    assert same_loss(now, float(np.min(val_loss))), \
        "with another model and patience=1, the model's loss on (X_val, y_val) after " \
        "training is not its best epoch's: restore the best weights"


@check("train_model.fit_arguments", points=1, timeout=60,
       hint="Pass epochs and batch_size on to model.fit, and fit on all of X_train.")
def test_fit_arguments(student):
    run = gru_run(student)
    assert_trained(run)
    params = run["history"].get("params", {})
    steps = math.ceil(run["train_size"] / BATCH)
    assert params.get("epochs") == 12, \
        "fit was not given the epochs asked for: pass epochs=epochs to model.fit"
    if isinstance(params.get("steps"), int) and params["steps"] < steps:
        raise AssertionError(
            "fit ran fewer steps per epoch than all of X_train in batches of batch_size need: "
            "part of the training data was held out (validation_split?) or left out. Fit on "
            "all of X_train and validate on validation_data=(X_val, y_val)")
    assert params.get("steps") == steps, \
        "fit ran another number of steps per epoch than X_train in batches of batch_size " \
        "need: pass batch_size=batch_size to model.fit"
