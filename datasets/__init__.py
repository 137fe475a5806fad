"""Daily prices shipped with the course (see README.md); ``csv_path("aapl")`` finds a file."""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent


def csv_path(ticker: str) -> Path:
    """Path of the shipped CSV of ``ticker`` ("aapl", "msft", "ibm"), wherever Python runs."""
    path = FOLDER / f"{ticker.lower()}.csv"
    if not path.is_file():
        available = ", ".join(sorted(p.stem for p in FOLDER.glob("*.csv")))
        raise FileNotFoundError(f"no shipped data for {ticker!r}; available: {available}")
    return path
