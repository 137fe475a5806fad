"""Hidden checks of unscale, persistence_forecast and majority_baseline on real and random data."""

import numpy as np
import pandas as pd

from autograder.engine import check
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
        got = np.asarray(student.unscale(values, stats, column), dtype=float)
        np.testing.assert_allclose(got, expected, rtol=1e-9, err_msg=(
            f"column {column}: values * std + mean with that column's statistics"))


@check("persistence_forecast.other_ticker", points=2,
       hint="close.shift(1) without its first date: works for any Series of closes.")
def test_persistence_msft(student):
    close = shipped_prices("msft")["Close"]
    got = student.persistence_forecast(close.copy())
    assert isinstance(got, pd.Series), f"expected a Series, got {type(got).__name__}"
    first = f"from {str(got.index[0])[:10]}" if len(got) else ""
    assert got.index.equals(close.index[1:]), (
        f"expected every date of MSFT but the first ({len(close) - 1} dates from "
        f"{close.index[1]:%Y-%m-%d}), got {len(got)} dates {first}")
    np.testing.assert_allclose(got.to_numpy(dtype=float), close.to_numpy()[:-1],
                               err_msg="the forecast for each day is the close of the day before")


@check("majority_baseline.random", points=1,
       hint="Count each class in y_train and repeat the more frequent one n times.")
def test_majority_random(student):
    rng = np.random.default_rng([4040, 2])
    for share_of_ones, n in ((0.3, 17), (0.7, 500)):
        y_train = (rng.random(201) < share_of_ones).astype(float)
        majority = float(y_train.mean() >= 0.5)
        got = np.asarray(student.majority_baseline(y_train, n), dtype=float)
        assert got.shape == (n,), f"expected {n} values, got shape {got.shape}"
        np.testing.assert_allclose(got, majority, err_msg=(
            f"y_train with {int(y_train.sum())} ones of {len(y_train)}: majority {majority:g}"))
