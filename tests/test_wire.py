"""Values cross the sandbox boundary as data: exact round trips, and never pickle."""

import numpy as np
import pandas as pd
import pytest

from autograder.sandbox import wire


def _round_trip(value, keep=None):
    return wire.decode(wire.encode(value, keep))


@pytest.mark.unit
def test_arrays_frames_and_containers_round_trip():
    """Do arrays, frames, series, tuples, dicts and NaN come back equal and with their dtype?"""
    frame = pd.DataFrame({"Close": [1.5, np.nan], "Volume": [1.0, 2.0]},
                         index=pd.DatetimeIndex(["2020-01-01", "2020-01-02"], name="Date"))
    back = _round_trip(frame)
    pd.testing.assert_frame_equal(back, frame)
    series = pd.Series([1.0, 2.0], index=frame.index, name="Predicted Close")
    pd.testing.assert_series_equal(_round_trip(series), series)
    array = np.arange(12, dtype=np.float32).reshape(2, 3, 2)
    out = _round_trip((array, {"k": [1, 2.5, None, "s"]}, np.float64(np.nan)))
    assert isinstance(out, tuple) and out[0].dtype == np.float32
    np.testing.assert_array_equal(out[0], array)
    assert out[1] == {"k": [1, 2.5, None, "s"]} and np.isnan(out[2])
    assert isinstance(_round_trip(np.float32(1.5)), np.float32)


@pytest.mark.unit
def test_objects_stay_behind_handles():
    """Does an object that is not data become a Remote handle, resolvable on its side?"""
    kept = {}

    def keep(value):
        kept[len(kept) + 1] = value
        return wire.Remote(len(kept), type(value).__name__)

    thing = object()
    remote = _round_trip(thing, keep)
    assert isinstance(remote, wire.Remote) and kept[remote.handle] is thing
    assert wire.decode(wire.encode(remote), kept.__getitem__) is thing


@pytest.mark.unit
def test_object_arrays_never_pickle():
    """Is a crafted pickle payload refused instead of unpickled?"""
    import base64
    import io

    buffer = io.BytesIO()
    np.save(buffer, np.array([{"a": 1}], dtype=object), allow_pickle=True)
    forged = {"$array": base64.b64encode(buffer.getvalue()).decode()}
    with pytest.raises(ValueError):
        wire.decode(forged)


@pytest.mark.unit
def test_a_frame_too_wide_is_refused_before_it_is_built():
    """Is a DataFrame answer of 30,000 columns refused at once, naming the limit, on both
    sides (the child cannot send it; a forged one is not decoded)?"""
    import time

    wide = pd.DataFrame(np.zeros((2, wire.MAX_COLUMNS + 1)))
    with pytest.raises(wire.AnswerTooLarge, match="columns"):
        wire.encode(wide)
    forged = {"$dataframe": {"columns": list(range(30_000)), "index": [0],
                             "series": [{"$series": {}}] * 30_000}}
    started = time.monotonic()
    with pytest.raises(wire.AnswerTooLarge, match="30,000 columns"):
        wire.decode(forged)
    assert time.monotonic() - started < 1


@pytest.mark.unit
def test_too_many_values_are_refused_before_parsing():
    """Is a frame of more JSON values than the limit refused before json.loads builds them,
    and one that would build too many pandas objects before decoding?"""
    import json
    import socket
    import struct
    import threading

    ours, theirs = socket.socketpair()
    with ours, theirs:
        payload = b"[" + b"0," * wire.MAX_VALUES + b"0]"
        sender = threading.Thread(target=theirs.sendall,
                                  args=(struct.pack("!Q", len(payload)) + payload,))
        sender.start()
        with pytest.raises(wire.AnswerTooLarge, match="values"):
            wire.receive(ours)
        sender.join()
    many = [{"$timestamp": "2020-01-01"}] * (wire.MAX_BUILT + 1)
    with pytest.raises(wire.AnswerTooLarge, match="arrays, frames or series"):
        wire.decode(json.loads(json.dumps(many)))
    assert len(wire.decode([{"$timestamp": "2020-01-01"}] * 10)) == 10


class _ArrayLike:
    """Like a tf.Tensor as far as the wire is concerned: converts with __array__."""

    def __init__(self, values):
        self.values = values

    def __array__(self, dtype=None, copy=None):
        return np.asarray(self.values, dtype=dtype)


class _Anything:
    """Answers every attribute, __array__ and numpy included: not an array for all that."""

    def __getattr__(self, name):
        return self


@pytest.mark.unit
def test_array_likes_arrive_as_arrays_on_the_sending_side():
    """Does a returned array-like (a tf.Tensor, anything with __array__ or .numpy()) arrive
    as the NumPy array it converts to, and a 0-d one as a number, while an object that only
    pretends stays behind a handle?"""
    kept = {}

    def keep(value):
        kept[len(kept) + 1] = value
        return wire.Remote(len(kept), type(value).__name__)

    out = _round_trip((_ArrayLike([[1.0, 2.0]]), _ArrayLike(np.float32(3.0))), keep)
    assert isinstance(out[0], np.ndarray) and out[0].tolist() == [[1.0, 2.0]]
    assert isinstance(out[1], np.float32) and out[1] == 3.0
    assert isinstance(_round_trip(_Anything(), keep), wire.Remote)
    with pytest.raises(TypeError):  # the grader's own side sends data only, never converts
        wire.encode(_ArrayLike([1.0]))
