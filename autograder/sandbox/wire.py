"""Values that cross between the grader and the sandbox, encoded as data, never as pickle.

The parent decodes what an untrusted child sends, so decoding must not be able to run code:
arrays travel as ``.npy`` bytes read with ``allow_pickle=False``, frames as their columns, and
everything else (a Keras model, a tf.data.Dataset, a History) stays in the child behind a
``Remote`` handle that a check can pass back or hand to a probe.

Nor may decoding take unbounded time or memory: a frame is refused before it is parsed when its
bytes or its JSON values are too many, and before anything is built when it would build too
many pandas or NumPy objects or a DataFrame too wide (``AnswerTooLarge``, with a message that
says which limit). The limits are far above any answer of the course.

Frames are length-prefixed JSON over a stream socket.
"""

from __future__ import annotations

import base64
import io
import json
import socket
import struct
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

# A student returning more than 64 MiB has a bug, not an answer; and JSON of that size can
# already become a gigabyte of Python objects in the grader ("[[],[],..."), so no more.
MAX_FRAME_BYTES = 64 << 20
MAX_VALUES = 1_000_000  # JSON values in one frame: each becomes a Python object here
MAX_BUILT = 10_000  # arrays, frames, series, indexes and timestamps built from one answer
MAX_COLUMNS = 1_000  # of one DataFrame: the course's have a handful
_HEADER = struct.Struct("!Q")
_BUILT = ("$array", "$dataframe", "$series", "$index", "$timestamp", "$strings")


class WireError(Exception):
    """The peer closed the connection or sent something that is not a frame."""


class AnswerTooLarge(WireError):
    """An answer over one of the limits; the message names it, for the student."""


@dataclass(frozen=True)
class Remote:
    """A value that stays in the sandbox (models, datasets); checks pass it back or probe it."""

    handle: int
    type_name: str

    def __repr__(self) -> str:
        return f"<{self.type_name} in the sandbox>"


def encode(value, keep=None):
    """Turn a value into JSON-able data; ``keep(value) -> Remote`` stores what cannot travel."""
    if isinstance(value, (np.ndarray, np.generic)):  # before float: np.float64 is a float
        return _encode_array(value, keep)
    if value is None or isinstance(value, (bool, str)):
        return str(value) if isinstance(value, str) and type(value) is not str else value
    if isinstance(value, int) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float):
        return {"$float": float.__repr__(value)}  # keeps nan and inf exact
    if isinstance(value, Remote):
        return {"$remote": value.handle, "type": value.type_name}
    if isinstance(value, pd.DataFrame):
        if value.shape[1] > MAX_COLUMNS:
            raise AnswerTooLarge(_too_wide(value.shape[1]))
        return {"$dataframe": {
            "columns": [encode(c, keep) for c in value.columns],
            "series": [encode(value.iloc[:, i], keep) for i in range(value.shape[1])],
            "index": encode(value.index, keep)}}
    if isinstance(value, pd.Series):
        return {"$series": {"values": _encode_column(value), "index": encode(value.index, keep),
                            "name": encode(value.name, keep)}}
    if isinstance(value, pd.Index):
        return {"$index": {"values": _encode_column(value), "name": encode(value.name, keep)}}
    if isinstance(value, pd.Timestamp):
        return {"$timestamp": value.isoformat()}
    if isinstance(value, tuple):
        return {"$tuple": [encode(v, keep) for v in value]}
    if isinstance(value, list):
        return [encode(v, keep) for v in value]
    if isinstance(value, dict):
        return {"$dict": [[encode(k, keep), encode(v, keep)] for k, v in value.items()]}
    if keep is None:
        raise TypeError(f"cannot send a {type(value).__name__}")
    array = _as_array(value)  # the sending side (the child) only: see _as_array
    if array is not None:
        return _encode_array(array, keep)
    return encode(keep(value))


def _as_array(value):
    """An array-like that is not plain data (a tf.Tensor, a keras.Variable, anything with
    ``__array__`` or ``.numpy()``) as a NumPy array, or None. docs/course.md: the grader accepts
    any array-like a function returns. This is the one place that rule lives: the sandbox's
    child and the notebook's self-check both answer through ``encode``, so both see the same
    value. Looked up on the type, so an object whose ``__getattr__`` answers anything is not
    taken for an array; one whose conversion fails stays an object (a Remote)."""
    kind = type(value)
    if not (hasattr(kind, "__array__") or callable(getattr(kind, "numpy", None))):
        return None
    try:
        array = np.asarray(value)
    except Exception:
        try:
            array = np.asarray(value.numpy())
        except Exception:
            return None
    if not isinstance(array, np.ndarray):
        return None
    return array[()] if array.ndim == 0 else array  # a 0-d tensor is a number


def decode(data, resolve=None):
    """Inverse of encode; ``resolve(handle)`` turns a Remote back into its object (child side).
    AnswerTooLarge, before anything is built, for data over the limits."""
    _check_size(data)
    return _decode(data, resolve)


def _check_size(data) -> None:
    """Count what decoding would build, without building it."""
    values, built, stack = 0, 0, [data]
    while stack:
        item = stack.pop()
        values += 1
        if values > MAX_VALUES:
            raise AnswerTooLarge(f"it holds over {MAX_VALUES:,} values")
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if any(tag in item for tag in _BUILT):
                built += 1
                if built > MAX_BUILT:
                    raise AnswerTooLarge(f"it holds over {MAX_BUILT:,} arrays, frames or series")
            frame = item.get("$dataframe")
            if isinstance(frame, dict) and isinstance(frame.get("series"), list) \
                    and len(frame["series"]) > MAX_COLUMNS:
                raise AnswerTooLarge(_too_wide(len(frame["series"])))
            stack.extend(item.values())


