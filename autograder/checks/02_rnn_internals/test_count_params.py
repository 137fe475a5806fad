"""Public checks of count_params: the parameter count Keras reports for one recurrent layer."""

from autograder.engine import check
from autograder.expected import rnn_internals as rec
from autograder.expected.assertions import raises_value_error

SIZES = [(3, 32), (1, 4), (10, 7)]  # (D, H)


@check("count_params.returns_int", points=1,
       hint="Return one int for each of 'rnn', 'lstm' and 'gru', computed from n_features and "
            "units (more units, more parameters).")
def test_returns_int(student):
    for cell_type in ("rnn", "lstm", "gru"):
        small, large = (student.count_params(cell_type, 3, units) for units in (4, 8))
        rec.assert_integer(small)
        rec.assert_integer(large)
        assert large > small, (f"count_params({cell_type!r}, 3, 8) should be larger than "
                               f"count_params({cell_type!r}, 3, 4): compute the count from "
                               f"units and n_features, got {large} and {small}")


@check("count_params.rnn", points=1,
       hint="SimpleRNN: kernel D*H + recurrent_kernel H*H + bias H = H(D+H+1).")
def test_rnn(student):
    rec.assert_param_counts(student, "rnn", "H(D+H+1)", SIZES)


@check("count_params.lstm", points=1,
       hint="LSTM: four gates, each a SimpleRNN-sized block: 4H(D+H+1).")
def test_lstm(student):
    rec.assert_param_counts(student, "lstm", "4H(D+H+1)", SIZES)


@check("count_params.gru", points=1,
       hint="GRU with reset_after=True (Keras' default) has two bias rows, bias shape (2, 3H): "
            "3H(D+H+2), not 3H(D+H+1).")
def test_gru(student):
    rec.assert_param_counts(student, "gru", "3H(D+H+2)", SIZES)


@check("count_params.unknown_cell", points=1, needs="count_params.returns_int",
       hint="Raise ValueError naming cell_type for anything but 'rnn', 'lstm' or 'gru'.")
def test_unknown_cell(student):
    for name in ("transformer", "cnn"):
        raises_value_error(student, "count_params", name, 3, 4, why=f"cell_type={name!r}")
