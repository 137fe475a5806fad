"""Refresh one ticker's CSV from Yahoo Finance (via yfinance).

Usage (from the repository root):
    python -m datasets.refresh AAPL --start 2000-03-01 --end 2013-03-02 [--out PATH]

--end is exclusive (yfinance's convention). The default output is
datasets/<ticker lower>.csv, in the same layout as datasets/prepare.py writes.

Exit codes: 0 written; 1 download/validation/write failed (old file untouched,
one ``error: ...`` line on stderr); 2 bad arguments (one line on stderr).

WARNING: refreshed data is not the data the course checks were tuned on, and
overwriting a committed CSV makes ``prepare.py --check`` fail.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import re
import sys
import warnings
from pathlib import Path

import pandas as pd

from .prepare import COLUMNS, HERE, PRICES, format_csv, write_atomic

# Letters, digits and the few symbols Yahoo tickers use (BRK-B, ^GSPC, EURUSD=X).
# Also keeps the default output name inside datasets/ (no "/" or "..").
TICKER = re.compile(r"[A-Za-z0-9^][A-Za-z0-9.^=-]*")


def download(ticker: str, start: str, end: str) -> pd.DataFrame:
    """The network boundary: yfinance's answer for daily auto-adjusted bars, as returned.

    yfinance does not raise on a failed download: it logs the reason on its
    "yfinance" logger and returns an empty frame. Its ERROR records are turned
    into one RuntimeError instead, and its warnings (crumb retries, pandas
    deprecations inside yfinance) are silenced, so a failure is reported once,
    on one line, by main().
    """
    import yfinance  # imported here so --help and argument errors never load it

    errors = _ErrorCollector()
    logger = logging.getLogger("yfinance")
    logger.addFilter(errors)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            frame = yfinance.download(ticker, start=start, end=end, auto_adjust=True, progress=False)
    finally:
        logger.removeFilter(errors)
    if errors.messages:
        raise RuntimeError(" ".join(errors.messages))
    return frame


class _ErrorCollector(logging.Filter):
    """Holds the text of ERROR records logged by yfinance; stops its WARNING+ records being printed."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage().strip())
        # Debug/info still reach handlers, for whoever turned yfinance's debug logging on.
        return record.levelno < logging.WARNING


def normalise(frame: pd.DataFrame) -> pd.DataFrame:
    """yfinance's answer -> Date (YYYY-MM-DD str), Open, High, Low, Close (float), Volume (int).

    Only complete rows are kept, one per date, oldest first. Raises ValueError
    if the answer is empty, lacks a column, or has no complete row.
    """
    if not isinstance(frame, pd.DataFrame) or frame.empty:
        raise ValueError("yfinance returned no data")
    if isinstance(frame.columns, pd.MultiIndex):
        # yfinance >= 0.2.48 returns (Price, Ticker) columns even for one ticker.
        names = list(frame.columns.names)
        price_level = names.index("Price") if "Price" in names else 0
        for level in range(frame.columns.nlevels):
            values = frame.columns.get_level_values(level).unique()
            if level != price_level and len(values) > 1:
                raise ValueError(f"expected one ticker, got {', '.join(map(str, values))}")
        frame = frame.set_axis(frame.columns.get_level_values(price_level), axis=1)
    if "Date" not in frame.columns:
        frame = frame.rename_axis("Date").reset_index()  # yfinance keeps dates in the index

    missing = [name for name in COLUMNS if name not in frame.columns]
    if missing:
        raise ValueError(f"yfinance answer lacks column(s): {', '.join(missing)}")

    frame = frame.loc[:, list(COLUMNS)].dropna()
    if frame.empty:
        raise ValueError("yfinance answer has no complete row (all contain NaN)")
    return pd.DataFrame({
        "Date": pd.to_datetime(frame["Date"]).dt.strftime("%Y-%m-%d"),
        **{name: frame[name].astype("float64") for name in PRICES},
        "Volume": frame["Volume"].round().astype("int64"),
    }).sort_values("Date").drop_duplicates("Date", keep="last").reset_index(drop=True)


def default_out(ticker: str) -> Path:
    """datasets/<ticker lower>.csv, next to this file whatever the working directory."""
    return HERE / f"{ticker.lower()}.csv"


class _Parser(argparse.ArgumentParser):
    """argparse, but errors are one line (no usage block) and exit 2."""

    def error(self, message: str) -> None:
        self.exit(2, f"error: {message}\n")


def _date(text: str) -> datetime.date:
    """argparse type: a strict YYYY-MM-DD date."""
    try:
        value = datetime.datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        value = None
    # strptime also accepts "2024-1-5"; require the canonical spelling.
    if value is None or value.isoformat() != text:
        raise argparse.ArgumentTypeError(f"invalid date {text!r}, expected YYYY-MM-DD")
    return value


def _ticker(text: str) -> str:
    """argparse type: a plausible Yahoo ticker symbol, upper-cased."""
    if not TICKER.fullmatch(text):
        raise argparse.ArgumentTypeError(f"invalid ticker {text!r}")
    return text.upper()


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """Checked arguments; exits 2 with one line on stderr if they are wrong."""
    parser = _Parser(prog="python -m datasets.refresh",
                     description="Download daily adjusted prices with yfinance into a CSV.")
    parser.add_argument("ticker", type=_ticker, help="Yahoo ticker, e.g. AAPL")
    parser.add_argument("--start", type=_date, required=True, help="first day, YYYY-MM-DD (inclusive)")
    parser.add_argument("--end", type=_date, required=True, help="last day, YYYY-MM-DD (exclusive)")
    parser.add_argument("--out", type=Path, help="output CSV (default: datasets/<ticker>.csv)")
    args = parser.parse_args(argv)
    if args.start >= args.end:
        parser.error(f"--start {args.start} must be before --end {args.end}")
    return args


def _fail(message: str) -> int:
    """Print one ``error:`` line on stderr (newlines in the message collapsed); return exit code 1."""
    print("error: " + " ".join(message.split()), file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    """Download, normalise and atomically write; returns the exit code (argument errors exit 2)."""
    args = parse_args(argv)
    out = args.out or default_out(args.ticker)
    try:
        frame = download(args.ticker, args.start.isoformat(), args.end.isoformat())
    except Exception as exc:  # anything from the network/yfinance side is a failed download
        return _fail(f"download of {args.ticker} failed: {type(exc).__name__}: {exc}")
    try:
        data = format_csv(normalise(frame).itertuples(index=False, name=None))
    except Exception as exc:  # the answer is foreign data; any surprise in it is a failure, not a crash
        return _fail(f"{args.ticker}: {exc}")
    try:
        write_atomic(out, data)
    except OSError as exc:
        return _fail(f"cannot write {out}: {exc}")
    rows = data.count(b"\n") - 1  # minus the header
    print(f"wrote {out}: {rows} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
