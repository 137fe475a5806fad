"""One grading of a notebook runs the same call once (engine/student.py's call cache)."""

import numpy as np
import pytest

from autograder.engine.student import Loaded, call_key
from autograder.outcomes import CheckTimeout, StudentError
from autograder.sandbox.wire import Remote
from autograder.submission import Definitions


class Counter:
    def __init__(self, answer):
        self.answer, self.calls = answer, 0

    def __call__(self):
        self.calls += 1
        if isinstance(self.answer, BaseException):
            raise self.answer
        return self.answer


@pytest.mark.unit
def test_same_call_runs_once_and_hands_out_copies():
    """Is a data answer computed once per key, and is each later answer a copy a check may
    change without changing the next one's?"""
    loaded, compute = Loaded(Definitions()), Counter({"y": np.arange(3.0)})
    key = call_key("f", (np.ones(2),), {"length": 3})
    first = loaded.remember(key, compute)
    first["y"][0] = 99.0
    second = loaded.remember(key, compute)
    assert compute.calls == 1 and second["y"][0] == 0.0
    assert call_key("f", (np.ones(2),), {"length": 4}) != key  # other arguments, other call


@pytest.mark.unit
def test_objects_timeouts_and_uncachable_arguments_are_never_kept():
    """Are Remote answers, calls with Remote arguments, timeouts and calls without a key run
    every time, while an error student code raised is kept like an answer?"""
    loaded = Loaded(Definitions())
    remote = Counter((Remote(1, "keras.Model"), 2.0))
    for _ in range(2):
        loaded.remember("k1", remote)
    assert remote.calls == 2
    assert call_key("f", (Remote(1, "keras.Model"),), {}) is None
    timeout = Counter(CheckTimeout())
    for _ in range(2):
        with pytest.raises(CheckTimeout):
            loaded.remember("k2", timeout)
    assert timeout.calls == 2
    raised = Counter(StudentError("raised", "ValueError", "bad length", "cell 3, line 2"))
    for _ in range(2):
        with pytest.raises(StudentError, match="bad length"):
            loaded.remember("k3", raised)
    assert raised.calls == 1
    fresh = Counter(1.0)
    loaded.remember(None, fresh)
    loaded.remember(None, fresh)
    assert fresh.calls == 2
