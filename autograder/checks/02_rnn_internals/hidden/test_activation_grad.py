"""Hidden checks of activation_grad: random float64 arrays of three dimensions, a scalar."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as rec

_rng = np.random.default_rng(205)
Z = 3 * _rng.normal(size=(2, 3, 4))
Z[0, 0, :2] = 0.0  # relu's derivative at exactly 0 is 0


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "relu"])
@check("activation_grad.any_shape", points=1,
       hint="activation_grad works elementwise on an array of any shape and returns that shape.")
def test_any_shape(student, name):
    rec.assert_derivative(student, name, Z)


@check("activation_grad.scalar", points=1,
       hint="A single number z is an array of shape (): np.asarray(z) handles both.")
def test_scalar(student):
    rec.assert_derivative(student, "tanh", 0.7)
