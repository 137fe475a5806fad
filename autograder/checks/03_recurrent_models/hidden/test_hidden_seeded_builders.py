"""Hidden checks of the `seed` of build_model and build_stacked_model: every cell, a task."""

import pytest

from autograder.engine import check
from autograder.expected.recurrent_models import assert_seeded


@pytest.mark.parametrize("cell_type", ["rnn", "lstm"])
@check("build_model.seeded_other_cells", points=1,
       hint="Seed before any layer exists, for every cell type and task: the same arguments "
            "must give the same initial weights.")
def test_build_model_seeded_other_cells(student, cell_type):
    assert_seeded(student, "build_model", cell_type, 4, 3, units=5, task="regression")


@check("build_stacked_model.seeded_with_dropout", points=1,
       hint="Seed before any layer exists, also with dropout: the same arguments give the same "
            "initial weights.")
def test_build_stacked_model_seeded_with_dropout(student):
    assert_seeded(student, "build_stacked_model", "gru", 4, 2, units=(3, 2), dropout=0.2)
