"""Public checks of momentum_baseline, mcnemar_p_value and walk_forward_splits."""

import numpy as np

from autograder.engine import check
from autograder.expected import evaluate_aapl as bt
from autograder.expected.assertions import as_number, raises_value_error


@check("momentum_baseline.values", points=3,
       hint="The prediction for day i + 1 is the label of day i: return y[:-1] as floats, "
            "n - 1 values for the n - 1 days that have a day before them.")
def test_momentum_values(student):
    bt.assert_momentum(student, [1.0, 0.0, 0.0, 1.0, 1.0, 0.0], "six labels")


# y, A, B: A right on 8 samples where B is wrong, B right on 2 where A is wrong, 3 ties.
Y = np.array([1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 0], dtype=float)
A = np.array([1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0], dtype=float)
B = np.array([0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 0, 1, 0], dtype=float)


@check("mcnemar_p_value.returns_number", points=1,
       hint="Return one float, the p-value, between 0 and 1; it depends on where the two "
            "classifiers disagree.")
def test_mcnemar_returns_number(student):
    values = []
    for b, name in ((B, "two different classifiers"), (A.copy(), "two identical classifiers")):
        p = as_number(student.mcnemar_p_value(Y, A, b), f"mcnemar_p_value on {name}")
        assert 0 < p <= 1, f"mcnemar_p_value on {name} should be a p-value in (0, 1], got {p}"
        values.append(p)
    assert values[0] != values[1], (
        "mcnemar_p_value gave the same p-value for two classifiers that disagree on 10 of 13 "
        "samples and for two identical ones: compute it from the samples where they disagree")


@check("mcnemar_p_value.value", points=3,
       hint="b = samples A gets right and B wrong, c = the opposite; p = min(1, 2 * sum over "
            "k <= min(b, c) of comb(b + c, k) / 2**(b + c)), with math.comb.")
def test_mcnemar_value(student):
    bt.assert_mcnemar(student, Y, A, B, "13 samples where A alone is right on 8, B alone on 2")


@check("mcnemar_p_value.symmetric_and_capped", points=1,
       hint="Swapping A and B gives the same p; when b = c the doubled tail exceeds 1 and p is "
            "capped at 1.")
def test_mcnemar_symmetric_and_capped(student):
    bt.assert_mcnemar(student, Y, B, A, "A and B swapped")
    even = np.array([1, 1, 0, 0], dtype=float)
    bt.assert_mcnemar(student, even, np.array([1, 0, 0, 0.0]), np.array([0, 1, 0, 0.0]),
                      "b = c = 1")


@check("mcnemar_p_value.no_disagreement", points=1,
       hint="When A and B are right on exactly the same samples (b + c = 0), p = 1.0.")
def test_mcnemar_no_disagreement(student):
    bt.assert_mcnemar(student, Y, A, A.copy(), "two identical classifiers")


@check("mcnemar_p_value.lengths", points=1, needs="mcnemar_p_value.returns_number",
       hint="Raise ValueError when y_true, pred_a and pred_b differ in length.")
def test_mcnemar_lengths(student):
    raises_value_error(student, "mcnemar_p_value", Y, A, B[:-1], why="pred_b one shorter")
    raises_value_error(student, "mcnemar_p_value", Y[:-2], A, B, why="y_true two shorter")


@check("walk_forward_splits.returns_folds", points=1,
       hint="Return a list of n_folds pairs (train_idx, test_idx), each a 1-d array of integer "
            "row positions.")
def test_returns_folds(student):
    for n, n_folds, min_train in ((20, 3, 5), (30, 2, 4)):
        folds = bt.folds_of(student, n, n_folds, min_train)
        assert len(folds) == n_folds, (f"walk_forward_splits({n}, {n_folds}, {min_train}) should "
                                       f"return {n_folds} folds, got {len(folds)}")


@check("walk_forward_splits.folds", points=3,
       hint="step = (n - min_train) // n_folds; fold k trains on np.arange(min_train + k*step) "
            "and tests on np.arange(min_train + k*step, min_train + (k+1)*step).")
def test_folds(student):
    bt.assert_folds(student, 20, 3, 5)


@check("walk_forward_splits.last_fold", points=1,
       hint="When n - min_train is not a multiple of n_folds, the last test stretch takes the "
            "remainder: it runs to n.")
def test_last_fold(student):
    bt.assert_folds(student, 24, 3, 5)  # 19 rows after min_train: the last fold takes 7


@check("walk_forward_splits.no_leak", points=1,
       hint="Each fold's training rows all come before its test rows, and the test stretches "
            "follow one another with no overlap and no gap.")
def test_no_leak(student):
    n, n_folds, min_train = 50, 4, 10
    folds = bt.folds_of(student, n, n_folds, min_train)
    tested = np.concatenate([test for _, test in folds]) if folds else np.array([])
    for k, (train, test) in enumerate(folds):
        assert len(train) and len(test) and train.max() < test.min(), \
            f"fold {k}: every training row must come before every test row"
    assert np.array_equal(np.sort(tested), np.arange(min_train, n)), \
        f"the test stretches of walk_forward_splits({n}, {n_folds}, {min_train}) should cover " \
        f"rows {min_train} to {n - 1} exactly once each"


@check("walk_forward_splits.bad_arguments", points=1, needs="walk_forward_splits.returns_folds",
       hint="Raise ValueError for n_folds < 1, min_train < 1, or too few rows for n_folds test "
            "stretches of at least one row (step < 1).")
def test_bad_arguments(student):
    raises_value_error(student, "walk_forward_splits", 20, 0, 5, why="n_folds=0",
                       mentions="n_folds")
    raises_value_error(student, "walk_forward_splits", 20, 3, 0, why="min_train=0",
                       mentions="min_train")
    raises_value_error(student, "walk_forward_splits", 10, 5, 8,
                       why="2 rows after min_train for 5 folds (step 0)")
