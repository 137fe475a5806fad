"""Hidden checks of lstm_step: N = 1, D != H, a zero state, float64."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as rec

CASES = {
    "N1_D5_H2": dict(seed=30, n=1, d=5, h=2),
    "D1_H6_zero_state": dict(seed=31, n=3, d=1, h=6, c_scale=0.0),
    "float64_N2_D4_H3": dict(seed=32, n=2, d=4, h=3, c_scale=2.0, dtype="float64"),
}


@pytest.mark.parametrize("name", CASES)
@check("lstm_step.other_shapes", points=1,
       hint="lstm_step must work for any N, D and H (split z into 4 blocks of H = "
            "recurrent_kernel.shape[0] columns), from a zero state, and for float64 input.")
def test_other_shapes(student, name):
    case = list(rec.lstm_case(**CASES[name]))
    described = rec.describe(CASES[name])
    if name.endswith("zero_state"):
        case[1] = np.zeros_like(case[1])  # the start of a sequence: h_prev = c_prev = 0
        described += ", h_prev = c_prev = 0"
    rec.assert_lstm_step(student, tuple(case), described)
