"""Hidden checks of standardize and prepare_data on other tickers."""

import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import as_array, as_frame, as_parts, assert_close
from autograder.expected.sequence_data import blaming
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
    parts = as_parts(student.standardize(train, val, test, columns), 4, "standardize",
                     "train_s, val_s, test_s, stats")
    train_s, val_s, test_s, stats = (as_frame(p, n) for p, n in zip(
        parts, ("train_s", "val_s", "test_s", "stats")))
    mean, std = train[columns].mean(), train[columns].std(ddof=0)
    assert_close(stats.loc["mean", columns], mean, "on another ticker, the means in stats "
                 "(the training part's)", rtol=1e-9)
    assert_close(stats.loc["std", columns], std, "on another ticker, the stds in stats "
                 "(the training part's, ddof=0)", rtol=1e-9)
    assert_close(test_s["Close"], (test["Close"] - mean["Close"]) / std["Close"],
                 "on another ticker, the scaled test Close", rtol=1e-9)
    assert_close(val_s["Open"], val["Open"], "on another ticker, val Open (not a column to "
                 "scale, so unchanged)")


@check("prepare_data.other_ticker", points=3, timeout=60,
       hint="prepare_data chains add_target, split, standardize (train only) and make_windows "
            "per part; the stats must be the training part's.")
def test_prepare_ibm(student):
    frame = _load("ibm")
    with blaming(student, frame, 10):
        data = student.prepare_data(frame, 10)
        n = len(frame)
        n_train, n_val = int(n * 0.7), int(n * 0.15)
        train = frame.iloc[:n_train]
        assert_close(as_frame(data["stats"], "stats").loc["mean", ["Volume", "Open", "Close"]],
                     train[["Volume", "Open", "Close"]].mean(),
                     "on another ticker, the means in stats (the training part's only)",
                     rtol=1e-9)
        sizes = tuple(len(data[k]) for k in ("X_train", "X_val", "X_test"))
        assert sizes == (n_train - 10, n_val - 10, n - n_train - n_val - 10), (
            "on another ticker, the window counts per part are not n_part - length: window "
            "each part separately")
        close = frame["Close"].to_numpy()
        up = (close[1:] > close[:-1]).astype(float)
        assert_close(data["y_test"], up[n_train + n_val + 10 - 1:],
                     "on another ticker, y_test (the Targets of the test rows after each "
                     "window)")


@check("prepare_data.feature_columns", points=1,
       hint="Use the feature_columns argument (its order too) for the windows and the stats.")
def test_feature_columns(student):
    frame = _load("aapl").iloc[:400]
    with blaming(student, frame, 5, columns=("Close", "High")):
        data = student.prepare_data(frame, 5, feature_columns=("Close", "High"))
        X_train = as_array(data["X_train"], "X_train", ndim=3)
        assert X_train.shape[2] == 2, \
            "with feature_columns=('Close', 'High') the windows should have D = 2 features: " \
            "use the argument, not a fixed list"
        assert list(as_frame(data["stats"], "stats").columns) == ["Close", "High"], \
            "with feature_columns=('Close', 'High') stats should have those columns, in that order"
