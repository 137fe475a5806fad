"""Shipped prices, the persistence baseline and the guarantees of predict_next_close (04).

Everything a check expects is computed here, in the grader's process, from the shipped CSVs;
student code only ever receives copies of the frames. The public and hidden checks of
predict_next_close share these assertions, so a student reads the same words for the same
mistake whichever check found it; in a hidden check without the dates, prices and counts of
its case (``autograder.engine.values_shown``).

predict_next_close trains a model, so its checks share calls: the same call in two checks of
one grading runs once (the call cache of ``engine.student``), except where a check tests
determinism and both calls must really run (``student.call_uncached``).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from autograder.engine import values_shown
from autograder.expected.assertions import as_array, as_number, kind_of
from datasets import csv_path

TRAIN_END = "2010-12-31"
CHANGE_FACTOR = 3.0  # how the look-ahead checks change every row from a date d on
SAME_RTOL = 1e-7  # "the same prediction": equal but for float round-off
NAME = "Predicted Close"
PERSISTENCE_SHARE = 0.99  # predictions equal to the previous close on this share of dates or more


def shipped_prices(ticker: str, start: str | None = None) -> pd.DataFrame:
    """The shipped CSV as ``load_prices`` returns it (Date index, float64), from ``start`` on."""
    df = pd.read_csv(csv_path(ticker), parse_dates=["Date"]).set_index("Date").sort_index()
    df = df.astype("float64")
    return df.loc[pd.Timestamp(start):].copy() if start else df


def predicted_dates(df: pd.DataFrame, train_end, length: int) -> pd.DatetimeIndex:
    """Every date after ``train_end`` that has ``length`` rows before it."""
    after = df.index > pd.Timestamp(train_end)
    enough_history = np.arange(len(df)) >= length
    return df.index[after & enough_history]


def persistence(df: pd.DataFrame, dates: pd.DatetimeIndex) -> pd.Series:
    """"Tomorrow = today": the close of the row before each of ``dates``."""
    return df["Close"].shift(1).loc[dates]


def rmse(predicted, actual) -> float:
    error = np.asarray(predicted, dtype=float) - np.asarray(actual, dtype=float)
    return float(np.sqrt(np.mean(error ** 2)))


def changed_from(df: pd.DataFrame, day, factor: float = CHANGE_FACTOR) -> pd.DataFrame:
    """A copy with every column (prices and volume) multiplied by ``factor`` from ``day`` on."""
    changed = df.copy()
    changed.loc[pd.Timestamp(day):] *= factor
    return changed


def as_prediction(value) -> pd.Series:
    """The returned value as a float Series indexed by dates, or an AssertionError that says
    what came instead."""
    assert isinstance(value, pd.Series), (
        f"predict_next_close should return a pandas Series (named {NAME!r}, indexed by date), "
        f"got {kind_of(value)}")
    assert isinstance(value.index, pd.DatetimeIndex), (
        "the Series should be indexed by the dates it predicts (a DatetimeIndex), got "
        f"{type(value.index).__name__}: use the index of df")
    try:
        return value.astype("float64")
    except (TypeError, ValueError):
        raise AssertionError(f"predictions should be numbers, got dtype {value.dtype}") from None


def day(date) -> str:
    return pd.Timestamp(date).strftime("%Y-%m-%d")


def assert_dates(value, df: pd.DataFrame, train_end, length: int) -> pd.Series:
    """The index is exactly the predicted dates, the name is right, no NaN, values in dollars."""
    predicted = as_prediction(value)
    expected = predicted_dates(df, train_end, length)
    got = predicted.index
    assert got.is_unique, "each date should appear once; some dates appear more than once"
    if not got.sort_values().equals(expected):
        _explain_wrong_dates(got.sort_values(), expected, df, train_end, length)
    assert predicted.name == NAME, f"the Series should be named {NAME!r}, got {predicted.name!r}"
    missing = predicted.isna()
    assert not missing.any(), (
        f"{int(missing.sum())} of {len(predicted)} predictions are NaN (the first on "
        f"{day(predicted.index[missing][0])}); every predicted date needs a value"
        if values_shown() else "some predictions are NaN; every predicted date needs a value")
    assert_dollars(predicted, df)
    return predicted


def _explain_wrong_dates(got, expected, df, train_end, length) -> None:
    position = pd.Series(np.arange(len(df)), index=df.index)
    shown = values_shown()
    for shift, word in ((-1, "early"), (1, "late")):
        if len(got) == len(expected) and got.isin(df.index).all() and np.array_equal(
                position.loc[got].to_numpy(), position.loc[expected].to_numpy() + shift):
            first = (f": the first should be dated {day(expected[0])} (the first day after "
                     f"train_end {day(train_end)} with {length} rows before it), got "
                     f"{day(got[0])}" if shown else "")
            raise AssertionError(
                f"predictions are labelled one trading day {word}{first}. Label each "
                "prediction with the day it predicts, the day after its window.")
    if not shown:
        raise AssertionError(
            "on another ticker, train_end and length, the predicted dates are not every date "
            "after train_end that has `length` rows before it: use the train_end and length "
            "given, with no dates or window length written into the function")
    extra, missing = got.difference(expected), expected.difference(got)
    parts = [f"expected the {len(expected)} dates from {day(expected[0])} to "
             f"{day(expected[-1])} (every date after train_end {day(train_end)} with {length} "
             f"rows before it), got {len(got)}"]
    if len(missing):
        parts.append(f"{len(missing)} missing (first {day(missing[0])})")
    if len(extra):
        parts.append(f"{len(extra)} extra (first {day(extra[0])})")
    raise AssertionError("; ".join(parts))


def assert_dollars(predicted: pd.Series, df: pd.DataFrame) -> None:
    """Prices in dollars, not scaled values or returns: the median prediction lies within a
    factor of 3 of the median close over the same dates (a loose bound on purpose, so a model
    that is merely bad still counts as dollars and fails the comparison with persistence)."""
    actual = df["Close"].reindex(predicted.index)
    median_predicted, median_actual = float(predicted.median()), float(actual.median())
    ratio = median_predicted / median_actual if median_actual else np.inf
    seen = (f": their median is {median_predicted:.4g} while the median close over those dates "
            f"is ${median_actual:.2f}" if values_shown() else "")
    assert 1 / 3 <= ratio <= 3, (
        f"predictions should be closes in dollars{seen}. Turn the model's output back into "
        "dollars (unscale a scaled price, or last close * exp(predicted log return)).")


def assert_beats_persistence(value, df: pd.DataFrame, train_end, length: int,
                             limit: float = 1.25) -> float:
    """RMSE over the predicted dates at most ``limit`` times persistence's; returns the ratio."""
    predicted = as_prediction(value)
    dates = predicted_dates(df, train_end, length)
    aligned = predicted.reindex(dates)
    gaps = aligned.isna()
    assert not gaps.any(), (
        f"cannot compare with persistence: {int(gaps.sum())} of the {len(dates)} predicted dates "
        f"have no value (first {day(dates[gaps][0])}); see the check predict_next_close.dates")
    actual = df["Close"].loc[dates]
    model, baseline = rmse(aligned, actual), rmse(persistence(df, dates), actual)
    ratio = model / baseline
    assert ratio <= limit, (
        f"RMSE ${model:.2f} over the {len(dates)} predicted dates is {ratio:.2f} times the "
        f"persistence forecast's ${baseline:.2f} (allowed: {limit} times). A model of price "
        "levels scaled on the training years cannot reach later, higher prices: predict "
        "something stationary (the next log return, or the next close relative to the last "
        "one) and turn it back into dollars.")
    return ratio


