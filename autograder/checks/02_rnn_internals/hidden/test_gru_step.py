"""Hidden checks of gru_step: N = 1, D != H, a zero state, float64."""

import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as grad
from autograder.expected import rnn_internals as rec

CASES = {
    "N1_D5_H2": dict(seed=40, n=1, d=5, h=2),
    "D1_H6_zero_state": dict(seed=41, n=3, d=1, h=6, zero_state=True),
    "float64_N2_D4_H3": dict(seed=42, n=2, d=4, h=3, dtype="float64"),
}


@pytest.mark.parametrize("name", CASES)
@check("gru_step.other_shapes", points=1,
       hint="gru_step must work for any N, D and H (split into 3 blocks of H = "
            "recurrent_kernel.shape[0] columns), from a zero state, and for float64 input.")
def test_other_shapes(student, name):
    spec = CASES[name]
    described = rec.describe(spec) + (", h_prev = 0" if spec.get("zero_state") else "")
    grad.assert_gru_step(student, grad.gru_case(**spec), described)
