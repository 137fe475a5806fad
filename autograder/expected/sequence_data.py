"""The lecture's six-row case-study table, shared by the checks of assignment 01."""

import numpy as np
import pandas as pd

SEED_DATES = pd.DatetimeIndex(pd.date_range("2019-01-01", periods=6, freq="D"), name="Date")
SEED_VOLUME = [1e6, 2e6, 3e6, 4e6, 5e6, 6e6]
SEED_OPEN = [150.0, 160.0, 155.0, 180.0, 175.0, 170.0]
SEED_CLOSE = [155.0, 165.0, 160.0, 185.0, 180.0, 175.0]
SEED_TARGET = [np.nan, 1.0, 0.0, 1.0, 0.0, 0.0]


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
