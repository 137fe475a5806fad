"""Hidden checks of make_windows and make_dataset: random shapes and the edge length = n - 1."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_array, as_parts, assert_close, raises_value_error

RNG_SEED = 2024


def _random_case(rng):
    n, d = int(rng.integers(8, 40)), int(rng.integers(1, 6))
    length = int(rng.integers(1, n))
    return rng.normal(size=(n, d)), rng.normal(size=n), length


def windows(student, features, targets, length):
    X, y = as_parts(student.make_windows(features, targets, length), 2, "make_windows", "X, y")
    return as_array(X, "X", ndim=3), as_array(y, "y", ndim=1)


@check("make_windows.random_shapes", points=2,
       hint="X[i] = features[i:i+length], y[i] = targets[i+length] for any n, D and length.")
def test_random_shapes(student):
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(5):
        features, targets, length = _random_case(rng)
        X, y = windows(student, features, targets, length)
        n = len(features)
        expected_X = np.stack([features[i:i + length] for i in range(n - length)])
        assert X.shape == expected_X.shape, (
            "on random data, X.shape is not (n - length, length, D): use the sizes of the "
            "arguments, nothing fixed")
        assert_close(X, expected_X, "on random data, X", rtol=1e-6, atol=1e-6)
        assert_close(y, targets[length:], "on random data, y", rtol=1e-6, atol=1e-6)


@check("make_windows.longest_window", points=1,
       hint="length = n - 1 is allowed: exactly one window, predicting the last row.")
def test_longest(student):
    features = np.arange(14, dtype=float).reshape(7, 2)
    X, y = windows(student, features, np.arange(7.0), 6)
    assert X.shape == (1, 6, 2), "length = n - 1 should give exactly one window"
    assert_close(y, [6.0], "with length = n - 1, y (the last row's target)")


@check("make_windows.mismatched_lengths", points=1, needs="make_windows.returns_pair",
       hint="features and targets of different lengths cannot be paired: raise ValueError.")
def test_mismatched(student):
    raises_value_error(student, "make_windows", np.zeros((6, 2)), np.zeros(5), 2,
                       why="features and targets of different lengths")


@check("make_dataset.random_shapes", points=2,
       hint="The dataset's batches, concatenated, must equal make_windows for any shape.")
def test_dataset_random(student):
    rng = np.random.default_rng(RNG_SEED + 1)
    for _ in range(3):
        features, targets, length = _random_case(rng)
        batch = int(rng.integers(1, 9))
        dataset = student.make_dataset(features, targets, length, batch_size=batch)
        type_name = getattr(dataset, "type_name", type(dataset).__name__)
        assert "Dataset" in type_name, f"make_dataset should return a tf.data.Dataset, got a " \
                                       f"{type_name}"
        arrays = student.probe("dataset_arrays", dataset)
        n = len(features)
        expected = np.stack([features[i:i + length] for i in range(n - length)])
        X, y = as_array(arrays["X"], "the windows"), as_array(arrays["y"], "the targets")
        assert X.shape == expected.shape, \
            "on random data, the dataset does not hold n - length windows of (length, D)"
        assert_close(X, expected, "on random data, the windows", rtol=1e-6, atol=1e-6)
        assert_close(y, targets[length:], "on random data, the targets", rtol=1e-6, atol=1e-6)
