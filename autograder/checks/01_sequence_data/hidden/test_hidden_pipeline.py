"""Hidden checks of standardize and prepare_data on other tickers."""

import numpy as np
import pandas as pd

from autograder.engine import check
from datasets import csv_path


def _load(ticker):
    frame = pd.read_csv(csv_path(ticker), index_col="Date", parse_dates=True)
    return frame.astype("float64")


@check("standardize.other_ticker", points=2,
       hint="Statistics from train only, ddof=0; every part scaled with them.")
def test_standardize_msft(student):
    frame = _load("msft")
    train, val, test = frame.iloc[:2000], frame.iloc[2000:2500], frame.iloc[2500:]
    columns = ["Volume", "Close"]
    train_s, val_s, test_s, stats = student.standardize(train, val, test, columns)
    mean, std = train[columns].mean(), train[columns].std(ddof=0)
    np.testing.assert_allclose(stats.loc["mean", columns].to_numpy(float), mean.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(stats.loc["std", columns].to_numpy(float), std.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(test_s["Close"], (test["Close"] - mean["Close"]) / std["Close"],
                               rtol=1e-9)
    np.testing.assert_allclose(val_s["Open"], val["Open"], err_msg="Open was not to be scaled")


@check("prepare_data.other_ticker", points=3, timeout=60,
       hint="prepare_data chains add_target, split, standardize (train only) and make_windows "
            "per part; the stats must be the training part's.")
def test_prepare_ibm(student):
    frame = _load("ibm")
    data = student.prepare_data(frame, 10)
    n = len(frame)
    n_train, n_val = int(n * 0.7), int(n * 0.15)
    train = frame.iloc[:n_train]
    np.testing.assert_allclose(
        data["stats"].loc["mean", ["Volume", "Open", "Close"]].to_numpy(float),
        train[["Volume", "Open", "Close"]].mean().to_numpy(), rtol=1e-9,
        err_msg="stats should be the means of the training part only")
    sizes = tuple(len(data[k]) for k in ("X_train", "X_val", "X_test"))
    assert sizes == (n_train - 10, n_val - 10, n - n_train - n_val - 10), \
        f"window counts per part: expected {(n_train - 10, n_val - 10, n - n_train - n_val - 10)}, got {sizes}"
    close = frame["Close"].to_numpy()
    up = (close[1:] > close[:-1]).astype(float)
    np.testing.assert_allclose(data["y_test"], up[n_train + n_val + 10 - 1:],
                               err_msg="y_test should be the Targets of the test rows after each window")


@check("prepare_data.feature_columns", points=1,
       hint="Use the feature_columns argument (its order too) for the windows and the stats.")
def test_feature_columns(student):
    frame = _load("aapl").iloc[:400]
    data = student.prepare_data(frame, 5, feature_columns=("Close", "High"))
    assert data["X_train"].shape[2] == 2, \
        f"two feature columns should give D = 2, got {data['X_train'].shape[2]}"
    assert list(data["stats"].columns) == ["Close", "High"], \
        f"stats columns should be ['Close', 'High'], got {list(data['stats'].columns)}"
