"""Hidden checks of the metrics: random sizes and shapes, ties at the threshold, edge cases."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_dict, as_number, raises_value_error


def _rng(salt: int) -> np.random.Generator:
    """Each check draws from its own seeded generator: the same inputs whichever checks run."""
    return np.random.default_rng([404, salt])


def _labels(rng, n):
    return rng.integers(0, 2, size=n).astype(float)


@check("accuracy.random", points=2,
       hint="Keras' binary accuracy: mean((y_prob > threshold) == y_true), for any threshold.")
def test_accuracy_random(student):
    rng = _rng(1)
    for n, threshold in ((37, 0.3), (250, 0.5), (8, 0.9)):
        y_true = _labels(rng, n)
        y_prob = np.round(rng.random(n), 1)  # one decimal: many probabilities sit on the threshold
        expected = float(np.mean((y_prob > threshold) == y_true))
        got = as_number(student.accuracy(y_true, y_prob, threshold=threshold),
                        "what accuracy returns")
        assert np.isclose(got, expected), (
            "on random labels with many probabilities at the threshold, and other thresholds, "
            "the accuracy is not mean((y_prob > threshold) == y_true)")


def _edge_cases(student, function, make_pair):
    empty = np.array([], dtype=float)
    raises_value_error(student, function, empty, empty, why="empty inputs")
    y_true, y_other = make_pair()
    y_other[2] = np.nan
    raises_value_error(student, function, y_true, y_other, why="a NaN in the second argument")


@check("accuracy.edge_cases", points=1, needs="accuracy.returns_number",
       hint="Raise ValueError for empty inputs and for NaN: a NaN is never > threshold, so it "
            "would silently count as class 0.")
def test_accuracy_edge_cases(student):
    rng = _rng(2)
    _edge_cases(student, "accuracy", lambda: (_labels(rng, 6), rng.random(6)))


@check("confusion_counts.random", points=2,
       hint="tp = sum(pred 1 & true 1), fp = sum(pred 1 & true 0), tn = sum(pred 0 & true 0), "
            "fn = sum(pred 0 & true 1); the four add up to N.")
def test_confusion_random(student):
    rng = _rng(3)
    for n in (1, 60, 333):
        y_true, y_pred = _labels(rng, n), _labels(rng, n)
        expected = {"tp": int(np.sum((y_pred == 1) & (y_true == 1))),
                    "fp": int(np.sum((y_pred == 1) & (y_true == 0))),
                    "tn": int(np.sum((y_pred == 0) & (y_true == 0))),
                    "fn": int(np.sum((y_pred == 0) & (y_true == 1)))}
        counts = as_dict(student.confusion_counts(y_true, y_pred),
                         "what confusion_counts returns")
        assert set(expected) <= set(counts), "confusion_counts should return tp, fp, tn and fn"
        got = {k: int(counts[k]) for k in expected}
        assert got == expected, (
            "on random labels (one sample among the cases), the counts are not tp = sum(pred 1 "
            "& true 1), fp = sum(pred 1 & true 0), tn = sum(pred 0 & true 0), fn = sum(pred 0 "
            "& true 1)")


@check("confusion_counts.edge_cases", points=1, needs="confusion_counts.keys",
       hint="Raise ValueError for empty inputs and for NaN labels.")
def test_confusion_edge_cases(student):
    rng = _rng(4)
    _edge_cases(student, "confusion_counts", lambda: (_labels(rng, 6), _labels(rng, 6)))


@check("rmse.random", points=1,
       hint="sqrt(mean(squared error)) over every element, whatever the shape.")
def test_rmse_random(student):
    rng = _rng(5)
    for shape in ((50,), (7, 3)):
        y_true, y_pred = rng.normal(size=shape) * 40, rng.normal(size=shape) * 40
        expected = float(np.sqrt(np.mean((y_true - y_pred) ** 2)))
        got = as_number(student.rmse(y_true, y_pred), "what rmse returns")
        assert np.isclose(got, expected), (
            f"on random arrays of shape {shape}, the RMSE is not sqrt(mean((y_true - y_pred) "
            "** 2)) over every element")


@check("rmse.edge_cases", points=1, needs="rmse.returns_number",
       hint="Raise ValueError for empty inputs and for NaN.")
def test_rmse_edge_cases(student):
    rng = _rng(7)
    _edge_cases(student, "rmse", lambda: (rng.normal(size=6), rng.normal(size=6)))


@check("mae.random", points=1, hint="mean(|error|) over every element, whatever the shape.")
def test_mae_random(student):
    rng = _rng(6)
    for shape in ((50,), (7, 3)):
        y_true, y_pred = rng.normal(size=shape) * 40, rng.normal(size=shape) * 40
        expected = float(np.mean(np.abs(y_true - y_pred)))
        got = as_number(student.mae(y_true, y_pred), "what mae returns")
        assert np.isclose(got, expected), (
            f"on random arrays of shape {shape}, the MAE is not mean(|y_true - y_pred|) over "
            "every element")


@check("mae.edge_cases", points=1, needs="mae.returns_number",
       hint="Raise ValueError for empty inputs and for NaN.")
def test_mae_edge_cases(student):
    rng = _rng(8)
    _edge_cases(student, "mae", lambda: (rng.normal(size=6), rng.normal(size=6)))
