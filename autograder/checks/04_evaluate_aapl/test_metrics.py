"""Public checks of accuracy, confusion_counts, rmse and mae on small cases worked by hand.

Each metric's checks of bad input count once it returns a well-formed value (a number, or the
dict of counts) for a valid input: a wrong number costs the checks of the number only."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_dict, as_number, raises_value_error


def _number(value, function: str) -> float:
    return as_number(value, f"what {function} returns")


def _computed(student, function: str, same, different, what: str) -> None:
    """``function`` returns one number computed from its inputs: two inputs that every
    attempt at the metric tells apart give two numbers that differ."""
    first = _number(getattr(student, function)(*same), function)
    second = _number(getattr(student, function)(*different), function)
    assert first != second, (f"{function} returned {first:g} both for {what}: compute it "
                             "from y_true and the predictions")


@check("accuracy.returns_number", points=1,
       hint="Return one float computed from y_true and y_prob: the share of samples whose "
            "predicted class equals y_true.")
def test_accuracy_returns_number(student):
    y_true = np.array([1.0, 0.0, 1.0])
    _computed(student, "accuracy", (y_true, np.array([0.9, 0.1, 0.8])),
              (y_true, np.array([0.1, 0.9, 0.2])),
              "predictions that are all right and predictions that are all wrong")


@check("accuracy.value", points=1,
       hint="Predicted class = (y_prob > threshold); accuracy = the mean of (predicted == y_true).")
def test_accuracy_value(student):
    y_true = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    y_prob = np.array([0.9, 0.2, 0.4, 0.7, 0.6])
    got = _number(student.accuracy(y_true, y_prob), "accuracy")
    assert np.isclose(got, 0.6), (f"predicted classes [1, 0, 0, 1, 1] against [1, 0, 1, 1, 0] "
                                  f"agree on 3 of 5 samples: 0.6, got {got:.4g}")


@check("accuracy.threshold", points=2,
       hint="Keras' binary accuracy rule: class 1 only when y_prob > threshold; a probability "
            "equal to the threshold counts as class 0. Use the threshold argument.")
def test_accuracy_threshold(student):
    y_true, y_prob = np.array([0.0, 0.0, 1.0, 1.0]), np.array([0.5, 0.5, 0.5, 0.8])
    got = _number(student.accuracy(y_true, y_prob), "accuracy")
    assert not np.isclose(got, 0.5), (
        "a probability equal to the threshold 0.5 was counted as class 1 (>=): Keras' rule is "
        "y_prob > threshold, so 0.5 is class 0 and the accuracy here is 0.75")
    assert np.isclose(got, 0.75), f"expected 0.75 (3 of 4 correct with y_prob > 0.5), got {got:.4g}"
    got = _number(student.accuracy(np.array([1.0, 0.0]), np.array([0.8, 0.6]), threshold=0.7),
                  "accuracy")
    assert np.isclose(got, 1.0), (f"with threshold=0.7, y_prob [0.8, 0.6] gives classes [1, 0]: "
                                  f"accuracy 1.0 against [1, 0], got {got:.4g}; use the argument")


@check("accuracy.bad_input", points=1, needs="accuracy.returns_number",
       hint="Compare shapes first and raise ValueError when y_true and y_prob differ.")
def test_accuracy_bad_input(student):
    raises_value_error(student, "accuracy", np.array([1.0, 0.0, 1.0]), np.array([0.2, 0.9]),
                       why="y_true of shape (3,) and y_prob of shape (2,)")


@check("confusion_counts.keys", points=1,
       hint="Return a dict with exactly the keys tp, fp, tn, fn and int values (int(...)) that "
            "add up to the number of samples.")
def test_confusion_keys(student):
    for y_true, y_pred in (([1, 0, 1, 0], [1, 0, 0, 1]), ([1, 1, 0], [0, 1, 0])):
        counts = as_dict(student.confusion_counts(np.array(y_true), np.array(y_pred)),
                         "what confusion_counts returns")
        assert set(counts) == {"tp", "fp", "tn", "fn"}, \
            f"the keys should be tp, fp, tn, fn, got {sorted(map(str, counts))}"
        for key, value in counts.items():
            assert isinstance(value, (int, np.integer)) and not isinstance(value, bool), \
                f"counts[{key!r}] should be an int, got {type(value).__name__} {value!r}"
        assert sum(int(v) for v in counts.values()) == len(y_true), \
            f"the four counts of {len(y_true)} samples should add up to {len(y_true)}, got " \
            f"{sum(int(v) for v in counts.values())}"


@check("confusion_counts.values", points=3,
       hint="fp: predicted 1 where the truth is 0 (a false alarm); fn: predicted 0 where the "
            "truth is 1 (a miss). The first argument is the truth.")
def test_confusion_values(student):
    y_true = np.array([1, 1, 1, 0, 0, 0, 0])
    y_pred = np.array([1, 0, 0, 0, 0, 0, 1])
    counts = as_dict(student.confusion_counts(y_true, y_pred), "what confusion_counts returns")
    got = {k: counts.get(k) for k in ("tp", "fp", "tn", "fn")}
    assert all(isinstance(v, (int, np.integer)) for v in got.values()), \
        f"confusion_counts should return an int for each of tp, fp, tn, fn, got {got}"
    got = {k: int(v) for k, v in got.items()}
    expected = {"tp": 1, "fp": 1, "tn": 3, "fn": 2}
    if got == {"tp": 1, "fp": 2, "tn": 3, "fn": 1}:
        raise AssertionError(
            "fp and fn are swapped: fp counts the false alarms (predicted 1, truly 0: one here) "
            "and fn the misses (predicted 0, truly 1: two here)")
    assert got == expected, (f"y_true {y_true.tolist()} and y_pred {y_pred.tolist()} give "
                             f"{expected}, got {got}")


@check("confusion_counts.bad_input", points=1, needs="confusion_counts.keys",
       hint="Compare shapes first and raise ValueError when y_true and y_pred differ.")
def test_confusion_bad_input(student):
    raises_value_error(student, "confusion_counts", np.array([1, 0, 1]), np.array([1, 0]),
                       why="y_true of shape (3,) and y_pred of shape (2,)")


# errors [0, 0, -3, 4]: MSE 6.25, RMSE 2.5, MAE 1.75, mean signed error 0.25
Y_TRUE = np.array([1.0, 2.0, 3.0, 4.0])
Y_PRED = np.array([1.0, 2.0, 0.0, 8.0])


@check("rmse.returns_number", points=1,
       hint="Return one float computed from y_true and y_pred, in the units of the data.")
def test_rmse_returns_number(student):
    y = np.array([1.0, 2.0])
    _computed(student, "rmse", (y, y.copy()), (y, np.array([1.5, 2.0])),
              "perfect predictions and predictions with an error")


@check("rmse.value", points=1,
       hint="RMSE = sqrt(mean((y_true - y_pred) ** 2)): the square root brings it back to the "
            "units of the data (dollars).")
def test_rmse_value(student):
    got = _number(student.rmse(Y_TRUE, Y_PRED), "rmse")
    assert not np.isclose(got, 6.25), (
        "got 6.25, the mean squared error (MSE): the RMSE is its square root, 2.5, in the units "
        "of the data")
    assert np.isclose(got, 2.5), f"errors [0, 0, -3, 4] give RMSE sqrt(25 / 4) = 2.5, got {got:.4g}"


@check("rmse.bad_input", points=1, needs="rmse.returns_number",
       hint="Raise ValueError when the shapes differ: (N,) against (N, 1) would broadcast to "
            "(N, N) and give a wrong number silently.")
def test_rmse_bad_input(student):
    raises_value_error(student, "rmse", Y_TRUE, Y_PRED[:, None],
                       why="y_true of shape (4,) and y_pred of shape (4, 1)")


@check("mae.returns_number", points=1,
       hint="Return one float computed from y_true and y_pred, in the units of the data.")
def test_mae_returns_number(student):
    y = np.array([1.0, 2.0])
    _computed(student, "mae", (y, y.copy()), (y, np.array([1.5, 2.0])),
              "perfect predictions and predictions with an error")


@check("mae.value", points=1,
       hint="MAE = mean(|y_true - y_pred|): absolute values, so errors of both signs count.")
def test_mae_value(student):
    got = _number(student.mae(Y_TRUE, Y_PRED), "mae")
    assert not np.isclose(abs(got), 0.25), \
        "got the mean signed error (0.25): take absolute values before the mean, MAE = 1.75"
    assert np.isclose(got, 1.75), f"errors [0, 0, -3, 4] give MAE 7 / 4 = 1.75, got {got:.4g}"


@check("mae.bad_input", points=1, needs="mae.returns_number",
       hint="Raise ValueError when the shapes differ: (N,) against (N, 1) would broadcast.")
def test_mae_bad_input(student):
    raises_value_error(student, "mae", Y_TRUE, Y_PRED[:, None],
                       why="y_true of shape (4,) and y_pred of shape (4, 1)")
