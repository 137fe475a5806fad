"""Hidden checks of rnn_step: shapes drawn at random (fixed seed), N = 1, D != H, float64."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as rec

_rng = np.random.default_rng(202)
_d, _h = (int(v) for v in _rng.choice(np.arange(2, 9), size=2, replace=False))  # D != H
CASES = {
    f"N1_D{_d}_H{_h}": dict(seed=10, n=1, d=_d, h=_h),
    "N4_D1_H6": dict(seed=11, n=4, d=1, h=6),
    "float64_N3_D5_H3": dict(seed=12, n=3, d=5, h=3, dtype="float64"),
}


@pytest.mark.parametrize("name", CASES)
@check("rnn_step.other_shapes", points=1,
       hint="rnn_step must work for any N, D and H (N = 1, D != H) and for float64 input: no "
            "hard-coded sizes, no squeeze, no cast that changes the numbers.")
def test_other_shapes(student, name):
    rec.assert_rnn_step(student, rec.step_case(**CASES[name]), rec.describe(CASES[name]))
