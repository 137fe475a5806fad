"""Rebuild datasets/aapl.csv, msft.csv and ibm.csv from bokeh-sampledata.

The source is ``bokeh_sampledata/_data/stocks.csv.gz`` (Quandl WIKI prices,
public domain). Each output file has yfinance's layout,
``Date,Open,High,Low,Close,Volume``, one row per trading day, oldest first.

Open, High, Low and Close are split- and dividend-adjusted: each is
multiplied by that row's ``Adj Close / Close``. Volume is copied as the source
gives it (raw shares traded, NOT split-adjusted).

Usage (from the repository root):
    python datasets/prepare.py          # rewrite the three CSVs
    python datasets/prepare.py --check  # exit 1 if a committed CSV differs

Only the standard library is used, so float parsing and formatting (and hence
the bytes written) do not depend on the installed pandas version.
"""

from __future__ import annotations

import argparse
import csv
import datetime
import gzip
import hashlib
import os
import sys
import tempfile
from importlib import resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
TICKERS = ("AAPL", "MSFT", "IBM")
COLUMNS = ("Date", "Open", "High", "Low", "Close", "Volume")
PRICES = ("Open", "High", "Low", "Close")

# One row as written: (date "YYYY-MM-DD", open, high, low, close, volume).
Row = tuple[str, float, float, float, float, int]


def source_file():
    """The packaged gzip CSV (a Traversable, usable without unpacking)."""
    return resources.files("bokeh_sampledata") / "_data" / "stocks.csv.gz"


def adjust(record: dict[str, str]) -> Row:
    """One source record -> one output row, prices scaled by Adj Close / Close."""
    ratio = float(record["Adj Close"]) / float(record["Close"])
    # Round-trip through date() so a malformed date fails loudly here.
    date = datetime.date.fromisoformat(record["Date"]).isoformat()
    open_, high, low, close = (float(record[name]) * ratio for name in PRICES)
    # int() rejects "123.0" or "", so a change in the source's volume type is noticed.
    return date, open_, high, low, close, int(record["Volume"])


def read_source(tickers: tuple[str, ...] = TICKERS) -> dict[str, list[Row]]:
    """Adjusted rows for each ticker, sorted by date."""
    rows: dict[str, list[Row]] = {ticker: [] for ticker in tickers}
    with source_file().open("rb") as raw, gzip.open(raw, "rt", newline="") as text:
        for record in csv.DictReader(text):
            if record["Ticker"] in rows:
                rows[record["Ticker"]].append(adjust(record))
    for ticker_rows in rows.values():
        ticker_rows.sort()  # the source is sorted already; don't rely on it
    return rows


def format_csv(rows) -> bytes:
    """CSV bytes for an iterable of rows: fixed 6-decimal prices, integer volume, '\\n' endings."""
    lines = [",".join(COLUMNS)]
    for date, open_, high, low, close, volume in rows:
        lines.append(f"{date},{open_:.6f},{high:.6f},{low:.6f},{close:.6f},{int(volume)}")
    return ("\n".join(lines) + "\n").encode("ascii")


def build(out_dir: Path = HERE) -> dict[Path, bytes]:
    """What prepare would write: {path of <ticker>.csv: exact file bytes}."""
    return {
        Path(out_dir) / f"{ticker.lower()}.csv": format_csv(rows)
        for ticker, rows in read_source().items()
    }


def stale_files(out_dir: Path = HERE) -> list[Path]:
    """Output files that are missing or differ from what build() produces."""
    return [
        path
        for path, data in build(out_dir).items()
        if not path.is_file() or path.read_bytes() != data
    ]


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half of one.

    The temporary file lives in the same directory because os.replace is only
    atomic within one filesystem. On any error it is removed and the old file
    is left as it was.
    """
    path = Path(path)
    # mkstemp creates files 0600; keep the old file's mode, else use a normal 0644.
    mode = path.stat().st_mode & 0o777 if path.is_file() else 0o644
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise


def main(argv: list[str] | None = None) -> int:
    """Command line: rewrite the CSVs, or with --check report stale ones. Returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="write nothing; exit 1 if a committed CSV differs from the rebuild")
    args = parser.parse_args(argv)

    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.name} differs from the rebuild", file=sys.stderr)
        if stale:
            print("run: python datasets/prepare.py", file=sys.stderr)
            return 1
        print(f"ok: {len(TICKERS)} files match")
        return 0

    for path, data in build().items():
        write_atomic(path, data)
        rows = data.count(b"\n") - 1  # minus the header
        print(f"wrote {path.name}: {rows} rows, sha256 {hashlib.sha256(data).hexdigest()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