def assert_not_persistence(value, df: pd.DataFrame, train_end, length: int) -> None:
    """The forecast is the student's model's, not the persistence forecast handed in as one:
    on (nearly) every predicted date a value equal to the previous close means no model."""
    predicted = as_prediction(value)
    dates = predicted_dates(df, train_end, length)
    aligned = predicted.reindex(dates)
    previous = persistence(df, dates)
    same = np.isclose(aligned.to_numpy(), previous.to_numpy(), rtol=SAME_RTOL, atol=0)
    assert same.mean() < PERSISTENCE_SHARE, (
        f"on {int(same.sum())} of the {len(dates)} predicted dates the prediction is the close "
        "of the day before: that is the persistence forecast, not a forecast of yours. The "
        "contract asks for your model's prediction (fit a recurrent model on the rows up to "
        "train_end and turn its output into dollars); persistence is the baseline it is "
        "compared with.")


def first_difference(a: pd.Series, b: pd.Series) -> tuple[int, str, float]:
    """(how many values differ, the first date that differs, the largest difference)."""
    a, b = a.align(b, join="outer")
    same = np.isclose(a.to_numpy(), b.to_numpy(), rtol=SAME_RTOL, atol=0, equal_nan=True)
    if same.all():
        return 0, "", 0.0
    largest = float(np.nanmax(np.abs(a.to_numpy() - b.to_numpy()), initial=0.0))
    return int((~same).sum()), day(a.index[~same][0]), largest


