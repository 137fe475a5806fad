"""Assertions every assignment's checks share, with messages a student can act on.

A check's failure message is the student's feedback, so these write sentences themselves:
what was expected, what came, and where the first difference is; small arrays are shown
whole, large ones summarised. No raw library dump reaches a student.
"""

from __future__ import annotations

import numpy as np

from autograder.outcomes import StudentError

SHOWN_WHOLE = 12  # arrays up to this many values are printed in full in a message


def raises_value_error(student, function: str, *args, why: str, mentions: str = "",
                       **kwargs) -> None:
    """Assert that ``function(*args)`` raises ValueError (not another error, not a value),
    and, with ``mentions``, that its message names the offending argument or column."""
    try:
        student.call(function, *args, **kwargs)
    except StudentError as err:
        if err.kind in ("missing", "name") or err.type_name == "NotImplementedError":
            raise
        assert err.type_name == "ValueError", \
            f"{function} should raise ValueError for {why}, raised {err.type_name}"
        assert mentions.lower() in err.message.lower(), (
            f"{function}'s ValueError for {why} should name {mentions!r} so the caller knows "
            f"what to fix; the message was {err.message!r}")
        return
    raise AssertionError(f"{function} should raise ValueError for {why}, but returned a value")


def assert_close(actual, expected, what: str, *, rtol: float = 1e-7, atol: float = 0.0,
                 equal_nan: bool = True) -> None:
    """Assert ``actual`` equals ``expected`` elementwise within ``rtol``/``atol`` (the rule of
    ``np.isclose``); same shape required. On failure the message reads, for instance:

        y: 2 of 6 values differ, the first at [0]: expected 4, got 3.
           Expected [4, 5, 6, 7, 8, 9], got [3, 4, 5, 6, 7, 8].

    ``what`` names the value for the student ("y", "X[2]", "the hidden states")."""
    want = np.asarray(expected, dtype=float)
    try:
        got = np.asarray(actual, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be numbers, got {_kind(actual)}") from None
    if want.ndim and got.shape != want.shape:
        raise AssertionError(f"{what} should have shape {want.shape}, got {got.shape}")
    same = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if np.all(same):
        return
    wrong = np.argwhere(~np.broadcast_to(same, got.shape))
    first = tuple(int(i) for i in wrong[0])
    target = want if not want.ndim else want[first]
    text = (f"{what}: {len(wrong)} of {got.size} values differ, the first at "
            f"{list(first)}: expected {_number(target)}, got {_number(got[first])}")
    if got.size <= SHOWN_WHOLE:
        text += f". Expected {_values(np.broadcast_to(want, got.shape))}, got {_values(got)}"
    elif got.size > 1:
        largest = float(np.nanmax(np.abs(got - want))) if np.isfinite(got).all() else np.inf
        text += f"; the largest difference is {_number(largest)}"
    raise AssertionError(text)


def assert_equal(actual, expected, what: str) -> None:
    """Exact equality of numbers or arrays of numbers (counts, labels, indices)."""
    assert_close(actual, expected, what, rtol=0.0, atol=0.0)


def describe_values(values) -> str:
    """A short readable view of an array for a message: whole when small, else its shape,
    first values and range."""
    array = np.asarray(values)
    if array.size <= SHOWN_WHOLE:
        return _values(array)
    flat = array.ravel()
    head = ", ".join(_number(v) for v in flat[:4])
    try:
        low, high = _number(np.nanmin(array)), _number(np.nanmax(array))
        return f"an array of shape {array.shape} starting {head}, ... (from {low} to {high})"
    except (TypeError, ValueError):
        return f"an array of shape {array.shape} starting {head}, ..."


def _values(array: np.ndarray) -> str:
    if array.ndim == 0:
        return _number(array[()])
    return "[" + ", ".join(_values(row) for row in array) + "]"


def _number(value) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return repr(value)
    if np.isnan(number):
        return "nan"
    return f"{number:.6g}"


def _kind(value) -> str:
    shape = getattr(value, "shape", None)
    return f"a {type(value).__name__}" + (f" of shape {tuple(shape)}" if shape is not None else "")
