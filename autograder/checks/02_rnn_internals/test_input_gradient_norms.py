"""Public checks of input_gradient_norms, against GradientTape on the same Keras layer."""

from autograder.engine import check
from autograder.expected import rnn_internals as rec


@check("input_gradient_norms.matches_tape", points=3,
       hint="Watch x in a tf.GradientTape, take the gradient of tf.reduce_sum(layer(x)) with "
            "respect to x (N, T, D), then the L2 norm over samples and features for each t.")
def test_matches_tape(student):
    weights, x = rec.gradient_case(0, "rnn", n=3, t=6, d=2, h=4)
    rec.assert_gradient_norms(student, "rnn", weights, x, "a SimpleRNN, N=3, T=6, D=2")


@check("input_gradient_norms.axis", points=2,
       hint="The gradient has shape (N, T, D); entry t of the answer is "
            "sqrt(sum over n and d of grad[n, t, d]**2): reduce axes (0, 2), keep time.")
def test_axis(student):
    weights, x = rec.gradient_case(1, "rnn", n=4, t=5, d=3, h=2)
    rec.assert_gradient_norms(student, "rnn", weights, x, "x of shape (N, T, D) = (4, 5, 3)")


@check("input_gradient_norms.lstm", points=1,
       hint="Any built recurrent layer works the same way: call it on x inside the tape.")
def test_lstm(student):
    weights, x = rec.gradient_case(2, "lstm", n=2, t=8, d=3, h=4)
    rec.assert_gradient_norms(student, "lstm", weights, x, "an LSTM, N=2, T=8, D=3")
