"""Public checks of make_lag_task: shapes, the label rule, seeding, the noise, bad arguments."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import raises_value_error
from autograder.expected.recurrent_models import assert_labels, lag_call


@check("make_lag_task.returns_pair", points=1,
       hint="Return (X, y): X float32 of shape (n, T, 1), y float32 of shape (n,).")
def test_returns_pair(student):
    for n, T, lag in ((7, 5, 2), (3, 9, 0)):
        lag_call(student, n, T, lag, seed=0)


@check("make_lag_task.labels", points=3,
       hint="y = (X[:, T - 1 - lag, 0] > 0) as float32: the lag counts back from the LAST step "
            "(lag 0 is the last input, lag T - 1 the first).")
def test_labels(student):
    for lag in (3, 9, 0):
        assert_labels(student, 50, 10, lag, f"n=50, T=10, lag={lag}")


@check("make_lag_task.seeded", points=1,
       hint="Draw X from np.random.default_rng(seed): the same seed gives the same data, another "
            "seed other data.")
def test_seeded(student):
    first, _, call = lag_call(student, 20, 6, 2, seed=3)
    again, _, _ = lag_call(student, 20, 6, 2, seed=3)
    other, _, _ = lag_call(student, 20, 6, 2, seed=4)
    assert np.array_equal(first, again), f"two calls of {call} gave different X: use the seed"
    assert not np.array_equal(first, other), \
        "seed=3 and seed=4 gave the same X: draw the noise from a generator seeded with `seed`"


@check("make_lag_task.noise", points=1,
       hint="X is standard normal noise (mean 0, standard deviation 1): rng.standard_normal.")
def test_noise(student):
    X, y, call = lag_call(student, 2000, 10, 4, seed=0)
    mean, std = float(X.mean()), float(X.std())
    assert abs(mean) < 0.05 and abs(std - 1) < 0.05, (
        f"{call}: X should be standard normal noise, mean about 0 and standard deviation about "
        f"1; got mean {mean:.3f} and standard deviation {std:.3f}")
    assert 0.4 < y.mean() < 0.6, \
        f"{call}: about half of the labels should be 1.0 for noise, got {y.mean():.1%}"


@check("make_lag_task.bad_arguments", points=1, needs="make_lag_task.returns_pair",
       hint="Raise ValueError naming lag when lag < 0 or lag >= T (no such input), and naming n "
            "when n < 1.")
def test_bad_arguments(student):
    raises_value_error(student, "make_lag_task", 10, 5, -1, why="lag=-1", mentions="lag")
    raises_value_error(student, "make_lag_task", 10, 5, 5, why="lag=T=5", mentions="lag")
    raises_value_error(student, "make_lag_task", 0, 5, 2, why="n=0", mentions="n")
