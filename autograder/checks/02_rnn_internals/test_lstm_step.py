"""Public checks of lstm_step: one step of keras.layers.LSTM, gates packed i, f, c, o."""

import numpy as np

from autograder.checks import check
from autograder.checks.common import recurrence as rec

# One bias per gate, far apart, so that a permutation of the gates changes every number.
GATE_BIAS = {"i": 1.0, "f": -1.5, "c": 0.5, "o": 2.0}


def lstm_case(seed: int, n: int, d: int, h: int, c_scale: float = 1.0, dtype="float32"):
    """(x_t (N, D), h_prev (N, H), c_prev (N, H), kernel, recurrent_kernel, bias)."""
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(n, d)).astype(dtype)
    h_prev = rng.uniform(-1, 1, size=(n, h)).astype(dtype)
    c_prev = (c_scale * rng.uniform(-1, 1, size=(n, h))).astype(dtype)
    kernel, recurrent_kernel, bias = rec.random_weights(rng, d, h, gates=4, scale=0.5,
                                                       dtype=dtype)
    bias = (bias + np.repeat([GATE_BIAS[g] for g in rec.GATES], h)).astype(dtype)
    return x_t, h_prev, c_prev, kernel, recurrent_kernel, bias


def call(student, case, name: str):
    """The student's (h_t, c_t) as arrays, and Keras' (h_t, c_t)."""
    result = student.lstm_step(*case)
    assert isinstance(result, (tuple, list)) and len(result) == 2, (
        f"lstm_step on {name} should return a pair (h_t, c_t), got {type(result).__name__}")
    h, c = (rec.array(v, "lstm_step", what) for v, what in zip(result, ("h_t", "c_t")))
    expected = rec.keras_lstm_step(*case)
    for value, want, what in ((h, expected[0], "h_t"), (c, expected[1], "c_t")):
        rec.assert_shape(value, want.shape, "lstm_step", f"{what} (N, H) for {name}")
    return (h, c), expected


def assert_cell_state(c, expected_c, case, name: str) -> None:
    order = None if rec.close(c, expected_c) else rec.lstm_gate_order(c, *case)
    assert order is None, (
        f"lstm_step on {name}: c_t matches gates packed as {order}; Keras packs kernel, "
        "recurrent_kernel and bias as i, f, c, o (input, forget, candidate, output), in blocks "
        "of H columns")
    np.testing.assert_allclose(
        c, expected_c, rtol=rec.RTOL, atol=rec.ATOL,
        err_msg=f"lstm_step on {name}: c_t should be f * c_prev + i * tanh(candidate), as in "
                "keras.layers.LSTM")


def assert_hidden_state(h, c, expected_h, case, name: str) -> None:
    x_t, h_prev, _, kernel, recurrent_kernel, bias = case
    output_gate = rec.lstm_output_gate(x_t, h_prev, kernel, recurrent_kernel, bias)
    assert not (rec.close(h, output_gate * c) and not rec.close(h, expected_h)), (
        f"lstm_step on {name}: h_t equals o * c_t; the cell state goes through tanh first: "
        "h_t = o * tanh(c_t)")
    np.testing.assert_allclose(
        h, expected_h, rtol=rec.RTOL, atol=rec.ATOL,
        err_msg=f"lstm_step on {name}: h_t should be o * tanh(c_t), as in keras.layers.LSTM")


def assert_matches_keras(student, case, name: str) -> None:
    (h, c), (expected_h, expected_c) = call(student, case, name)
    assert not (rec.close(h, expected_c) and rec.close(c, expected_h)), (
        f"lstm_step on {name}: h_t and c_t come back swapped: return (h_t, c_t)")
    assert_cell_state(c, expected_c, case, name)
    assert_hidden_state(h, c, expected_h, case, name)


@check("lstm_step.matches_keras", points=3,
       hint="z = x_t @ kernel + h_prev @ recurrent_kernel + bias, split into 4 blocks of H "
            "(i, f, c, o); c_t = f*c_prev + i*tanh(c); h_t = o*tanh(c_t), as keras.layers.LSTM.")
def test_matches_keras(student):
    assert_matches_keras(student, lstm_case(0, n=2, d=3, h=4), "N=2, D=3, H=4")


@check("lstm_step.gate_order", points=2,
       hint="Keras packs the gates as i, f, c, o (not CS231n's i, f, o, g): columns 0:H input, "
            "H:2H forget, 2H:3H candidate, 3H:4H output.")
def test_gate_order(student):
    case = lstm_case(1, n=3, d=2, h=3)
    (_, c), (_, expected_c) = call(student, case, "N=3, D=2, H=3")
    assert_cell_state(c, expected_c, case, "N=3, D=2, H=3")


@check("lstm_step.cell_tanh", points=2,
       hint="The output squashes the cell state: h_t = o * tanh(c_t), not o * c_t.")
def test_cell_tanh(student):
    # A large c_prev makes tanh(c_t) and c_t far apart.
    case = lstm_case(2, n=2, d=3, h=3, c_scale=3.0)
    (h, c), (expected_h, _) = call(student, case, "a large cell state")
    assert_hidden_state(h, c, expected_h, case, "a large cell state")
