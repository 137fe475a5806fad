"""Public checks of load_prices on small CSV files written for the check."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import assert_close, raises_value_error
from autograder.expected.sequence_data import REQUIRED, frame_of

CLEAN_CSV = """Date,Open,High,Low,Close,Volume
2019-01-02,10,11,9,10.5,100
2019-01-03,10.5,12,10,11.5,200
2019-01-04,11.5,12,11,11,300
"""


def load(student, name: str, text: str) -> pd.DataFrame:
    path = student.path(name)
    path.write_text(text)
    return frame_of(student, "load_prices", str(path))


OTHER_CSV = """Date,Open,High,Low,Close,Volume
2020-03-02,50,52,49,51.25,1000
2020-03-03,51,53,50,52.75,1100
"""


@check("load_prices.returns_frame", points=1,
       hint="Return the DataFrame read from the file at `path` (pd.read_csv, then the steps "
            "of the docstring), with the columns of the file.")
def test_returns_frame(student):
    for name, text in (("clean.csv", CLEAN_CSV), ("other.csv", OTHER_CSV)):
        df = load(student, name, text)
        missing = [c for c in REQUIRED if c not in df.columns]
        assert not missing, f"the frame should keep the columns {', '.join(REQUIRED)}; " \
                            f"missing: {', '.join(missing)} (is Date the index, and nothing else?)"
        in_file = {float(line.split(",")[4]) for line in text.strip().splitlines()[1:]}
        closes = set(pd.to_numeric(df["Close"], errors="coerce").tolist())
        assert len(df) and closes <= in_file, \
            f"the frame read from {name} should hold that file's rows (its closes are " \
            f"{sorted(in_file)}), got closes {sorted(closes)[:6]}: read the file at `path`"


@check("load_prices.index", points=1,
       hint="Parse Date with pd.to_datetime and make it the index (set_index('Date')): "
            "a DatetimeIndex named Date.")
def test_index(student):
    df = load(student, "clean.csv", CLEAN_CSV)
    assert isinstance(df.index, pd.DatetimeIndex), \
        f"the index should be a DatetimeIndex, got {type(df.index).__name__}"
    assert df.index.name == "Date", f"the index should be named 'Date', got {df.index.name!r}"
    assert len(df) == 3, f"3 rows in the file, got {len(df)}"


@check("load_prices.float_columns", points=2,
       hint="Open, High, Low, Close and Volume should all be float64 (Volume too: .astype('float64')).")
def test_float_columns(student):
    df = load(student, "clean.csv", CLEAN_CSV)
    for column in REQUIRED:
        assert column in df.columns, f"column {column} is missing from the result"
        assert df[column].dtype == np.float64, f"{column} should be float64, got {df[column].dtype}"
    assert_close(df["Close"], [10.5, 11.5, 11.0], "Close (10.5, 11.5, 11 in the file)")


@check("load_prices.unsorted_rows", points=1,
       hint="Sort by date ascending (sort_index()) after setting the index.")
def test_unsorted_rows(student):
    lines = CLEAN_CSV.strip().splitlines()
    df = load(student, "unsorted.csv", "\n".join([lines[0], lines[3], lines[1], lines[2]]) + "\n")
    assert df.index.is_monotonic_increasing, "rows should be sorted by date, ascending"


@check("load_prices.incomplete_rows_first", points=1,
       hint="Drop rows with a missing required value first (dropna), then keep the last row of "
            "each date (drop_duplicates(subset='Date', keep='last')): the other order loses a "
            "date whose last row is incomplete.")
def test_incomplete_rows_first(student):
    df = load(student, "repeated.csv", "Date,Open,High,Low,Close,Volume\n"
                                       "2019-01-02,1,1,1,1,1\n"
                                       "2019-01-03,2,2,2,2,2\n"
                                       "2019-01-03,3,3,3,,3\n"
                                       "2019-01-04,4,4,4,4,4\n")
    dates = [str(d)[:10] for d in df.index]
    assert "2019-01-03" in dates, (
        "2019-01-03 was lost: it has a complete row and a later one without a Close. Dropping "
        "repeated dates first keeps the incomplete row, which dropna then removes; drop "
        "incomplete rows first, then keep the last row of each date")
    assert len(df) == 3, f"three dates with a complete row should give 3 rows, got {len(df)}"
    close = float(df["Close"].iloc[dates.index("2019-01-03")])
    assert close == 2.0, (f"2019-01-03 should keep its complete row (Close 2), got Close {close:g}")


@check("load_prices.missing_column", points=1, needs="load_prices.returns_frame",
       hint="Check the required columns first and raise ValueError listing the missing ones.")
def test_missing_column(student):
    path = student.path("no_volume.csv")
    path.write_text("Date,Open,High,Low,Close\n2019-01-02,10,11,9,10.5\n2019-01-03,10,11,9,10.5\n")
    raises_value_error(student, "load_prices", str(path), why="a CSV without a Volume column", mentions="Volume")
