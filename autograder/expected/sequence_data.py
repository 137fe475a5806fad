"""What the checks of assignment 01 share: the lecture's six-row table, rows that name
themselves, price frames, and who to blame when prepare_data's helpers are wrong."""

from __future__ import annotations

import numpy as np
import pandas as pd

from autograder.expected.assertions import as_array, as_frame, as_parts
from autograder.outcomes import StudentError

SEED_DATES = pd.DatetimeIndex(pd.date_range("2019-01-01", periods=6, freq="D"), name="Date")
SEED_VOLUME = [1e6, 2e6, 3e6, 4e6, 5e6, 6e6]
SEED_OPEN = [150.0, 160.0, 155.0, 180.0, 175.0, 170.0]
SEED_CLOSE = [155.0, 165.0, 160.0, 185.0, 180.0, 175.0]
SEED_TARGET = [np.nan, 1.0, 0.0, 1.0, 0.0, 0.0]
REQUIRED = ("Open", "High", "Low", "Close", "Volume")


def seed_frame(with_target: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({"Volume": SEED_VOLUME, "Open": SEED_OPEN, "Close": SEED_CLOSE},
                         index=SEED_DATES)
    if with_target:
        frame["Target"] = SEED_TARGET
    return frame


def numbered_rows(n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Features whose every value says its row (row r, feature j -> 100 r + j) and targets
    1000 + r: a window or a target that is off by one row shows which row it took."""
    rows = np.arange(n, dtype=np.float64)[:, None]
    features = 100 * rows + np.arange(d)[None, :]
    return features, 1000 + rows[:, 0]


def random_prices(n: int = 40, seed: int = 0) -> pd.DataFrame:
    """A frame as load_prices returns it: a random walk of closes on business days."""
    rng = np.random.default_rng(seed)
    close = 100 + np.cumsum(rng.normal(0, 1, n))
    return pd.DataFrame(
        {"Open": close + rng.normal(0, 0.5, n), "High": close + 2, "Low": close - 2,
         "Close": close, "Volume": rng.uniform(1e6, 2e6, n)},
        index=pd.DatetimeIndex(pd.date_range("2020-01-01", periods=n, freq="B"), name="Date"))


def frame_of(student, function: str, *args, **kwargs) -> pd.DataFrame:
    """Call ``function`` and require a DataFrame back."""
    return as_frame(student.call(function, *args, **kwargs), f"what {function} returns")


def expected_target(close) -> np.ndarray:
    close = np.asarray(close, dtype=float)
    target = np.r_[np.nan, (close[1:] > close[:-1]).astype(float)]
    return target


# --- prepare_data calls the other functions: when it fails, is one of them the cause? -----------

DEPENDENCIES = ("add_target", "split_chronologically", "standardize", "make_windows")


def broken_dependency(student, prices: pd.DataFrame, length: int,
                      columns=("Volume", "Open", "Close"), train_frac=0.7,
                      val_frac=0.15) -> str | None:
    """Which function prepare_data relies on is wrong on this very input, as a phrase
    ("add_target, which raises KeyError", "standardize, whose stats are not the training
    part's"), or None when they all do their part."""
    columns = list(columns)
    checks = (
        ("add_target", lambda: _add_target_wrong(student, prices)),
        ("split_chronologically", lambda: _split_wrong(student, prices, train_frac, val_frac)),
        ("standardize", lambda: _standardize_wrong(student, prices, columns, train_frac,
                                                   val_frac)),
        ("make_windows", lambda: _windows_wrong(student, prices[columns].to_numpy(), length)),
    )
    for name, wrong in checks:
        try:
            why = wrong()
        except StudentError as err:
            if err.kind in ("missing", "name"):
                return f"{name}, which is not defined"
            if err.type_name == "NotImplementedError":
                return f"{name}, which is not written yet"
            return f"{name}, which raises {err.type_name}"
        except AssertionError as err:
            why = str(err)
        if why:
            return f"{name}, which is wrong ({why})"
    return None


def _add_target_wrong(student, prices) -> str:
    out = frame_of(student, "add_target", prices)
    if "Target" not in out.columns:
        return "no Target column"
    got = as_array(out["Target"], "Target")
    if got.shape != (len(prices),) or not np.allclose(got, expected_target(prices["Close"]),
                                                      equal_nan=True):
        return "its Target is not 1.0 where Close rose, 0.0 otherwise, NaN first"
    return ""


def _split_wrong(student, prices, train_frac, val_frac) -> str:
    parts = as_parts(student.split_chronologically(prices, train_frac, val_frac), 3,
                     "split_chronologically", "train, val, test")
    n = len(prices)
    sizes = tuple(len(p) for p in parts)
    if sizes != (int(n * train_frac), int(n * val_frac), n - int(n * train_frac)
                 - int(n * val_frac)):
        return "its part sizes are not int(n * train_frac), int(n * val_frac) and the rest"
    return ""


def _standardize_wrong(student, prices, columns, train_frac, val_frac) -> str:
    n = len(prices)
    a, b = int(n * train_frac), int(n * train_frac) + int(n * val_frac)
    train, val, test = prices.iloc[:a], prices.iloc[a:b], prices.iloc[b:]
    *_, stats = as_parts(student.standardize(train, val, test, columns), 4, "standardize",
                         "train_s, val_s, test_s, stats")
    stats = as_frame(stats, "stats")
    want = np.array([train[columns].mean().to_numpy(), train[columns].std(ddof=0).to_numpy()])
    try:
        got = stats.loc[["mean", "std"], columns].to_numpy(dtype=float)
    except (KeyError, TypeError, ValueError):
        return "its stats lack the rows mean and std or the feature columns"
    if not np.allclose(got, want, rtol=1e-6):
        return "its stats are not the training part's mean and population std"
    return ""


def _windows_wrong(student, features, length) -> str:
    targets = np.arange(len(features), dtype=float)
    X, y = as_parts(student.make_windows(features, targets, length), 2, "make_windows", "X, y")
    X, y = as_array(X, "X"), as_array(y, "y")
    n = len(features)
    expected = np.stack([features[i:i + length] for i in range(n - length)])
    if X.shape != expected.shape or not np.allclose(X, expected, rtol=1e-5) \
            or y.shape != (n - length,) or not np.allclose(y, targets[length:]):
        return "its windows are not TimeseriesGenerator's"
    return ""


def blaming(student, prices: pd.DataFrame, length: int, **options):
    """A context for a check of prepare_data: should it fail (a wrong answer, or an error
    other than not being written yet) while one of the functions it calls is wrong on the
    same input, its message says which one, so the student fixes that first."""
    return _Blaming(student, prices, length, options)


class _Blaming:
    def __init__(self, student, prices, length, options) -> None:
        self.student, self.prices, self.length, self.options = student, prices, length, options

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback) -> bool:
        if error is None or not isinstance(error, (AssertionError, StudentError)):
            return False
        if isinstance(error, StudentError) and (
                error.kind in ("missing", "name") or error.type_name == "NotImplementedError"):
            return False
        culprit = broken_dependency(self.student, self.prices, self.length, **self.options)
        if culprit is None:
            return False
        blame = (f"prepare_data calls {culprit}: make that function's own checks pass first "
                 "(this check fails because of it)")
        if isinstance(error, StudentError):
            raise StudentError(error.kind, error.type_name,
                               f"{error.message}; {blame}", error.where) from None
        raise AssertionError(f"{blame}. What this check saw: {error}") from None
