"""Public checks of make_dataset: the windows of make_windows, as a tf.data.Dataset."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_array, assert_close
from autograder.expected.sequence_data import numbered_rows


def batches(student, features, targets, length, batch_size):
    """The dataset's batches, concatenated (X, y, batch sizes), or a failure saying why."""
    from autograder.outcomes import StudentError

    dataset = student.make_dataset(features, targets, length, batch_size=batch_size)
    type_name = getattr(dataset, "type_name", type(dataset).__name__)
    assert "Dataset" in type_name, (
        f"make_dataset should return the tf.data.Dataset of "
        f"keras.utils.timeseries_dataset_from_array, got a {type_name}")
    try:
        found = student.probe("dataset_arrays", dataset)
    except StudentError as err:
        raise AssertionError(f"the dataset's batches should be (windows, targets) pairs of "
                             f"arrays of one shape each; reading them failed: {err.message}") \
            from None
    return as_array(found["X"], "the windows"), as_array(found["y"], "the targets"), \
        found["batch_sizes"]


def leak(y, features) -> str | None:
    """How the targets show that the features were passed as targets, if they do."""
    if y.ndim > 1:
        return (f"targets should be one number per window (shape (N,)), got shape {y.shape}: "
                "the features were passed as targets (targets=data): a leak, each window's "
                "answer is a row of its own input")
    if len(y) and np.isin(y, features).all():
        return ("the dataset's targets are feature values (targets=data?): the answer leaks "
                "into the input. Pass the Target column shifted by length, not the features")
    return None


@check("make_dataset.same_windows", points=3,
       hint="Use timeseries_dataset_from_array(features[:-1], targets[length:], "
            "sequence_length=length): targets[i] belongs to the window that STARTS at row i.")
def test_same_windows(student):
    features, targets = numbered_rows(12, 2)
    X, y, _ = batches(student, features, targets, 3, 4)
    mistake = leak(y, features)
    assert mistake is None, mistake
    assert X.shape == (9, 3, 2), (f"the batches together should hold n - length = 9 windows of "
                                  f"shape (3, 2); got X of shape {X.shape}")
    assert y.shape == (9,), f"there should be one target per window, 9, got shape {y.shape}"
    first = int(round(float(y[0]))) - 1000
    assert first == 3, (f"the first window (rows 0-2) should be paired with the target of row 3, "
                        f"got row {first}")
    assert_close(X, np.stack([features[i:i + 3] for i in range(9)]),
                 "the windows (features[i:i+3])")
    assert_close(y, targets[3:], "the targets (targets[3:])")


@check("make_dataset.no_leak", points=3,
       hint="targets=data pairs each window with its own rows: the answer is inside the input. "
            "Pass the Target column shifted by length, not the features.")
def test_no_leak(student):
    features, targets = numbered_rows(8, 1)
    _, y, _ = batches(student, features, targets, 2, 8)
    mistake = leak(y, features)
    assert mistake is None, mistake


@check("make_dataset.batches_in_order", points=2,
       hint="Pass batch_size through and shuffle=False: batches in time order, the last smaller.")
def test_batches(student):
    features, targets = numbered_rows(12, 2)
    X, _, sizes = batches(student, features, targets, 3, 4)
    assert sizes == [4, 4, 1], \
        f"9 windows in batches of 4 should come as [4, 4, 1], got {sizes}"
    # The order is read from the windows, not the targets: a mistake in the targets has
    # checks of its own.
    assert X.ndim == 3 and np.all(np.diff(X[:, 0, 0]) > 0), \
        "batches should keep time order (shuffle=False): each window starts after the one before"
