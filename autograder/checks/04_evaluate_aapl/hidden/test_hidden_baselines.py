"""Hidden checks of unscale, persistence_forecast and majority_baseline on real and random data."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import as_array, as_series, assert_close
from autograder.expected.evaluate_aapl import shipped_prices

@check("unscale.random", points=2,
       hint="values * stats.loc['std', column] + stats.loc['mean', column], for arrays and Series.")
def test_unscale_random(student):
    rng = np.random.default_rng([4040, 1])  # per check: the same inputs whichever checks run
    columns = ["Volume", "Open", "Close"]
    stats = pd.DataFrame([rng.normal(50, 20, 3), rng.uniform(1, 9, 3)], index=["mean", "std"],
                         columns=columns)
    for column in columns:
        values = pd.Series(rng.normal(size=9))
        expected = values.to_numpy() * stats.loc["std", column] + stats.loc["mean", column]
        got = as_array(student.unscale(values, stats, column), "what unscale returns")
        assert_close(got, expected, f"unscale of a Series, other statistics, column {column}",
                     rtol=1e-9, should="It should be values * std + mean with that column's "
                                       "statistics")


@check("persistence_forecast.other_ticker", points=2,
       hint="close.shift(1) without its first date: works for any Series of closes.")
def test_persistence_msft(student):
    close = shipped_prices("msft")["Close"]
    got = as_series(student.persistence_forecast(close.copy()),
                    "what persistence_forecast returns")
    assert got.index.equals(close.index[1:]), (
        "on another ticker, the forecast should be indexed by every date of close but the first")
    assert_close(as_array(got, "the forecast"), close.to_numpy()[:-1],
                 "on another ticker, the forecast",
                 should="The forecast for each day is the close of the day before")


@check("majority_baseline.random", points=1,
       hint="Count each class in y_train and repeat the more frequent one n times.")
def test_majority_random(student):
    rng = np.random.default_rng([4040, 2])
    for share_of_ones, n in ((0.3, 17), (0.7, 500)):
        y_train = (rng.random(201) < share_of_ones).astype(float)
        majority = float(y_train.mean() >= 0.5)
        got = as_array(student.majority_baseline(y_train, n), "what majority_baseline returns")
        assert got.shape == (n,), "on random labels, majority_baseline should return n values"
        assert_close(got, np.full(n, majority), "on random labels, the baseline",
                     should="Every value is the more frequent class of y_train")
