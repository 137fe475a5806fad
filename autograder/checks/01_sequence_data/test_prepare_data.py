"""Public checks of prepare_data: the whole pipeline, windows that stay inside their split."""

import numpy as np
import pandas as pd

from autograder.engine import check


def _prices(n=40, seed=0):
    rng = np.random.default_rng(seed)
    close = 100 + np.cumsum(rng.normal(0, 1, n))
    return pd.DataFrame(
        {"Open": close + rng.normal(0, 0.5, n), "High": close + 2, "Low": close - 2,
         "Close": close, "Volume": rng.uniform(1e6, 2e6, n)},
        index=pd.DatetimeIndex(pd.date_range("2020-01-01", periods=n, freq="B"), name="Date"))


@check("prepare_data.keys_and_shapes", points=2,
       hint="Return a dict with X_train, y_train, X_val, y_val, X_test, y_test and stats; each part "
            "of n_part rows gives n_part - length windows.")
def test_keys_and_shapes(student):
    data = student.prepare_data(_prices(40), 5)
    missing = {"X_train", "y_train", "X_val", "y_val", "X_test", "y_test", "stats"} - set(data)
    assert not missing, f"missing keys: {sorted(missing)}"
    # 40 rows: 28 train, 6 val, 6 test; minus 5 rows each for the first window.
    shapes = {k: tuple(np.shape(data[k])) for k in ("X_train", "X_val", "X_test")}
    assert shapes == {"X_train": (23, 5, 3), "X_val": (1, 5, 3), "X_test": (1, 5, 3)}, (
        f"40 rows split 28/6/6 and windows of 5 should give X shapes (23, 5, 3), (1, 5, 3), "
        f"(1, 5, 3); got {shapes}. Window each part separately.")


@check("prepare_data.no_window_crosses_a_split", points=3,
       hint="Split first, then make_windows on each part: a window must not start in train and "
            "end in val.")
def test_no_crossing(student):
    prices = _prices(40)
    data = student.prepare_data(prices, 5)
    stats = data["stats"]
    volume = prices["Volume"].to_numpy()
    scaled = (volume - stats.loc["mean", "Volume"]) / stats.loc["std", "Volume"]
    # The first validation window must be rows 28..32, not 23..27 (which would cross).
    np.testing.assert_allclose(data["X_val"][0][:, 0], scaled[28:33], rtol=1e-4,
                               err_msg="the first validation window should be the first 5 "
                                       "validation rows (28-32)")


@check("prepare_data.targets_unscaled", points=2,
       hint="Scale only the feature columns; targets stay 0/1 and are the Target of the row "
            "after each window.")
def test_targets(student):
    prices = _prices(40)
    data = student.prepare_data(prices, 5)
    close = prices["Close"].to_numpy()
    up = (close[1:] > close[:-1]).astype(float)  # Target of rows 1..39
    np.testing.assert_allclose(data["y_train"], up[4:27],
                               err_msg="y_train should be the 0/1 Targets of rows 5..27")
