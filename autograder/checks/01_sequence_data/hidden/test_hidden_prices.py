"""Hidden checks of load_prices, add_target and split on real files and messy edge cases."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import as_array, as_parts, assert_close, raises_value_error
from autograder.expected.sequence_data import expected_target, frame_of
from datasets import csv_path


@check("load_prices.other_ticker", points=2,
       hint="load_prices should work on any price CSV: index Date, sorted, float64 columns.")
def test_other_ticker(student):
    path = student.path("msft.csv")
    path.write_bytes(csv_path("msft").read_bytes())
    df = frame_of(student, "load_prices", str(path))
    raw = pd.read_csv(csv_path("msft"))
    assert len(df) == len(raw), \
        "on another ticker's clean file, rows were lost or added: every row has a date of its own"
    assert_close(df["Close"], raw["Close"], "on another ticker, Close")
    assert str(df.index[0].date()) == raw["Date"].iloc[0], \
        "on another ticker, the first row is not the earliest date: sort the index"


@check("load_prices.duplicated_dates", points=2,
       hint="A repeated date keeps its LAST row (drop_duplicates(subset='Date', keep='last')).")
def test_duplicates(student):
    path = student.path("dupes.csv")
    path.write_text("Date,Open,High,Low,Close,Volume\n"
                    "2019-01-03,1,1,1,1,1\n2019-01-02,2,2,2,2,2\n2019-01-03,3,3,3,3,3\n")
    df = frame_of(student, "load_prices", str(path))
    assert len(df) == 2 and df.index.is_unique, \
        "a file with a repeated date should give one row per date"
    assert df.index.is_monotonic_increasing, "one row per date, sorted by date"
    assert float(df["Close"].iloc[-1]) == 3.0, \
        "a repeated date should keep its last row in the file, not its first"


@check("load_prices.missing_values", points=1,
       hint="Drop rows with a missing required value (dropna on the required columns).")
def test_missing_values(student):
    path = student.path("gaps.csv")
    path.write_text("Date,Open,High,Low,Close,Volume,Note\n"
                    "2019-01-02,1,1,1,1,1,a\n2019-01-03,2,2,2,,2,b\n2019-01-04,3,3,3,3,3,\n")
    df = frame_of(student, "load_prices", str(path))
    assert len(df) == 2, "a row without a Close should be dropped (and only that row: an empty " \
                         "value in a column that is not required does not count)"
    assert "Note" in df.columns, "extra columns should be kept"


@check("add_target.equal_closes", points=1,
       hint="An equal close is not a rise: use a strict > comparison, giving 0.0.")
def test_equal_closes(student):
    frame = pd.DataFrame({"Close": [5.0, 5.0, 6.0, 6.0, 5.0]})
    out = frame_of(student, "add_target", frame)
    assert "Target" in out.columns, "the result should have a Target column"
    target = as_array(out["Target"], "Target")
    assert target.shape == (5,) and np.isnan(target[0]), \
        "Target should have one value per row, NaN on the first"
    if target[1] == 1.0 or target[3] == 1.0:  # the rows whose close equals the day before
        raise AssertionError("a close equal to the day before counts as a rise here: it is "
                             "not one (use >, not >=)")
    assert_close(target, [np.nan, 0, 1, 0, 0], "Target on closes with equal neighbours")


@check("add_target.other_ticker", points=1,
       hint="Target[t] = float(Close[t] > Close[t-1]) on every row but the first.")
def test_target_ibm(student):
    raw = pd.read_csv(csv_path("ibm"), index_col="Date", parse_dates=True).iloc[:300]
    out = frame_of(student, "add_target", raw)
    assert "Target" in out.columns, "the result should have a Target column"
    assert_close(out["Target"], expected_target(raw["Close"]), "on another ticker, Target")


@check("split_chronologically.empty_part", points=1,
       needs="split_chronologically.returns_three_parts",
       hint="Raise ValueError when a part would be empty (too few rows for the fractions).")
def test_empty_part(student):
    frame = pd.DataFrame({"Close": [1.0, 2.0, 3.0, 4.0, 5.0]})
    raises_value_error(student, "split_chronologically", frame, 0.7, 0.15,
                       why="a frame too short for a validation part (int(n * val_frac) = 0)")


@check("split_chronologically.rounding", points=1,
       hint="int() truncates: the sizes are int(n * train_frac) and int(n * val_frac), never "
            "rounded up.")
def test_rounding(student):
    frame = pd.DataFrame({"Close": np.arange(1000.0)})
    parts = as_parts(student.split_chronologically(frame, 0.6666, 0.2222), 3,
                     "split_chronologically", "train, val, test")
    sizes = tuple(len(p) for p in parts)
    expected = (666, 222, 112)
    assert sizes[:2] != (667, 222), \
        "on other fractions, the train size was rounded to the nearest whole number: int() " \
        "truncates"
    assert sizes == expected, "on another n and other fractions, the sizes are not " \
                              "int(n * train_frac), int(n * val_frac) and the rest"
