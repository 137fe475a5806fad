"""Public checks of load_prices on small CSV files written for the check."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import raises_value_error

CLEAN_CSV = """Date,Open,High,Low,Close,Volume
2019-01-02,10,11,9,10.5,100
2019-01-03,10.5,12,10,11.5,200
2019-01-04,11.5,12,11,11,300
"""


@check("load_prices.index", points=2,
       hint="Parse Date with pd.to_datetime and make it the index (set_index('Date')): "
            "a DatetimeIndex named Date.")
def test_index(student):
    path = student.path("clean.csv")
    path.write_text(CLEAN_CSV)
    df = student.load_prices(str(path))
    assert isinstance(df.index, pd.DatetimeIndex), \
        f"the index should be a DatetimeIndex, got {type(df.index).__name__}"
    assert df.index.name == "Date", f"the index should be named 'Date', got {df.index.name!r}"
    assert len(df) == 3, f"3 rows in the file, got {len(df)}"


@check("load_prices.float_columns", points=2,
       hint="Open, High, Low, Close and Volume should all be float64 (Volume too: .astype('float64')).")
def test_float_columns(student):
    path = student.path("clean.csv")
    path.write_text(CLEAN_CSV)
    df = student.load_prices(str(path))
    for column in ("Open", "High", "Low", "Close", "Volume"):
        assert column in df.columns, f"column {column} is missing from the result"
        assert df[column].dtype == np.float64, f"{column} should be float64, got {df[column].dtype}"
    np.testing.assert_allclose(df["Close"], [10.5, 11.5, 11.0], err_msg="Close values changed")


@check("load_prices.unsorted_rows", points=2,
       hint="Sort by date ascending (sort_index()) after setting the index.")
def test_unsorted_rows(student):
    lines = CLEAN_CSV.strip().splitlines()
    path = student.path("unsorted.csv")
    path.write_text("\n".join([lines[0], lines[3], lines[1], lines[2]]) + "\n")
    df = student.load_prices(str(path))
    assert df.index.is_monotonic_increasing, "rows should be sorted by date, ascending"


@check("load_prices.missing_column", points=1, needs="load_prices.index",
       hint="Check the required columns first and raise ValueError listing the missing ones.")
def test_missing_column(student):
    path = student.path("no_volume.csv")
    path.write_text("Date,Open,High,Low,Close\n2019-01-02,10,11,9,10.5\n2019-01-03,10,11,9,10.5\n")
    raises_value_error(student, "load_prices", str(path), why="a CSV without a Volume column", mentions="Volume")
