"""Public checks of train_model on a synthetic task a small LSTM learns in a few epochs.

The model comes from the trusted probe ``training_model``, not from the student's build_model,
so a broken build_model costs only its own checks. Validating on the flipped task makes the
validation loss rise as soon as the model learns: early stopping must stop, and the best epoch
is an early one, so restoring it is visible. Every check also asks that the model given was
really trained (its training loss fell), so a made-up History earns nothing.

Three checks look at one training run (early stopping, best weights, validation data): it is
trained once per grading (``student.memo``) and each check reads its own part of it.
"""

import numpy as np

from autograder.engine import check
from autograder.expected.recurrent_models import (VALIDATED_ELSEWHERE, assert_trained, run_training,
                                                  same_loss, sign_task, stop_epoch, val_losses)

SHAPE = (5, 2)  # T, D
X_TRAIN, Y_TRAIN = sign_task(256, *SHAPE, seed=1)
X_VAL, Y_VAL = sign_task(64, *SHAPE, seed=2)
X_FLIP, Y_FLIP = sign_task(64, *SHAPE, seed=2, flipped=True)


def flipped_run(student) -> dict:
    """train_model(model, X_train, y_train, X_flip, y_flip, epochs=20, patience=2), once."""
    return student.memo("flipped_run", lambda: run_training(
        student, ("lstm", SHAPE, 8), (X_TRAIN, Y_TRAIN), (X_FLIP, Y_FLIP),
        epochs=20, patience=2))


@check("train_model.learns", points=2, timeout=60,
       hint="Call model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=epochs, "
            "batch_size=batch_size, callbacks=[...]) and return what it returns.")
def test_learns(student):
    run = run_training(student, ("lstm", SHAPE, 8), (X_TRAIN, Y_TRAIN), (X_VAL, Y_VAL),
                       epochs=4, patience=10)
    assert_trained(run)
    logs = run["history"]["history"]
    assert "loss" in logs and "val_loss" in logs, \
        f"the History should log loss and val_loss each epoch, got {sorted(logs)}"
    assert len(logs["loss"]) == 4, \
        f"epochs=4 with patience=10 should train 4 epochs, got {len(logs['loss'])}"
    assert logs["loss"][-1] < logs["loss"][0], \
        f"the logged training loss should fall on this easy task, went {logs['loss'][0]:.4f} " \
        f"-> {logs['loss'][-1]:.4f}"


@check("train_model.early_stopping", points=2, timeout=60,
       hint="keras.callbacks.EarlyStopping(monitor='val_loss', patience=patience, ...): stop "
            "`patience` epochs after the best val_loss.")
def test_early_stopping(student):
    run = flipped_run(student)
    assert_trained(run)
    val_loss = val_losses(run)
    stop = stop_epoch(val_loss, 2)
    expected = 20 if stop is None else stop + 1
    assert len(val_loss) == expected, \
        f"with patience=2, training should stop 2 epochs after the best val_loss (epoch " \
        f"{int(np.argmin(val_loss)) + 1}), after {expected} epochs of 20; it ran " \
        f"{len(val_loss)}. Monitor val_loss with the given patience"


@check("train_model.best_weights", points=2, timeout=60,
       hint="EarlyStopping(..., restore_best_weights=True): without it the model keeps the "
            "weights of the last epoch, `patience` epochs past the best.")
def test_best_weights(student):
    run = flipped_run(student)
    assert_trained(run)
    val_loss = val_losses(run)
    best = int(np.argmin(val_loss))
    now = run["val_loss_after"]
    assert any(same_loss(now, v) for v in val_loss), (
        f"after train_model the model's loss on the (X_val, y_val) given is {now:.4f}, which is "
        f"no epoch's val_loss: {VALIDATED_ELSEWHERE} Whether the best weights come back can "
        "only be told once val_loss is measured on (X_val, y_val)")
    assert same_loss(now, val_loss[best]), \
        f"after train_model the model's loss on (X_val, y_val) is {now:.4f}, but its best " \
        f"epoch (epoch {best + 1} of {len(val_loss)}) had val_loss {val_loss[best]:.4f}: the " \
        f"model should be returned with its best weights (restore_best_weights=True)"


@check("train_model.validation_data", points=2, timeout=60,
       hint="Validate on the data given: fit(..., validation_data=(X_val, y_val)). "
            "validation_split holds out part of the training data instead.")
def test_validation_data(student):
    run = flipped_run(student)
    assert_trained(run)
    val_loss = val_losses(run)
    now = run["val_loss_after"]
    assert any(same_loss(now, v) for v in val_loss), \
        f"the trained model's loss on the (X_val, y_val) given is {now:.4f}, which is no " \
        f"epoch's val_loss ({', '.join(f'{v:.4f}' for v in val_loss)}): Keras validated on " \
        f"other data. Pass validation_data=(X_val, y_val), not validation_split"


@check("train_model.seeded", points=2, timeout=90,
       hint="Call keras.utils.set_random_seed(seed) first thing in train_model: it seeds "
            "Python, NumPy and TensorFlow, which shuffles the batches.")
def test_seeded(student):
    base = student.probe("training_model", "lstm", SHAPE, 8)
    weights = []
    for other_seed in (777, 12345):  # whatever the code before the call left seeded
        model = student.probe("clone_model", base)
        student.probe("set_random_seed", other_seed)
        run = run_training(student, model, (X_TRAIN, Y_TRAIN), (X_VAL, Y_VAL), epochs=3,
                           patience=10, seed=5)
        assert_trained(run)
        weights.append(student.probe("get_weights", model))
    gap = max(float(np.max(np.abs(np.asarray(a) - np.asarray(b))))
              for a, b in zip(*weights))
    assert gap <= 1e-5, \
        f"two calls with the same model, data and seed=5 gave different weights (largest " \
        f"difference {gap:.3g}): train_model must seed every random source with `seed` " \
        f"itself, whatever was seeded before it ran"
