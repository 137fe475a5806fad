"""Public checks of activation_grad: derivatives compared with TensorFlow's automatic ones."""

import numpy as np

from autograder.engine import check
from autograder.expected import rnn_internals as rec
from autograder.expected.assertions import raises_value_error

Z = np.array([[-3.0, -1.5, -0.4, 0.3, 1.0], [2.5, -0.05, 0.8, -2.0, 4.0]])  # no zero here
Z_WITH_ZEROS = np.array([-1.0, 0.0, 2.0, 0.0])


@check("activation_grad.returns_array", points=1,
       hint="Return an array of the same shape as z, one derivative per element, for each of "
            "'tanh', 'sigmoid' and 'relu'.")
def test_returns_array(student):
    for name in ("tanh", "sigmoid", "relu"):
        for z in (Z, Z_WITH_ZEROS):
            out = rec.array(student.activation_grad(name, z), "activation_grad",
                            f"the {name} derivative")
            rec.assert_shape(out, z.shape, "activation_grad",
                             f"the {name} derivative (the shape of z)")


@check("activation_grad.tanh", points=1,
       hint="d/dz tanh(z) = 1 - tanh(z)**2; 1 - h**2 is the same thing only when h = tanh(z).")
def test_tanh(student):
    rec.assert_derivative(student, "tanh", Z)


@check("activation_grad.sigmoid", points=1,
       hint="d/dz sigmoid(z) = s * (1 - s) with s = sigmoid(z); it is at most 0.25.")
def test_sigmoid(student):
    rec.assert_derivative(student, "sigmoid", Z)


@check("activation_grad.relu", points=1,
       hint="ReLU's derivative is 1 where z > 0 and 0 where z <= 0: the contract (and "
            "TensorFlow) take it as 0 at z = 0, so compare with z > 0, not z >= 0.")
def test_relu(student):
    out = rec.array(student.activation_grad("relu", Z_WITH_ZEROS), "activation_grad",
                    "the relu derivative")
    rec.assert_shape(out, Z_WITH_ZEROS.shape, "activation_grad", "the derivative (the shape of z)")
    assert out[1] == 0 and out[3] == 0, (
        f"activation_grad('relu', 0.0) should be 0 (the derivative is 0 where z <= 0), got "
        f"{out[1]:g}: compare with z > 0, not z >= 0")
    rec.assert_derivative(student, "relu", Z)


@check("activation_grad.unknown_name", points=1, needs="activation_grad.returns_array",
       hint="Raise ValueError naming `name` for anything but 'tanh', 'sigmoid' or 'relu'.")
def test_unknown_name(student):
    for name in ("softmax", "linear"):
        raises_value_error(student, "activation_grad", name, Z, why=f"name={name!r}")
