"""Hidden checks of load_prices, add_target and split on real files and messy edge cases."""

import numpy as np
import pandas as pd

from autograder.engine import check
from datasets import csv_path


@check("load_prices.other_ticker", points=2,
       hint="load_prices should work on any price CSV: index Date, sorted, float64 columns.")
def test_other_ticker(student):
    path = student.path("msft.csv")
    path.write_bytes(csv_path("msft").read_bytes())
    df = student.load_prices(str(path))
    raw = pd.read_csv(csv_path("msft"))
    assert len(df) == len(raw), f"MSFT has {len(raw)} clean rows, got {len(df)}"
    np.testing.assert_allclose(df["Close"].to_numpy(), raw["Close"].to_numpy())
    assert str(df.index[0].date()) == raw["Date"].iloc[0]


@check("load_prices.duplicated_dates", points=2,
       hint="A repeated date keeps its LAST row (drop_duplicates(subset='Date', keep='last')).")
def test_duplicates(student):
    path = student.path("dupes.csv")
    path.write_text("Date,Open,High,Low,Close,Volume\n"
                    "2019-01-03,1,1,1,1,1\n2019-01-02,2,2,2,2,2\n2019-01-03,3,3,3,3,3\n")
    df = student.load_prices(str(path))
    assert len(df) == 2, f"two distinct dates should give two rows, got {len(df)}"
    assert df.index.is_unique and df.index.is_monotonic_increasing, "one row per date, sorted"
    assert float(df.loc["2019-01-03", "Close"]) == 3.0, \
        "the repeated date 2019-01-03 should keep its last row (Close 3), not its first"


@check("load_prices.missing_values", points=1,
       hint="Drop rows with a missing required value (dropna on the required columns).")
def test_missing_values(student):
    path = student.path("gaps.csv")
    path.write_text("Date,Open,High,Low,Close,Volume,Note\n"
                    "2019-01-02,1,1,1,1,1,a\n2019-01-03,2,2,2,,2,b\n2019-01-04,3,3,3,3,3,\n")
    df = student.load_prices(str(path))
    assert list(df["Close"]) == [1.0, 3.0], f"the row without a Close should be dropped, got {list(df['Close'])}"
    assert "Note" in df.columns, "extra columns should be kept"


@check("add_target.equal_closes", points=1,
       hint="An equal close is not a rise: use a strict > comparison, giving 0.0.")
def test_equal_closes(student):
    frame = pd.DataFrame({"Close": [5.0, 5.0, 6.0, 6.0, 5.0]})
    target = student.add_target(frame)["Target"].to_numpy(dtype=float)
    np.testing.assert_allclose(target, [np.nan, 0, 1, 0, 0], equal_nan=True,
                               err_msg="closes 5, 5, 6, 6, 5 give Targets NaN, 0, 1, 0, 0")


@check("add_target.other_ticker", points=1,
       hint="Target[t] = float(Close[t] > Close[t-1]) on every row but the first.")
def test_target_ibm(student):
    raw = pd.read_csv(csv_path("ibm"), index_col="Date", parse_dates=True).iloc[:300]
    target = student.add_target(raw)["Target"].to_numpy(dtype=float)
    close = raw["Close"].to_numpy()
    np.testing.assert_allclose(target[1:], (close[1:] > close[:-1]).astype(float))


@check("split_chronologically.empty_part", points=1, needs="split_chronologically.sizes",
       hint="Raise ValueError when a part would be empty (too few rows for the fractions).")
def test_empty_part(student):
    from autograder.expected.assertions import raises_value_error

    frame = pd.DataFrame({"Close": [1.0, 2.0, 3.0, 4.0, 5.0]})
    raises_value_error(student, "split_chronologically", frame, 0.7, 0.15,
                       why="5 rows with val_frac 0.15 (int(0.75) = 0 validation rows)")


@check("split_chronologically.rounding", points=1,
       hint="int() truncates: n=1000, 0.6666/0.2222 gives 666 and 222 rows, not 667 and 222.")
def test_rounding(student):
    frame = pd.DataFrame({"Close": np.arange(1000.0)})
    sizes = tuple(len(p) for p in student.split_chronologically(frame, 0.6666, 0.2222))
    assert sizes == (666, 222, 112), f"expected (666, 222, 112), got {sizes}"