def change_day(df: pd.DataFrame, train_end, length: int) -> pd.Timestamp:
    """The day d from which the look-ahead checks change every row: the middle predicted date."""
    dates = predicted_dates(df, train_end, length)
    return dates[len(dates) // 2]


def three_runs(student, df: pd.DataFrame, train_end, length: int, seed: int) -> dict:
    """predict_next_close on ``df``, on ``df`` again and on ``df`` changed from change_day on:
    three calls in one process (a missing seed shows only there), all really run
    (``call_uncached``), made once per grading (``student.memo``) and read by two checks:
    same_seed compares the first with the second, no_lookahead the first with the third (and
    the second tells look-ahead from randomness). Answers are kept as returned; each check
    reads them with ``as_prediction``."""
    d = change_day(df, train_end, length)

    def run() -> dict:
        def call(frame):
            return student.call_uncached("predict_next_close", frame, train_end, length=length,
                                         seed=seed)
        return {"first": call(df.copy()), "again": call(df.copy()),
                "changed": call(changed_from(df, d))}

    scenario = f"three_runs:{day(df.index[0])}:{day(df.index[-1])}:{train_end}:{length}:{seed}"
    return student.memo(scenario, run)


def assert_no_lookahead(student, df: pd.DataFrame, train_end, length: int,
                        runs: dict | None = None) -> None:
    """Multiply every row from a date d on by CHANGE_FACTOR; no prediction dated up to d may move.
    ``runs``: the calls of three_runs; without them two calls, on ``df`` and on the changed copy,
    and a third, on ``df`` again, only when predictions up to d moved, to tell look-ahead from a
    function that is not deterministic."""
    dates = predicted_dates(df, train_end, length)
    d = change_day(df, train_end, length)
    up_to_d = dates[dates <= d]
    shown = values_shown()
    on_d = day(d) if shown else "a date d of the predicted period"
    if runs is None:
        whole_before = as_prediction(student.predict_next_close(df.copy(), train_end,
                                                                length=length))
        whole_after = as_prediction(student.predict_next_close(changed_from(df, d), train_end,
                                                               length=length))

        def again():  # it must really run: the call cache would hand back the first answer
            return student.call_uncached("predict_next_close", df.copy(), train_end,
                                         length=length)
    else:
        whole_before, whole_after = as_prediction(runs["first"]), as_prediction(runs["changed"])

        def again():
            return runs["again"]
    later = first_difference(whole_before[whole_before.index > d],
                             whole_after[whole_after.index > d])
    # Prices tripled from d on: a forecast in dollars that reads the df it is given must move
    # after d. If none moves, the function answered from somewhere else (a cache, a file).
    assert later[0] or not (whole_before.index > d).any(), (
        f"multiplying every price from {on_d} on by {CHANGE_FACTOR:g} changed none of the "
        "predictions after it: predict_next_close should forecast from the df it is given, not "
        "from a cache or a file")
    before = whole_before[whole_before.index <= d]
    after = whole_after[whole_after.index <= d]
    assert before.index.isin(up_to_d).any(), (
        f"no prediction is dated up to {on_d}, so look-ahead cannot be tested; see the check "
        "predict_next_close.dates")
    changed, first, largest = first_difference(before, after)
    if not changed:
        return
    # Predictions up to d moved: look-ahead, or a function that is not deterministic?
    assert not first_difference(whole_before, as_prediction(again()))[0], (
        "look-ahead cannot be tested: two calls on the very same df gave different predictions. "
        "Make predict_next_close deterministic first: keras.utils.set_random_seed(seed) at its "
        "start (see the check predict_next_close.same_seed).")
    if changed == 1 and first == day(d):
        why = (f"only the prediction for {on_d} itself moved: its window includes that day, "
               "the day it predicts (a window or label off by one day)")
    else:
        why = ("predictions from well before the change moved: something computed on the whole "
               "frame, such as a scaler fit on all rows rather than on the rows up to train_end, "
               "carries the future back")
    seen = (f"{changed} of the {len(before)} predictions dated up to {on_d} (the first on "
            f"{first}, by up to ${largest:.4g})" if shown else
            f"predictions dated up to {on_d}")
    raise AssertionError(
        f"look-ahead: multiplying every price from {on_d} on by {CHANGE_FACTOR:g} changed "
        f"{seen}; {why}. A prediction for day d may use rows dated before d only.")


def assert_same_seed(runs: dict, seed: int) -> None:
    """Two calls with the same inputs and seed (the first two of three_runs, really run in one
    process) give the same predictions."""
    first, second = as_prediction(runs["first"]), as_prediction(runs["again"])
    changed, date, largest = first_difference(first, second)
    assert not changed, (
        f"two calls with the same inputs and seed={seed} gave different predictions ({changed} "
        f"differ, the first on {date}, by up to ${largest:.4g}): call "
        "keras.utils.set_random_seed(seed) at the start of the function, before the model is "
        "built, so every call starts from the same weights and the same shuffles.")


# --- momentum_baseline, mcnemar_p_value and walk_forward_splits (issue 13) ----------------------
#
# Expected values computed exactly here: binomial tails with math.comb, folds from the formula.
# The classic mistakes are recomputed so that a match names them.

P_RTOL = 1e-9  # an exact p-value computed another way (floats, logs) still agrees to ~1e-12


def assert_momentum(student, y, name: str) -> None:
    """momentum_baseline(y) equals y[:-1] as floats; a shift the wrong way is named."""
    y = np.asarray(y, dtype=float)
    got = student.momentum_baseline(y.copy())
    out = as_array(got, f"momentum_baseline on {name}: the predictions")
    n = len(y)
    if out.shape == (n,) and n > 1:
        raise AssertionError(
            f"momentum_baseline on {name}: got {n} predictions for {n} labels; the first day has "
            f"no day before it, so predict only y[1:], {n - 1} values")
    assert out.shape == (n - 1,), (f"momentum_baseline on {name}: expected {n - 1} predictions "
                                   f"(one for each of y[1:]), got shape {out.shape}")
    assert getattr(got, "dtype", np.dtype(float)).kind == "f", \
        f"momentum_baseline on {name}: the predictions should be floats, got {got.dtype}"
    if not np.array_equal(out, y[:-1]):
        if np.array_equal(out, y[1:]):
            raise AssertionError(
                f"momentum_baseline on {name}: each day is predicted by its own label (y[1:]): "
                "the answer itself, a leak; predict day i + 1 with y[i], the day before: y[:-1]")
        if n > 2 and np.array_equal(out[:-1], y[2:]):
            raise AssertionError(
                f"momentum_baseline on {name}: shifted the wrong way: each day is predicted by "
                "the label of the day AFTER it, which is not known yet; use the day before, "
                "y[:-1]")
        wrong = int(np.sum(out != y[:-1]))
        if not values_shown():
            raise AssertionError(f"momentum_baseline on {name}: some predictions differ from "
                                 "the label of the day before")
        detail = f" (y = {y.tolist()}, expected {y[:-1].tolist()})"
        raise AssertionError(f"momentum_baseline on {name}: {wrong} of {n - 1} predictions "
                             f"differ from the label of the day before{detail}")


# --- mcnemar_p_value ----------------------------------------------------------------------------

def counts(y_true, pred_a, pred_b) -> tuple[int, int]:
    """(b, c): samples only A gets right, samples only B gets right."""
    y, a, b = (np.asarray(v, dtype=float) for v in (y_true, pred_a, pred_b))
    return int(np.sum((a == y) & (b != y))), int(np.sum((a != y) & (b == y)))


def exact_p(b: int, c: int) -> float:
    """The exact two-sided McNemar p-value, with integers until the last division."""
    n = b + c
    if n == 0:
        return 1.0
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1))
    return min(1.0, 2 * tail / 2 ** n)