def _too_wide(columns: int) -> str:
    return f"a DataFrame of {columns:,} columns is over the limit of {MAX_COLUMNS:,} columns"


def _decode(data, resolve=None):
    if not isinstance(data, (dict, list)):
        return data
    if isinstance(data, list):
        return [_decode(v, resolve) for v in data]
    if "$float" in data:
        return float(data["$float"])
    if "$remote" in data:
        remote = Remote(int(data["$remote"]), str(data["type"]))
        return resolve(remote.handle) if resolve else remote
    if "$array" in data:
        array = np.load(io.BytesIO(base64.b64decode(data["$array"])), allow_pickle=False)
        return array[()] if data.get("scalar") else array
    if "$strings" in data:
        return np.array(data["$strings"], dtype=object)
    if "$dataframe" in data:
        body = data["$dataframe"]
        columns = [_decode(c, resolve) for c in body["columns"]]
        series = [_decode(s, resolve) for s in body["series"]]
        frame = pd.DataFrame({i: s.to_numpy() for i, s in enumerate(series)},
                             index=_decode(body["index"], resolve))
        for i, s in enumerate(series):
            frame[i] = frame[i].astype(s.dtype)
        frame.columns = pd.Index(columns, tupleize_cols=False)
        return frame
    if "$series" in data:
        body = data["$series"]
        values, dtype = _decode_column(body["values"])
        series = pd.Series(values, index=_decode(body["index"], resolve),
                           name=_decode(body["name"], resolve))
        return series.astype(dtype) if dtype else series
    if "$index" in data:
        body = data["$index"]
        values, dtype = _decode_column(body["values"])
        index = pd.Index(values, name=_decode(body["name"], resolve), tupleize_cols=False)
        return index.astype(dtype) if dtype else index
    if "$timestamp" in data:
        return pd.Timestamp(data["$timestamp"])
    if "$tuple" in data:
        return tuple(_decode(v, resolve) for v in data["$tuple"])
    if "$dict" in data:
        return {_hashable(_decode(k, resolve)): _decode(v, resolve) for k, v in data["$dict"]}
    raise WireError(f"unknown value tag {sorted(data)[:3]}")


def _encode_array(value, keep):
    array = np.asarray(value)
    if array.dtype.kind == "O":
        return {"$strings": [None if v is None else str(v) for v in array.ravel().tolist()]} \
            if array.ndim == 1 else encode(array.tolist(), keep)
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=False)
    return {"$array": base64.b64encode(buffer.getvalue()).decode("ascii"),
            "scalar": isinstance(value, np.generic)}


def _encode_column(values):
    """Series and Index values with their pandas dtype, so float64 stays float64."""
    dtype = str(values.dtype)
    if values.dtype.kind in "biufcmM" and not isinstance(values.dtype, pd.api.extensions.ExtensionDtype):
        return {"array": _encode_array(values.to_numpy(), None), "dtype": dtype}
    return {"array": {"$strings": [None if pd.isna(v) else str(v) for v in values]}
            if values.dtype.kind in "OUS" or dtype in ("str", "string") else
            _encode_array(values.to_numpy(dtype=float, na_value=np.nan), None), "dtype": dtype}


def _decode_column(data):
    values = _decode(data["array"])
    dtype = data.get("dtype")
    return values, (dtype if dtype not in (None, "object") else None)


def _hashable(key):
    return tuple(key) if isinstance(key, list) else key


def send(sock: socket.socket, message: dict) -> None:
    payload = json.dumps(message, allow_nan=True).encode("utf-8")
    sock.sendall(_HEADER.pack(len(payload)) + payload)


def receive(sock: socket.socket, deadline: float | None = None) -> dict:
    """Read one frame; raise WireError on EOF or garbage (a child that died or lied), and
    TimeoutError once ``deadline`` (time.monotonic) passes, however slowly the bytes come."""
    (size,) = _HEADER.unpack(_read_exactly(sock, _HEADER.size, deadline))
    if size > MAX_FRAME_BYTES:
        raise WireError(f"an answer of {size / 2**20:.0f} MiB is over the limit of "
                        f"{MAX_FRAME_BYTES / 2**20:.0f} MiB")
    payload = _read_exactly(sock, size, deadline)
    # Every JSON value but the first follows a "," or opens with "[" or "{": an upper bound
    # of what parsing would allocate, counted in C before a single object is made.
    if payload.count(b",") + payload.count(b"[") + payload.count(b"{") > MAX_VALUES:
        raise AnswerTooLarge(f"it holds over {MAX_VALUES:,} values")
    try:
        message = json.loads(payload)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as err:
        raise WireError(f"not a frame: {err}") from None
    if not isinstance(message, dict):
        raise WireError("not a frame: expected an object")
    return message


def _read_exactly(sock: socket.socket, size: int, deadline: float | None = None) -> bytes:
    chunks, missing = [], size
    while missing:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("the answer did not arrive in time")
            sock.settimeout(remaining)
        chunk = sock.recv(min(missing, 1 << 20))
        if not chunk:
            raise WireError("connection closed")
        chunks.append(chunk)
        missing -= len(chunk)
    return b"".join(chunks)
