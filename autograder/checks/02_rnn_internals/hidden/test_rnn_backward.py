"""Hidden checks of rnn_backward: finite differences, T = 1, N = 1, D != H, float32 input."""

import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as grad
from autograder.expected import rnn_internals as rec


@check("rnn_backward.finite_differences", points=2,
       hint="Every gradient must match centred finite differences of the loss in float64: "
            "compute in float64 and sum the shared weights' gradients over all time steps.")
def test_finite_differences(student):
    case = grad.backward_case(50, n=2, t=6, d=2, h=3)
    grad.assert_backward(student, case, "a float64 case checked entry by entry",
                         reference="finite differences", rtol=1e-5, atol=1e-7)


CASES = {
    "T1": dict(seed=51, n=2, t=1, d=3, h=4),
    "N1_D4_H2": dict(seed=52, n=1, t=5, d=4, h=2),
    "long_T25": dict(seed=53, n=2, t=25, d=2, h=3),
    "float32": dict(seed=54, n=3, t=4, d=2, h=3, dtype="float32"),
}


@pytest.mark.parametrize("name", CASES)
@check("rnn_backward.other_shapes", points=1,
       hint="rnn_backward must work for T = 1, N = 1, D != H, long sequences and float32 input "
            "(the shapes come from x and recurrent_kernel).")
def test_other_shapes(student, name):
    spec = CASES[name]
    loose = spec.get("dtype") == "float32"
    grad.assert_backward(student, grad.backward_case(**spec), rec.describe(spec),
                         rtol=1e-4 if loose else grad.BACKWARD_RTOL,
                         atol=1e-5 if loose else grad.BACKWARD_ATOL)