def mcnemar_mistakes(b: int, c: int) -> dict[str, float]:
    """{description: p-value} of the classic wrong versions of the test."""
    n = b + c
    tail = sum(math.comb(n, k) for k in range(min(b, c) + 1)) / 2 ** n if n else 1.0
    mistakes = {
        "the p-value is one-sided (the tail P(X <= min(b, c)) alone); the test is two-sided: "
        "double the tail, then cap at 1": tail,
        "the p-value is not capped at 1: p = min(1, 2 * tail)": 2 * tail,
    }
    if n:
        chi2 = (abs(b - c) - 1) ** 2 / n
        mistakes["this is the chi-square approximation (with continuity correction); the "
                  "contract asks for the exact binomial test: 2 * P(X <= min(b, c)) for "
                  "X ~ Binomial(b + c, 1/2), with math.comb"] = math.erfc(math.sqrt(chi2 / 2))
        chi2 = (b - c) ** 2 / n
        mistakes["this is the chi-square approximation; the contract asks for the exact "
                  "binomial test: 2 * P(X <= min(b, c)) for X ~ Binomial(b + c, 1/2)"] = \
            math.erfc(math.sqrt(chi2 / 2))
    return mistakes


def assert_mcnemar(student, y_true, pred_a, pred_b, name: str) -> None:
    """mcnemar_p_value equals the exact two-sided p-value; mistakes named."""
    got = student.mcnemar_p_value(np.array(y_true, dtype=float), np.array(pred_a, dtype=float),
                                  np.array(pred_b, dtype=float))
    p = as_number(got, f"mcnemar_p_value on {name}: the p-value")
    b, c = counts(y_true, pred_a, pred_b)
    expected = exact_p(b, c)
    if math.isclose(p, expected, rel_tol=P_RTOL, abs_tol=1e-300):
        return
    for description, wrong in mcnemar_mistakes(b, c).items():
        if not math.isclose(wrong, expected, rel_tol=1e-6) and \
                math.isclose(p, wrong, rel_tol=1e-6, abs_tol=1e-300):
            raise AssertionError(f"mcnemar_p_value on {name}: {description}.")
    detail = (f" with b = {b} and c = {c}: expected {expected:.6g}, got {p:.6g}"
              if values_shown() else ": the value returned is not that p-value")
    raise AssertionError(
        f"mcnemar_p_value on {name}: p = min(1, 2 * P(X <= min(b, c))) for X ~ Binomial(b + c, "
        f"1/2), where b counts the samples only A gets right and c those only B gets right"
        f"{detail}")


