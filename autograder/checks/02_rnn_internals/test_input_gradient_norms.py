"""Public checks of input_gradient_norms, against GradientTape on the same Keras layer."""

import numpy as np

from autograder.checks import check
from autograder.checks.common import recurrence as rec

# The student's norms come from a float32 layer in another process: sums of squares may be
# added in another order.
RTOL, ATOL = 1e-4, 1e-7


def gradient_case(seed: int, kind: str, n: int, t: int, d: int, h: int, dtype="float32"):
    rng = np.random.default_rng(seed)
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[kind]
    weights = rec.random_weights(rng, d, h, gates=gates)
    if kind == "gru":  # GRU's bias has two rows (reset_after=True)
        weights[2] = (0.6 * rng.normal(size=(2, gates * h))).astype("float32")
    return weights, rng.normal(size=(n, t, d)).astype(dtype)


def assert_norms(student, kind: str, weights, x, name: str, **options) -> None:
    """input_gradient_norms(layer, x) on a sandbox layer equals GradientTape's norms here."""
    units = np.shape(weights[1])[0]
    layer = rec.remote_layer(student, kind, units, weights, np.shape(x), **options)
    out = rec.array(student.input_gradient_norms(layer, x), "input_gradient_norms",
                    "the norms")
    grad = rec.tape_input_gradient(kind, units, weights, x, **options)
    expected = rec.gradient_norms(grad)
    if not rec.close(out, expected, RTOL, ATOL):
        for mistake, value in rec.gradient_norm_variants(grad).items():
            assert not rec.close(out, value, RTOL, ATOL), (
                f"input_gradient_norms on {name}: you computed {mistake}")
    n, t, d = np.shape(x)
    rec.assert_shape(out, (t,), "input_gradient_norms",
                     f"the norms (T,) for x of shape (N, T, D) = {(n, t, d)}")
    np.testing.assert_allclose(
        out, expected, rtol=RTOL, atol=ATOL,
        err_msg=f"input_gradient_norms on {name}: entry t should be the L2 norm of "
                "d sum(layer(x)) / d x[:, t, :] (GradientTape, then a norm over axes 0 and 2)")


@check("input_gradient_norms.matches_tape", points=3,
       hint="Watch x in a tf.GradientTape, take the gradient of tf.reduce_sum(layer(x)) with "
            "respect to x (N, T, D), then the L2 norm over samples and features for each t.")
def test_matches_tape(student):
    weights, x = gradient_case(0, "rnn", n=3, t=6, d=2, h=4)
    assert_norms(student, "rnn", weights, x, "a SimpleRNN, N=3, T=6, D=2")


@check("input_gradient_norms.axis", points=2,
       hint="The gradient has shape (N, T, D); entry t of the answer is "
            "sqrt(sum over n and d of grad[n, t, d]**2): reduce axes (0, 2), keep time.")
def test_axis(student):
    weights, x = gradient_case(1, "rnn", n=4, t=5, d=3, h=2)
    assert_norms(student, "rnn", weights, x, "x of shape (N, T, D) = (4, 5, 3)")


@check("input_gradient_norms.lstm", points=1,
       hint="Any built recurrent layer works the same way: call it on x inside the tape.")
def test_lstm(student):
    weights, x = gradient_case(2, "lstm", n=2, t=8, d=3, h=4)
    assert_norms(student, "lstm", weights, x, "an LSTM, N=2, T=8, D=3")
