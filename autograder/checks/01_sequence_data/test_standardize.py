"""Public checks of standardize."""

import numpy as np
import pandas as pd

from autograder.engine import check
from autograder.expected.assertions import as_frame, as_parts, assert_close, raises_value_error

TRAIN = pd.DataFrame({"Open": [1.0, 2.0, 3.0, 4.0], "Close": [10.0, 10.0, 14.0, 14.0],
                      "Target": [np.nan, 0.0, 1.0, 0.0]})
VAL = pd.DataFrame({"Open": [5.0, 6.0], "Close": [16.0, 12.0], "Target": [1.0, 0.0]})
TEST = pd.DataFrame({"Open": [7.0], "Close": [20.0], "Target": [1.0]})
NAMES = ("train_s", "val_s", "test_s", "stats")


def standardize(student, *args):
    parts = as_parts(student.standardize(*args), 4, "standardize", ", ".join(NAMES))
    return [as_frame(part, name) for part, name in zip(parts, NAMES)]


@check("standardize.returns_four_parts", points=1,
       hint="Return (train_s, val_s, test_s, stats): three scaled copies and a stats DataFrame "
            "with index ['mean', 'std'].")
def test_returns_four_parts(student):
    for parts, columns in (((TRAIN, VAL, TEST), ["Open", "Close"]),
                           ((TRAIN.iloc[:3], VAL.iloc[:1], VAL), ["Close"])):
        train_s, val_s, test_s, stats = standardize(student, *parts, columns)
        sizes = tuple(len(p) for p in (train_s, val_s, test_s))
        expected = tuple(len(p) for p in parts)
        assert sizes == expected, f"the scaled parts should keep their rows {expected}, got {sizes}"
        assert list(stats.index) == ["mean", "std"], \
            f"stats index should be ['mean', 'std'], got {list(stats.index)}"
        assert set(columns) <= set(stats.columns), \
            f"stats should have a column per scaled column {columns}, got {list(stats.columns)}"


@check("standardize.train_statistics", points=2,
       hint="mean and std come from train only; std is the population std (ddof=0): "
            "train[c].std(ddof=0), or np.std.")
def test_train_statistics(student):
    *_, stats = standardize(student, TRAIN, VAL, TEST, ["Open", "Close"])
    assert list(stats.index) == ["mean", "std"], f"stats index should be ['mean', 'std'], got {list(stats.index)}"
    assert "Open" in stats.columns and "Close" in stats.columns, \
        f"stats should have the columns Open and Close, got {list(stats.columns)}"
    if np.isclose(stats.loc["std", "Open"], np.std([1, 2, 3, 4], ddof=1)):
        raise AssertionError("std of Open on train should be the population std "
                             f"{np.std([1, 2, 3, 4]):.4f} (ddof=0), got the sample std (ddof=1)")
    if np.isclose(stats.loc["mean", "Open"], np.mean([1, 2, 3, 4, 5, 6, 7])):
        raise AssertionError("the mean of Open was computed on train, val and test together: "
                             "fit the scaler on train only")
    assert_close(stats.loc["mean", ["Open", "Close"]], [2.5, 12.0],
                 "the means of Open and Close on train")
    assert_close(stats.loc["std", ["Open", "Close"]], [np.std([1, 2, 3, 4]), 2.0],
                 "the population stds of Open and Close on train")


@check("standardize.applied_to_every_part", points=2,
       hint="Scale val and test with the train mean and std: (x - mean) / std; leave other "
            "columns (Target) unchanged.")
def test_applied(student):
    train_s, val_s, test_s, _ = standardize(student, TRAIN, VAL, TEST, ["Open", "Close"])
    assert_close(val_s["Close"], [(16 - 12) / 2, (12 - 12) / 2],
                 "val Close scaled with the train mean 12 and std 2")
    assert_close(test_s["Open"], [(7 - 2.5) / np.std([1, 2, 3, 4])],
                 "test Open scaled with the train statistics")
    assert "Target" in train_s.columns, "the Target column should be kept"
    assert_close(train_s["Target"], TRAIN["Target"],
                 "Target (not a scaled column, so unchanged)")


@check("standardize.inputs_unchanged", points=2,
       hint="Scale copies (part.copy()); the caller's frames must keep their values.")
def test_inputs_unchanged(student):
    _, after = student.call_and_inputs("standardize", TRAIN, VAL, TEST, ["Open", "Close"])
    for name, before, now in zip(("train", "val", "test"), (TRAIN, VAL, TEST), after[:3]):
        assert now.equals(before), f"standardize modified its {name} argument in place"


@check("standardize.constant_column", points=1, needs="standardize.returns_four_parts",
       hint="A column with std 0 on train cannot be scaled: raise ValueError naming it.")
def test_constant_column(student):
    flat = TRAIN.assign(Open=3.0)
    raises_value_error(student, "standardize", flat, VAL, TEST, ["Open", "Close"],
                       why="a train column with std 0 (Open)", mentions="Open")