# --- walk_forward_splits ------------------------------------------------------------------------

def expected_folds(n: int, n_folds: int, min_train: int) -> list[tuple[np.ndarray, np.ndarray]]:
    step = (n - min_train) // n_folds
    folds = []
    for k in range(n_folds):
        start = min_train + k * step
        stop = n if k == n_folds - 1 else start + step
        folds.append((np.arange(start), np.arange(start, stop)))
    return folds


def span(indices: np.ndarray) -> str:
    if len(indices) == 0:
        return "no rows"
    if np.array_equal(indices, np.arange(indices[0], indices[-1] + 1)):
        return f"rows [{indices[0]}, {indices[-1] + 1})"
    return f"{len(indices)} rows, not one contiguous range"


def folds_of(student, n: int, n_folds: int, min_train: int) -> list[tuple[np.ndarray, np.ndarray]]:
    """The student's folds as a list of pairs of integer arrays."""
    call = f"walk_forward_splits({n}, {n_folds}, {min_train})" if values_shown() else \
        "walk_forward_splits"
    value = student.walk_forward_splits(n, n_folds, min_train)
    assert isinstance(value, (list, tuple)), \
        f"{call} should return a list of (train_idx, test_idx) pairs, got {kind_of(value)}"
    folds = []
    for k, fold in enumerate(value):
        assert isinstance(fold, (list, tuple)) and len(fold) == 2, \
            f"{call}: fold {k} should be a pair (train_idx, test_idx), got {kind_of(fold)}"
        arrays = [as_array(part, f"{call}: fold {k}'s {what}")
                  for part, what in zip(fold, ("train_idx", "test_idx"))]
        for part, what in zip(arrays, ("train_idx", "test_idx")):
            assert part.ndim == 1 and np.all(part == np.round(part)), \
                f"{call}: fold {k}'s {what} should be a 1-d array of integer row positions"
        folds.append(tuple(a.astype(int) for a in arrays))
    return folds


