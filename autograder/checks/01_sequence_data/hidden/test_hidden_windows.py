"""Hidden checks of make_windows and make_dataset: random shapes and the edge length = n - 1."""

import numpy as np

from autograder.engine import check

RNG_SEED = 2024


def _random_case(rng):
    n, d = int(rng.integers(8, 40)), int(rng.integers(1, 6))
    length = int(rng.integers(1, n))
    return rng.normal(size=(n, d)), rng.normal(size=n), length


@check("make_windows.random_shapes", points=2,
       hint="X[i] = features[i:i+length], y[i] = targets[i+length] for any n, D and length.")
def test_random_shapes(student):
    rng = np.random.default_rng(RNG_SEED)
    for _ in range(5):
        features, targets, length = _random_case(rng)
        X, y = student.make_windows(features, targets, length)
        n = len(features)
        expected_X = np.stack([features[i:i + length] for i in range(n - length)])
        assert np.shape(X) == expected_X.shape, \
            f"n={n}, D={features.shape[1]}, length={length}: X.shape should be {expected_X.shape}, got {np.shape(X)}"
        np.testing.assert_allclose(X, expected_X, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(y, targets[length:], rtol=1e-6, atol=1e-6)


@check("make_windows.longest_window", points=1,
       hint="length = n - 1 is allowed: exactly one window, predicting the last row.")
def test_longest(student):
    features = np.arange(14, dtype=float).reshape(7, 2)
    X, y = student.make_windows(features, np.arange(7.0), 6)
    assert np.shape(X) == (1, 6, 2), f"n=7, length=6 should give one window: got X {np.shape(X)}"
    np.testing.assert_allclose(y, [6.0])


@check("make_windows.mismatched_lengths", points=1, needs="make_windows.shape",
       hint="features and targets of different lengths cannot be paired: raise ValueError.")
def test_mismatched(student):
    from autograder.expected.assertions import raises_value_error

    raises_value_error(student, "make_windows", np.zeros((6, 2)), np.zeros(5), 2,
                       why="6 feature rows but 5 targets")


@check("make_dataset.random_shapes", points=2,
       hint="The dataset's batches, concatenated, must equal make_windows for any shape.")
def test_dataset_random(student):
    rng = np.random.default_rng(RNG_SEED + 1)
    for _ in range(3):
        features, targets, length = _random_case(rng)
        batch = int(rng.integers(1, 9))
        arrays = student.probe("dataset_arrays", student.make_dataset(features, targets, length,
                                                                      batch_size=batch))
        n = len(features)
        expected = np.stack([features[i:i + length] for i in range(n - length)])
        assert arrays["X"].shape == expected.shape, \
            f"n={n}, length={length}: expected {expected.shape[0]} windows, got {arrays['X'].shape[0]}"
        np.testing.assert_allclose(arrays["X"], expected, rtol=1e-6, atol=1e-6)
        np.testing.assert_allclose(arrays["y"], targets[length:], rtol=1e-6, atol=1e-6)
