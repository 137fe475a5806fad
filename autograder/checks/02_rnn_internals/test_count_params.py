"""Public checks of count_params: the parameter count Keras reports for one recurrent layer."""

from autograder.checks import check
from autograder.checks.common import recurrence as rec
from autograder.checks.common.expect import raises_value_error

SIZES = [(3, 32), (1, 4), (10, 7)]  # (D, H)


def assert_counts(student, cell_type: str, formula: str, sizes=SIZES) -> None:
    for d, h in sizes:
        got = student.count_params(cell_type, d, h)
        expected = rec.keras_param_count(cell_type, d, h)
        assert isinstance(got, int) or getattr(got, "dtype", None) is not None \
            and got.dtype.kind in "iu", \
            f"count_params should return an integer, got {type(got).__name__} {got!r}"
        if cell_type == "gru" and got == 3 * h * (d + h + 1):
            raise AssertionError(
                f"count_params('gru', {d}, {h}) = 3H(D+H+1) = {got} counts one bias row; Keras' "
                f"GRU (reset_after=True) has two, bias shape (2, 3H): {expected}")
        assert got == expected, (f"count_params({cell_type!r}, {d}, {h}) should be {formula} = "
                                 f"{expected} (what Keras reports), got {got}")


@check("count_params.rnn", points=1,
       hint="SimpleRNN: kernel D*H + recurrent_kernel H*H + bias H = H(D+H+1).")
def test_rnn(student):
    assert_counts(student, "rnn", "H(D+H+1)")


@check("count_params.lstm", points=1,
       hint="LSTM: four gates, each a SimpleRNN-sized block: 4H(D+H+1).")
def test_lstm(student):
    assert_counts(student, "lstm", "4H(D+H+1)")


@check("count_params.gru", points=2,
       hint="GRU with reset_after=True (Keras' default) has two bias rows, bias shape (2, 3H): "
            "3H(D+H+2), not 3H(D+H+1).")
def test_gru(student):
    assert_counts(student, "gru", "3H(D+H+2)")


@check("count_params.unknown_cell", points=1,
       hint="Raise ValueError naming cell_type for anything but 'rnn', 'lstm' or 'gru'.")
def test_unknown_cell(student):
    for name in ("transformer", "cnn"):
        raises_value_error(student, "count_params", name, 3, 4, why=f"cell_type={name!r}")