def fold_mistake(got, expected, n: int, min_train: int) -> str | None:
    """The classic mistakes of walk-forward folds, recognised on the first differing fold."""
    for k, ((train, test), (want_train, want_test)) in enumerate(zip(got, expected)):
        if np.array_equal(train, want_train) and np.array_equal(test, want_test):
            continue
        if len(train) and len(test) and train[-1] >= test[0]:
            return (f"fold {k} trains on {span(train)} and tests on {span(test)}: they overlap, "
                    "so the model is tested on a day it trained on; the test stretch starts "
                    "right after the last training row")
        if len(train) and len(test) and test[0] > train[-1] + 1:
            return (f"fold {k} trains on {span(train)} and tests on {span(test)}: the rows "
                    "between them are in neither, a gap; the test stretch starts right after "
                    "the last training row")
        if len(train) and train[0] > 0:
            return (f"fold {k} trains on {span(train)}: a sliding window; an expanding window "
                    "always starts at row 0")
        if k == len(expected) - 1 and len(test) and test[-1] + 1 < n:
            return (f"the last fold tests on {span(test)}: the rows after it are left out; the "
                    "last test stretch runs to n, the end of the data")
        return (f"fold {k} should train on {span(want_train)} and test on {span(want_test)}; "
                f"got train {span(train)}, test {span(test)}")
    return None


def assert_folds(student, n: int, n_folds: int, min_train: int) -> None:
    call = f"walk_forward_splits({n}, {n_folds}, {min_train})" if values_shown() else \
        "walk_forward_splits"
    got = folds_of(student, n, n_folds, min_train)
    expected = expected_folds(n, n_folds, min_train)
    assert len(got) == len(expected), f"{call} should return {n_folds} folds, got {len(got)}"
    mistake = fold_mistake(got, expected, n, min_train)
    if mistake is not None and not values_shown():  # hidden: the mistake, without the rows
        mistake = mistake.split(":", 1)[-1].strip() if ":" in mistake else \
            "the folds differ from the formula: step = (n - min_train) // n_folds"
    assert mistake is None, f"{call}: {mistake}"
