"""Hidden checks of make_lag_task: other sizes, T = 1, the default seed."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected.recurrent_models import assert_labels, lag_call

CASES = {"T1_lag0": (4, 1, 0), "first_input": (30, 12, 11), "long_T60": (40, 60, 25)}


@pytest.mark.parametrize("name", CASES)
@check("make_lag_task.other_sizes", points=1,
       hint="Any n >= 1 and 0 <= lag < T: the label is the sign of X[:, T - 1 - lag, 0].")
def test_other_sizes(student, name):
    n, T, lag = CASES[name]
    assert_labels(student, n, T, lag, name.replace("_", " "), seed=7)


@check("make_lag_task.default_seed", points=1,
       hint="seed=0 by default: two calls without a seed give the same data.")
def test_default_seed(student):
    first, _, call = lag_call(student, 9, 4, 1)
    again, _, _ = lag_call(student, 9, 4, 1)
    assert np.array_equal(first, again), f"two calls of {call} gave different X"
