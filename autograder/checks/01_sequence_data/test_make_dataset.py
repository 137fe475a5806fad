"""Public checks of make_dataset: the windows of make_windows, as a tf.data.Dataset."""

import numpy as np

from autograder.engine import check
from autograder.expected.sequence_data import numbered_rows


@check("make_dataset.same_windows", points=3,
       hint="Use timeseries_dataset_from_array(features[:-1], targets[length:], "
            "sequence_length=length): targets[i] belongs to the window that STARTS at row i.")
def test_same_windows(student):
    features, targets = numbered_rows(12, 2)
    dataset = student.make_dataset(features, targets, 3, batch_size=4)
    batches = student.probe("dataset_arrays", dataset)
    X, y = batches["X"], batches["y"]
    assert X.shape == (9, 3, 2), (f"the batches together should hold n - length = 9 windows of "
                                  f"shape (3, 2); got X of shape {X.shape}")
    first = int(round(float(y[0]))) - 1000
    assert first == 3, (f"the first window (rows 0-2) should be paired with the target of row 3, "
                        f"got row {first}")
    np.testing.assert_allclose(X, np.stack([features[i:i + 3] for i in range(9)]),
                               err_msg="windows differ from features[i:i+3]")
    np.testing.assert_allclose(y, targets[3:], err_msg="targets differ from targets[3:]")


@check("make_dataset.no_leak", points=3,
       hint="targets=data pairs each window with its own rows: the answer is inside the input. "
            "Pass the Target column shifted by length, not the features.")
def test_no_leak(student):
    features, targets = numbered_rows(8, 1)
    dataset = student.make_dataset(features, targets, 2, batch_size=8)
    y = np.asarray(student.probe("dataset_arrays", dataset)["y"], dtype=float)
    assert y.ndim == 1, (f"targets should be one number per window (shape (N,)), got shape "
                         f"{y.shape}: with targets=data the answer leaks into the input")
    assert np.all(y >= 1000), ("the dataset's targets are feature values (targets=data?): "
                               "the answer leaks into the input")


@check("make_dataset.batches_in_order", points=2,
       hint="Pass batch_size through and shuffle=False: batches in time order, the last smaller.")
def test_batches(student):
    features, targets = numbered_rows(12, 2)
    dataset = student.make_dataset(features, targets, 3, batch_size=4)
    batches = student.probe("dataset_arrays", dataset)
    assert batches["batch_sizes"] == [4, 4, 1], \
        f"9 windows in batches of 4 should come as [4, 4, 1], got {batches['batch_sizes']}"
    assert np.all(np.diff(batches["y"]) > 0), "batches should keep time order (shuffle=False)"
