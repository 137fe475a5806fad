"""Hidden checks of momentum_baseline, mcnemar_p_value and walk_forward_splits: real labels,
large samples with tiny p-values, other fold counts."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import evaluate_aapl as bt
from autograder.expected.evaluate_aapl import shipped_prices


@check("momentum_baseline.real_labels", points=2,
       hint="Any labels in time order: the prediction for each day but the first is the label "
            "of the day before.")
def test_momentum_real_labels(student):
    close = shipped_prices("ibm")["Close"]
    labels = (close > close.shift(1)).astype(float).to_numpy()[1:]
    bt.assert_momentum(student, labels, "a real ticker's up/down labels")


CASES = {"large_sample_close_race": (400, 0.56, 0.5), "tiny_p_value": (600, 0.75, 0.5),
         "few_disagreements": (60, 0.95, 0.93)}


@pytest.mark.parametrize("name", CASES)
@check("mcnemar_p_value.exact", points=1,
       hint="Exact for any sample size: sum math.comb(b + c, k) over k <= min(b, c), as Python "
            "integers, then divide by 2**(b + c); float factorials overflow.")
def test_mcnemar_exact(student, name):
    n, right_a, right_b = CASES[name]
    rng = np.random.default_rng([4040, 7, n])
    y = (rng.random(n) < 0.5).astype(float)
    a = np.where(rng.random(n) < right_a, y, 1 - y)
    b = np.where(rng.random(n) < right_b, y, 1 - y)
    bt.assert_mcnemar(student, y, a, b, name.replace("_", " "))


FOLDS = {"one_fold": (30, 1, 7), "many_folds_uneven": (103, 9, 20), "min_train_1": (13, 11, 1)}


@pytest.mark.parametrize("name", FOLDS)
@check("walk_forward_splits.other_sizes", points=1,
       hint="Any n, n_folds >= 1 and min_train >= 1 with step >= 1: the same formula, the last "
            "test stretch running to n.")
def test_other_sizes(student, name):
    bt.assert_folds(student, *FOLDS[name])
