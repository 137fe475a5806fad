"""Public checks of prepare_data: the whole pipeline, windows that stay inside their split.

prepare_data calls the other functions of the assignment: when one of them is wrong on the
check's data, the message says which (expected.sequence_data.blaming)."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_array, as_dict, as_frame, assert_close
from autograder.expected.sequence_data import blaming, random_prices

KEYS = ("X_train", "y_train", "X_val", "y_val", "X_test", "y_test", "stats")


def prepare(student, prices, length, **options) -> dict:
    data = as_dict(student.prepare_data(prices, length, **options), "what prepare_data returns")
    missing = sorted(set(KEYS) - set(data))
    assert not missing, f"missing keys: {missing}"
    return data


@check("prepare_data.keys_and_shapes", points=2,
       hint="Return a dict with X_train, y_train, X_val, y_val, X_test, y_test and stats; each part "
            "of n_part rows gives n_part - length windows.")
def test_keys_and_shapes(student):
    prices = random_prices(40)
    with blaming(student, prices, 5):
        data = prepare(student, prices, 5)
        # 40 rows: 28 train, 6 val, 6 test; minus 5 rows each for the first window.
        shapes = {k: tuple(np.shape(data[k])) for k in ("X_train", "X_val", "X_test")}
        assert shapes == {"X_train": (23, 5, 3), "X_val": (1, 5, 3), "X_test": (1, 5, 3)}, (
            f"40 rows split 28/6/6 and windows of 5 should give X shapes (23, 5, 3), (1, 5, 3), "
            f"(1, 5, 3); got {shapes}. Window each part separately.")


@check("prepare_data.no_window_crosses_a_split", points=3,
       hint="Split first, then make_windows on each part: a window must not start in train and "
            "end in val.")
def test_no_crossing(student):
    prices = random_prices(40)
    with blaming(student, prices, 5):
        data = prepare(student, prices, 5)
        stats = as_frame(data["stats"], "stats")
        volume = prices["Volume"].to_numpy()
        scaled = (volume - stats.loc["mean", "Volume"]) / stats.loc["std", "Volume"]
        X_val = as_array(data["X_val"], "X_val", ndim=3)
        assert len(X_val), "X_val is empty: 6 validation rows and windows of 5 give one window"
        # The first validation window must be rows 28..32, not 23..27 (which would cross).
        assert_close(X_val[0][:, 0], scaled[28:33],
                     "the scaled Volume of the first validation window (rows 28-32, the first "
                     "5 validation rows)", rtol=1e-4)


@check("prepare_data.targets_unscaled", points=2,
       hint="Scale only the feature columns; targets stay 0/1 and are the Target of the row "
            "after each window.")
def test_targets(student):
    prices = random_prices(40)
    with blaming(student, prices, 5):
        data = prepare(student, prices, 5)
        close = prices["Close"].to_numpy()
        up = (close[1:] > close[:-1]).astype(float)  # Target of rows 1..39
        assert_close(data["y_train"], up[4:27], "y_train (the 0/1 Targets of rows 5..27)")
