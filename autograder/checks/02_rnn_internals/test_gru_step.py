"""Public checks of gru_step: one step of keras.layers.GRU (reset_after=True), blocks z, r, h."""

from autograder.engine import check
from autograder.expected import rnn_internals as grad


@check("gru_step.matches_keras", points=3,
       hint="x_part = x_t @ kernel + bias[0], h_part = h_prev @ recurrent_kernel + bias[1], each "
            "split into z, r, h; z, r = sigmoid(x + h parts); candidate = tanh(x_h + r * h_h); "
            "h_t = z * h_prev + (1 - z) * candidate.")
def test_matches_keras(student):
    grad.assert_gru_step(student, grad.gru_case(0, n=2, d=3, h=4), "N=2, D=3, H=4")


@check("gru_step.gate_order", points=2,
       hint="Keras packs the GRU's blocks as z, r, h (update, reset, candidate): columns 0:H, "
            "H:2H and 2H:3H of kernel, recurrent_kernel and each bias row.")
def test_gate_order(student):
    grad.assert_gru_step(student, grad.gru_case(1, n=3, d=2, h=3), "N=3, D=2, H=3")


@check("gru_step.bias_rows", points=2,
       hint="bias has shape (2, 3H): row 0 is added to x_t @ kernel, row 1 to h_prev @ "
            "recurrent_kernel, and the reset gate multiplies h_prev @ U_h + b'_h (reset_after).")
def test_bias_rows(student):
    grad.assert_gru_step(student, grad.gru_case(2, n=2, d=3, h=3), "N=2, D=3, H=3")
