"""Hidden checks of rnn_forward: T = 1, N = 1, a non-zero h0, float64, a long sequence."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as rec

_rng = np.random.default_rng(203)
_d, _h = (int(v) for v in _rng.choice(np.arange(2, 9), size=2, replace=False))  # D != H
CASES = {
    "T1": dict(seed=20, n=2, t=1, d=3, h=4),
    "N1": dict(seed=21, n=1, t=7, d=2, h=5),
    f"T30_D{_d}_H{_h}": dict(seed=22, n=3, t=30, d=_d, h=_h),
    "h0": dict(seed=23, n=3, t=4, d=2, h=3),
    "h0_float64": dict(seed=24, n=2, t=6, d=4, h=3, dtype="float64"),
}


@pytest.mark.parametrize("name", CASES)
@check("rnn_forward.other_cases", points=1,
       hint="rnn_forward must work for T = 1, N = 1 and long sequences, start from h0 when it "
            "is given (zeros only when h0 is None), and accept float64 input.")
def test_other_cases(student, name):
    spec = CASES[name]
    case = rec.sequence_case(**spec)
    h0 = None
    if name.startswith("h0"):
        h0 = np.random.default_rng(spec["seed"] + 100).uniform(
            -0.9, 0.9, size=(spec["n"], spec["h"])).astype(spec.get("dtype", "float32"))
    described = rec.describe(spec) + ("" if h0 is None else ", a non-zero h0")
    rec.assert_rnn_forward(student, case, described, h0=h0)
