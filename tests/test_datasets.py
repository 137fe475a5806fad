"""Tests for datasets/: the committed CSVs, prepare.py and the refresh command.

No network: refresh tests replace only the network boundary
(datasets.refresh.download, or yfinance.download underneath it) with fakes.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import logging
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
# `python -m pytest` puts the repo root on sys.path, plain `pytest` does not.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from datasets import prepare, refresh  # noqa: E402

pytestmark = pytest.mark.unit  # no TensorFlow, no sandbox

DATASETS = ROOT / "datasets"
CSV_FILES = [DATASETS / f"{ticker.lower()}.csv" for ticker in prepare.TICKERS]
HEADER = "Date,Open,High,Low,Close,Volume"
ROW = re.compile(r"\d{4}-\d{2}-\d{2}(,\d+\.\d{6}){4},\d+")

# 2-for-1 splits inside 2000-03-01..2013-03-01: the raw close halves on these days.
SPLITS = [("AAPL", "2000-06-21"), ("AAPL", "2005-02-28"), ("MSFT", "2003-02-18")]


# --------------------------------------------------------------------------- prepare


@pytest.fixture(scope="module")
def built() -> dict[Path, bytes]:
    """What prepare.py would write into datasets/ (built once: ~0.1 s)."""
    return prepare.build()


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def test_committed_csvs_match_prepare_byte_for_byte(built):
    assert sorted(built) == sorted(CSV_FILES)
    for path, data in built.items():
        assert path.read_bytes() == data, f"{path.name} is stale: run python datasets/prepare.py"
    assert prepare.stale_files() == []


def test_check_reports_missing_and_different_files(tmp_path, built):
    assert prepare.stale_files(tmp_path) == [tmp_path / p.name for p in CSV_FILES]
    for path, data in built.items():
        (tmp_path / path.name).write_bytes(data)
    (tmp_path / "msft.csv").write_bytes(built[DATASETS / "msft.csv"].replace(b"\n", b"\r\n"))
    assert prepare.stale_files(tmp_path) == [tmp_path / "msft.csv"]


def test_check_cli_passes_on_committed_files(capsys):
    assert prepare.main(["--check"]) == 0


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_csv_layout(path):
    text = path.read_bytes().decode("ascii")
    assert "\r" not in text and text.endswith("\n")
    header, *lines = text.rstrip("\n").split("\n")
    assert header == HEADER
    assert len(lines) == 3270
    bad = [line for line in lines if not ROW.fullmatch(line)]
    assert bad == [], f"malformed rows, first: {bad[:1]}"
    dates = [line.split(",", 1)[0] for line in lines]
    assert dates == sorted(set(dates)), "dates must be strictly ascending"
    assert (dates[0], dates[-1]) == ("2000-03-01", "2013-03-01")


@pytest.mark.parametrize("path", CSV_FILES, ids=lambda p: p.name)
def test_prices_are_consistent(path):
    for row in read_rows(path):
        low, high = float(row["Low"]), float(row["High"])
        assert 0 < low <= min(float(row["Open"]), float(row["Close"])), row
        assert max(float(row["Open"]), float(row["Close"])) <= high, row


def test_readme_lists_the_sha256_and_row_count_of_each_csv():
    readme = (DATASETS / "README.md").read_text()
    table = dict(
        (name, (int(rows), digest))
        for name, rows, digest in re.findall(
            r"^\|\s*`(\w+\.csv)`\s*\|.*?\|\s*(\d+)\s*\|.*`([0-9a-f]{64})`\s*\|\s*$", readme, re.M
        )
    )
    for path in CSV_FILES:
        data = path.read_bytes()
        assert table.get(path.name) == (data.count(b"\n") - 1, hashlib.sha256(data).hexdigest()), (
            f"README row for {path.name} is out of date"
        )


def raw_closes(ticker: str) -> dict[str, float]:
    """Unadjusted Close per date, straight from the bokeh-sampledata source."""
    with prepare.source_file().open("rb") as raw, gzip.open(raw, "rt") as text:
        return {r["Date"]: float(r["Close"]) for r in csv.DictReader(text) if r["Ticker"] == ticker}


def daily_change(closes: dict[str, float], date: str) -> float:
    dates = sorted(closes)
    before = dates[dates.index(date) - 1]
    return closes[date] / closes[before] - 1


@pytest.mark.parametrize("ticker,date", SPLITS)
def test_no_fake_split_drop(ticker, date):
    # The raw data really drops ~50% that day, so this test can fail...
    assert daily_change(raw_closes(ticker), date) < -0.40
    # ...but the adjusted committed file must not.
    adjusted = {r["Date"]: float(r["Close"]) for r in read_rows(DATASETS / f"{ticker.lower()}.csv")}
    assert daily_change(adjusted, date) > -0.40


# --------------------------------------------------------------------------- refresh

ARGS = ["AAPL", "--start", "2024-01-02", "--end", "2024-01-06"]
OLD = b"Date,Open,High,Low,Close,Volume\n2000-01-03,1.000000,1.000000,1.000000,1.000000,1\n"
# (Date, Open, High, Low, Close, Volume), deliberately out of order with a gap row.
BARS = [
    ("2024-01-04", 181.91, 182.76, 180.17, 181.18, 71983600),
    ("2024-01-02", 187.15, 188.44, 183.885, 185.64, 82488700),
    ("2024-01-03", float("nan"), float("nan"), float("nan"), float("nan"), float("nan")),
    ("2024-01-05", 181.99, 182.76, 180.17, 180.91, 62303300),
]
EXPECTED = (
    "Date,Open,High,Low,Close,Volume\n"
    "2024-01-02,187.150000,188.440000,183.885000,185.640000,82488700\n"
    "2024-01-04,181.910000,182.760000,180.170000,181.180000,71983600\n"
    "2024-01-05,181.990000,182.760000,180.170000,180.910000,62303300\n"
)


def yf_frame(bars=BARS, ticker="AAPL") -> pd.DataFrame:
    """A frame shaped like yfinance 1.x download(): (Price, Ticker) columns, DatetimeIndex 'Date'."""
    columns = pd.MultiIndex.from_product(
        [["Close", "High", "Low", "Open", "Volume"], [ticker]], names=["Price", "Ticker"]
    )
    index = pd.DatetimeIndex([b[0] for b in bars], name="Date")
    return pd.DataFrame([[c, h, l, o, v] for _, o, h, l, c, v in bars], index=index, columns=columns)


def flat_frame() -> pd.DataFrame:
    """Flat columns (multi_level_index=False style), with an extra column to drop."""
    frame = yf_frame().droplevel("Ticker", axis=1)
    frame["Adj Close"] = frame["Close"]
    return frame


def raise_network_error(*args):
    raise ConnectionError("Failed to perform, curl: (6) Could not resolve host\nquery2.finance.yahoo.com")


def all_nan_frame() -> pd.DataFrame:
    return yf_frame([(d, *[float("nan")] * 5) for d, *_ in BARS])


def run(monkeypatch, capsys, fake, out: Path) -> tuple[int, list[str]]:
    """main() with only the network boundary replaced; returns (exit code, stderr lines)."""
    monkeypatch.setattr(refresh, "download", fake)
    code = refresh.main([*ARGS, "--out", str(out)])
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("make", [yf_frame, flat_frame], ids=["multiindex", "flat"])
def test_refresh_writes_normalised_csv(monkeypatch, capsys, tmp_path, make):
    out = tmp_path / "aapl.csv"
    out.write_bytes(OLD)
    calls = []

    def fake(ticker, start, end):
        calls.append((ticker, start, end))
        return make()

    code, err = run(monkeypatch, capsys, fake, out)
    assert (code, err) == (0, [])
    assert calls == [("AAPL", "2024-01-02", "2024-01-06")]
    assert out.read_text() == EXPECTED
    assert list(tmp_path.iterdir()) == [out], "no temporary file left behind"


FAILURES = {
    "network-error": raise_network_error,
    "empty": lambda *a: pd.DataFrame(),
    "empty-multiindex": lambda *a: yf_frame([]),
    "missing-volume": lambda *a: yf_frame().drop(columns="Volume", level="Price"),
    "all-nan": lambda *a: all_nan_frame(),
    "two-tickers": lambda *a: pd.concat([yf_frame(), yf_frame(ticker="MSFT")], axis=1),
    "not-a-frame": lambda *a: None,
}


@pytest.mark.parametrize("fake", FAILURES.values(), ids=FAILURES.keys())
def test_refresh_failure_leaves_old_file_untouched(monkeypatch, capsys, tmp_path, fake):
    out = tmp_path / "aapl.csv"
    out.write_bytes(OLD)
    code, err = run(monkeypatch, capsys, fake, out)
    assert code == 1
    assert len(err) == 1 and err[0].startswith("error: "), err
    assert out.read_bytes() == OLD
    assert list(tmp_path.iterdir()) == [out], "no temporary file left behind"


def test_refresh_missing_volume_names_the_column(monkeypatch, capsys, tmp_path):
    _, err = run(monkeypatch, capsys, FAILURES["missing-volume"], tmp_path / "x.csv")
    assert "Volume" in err[0]
    assert not (tmp_path / "x.csv").exists()


def test_refresh_write_failure_is_one_line_and_cleans_up(monkeypatch, capsys, tmp_path):
    out = tmp_path / "aapl.csv"
    out.mkdir()  # os.replace(file, directory) fails after the temp file is written
    code, err = run(monkeypatch, capsys, lambda *a: yf_frame(), out)
    assert code == 1 and len(err) == 1 and err[0].startswith("error: cannot write")
    assert list(tmp_path.iterdir()) == [out]


def test_download_turns_logged_yfinance_failure_into_one_error(monkeypatch, capsys, tmp_path):
    """yfinance logs a failed download and returns an empty frame; fake exactly that."""
    import yfinance

    seen = {}

    def fake_yf_download(ticker, **kwargs):
        seen.update(kwargs, ticker=ticker)
        log = logging.getLogger("yfinance")
        log.warning("Cookie/crumb fetch failed (DNSError), continuing without crumb")
        log.error("\n1 Failed download:")
        log.error("['AAPL']: DNSError('Could not resolve host: query2.finance.yahoo.com')")
        return yf_frame([])

    monkeypatch.setattr(yfinance, "download", fake_yf_download)
    out = tmp_path / "aapl.csv"
    out.write_bytes(OLD)
    code = refresh.main([*ARGS, "--out", str(out)])
    err = capsys.readouterr().err.splitlines()
    assert seen == {"ticker": "AAPL", "start": "2024-01-02", "end": "2024-01-06",
                    "auto_adjust": True, "progress": False}
    assert code == 1 and len(err) == 1, err
    assert "1 Failed download:" in err[0] and "DNSError" in err[0]
    assert out.read_bytes() == OLD


def test_download_passes_yfinance_answer_through(monkeypatch):
    import yfinance

    monkeypatch.setattr(yfinance, "download", lambda *a, **k: yf_frame())
    pd.testing.assert_frame_equal(refresh.download("AAPL", "2024-01-02", "2024-01-06"), yf_frame())


def test_default_out_is_next_to_the_package():
    assert refresh.default_out("AAPL") == DATASETS / "aapl.csv"


BAD_ARGS = {
    "bad-month": ["AAPL", "--start", "2024-13-01", "--end", "2024-12-31"],
    "not-padded": ["AAPL", "--start", "2024-1-1", "--end", "2024-12-31"],
    "not-a-date": ["AAPL", "--start", "yesterday", "--end", "2024-12-31"],
    "start-equals-end": ["AAPL", "--start", "2024-01-05", "--end", "2024-01-05"],
    "start-after-end": ["AAPL", "--start", "2024-02-01", "--end", "2024-01-05"],
    "missing-end": ["AAPL", "--start", "2024-01-05"],
    "path-in-ticker": ["../AAPL", "--start", "2024-01-01", "--end", "2024-01-05"],
}


@pytest.mark.parametrize("argv", BAD_ARGS.values(), ids=BAD_ARGS.keys())
def test_bad_arguments_exit_2_with_one_line(monkeypatch, capsys, argv):
    monkeypatch.setattr(refresh, "download", lambda *a: pytest.fail("download must not be called"))
    with pytest.raises(SystemExit) as exit_info:
        refresh.main(argv)
    err = capsys.readouterr().err.splitlines()
    assert exit_info.value.code == 2
    assert len(err) == 1 and err[0].startswith("error: "), err


def test_cli_rejects_bad_date_with_exit_2():
    # The real `python -m datasets.refresh` entry point; fails before any download.
    result = subprocess.run(
        [sys.executable, "-m", "datasets.refresh", "AAPL", "--start", "2024-02-30", "--end", "2024-03-01"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.splitlines() == ["error: argument --start: invalid date '2024-02-30', expected YYYY-MM-DD"]
    assert result.stdout == ""
