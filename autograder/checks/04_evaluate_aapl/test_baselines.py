"""Public checks of unscale, persistence_forecast and majority_baseline on tiny cases."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import as_array, as_series, assert_close

STATS = pd.DataFrame({"Open": [10.0, 2.0], "Close": [100.0, 5.0]}, index=["mean", "std"])
DATES = pd.DatetimeIndex(pd.date_range("2019-01-01", periods=5, freq="D"), name="Date")
CLOSE = pd.Series([10.0, 11.0, 13.0, 12.0, 15.0], index=DATES, name="Close")


@check("unscale.value", points=3,
       hint="Undo (x - mean) / std: values * std + mean, with the mean and std of that column "
            "(stats.loc['std', column], stats.loc['mean', column]).")
def test_unscale_value(student):
    scaled = np.array([0.0, 1.0, -2.0])
    got = as_array(student.unscale(scaled, STATS, "Close"), "what unscale returns")
    assert got.shape == (3,), f"unscale should keep the shape of values, (3,), got {got.shape}"
    if np.allclose(got, (scaled - 100.0) / 5.0):
        raise AssertionError("the scaling was applied again, (values - mean) / std, instead of "
                             "undone: the inverse is values * std + mean")
    if np.allclose(got, scaled * 2.0 + 10.0):
        raise AssertionError("these are the statistics of Open; use the column asked for, Close")
    assert_close(got, [100.0, 105.0, 90.0], "unscale([0, 1, -2], stats, 'Close')",
                 should="Close has mean 100 and std 5, so the scaled values [0, 1, -2] are "
                        "[100, 105, 90] dollars")


def _series(value, function: str) -> pd.Series:
    value = as_series(value, f"what {function} returns (indexed by date)")
    try:
        return value.astype("float64")
    except (TypeError, ValueError):
        raise AssertionError(f"{function} should return numbers, got dtype {value.dtype}") \
            from None


@check("persistence_forecast.values", points=3,
       hint="Tomorrow = today: the forecast for day d is the close of the day before, "
            "close.shift(1). A forecast that equals the actual close is a leak, not a skill.")
def test_persistence_values(student):
    got = _series(student.persistence_forecast(CLOSE.copy()), "persistence_forecast")
    common = got.index.intersection(DATES[1:])
    assert len(common), "the forecast shares no date with the closes from 2019-01-02 on"
    for name, leak in (("that same day", CLOSE), ("the day after", CLOSE.shift(-1))):
        if np.allclose(got.loc[common], leak.loc[common], equal_nan=True):
            raise AssertionError(
                f"the forecast for each day is the close of {name}: it knows the answer, so it "
                "would score a perfect error of 0. A perfect forecast is a leak: persistence "
                "uses the close of the day before, close.shift(1)")
    assert_close(got.loc[common], CLOSE.shift(1).loc[common],
                 "the forecasts for days 2 to 5 of the closes [10, 11, 13, 12, 15]",
                 should="They are the closes of the days before: [10, 11, 13, 12]")


@check("persistence_forecast.index", points=1,
       hint="Index the forecast by every date of close but the first, which has no day before "
            "it (drop it: .iloc[1:] or .dropna()).")
def test_persistence_index(student):
    got = _series(student.persistence_forecast(CLOSE.copy()), "persistence_forecast")
    assert list(got.index) == list(DATES[1:]), (
        f"expected the dates 2019-01-02 to 2019-01-05 (every date but the first), got "
        f"{[str(d)[:10] for d in got.index]}")


@check("majority_baseline.value", points=2,
       hint="The majority baseline repeats the MOST frequent class of y_train, n times, as "
            "floats: np.full(n, majority, dtype=float).")
def test_majority_value(student):
    for y_train, n, majority in (([0.0, 0.0, 1.0, 0.0, 1.0], 4, 0.0), ([1.0, 1.0, 0.0], 3, 1.0)):
        got = student.majority_baseline(np.array(y_train), n)
        values = as_array(got, "what majority_baseline returns")
        assert values.shape == (n,), f"n={n} should give {n} values, got shape {values.shape}"
        assert np.asarray(got).dtype.kind == "f", \
            f"the values should be floats, got dtype {np.asarray(got).dtype}"
        if np.allclose(values, 1.0 - majority):
            raise AssertionError(
                f"y_train {y_train} has more {majority:g}s than {1 - majority:g}s: the baseline "
                f"should predict the majority class {majority:g}, got the minority class")
        assert_close(values, np.full(n, majority), f"majority_baseline({y_train}, {n})",
                     should=f"Every value is the majority class {majority:g}")


@check("majority_baseline.tie", points=1,
       hint="When both classes are equally frequent, the contract picks 1.0.")
def test_majority_tie(student):
    got = as_array(student.majority_baseline(np.array([0.0, 1.0, 1.0, 0.0]), 2),
                   "what majority_baseline returns")
    assert_close(got, [1.0, 1.0], "majority_baseline([0, 1, 1, 0], 2)",
                 should="A tie (two 0s, two 1s) gives 1.0")
