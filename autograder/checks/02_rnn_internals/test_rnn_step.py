"""Public checks of rnn_step: one step of keras.layers.SimpleRNN, weights in Keras' layout."""

import numpy as np

from autograder.engine import check
from autograder.expected import rnn_internals as rec


@check("rnn_step.matches_keras", points=2,
       hint="h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias), shape (N, H): the same "
            "numbers as one step of keras.layers.SimpleRNN with these weights.")
def test_matches_keras(student):
    rec.assert_rnn_step(student, rec.step_case(0, n=2, d=3, h=4), "N=2, D=3, H=4")


@check("rnn_step.layout", points=2,
       hint="Keras stores kernel (D, H) and recurrent_kernel (H, H), the transposes of the "
            "lecture's W_x and W_H: with samples as rows, "
            "x_t @ kernel + h_prev @ recurrent_kernel.")
def test_layout(student):
    # D == H: swapped or transposed weights still multiply, so they give numbers, not a crash.
    rec.assert_rnn_step(student, rec.step_case(1, n=3, d=4, h=4), "square weights (D = H = 4)")


@check("rnn_step.tanh", points=1,
       hint="The SimpleRNN cell's nonlinearity is tanh (outputs in (-1, 1)), not sigmoid or ReLU.")
def test_tanh(student):
    # kernel = recurrent_kernel, symmetric: any layout mistake gives the same z, so only the
    # nonlinearity can make this fail. z spans about -3..3, where tanh, sigmoid, ReLU differ.
    a = np.random.default_rng(2).normal(size=(3, 3))
    weight = ((a + a.T) / 2).astype("float32")
    x_t = np.array([[-2.0, 0.5, 1.0], [1.5, -1.0, 0.0]], dtype="float32")
    h_prev = np.array([[0.5, -0.5, 0.9], [-0.9, 0.2, -0.3]], dtype="float32")
    bias = np.array([0.3, -0.2, 0.1], dtype="float32")
    rec.assert_rnn_step(student, (x_t, h_prev, weight, weight, bias), "a 3-unit cell")
