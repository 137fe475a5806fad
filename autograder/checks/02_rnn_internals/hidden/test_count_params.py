"""Hidden checks of count_params: sizes drawn at random (fixed seed), one unit, one feature."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as rec

_rng = np.random.default_rng(204)
SIZES = [(1, 1)] + [(int(d), int(h)) for d, h in zip(_rng.integers(1, 40, size=3),
                                                      _rng.integers(1, 130, size=3))]
FORMULAS = {"rnn": "H(D+H+1)", "lstm": "4H(D+H+1)", "gru": "3H(D+H+2)"}


@pytest.mark.parametrize("cell_type", FORMULAS)
@check("count_params.other_sizes", points=1,
       hint="The formulas hold for every D and H, one unit and one feature included.")
def test_other_sizes(student, cell_type):
    rec.assert_param_counts(student, cell_type, FORMULAS[cell_type], SIZES)
