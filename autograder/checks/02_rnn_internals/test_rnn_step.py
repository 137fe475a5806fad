"""Public checks of rnn_step: one step of keras.layers.SimpleRNN, weights in Keras' layout."""

import numpy as np

from autograder.checks import check
from autograder.checks.common import recurrence as rec


def step_case(seed: int, n: int, d: int, h: int, dtype="float32"):
    """(x_t (N, D), h_prev (N, H), kernel, recurrent_kernel, bias), random but fixed."""
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(n, d)).astype(dtype)
    h_prev = rng.uniform(-1, 1, size=(n, h)).astype(dtype)
    return (x_t, h_prev, *rec.random_weights(rng, d, h, dtype=dtype))


def assert_matches_keras(student, case, name: str) -> None:
    """rnn_step(*case) equals one step of Keras' SimpleRNN from h_prev; else say what differs."""
    x_t, h_prev, kernel, recurrent_kernel, bias = case
    out = rec.array(student.rnn_step(*case), "rnn_step", "h_t")
    expected = rec.keras_rnn_states(x_t[:, None, :], kernel, recurrent_kernel, bias,
                                    h0=h_prev)[:, 0]
    rec.assert_shape(out, expected.shape, "rnn_step", f"h_t (N, H) for {name}")
    mistake = None if rec.close(out, expected) else rec.rnn_step_mistake(out, *case)
    assert mistake is None, f"rnn_step on {name}: {mistake}."
    np.testing.assert_allclose(
        out, expected, rtol=rec.RTOL, atol=rec.ATOL,
        err_msg=f"rnn_step on {name} should equal one step of keras.layers.SimpleRNN with these "
                "weights: tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)")


@check("rnn_step.matches_keras", points=2,
       hint="h_t = tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias), shape (N, H): the same "
            "numbers as one step of keras.layers.SimpleRNN with these weights.")
def test_matches_keras(student):
    assert_matches_keras(student, step_case(0, n=2, d=3, h=4), "N=2, D=3, H=4")


@check("rnn_step.layout", points=2,
       hint="Keras stores kernel (D, H) and recurrent_kernel (H, H), the transposes of the "
            "lecture's W_x and W_H: with samples as rows, x_t @ kernel + h_prev @ recurrent_kernel.")
def test_layout(student):
    # D == H: swapped or transposed weights still multiply, so they give numbers, not a crash.
    assert_matches_keras(student, step_case(1, n=3, d=4, h=4), "square weights (D = H = 4)")


@check("rnn_step.tanh", points=1,
       hint="The SimpleRNN cell's nonlinearity is tanh (outputs in (-1, 1)), not sigmoid or ReLU.")
def test_tanh(student):
    # kernel = recurrent_kernel, symmetric: any layout mistake gives the same z, so only the
    # nonlinearity can make this fail. z spans about -3..3, where tanh, sigmoid, ReLU differ.
    rng = np.random.default_rng(2)
    a = rng.normal(size=(3, 3))
    weight = ((a + a.T) / 2).astype("float32")
    x_t = np.array([[-2.0, 0.5, 1.0], [1.5, -1.0, 0.0]], dtype="float32")
    h_prev = np.array([[0.5, -0.5, 0.9], [-0.9, 0.2, -0.3]], dtype="float32")
    bias = np.array([0.3, -0.2, 0.1], dtype="float32")
    assert_matches_keras(student, (x_t, h_prev, weight, weight, bias), "a 3-unit cell")
