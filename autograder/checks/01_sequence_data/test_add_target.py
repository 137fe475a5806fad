"""Public checks of add_target on the lecture's six-row table."""

import numpy as np

from autograder.engine import check
from autograder.expected.assertions import as_array, as_frame, assert_close
from autograder.expected.sequence_data import SEED_TARGET, frame_of, seed_frame


@check("add_target.seed_table", points=3,
       hint="Target[t] = 1.0 if Close[t] > Close[t-1] else 0.0; NaN on the first row. "
            "Compare with the previous row (shift(1)), not the next one.")
def test_seed_table(student):
    out = frame_of(student, "add_target", seed_frame())
    assert "Target" in out.columns, f"the result should have a Target column, got {list(out.columns)}"
    target = as_array(out["Target"], "the Target column")
    assert target.shape == (6,), f"Target should have one value per row (6), got shape {target.shape}"
    assert np.isnan(target[0]), f"Target of the first row should be NaN (no day before it), got {target[0]:g}"
    if np.allclose(target[1:5], [0, 1, 0, 0]):  # the slide's Targets, one row early
        raise AssertionError("Target looks shifted one row early: row t compares Close[t+1] with "
                             "Close[t] (tomorrow's news). Compare Close[t] with Close[t-1].")
    if np.allclose(target[2:], [1, 0, 1, 0], equal_nan=True):
        raise AssertionError("Target looks shifted one row late: row t compares Close[t-1] with "
                             "Close[t-2]. Compare Close[t] with Close[t-1].")
    assert_close(target, SEED_TARGET, "Target on the slide's closes 155, 165, 160, 185, 180, 175 "
                                      "(NaN, 1, 0, 1, 0, 0 on the slide)")


@check("add_target.float_and_copy", points=2,
       hint="Work on df.copy(): add Target as float64 to the copy and leave the input unchanged.")
def test_float_and_copy(student):
    seed = seed_frame()
    out, (after,) = student.call_and_inputs("add_target", seed)
    assert "Target" not in after.columns, "add_target modified its input: work on df.copy()"
    out = as_frame(out, "what add_target returns")
    assert "Target" in out.columns, "add_target should return the copy with its Target column"
    assert out["Target"].dtype == np.float64, f"Target should be float64, got {out['Target'].dtype}"
    assert list(out.columns)[:3] == ["Volume", "Open", "Close"], \
        "the other columns should be kept as they were"
