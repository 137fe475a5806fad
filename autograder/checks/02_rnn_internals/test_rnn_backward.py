"""Public checks of rnn_backward, against tf.GradientTape through keras.layers.SimpleRNN."""

from autograder.engine import check
from autograder.expected import rnn_internals as grad


@check("rnn_backward.matches_tape", points=4,
       hint="Recompute the states from h0; go backwards: delta_t = (dh[:, t] + gradient from "
            "step t+1) * (1 - h_t**2); sum x_t.T @ delta_t, h_(t-1).T @ delta_t and delta_t over "
            "time; dx_t = delta_t @ kernel.T; pass delta_t @ recurrent_kernel.T to step t-1.")
def test_matches_tape(student):
    grad.assert_backward(student, grad.backward_case(0, n=2, t=4, d=3, h=5),
                         "N=2, T=4, D=3, H=5")


@check("rnn_backward.recurrent_path", points=2,
       hint="A loss that reads only the last state still has gradients at every earlier step: "
            "they arrive through the recurrence, delta_(t+1) @ recurrent_kernel.T.")
def test_recurrent_path(student):
    case = grad.backward_case(1, n=3, t=5, d=2, h=4, last_only=True)
    grad.assert_backward(student, case, "a loss that reads the last state only",
                         which=("x", "recurrent_kernel"))


@check("rnn_backward.h0", points=2,
       hint="Step 0 reads h0: start the recomputed states from h0, add h0.T @ delta_0 to the "
            "gradient of recurrent_kernel, and return delta_0 @ recurrent_kernel.T as 'h0'.")
def test_h0(student):
    case = grad.backward_case(2, n=2, t=3, d=3, h=3)
    grad.assert_backward(student, case, "a non-zero h0", which=("h0", "recurrent_kernel"))
