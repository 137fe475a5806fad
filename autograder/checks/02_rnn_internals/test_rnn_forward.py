"""Public checks of rnn_forward: every hidden state of keras.layers.SimpleRNN(return_sequences)."""

import numpy as np

from autograder.engine import check
from autograder.expected import rnn_internals as rec


@check("rnn_forward.matches_keras", points=2,
       hint="Start from h0 (zeros when None), apply rnn_step to x[:, t, :] for t = 0..T-1, and "
            "keep every h_t: the output of keras.layers.SimpleRNN(H, return_sequences=True).")
def test_matches_keras(student):
    rec.assert_rnn_forward(student, rec.sequence_case(0, n=2, t=5, d=3, h=4),
                           "N=2, T=5, D=3, H=4")


@check("rnn_forward.all_states", points=2,
       hint="Return every hidden state, shape (N, T, H), not only the last one: keep each h_t "
            "and stack them along axis 1.")
def test_all_states(student):
    case = rec.sequence_case(1, n=3, t=4, d=2, h=5)
    out = rec.array(student.rnn_forward(*case), "rnn_forward", "the hidden states")
    if out.shape != (3, 4, 5):
        mistake = rec.rnn_forward_mistake(out, *case, None, rec.keras_rnn_states(*case))
        assert mistake is None, f"rnn_forward: {mistake}."
        raise AssertionError(f"rnn_forward should return every hidden state, shape (N, T, H) = "
                             f"(3, 4, 5) for N=3, T=4, H=5; got shape {out.shape}")


@check("rnn_forward.carries_state", points=2,
       hint="The state is carried: h_t = rnn_step(x[:, t, :], h_(t-1), ...), so the first input "
            "still reaches the last state. Do not start every step from h0.")
def test_carries_state(student):
    x, kernel, recurrent_kernel, bias = rec.sequence_case(2, n=2, t=5, d=3, h=4)
    changed = x.copy()
    changed[:, 0, :] += 1.0  # only the first time step differs
    last = []
    for inputs in (x, changed):
        out = rec.array(student.rnn_forward(inputs, kernel, recurrent_kernel, bias),
                        "rnn_forward", "the hidden states")
        last.append(out[:, -1] if out.ndim == 3 else out)
    assert not np.allclose(last[0], last[1]), (
        "rnn_forward: changing x[:, 0, :] changed nothing in the last hidden state, so the state "
        "is not carried from step to step; pass the h_t you just computed as h_prev of the next "
        "step")


@check("rnn_forward.h0", points=1,
       hint="Start from h0 when it is given (zeros only when h0 is None): the first step uses "
            "h_prev = h0.")
def test_h0(student):
    # Only the h0 rule: an rnn_forward wrong in another way loses this check only when it also
    # ignores h0 (its other mistakes have checks of their own).
    case = rec.sequence_case(4, n=2, t=3, d=2, h=3)
    h0 = np.random.default_rng(104).uniform(-0.9, 0.9, size=(2, 3)).astype("float32")
    from_h0 = rec.array(student.rnn_forward(*case, h0=h0), "rnn_forward", "the hidden states")
    from_zeros = rec.array(student.rnn_forward(*case), "rnn_forward", "the hidden states")
    assert not rec.close(from_h0, from_zeros), (
        "rnn_forward gave the same states with h0 given as with h0=None: h0 is ignored; the "
        "first step must start from h0 when it is given (zeros only when it is None)")
    if rec.close(from_zeros, rec.keras_rnn_states(*case)):
        rec.assert_rnn_forward(student, case, "N=2, T=3, D=2, H=3, a non-zero h0", h0=h0)
