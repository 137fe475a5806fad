"""Public checks of make_windows: the lecture's table, and rows that name themselves."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_array, as_parts, assert_close, raises_value_error
from autograder.expected.sequence_data import numbered_rows, seed_frame


def windows(student, features, targets, length):
    """(X, y) as float arrays, X of 3 dimensions and y of 1, or a failure saying what came."""
    X, y = as_parts(student.make_windows(features, targets, length), 2, "make_windows", "X, y")
    return as_array(X, "X", ndim=3), as_array(y, "y", ndim=1)


@check("make_windows.returns_pair", points=1,
       hint="Return (X, y): X of shape (n - length, length, D), y of shape (n - length,), one "
            "target per window.")
def test_returns_pair(student):
    for n, d, length in ((8, 2, 3), (6, 1, 2)):
        features, targets = numbered_rows(n, d)
        X, y = windows(student, features, targets, length)
        assert X.shape[1:] == (length, d), (
            f"with length={length} and D={d}, each window X[i] should have shape "
            f"(length, D) = {(length, d)}, got {X.shape[1:]}")
        assert len(X) == len(y) and len(y), f"X and y should hold one sample each per window, " \
                                            f"got {len(X)} windows and {len(y)} targets"


@check("make_windows.seed_table", points=2,
       hint="Six rows and length 3 give 6 - 3 = 3 windows; the first is rows 0-2 and predicts "
            "the Target of row 3.")
def test_seed_table(student):
    seed = seed_frame(with_target=True)
    features = seed[["Volume", "Open", "Close"]].to_numpy()
    X, y = windows(student, features, seed["Target"].to_numpy(), 3)
    assert X.shape == (3, 3, 3), f"X.shape should be (3, 3, 3) for 6 rows, got {X.shape}"
    assert_close(X[0], features[:3], "X[0] (the slide's rows 0, 1, 2)")
    assert_close(y, [1.0, 0.0, 0.0], "y (the Targets of rows 3, 4, 5)")


@check("make_windows.shape", points=1,
       hint="X has shape (n - length, length, D) and y (n - length,): one sample per row that "
            "has `length` rows before it.")
def test_shape(student):
    features, targets = numbered_rows(10, 2)
    X, y = windows(student, features, targets, 4)
    assert X.shape == (6, 4, 2), f"X.shape should be (6, 4, 2) for n=10, length=4, D=2, got {X.shape}"
    assert y.shape == (6,), f"y.shape should be (6,), got {y.shape}"


@check("make_windows.alignment", points=4,
       hint="y[i] = targets[i + length]: the row right after the window X[i] = features[i:i+length].")
def test_alignment(student):
    features, targets = numbered_rows(10, 2)
    X, y = windows(student, features, targets, 4)
    assert len(y), "y is empty: every row after the first `length` rows has a window"
    first = int(round(float(y[0]))) - 1000
    assert first == 4, (f"y[0] should be the target of row 4 (the row after the first window), "
                        f"got row {first}")
    for i in range(min(len(X), len(features) - 4)):
        assert_close(X[i], features[i:i + 4], f"X[{i}] (rows {i}..{i + 3})")
    assert_close(y, targets[4:], "y (targets[4:])")


@check("make_windows.dtype", points=1,
       hint="Return float32 arrays (X and y), as Keras expects: np.asarray(..., dtype=np.float32).")
def test_dtype(student):
    features, targets = numbered_rows(6, 1)
    X, y = as_parts(student.make_windows(features, targets, 2), 2, "make_windows", "X, y")
    assert isinstance(X, np.ndarray) and X.dtype == np.float32, \
        f"X should be a float32 NumPy array, got {type(X).__name__} {getattr(X, 'dtype', '')}"
    assert isinstance(y, np.ndarray) and y.dtype == np.float32, \
        f"y should be a float32 NumPy array, got {type(y).__name__} {getattr(y, 'dtype', '')}"


@check("make_windows.bad_length", points=1, needs="make_windows.returns_pair",
       hint="Raise ValueError when length < 1 or length >= n (no window would have a target).")
def test_bad_length(student):
    features, targets = numbered_rows(5, 2)
    for length in (0, 5, 7):
        raises_value_error(student, "make_windows", features, targets, length,
                           why=f"length={length} with n=5 rows", mentions="length")
