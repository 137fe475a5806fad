"""Public checks of lstm_step: one step of keras.layers.LSTM, gates packed i, f, c, o."""

from autograder.engine import check
from autograder.expected import rnn_internals as rec


@check("lstm_step.matches_keras", points=3,
       hint="z = x_t @ kernel + h_prev @ recurrent_kernel + bias, split into 4 blocks of H "
            "(i, f, c, o); c_t = f*c_prev + i*tanh(c); h_t = o*tanh(c_t), as keras.layers.LSTM.")
def test_matches_keras(student):
    rec.assert_lstm_step(student, rec.lstm_case(0, n=2, d=3, h=4), "N=2, D=3, H=4")


@check("lstm_step.gate_order", points=2,
       hint="Keras packs the gates as i, f, c, o (not CS231n's i, f, o, g): columns 0:H input, "
            "H:2H forget, 2H:3H candidate, 3H:4H output.")
def test_gate_order(student):
    # Only c_t is compared: it depends on the order of the gates, not on h_t's formula.
    case = rec.lstm_case(1, n=3, d=2, h=3)
    (_, c), (_, expected_c) = rec.lstm_call(student, case, "N=3, D=2, H=3")
    rec.assert_lstm_cell_state(c, expected_c, case, "N=3, D=2, H=3")


@check("lstm_step.cell_tanh", points=2,
       hint="The output squashes the cell state: h_t = o * tanh(c_t), not o * c_t.")
def test_cell_tanh(student):
    # A large c_prev puts tanh(c_t) far from c_t.
    case = rec.lstm_case(2, n=2, d=3, h=3, c_scale=3.0)
    (h, c), (expected_h, expected_c) = rec.lstm_call(student, case, "a large cell state")
    rec.assert_lstm_hidden_state(h, c, expected_h, expected_c, case, "a large cell state")
