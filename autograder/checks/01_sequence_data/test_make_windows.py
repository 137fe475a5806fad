"""Public checks of make_windows: the lecture's table, and rows that name themselves."""

import numpy as np

from autograder.engine import check
from autograder.expected.sequence_data import numbered_rows, seed_frame


@check("make_windows.seed_table", points=2,
       hint="Six rows and length 3 give 6 - 3 = 3 windows; the first is rows 0-2 and predicts "
            "the Target of row 3.")
def test_seed_table(student):
    seed = seed_frame(with_target=True)
    features = seed[["Volume", "Open", "Close"]].to_numpy()
    X, y = student.make_windows(features, seed["Target"].to_numpy(), 3)
    assert np.shape(X) == (3, 3, 3), f"X.shape should be (3, 3, 3) for 6 rows, got {np.shape(X)}"
    np.testing.assert_allclose(X[0], features[:3], err_msg="X[0] should be rows 0, 1, 2")
    np.testing.assert_allclose(y, [1.0, 0.0, 0.0],
                               err_msg="y should be the Targets of rows 3, 4, 5: [1, 0, 0]")


@check("make_windows.shape", points=2,
       hint="X has shape (n - length, length, D) and y (n - length,): one sample per row that "
            "has `length` rows before it.")
def test_shape(student):
    features, targets = numbered_rows(10, 2)
    X, y = student.make_windows(features, targets, 4)
    assert np.shape(X) == (6, 4, 2), f"X.shape should be (6, 4, 2) for n=10, length=4, D=2, got {np.shape(X)}"
    assert np.shape(y) == (6,), f"y.shape should be (6,), got {np.shape(y)}"


@check("make_windows.alignment", points=4,
       hint="y[i] = targets[i + length]: the row right after the window X[i] = features[i:i+length].")
def test_alignment(student):
    features, targets = numbered_rows(10, 2)
    X, y = student.make_windows(features, targets, 4)
    first = int(round(float(np.asarray(y).ravel()[0]))) - 1000
    assert first == 4, (f"y[0] should be the target of row 4 (the row after the first window), "
                        f"got row {first}")
    for i in range(len(y)):
        np.testing.assert_allclose(X[i], features[i:i + 4],
                                   err_msg=f"X[{i}] should be rows {i}..{i + 3}")
    np.testing.assert_allclose(y, targets[4:], err_msg="y should be targets[4:]")


@check("make_windows.dtype", points=1,
       hint="Return float32 arrays (X and y), as Keras expects: np.asarray(..., dtype=np.float32).")
def test_dtype(student):
    features, targets = numbered_rows(6, 1)
    X, y = student.make_windows(features, targets, 2)
    assert isinstance(X, np.ndarray) and X.dtype == np.float32, \
        f"X should be a float32 NumPy array, got {type(X).__name__} {getattr(X, 'dtype', '')}"
    assert isinstance(y, np.ndarray) and y.dtype == np.float32, \
        f"y should be a float32 NumPy array, got {type(y).__name__} {getattr(y, 'dtype', '')}"


@check("make_windows.bad_length", points=1, needs="make_windows.shape",
       hint="Raise ValueError when length < 1 or length >= n (no window would have a target).")
def test_bad_length(student):
    from autograder.expected.assertions import raises_value_error

    features, targets = numbered_rows(5, 2)
    for length in (0, 5, 7):
        raises_value_error(student, "make_windows", features, targets, length,
                           why=f"length={length} with n=5 rows", mentions="length")
