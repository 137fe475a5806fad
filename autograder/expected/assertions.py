"""Assertions every assignment's checks share, with messages a student can act on.

A check's failure message is the student's feedback, so these write sentences themselves:
what was expected, what came, and where the first difference is; small arrays are shown
whole, large ones summarised. No raw library dump reaches a student. In a hidden check
(``autograder.engine.values_shown()`` is False) they name what differs and where, never the
case's values.

Reading a returned value: ``as_array``, ``as_frame``, ``as_series``, ``as_parts``, ``as_number``,
``as_dict`` turn what the student returned into what the check works with, or fail with a
sentence that says what came instead (a list where a pair was due, a model where an array
was due), so that a check never stumbles over an unforeseen type.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from autograder.engine import values_shown
from autograder.outcomes import StudentError
from autograder.sandbox.wire import Remote

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
                 equal_nan: bool = True, should: str = "") -> None:
    """Assert ``actual`` equals ``expected`` elementwise within ``rtol``/``atol`` (the rule of
    ``np.isclose``); same shape required. On failure the message reads, for instance:

        y: 2 of 6 values differ, the first at [0]: expected 4, got 3.
           Expected [4, 5, 6, 7, 8, 9], got [3, 4, 5, 6, 7, 8].

    and in a hidden check "y: some of the values differ from the expected ones" (how many in
    words, no counts, positions or numbers).
    ``what`` names the value for the student ("y", "X[2]", "the hidden states"); ``should``,
    a sentence said after the numbers, what the value should be ("h_t = tanh(...)")."""
    want = np.asarray(expected, dtype=float)
    got = as_array(actual, what)
    if want.ndim and got.shape != want.shape:
        raise AssertionError(f"{what} should have shape {want.shape}, got {got.shape}")
    same = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=equal_nan)
    if np.all(same):
        return
    wrong = np.argwhere(~np.broadcast_to(same, got.shape))
    first = tuple(int(i) for i in wrong[0])
    where = f"the first at {list(first)}" if first else "the value itself"
    tail = f". {should}" if should else ""
    if not values_shown():
        raise AssertionError(f"{what}: {_share(len(wrong), got.size)} differ from the expected "
                             f"ones{tail}")
    target = want if not want.ndim else want[first]
    text = (f"{what}: {len(wrong)} of {got.size} values differ, {where}: "
            f"expected {_number(target)}, got {_number(got[first])}")
    if got.size <= SHOWN_WHOLE:
        if got.size > 1:
            text += f". Expected {_values(np.broadcast_to(want, got.shape))}, got {_values(got)}"
    else:
        largest = float(np.nanmax(np.abs(got - want))) if np.isfinite(got).all() else np.inf
        text += f"; the largest difference is {_number(largest)}"
    raise AssertionError(text + tail)


def _share(part: int, whole: int) -> str:
    """How many of the values, in words: a hidden check says how much is wrong, not where."""
    if part == whole:
        return "all the values" if whole > 1 else "the value"
    share = part / whole
    if share > 0.75:
        return "most of the values"
    if share >= 0.25:
        return "many of the values"
    return "a few of the values"


def assert_equal(actual, expected, what: str) -> None:
    """Exact equality of numbers or arrays of numbers (counts, labels, indices)."""
    assert_close(actual, expected, what, rtol=0.0, atol=0.0)


def describe_values(values) -> str:
    """A short readable view of an array for a message: whole when small, else its shape,
    first values and range; only its shape in a hidden check."""
    array = np.asarray(values)
    if not values_shown():
        return f"an array of shape {array.shape}"
    if array.size <= SHOWN_WHOLE:
        return _values(array)
    flat = array.ravel()
    head = ", ".join(_number(v) for v in flat[:4])
    try:
        low, high = _number(np.nanmin(array)), _number(np.nanmax(array))
        return f"an array of shape {array.shape} starting {head}, ... (from {low} to {high})"
    except (TypeError, ValueError):
        return f"an array of shape {array.shape} starting {head}, ..."


# --- reading what a student returned ------------------------------------------------------------

def kind_of(value) -> str:
    """What a value is, for a message: "a list of 3 items", "a float32 array of shape (2, 3)",
    "a keras.src.models.sequential.Sequential (an object, not data)"."""
    if isinstance(value, Remote):
        return f"{_a(value.type_name)} (an object, not data)"
    if value is None:
        return "None (was a return statement forgotten?)"
    if isinstance(value, np.ndarray):
        return f"{_a(str(value.dtype))} array of shape {value.shape}"
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return f"a {type(value).__name__} of shape {value.shape}"
    if isinstance(value, (list, tuple, dict)):
        return f"a {type(value).__name__} of {len(value)} item{'s' * (len(value) != 1)}"
    if isinstance(value, (str, bytes)):
        return f"a {type(value).__name__}"
    return _a(type(value).__name__) + (f" ({_number(value)})" if values_shown() and
                                       isinstance(value, (int, float, np.generic)) else "")


def _a(word: str) -> str:
    return ("an " if word[:1].lower() in "aeiou" else "a ") + word


def as_array(value, what: str, *, ndim: int | None = None) -> np.ndarray:
    """``value`` as a float array (any array-like, a Series or a list of numbers), or an
    AssertionError saying what came instead; with ``ndim``, of that many dimensions."""
    if isinstance(value, Remote) or value is None or isinstance(value, (str, bytes, dict)):
        raise AssertionError(f"{what} should be an array of numbers, got {kind_of(value)}")
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} should be an array of numbers, got {kind_of(value)}"
                             + _ragged(value)) from None
    if ndim is not None and array.ndim != ndim:
        raise AssertionError(f"{what} should have {ndim} dimension{'s' * (ndim != 1)}, got "
                             f"shape {array.shape}")
    return array


def _ragged(value) -> str:
    if isinstance(value, (list, tuple)) and value and all(hasattr(v, "__len__") for v in value):
        return " whose items differ in length: stack them into one array (np.stack)"
    return ""


def as_parts(value, count: int, what: str, names: str = "") -> tuple:
    """``value`` as a tuple of ``count`` parts (a tuple or a list), or an AssertionError:
    "make_windows should return a pair (X, y), got a list of 3 items"."""
    shape = names or ", ".join("..." for _ in range(count))
    word = {2: "a pair", 3: "three values", 4: "four values"}.get(count, f"{count} values")
    assert isinstance(value, (tuple, list)) and len(value) == count, \
        f"{what} should return {word} ({shape}), got {kind_of(value)}"
    return tuple(value)


def as_frame(value, what: str) -> pd.DataFrame:
    assert isinstance(value, pd.DataFrame), f"{what} should be a pandas DataFrame, got " \
                                            f"{kind_of(value)}"
    return value


def as_series(value, what: str) -> pd.Series:
    assert isinstance(value, pd.Series), f"{what} should be a pandas Series, got " \
                                         f"{kind_of(value)}"
    return value


def as_number(value, what: str) -> float:
    """One real number (a Python or NumPy scalar, or an array of one element)."""
    try:
        ok = np.ndim(value) == 0 and not isinstance(value, (str, bytes, bool, Remote)) \
            and np.isreal(value)
        number = float(value) if ok else None
    except (TypeError, ValueError):
        number = None
    assert number is not None, f"{what} should be one number (a float), got {kind_of(value)}"
    return number


def as_dict(value, what: str) -> dict:
    assert isinstance(value, dict), f"{what} should be a dict, got {kind_of(value)}"
    return value


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
