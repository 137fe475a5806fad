"""Public checks of split_chronologically."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import as_frame, as_parts, raises_value_error


def _frame(n):
    return pd.DataFrame({"Close": np.arange(n, dtype=float)},
                        index=pd.DatetimeIndex(pd.date_range("2020-01-01", periods=n), name="Date"))


def split(student, frame, *fractions):
    parts = as_parts(student.split_chronologically(frame, *fractions), 3,
                     "split_chronologically", "train, val, test")
    return [as_frame(part, f"the {name} part") for part, name in zip(parts, ("train", "val", "test"))]


@check("split_chronologically.returns_three_parts", points=1,
       hint="Return a tuple (train, val, test) of DataFrames that together hold every row.")
def test_returns_three_parts(student):
    for n in (20, 13):
        total = sum(len(p) for p in split(student, _frame(n)))
        assert total == n, \
            f"the three parts of a {n}-row frame should hold {n} rows together, got {total}"


@check("split_chronologically.sizes", points=2,
       hint="n_train = int(n * train_frac) and n_val = int(n * val_frac) (int truncates; do not "
            "round); test takes the rest.")
def test_sizes(student):
    sizes = tuple(len(p) for p in split(student, _frame(19), 0.7, 0.15))
    if sizes == (13, 3, 3):  # round(13.3) = 13, round(2.85) = 3
        raise AssertionError("19 rows with 0.7/0.15 gave (13, 3, 3): the sizes were rounded. "
                             "int() truncates: int(13.3)=13, int(2.85)=2, so (13, 2, 4)")
    assert sizes == (13, 2, 4), (f"19 rows with 0.7/0.15 should give (13, 2, 4) rows: "
                                 f"int(13.3)=13, int(2.85)=2; got {sizes}")


@check("split_chronologically.order", points=2,
       hint="Take consecutive rows with iloc: train the first n_train, then val, then test; never "
            "shuffle a time series.")
def test_order(student):
    frame = _frame(20)
    joined = np.concatenate([part["Close"].to_numpy() for part in split(student, frame)])
    assert np.array_equal(joined, frame["Close"].to_numpy()), (
        "train + val + test should be the original rows in their original order "
        "(was the data shuffled or sorted?)")


@check("split_chronologically.bad_fractions", points=1,
       needs="split_chronologically.returns_three_parts",
       hint="Raise ValueError for a fraction outside (0, 1) or train_frac + val_frac >= 1.")
def test_bad_fractions(student):
    frame = _frame(20)
    for train_frac, val_frac in ((0.0, 0.1), (1.2, 0.1), (0.7, -0.1), (0.8, 0.2)):
        raises_value_error(student, "split_chronologically", frame, train_frac, val_frac,
                           why=f"train_frac={train_frac}, val_frac={val_frac}")
