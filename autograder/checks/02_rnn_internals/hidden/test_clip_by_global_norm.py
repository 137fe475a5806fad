"""Hidden checks of clip_by_global_norm: one array, many arrays, a norm exactly at the limit."""

import numpy as np
import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as grad

CASES = {
    "one_array": dict(shapes=[(5, 3)], scale=2.0, max_norm=1.0),
    "many_small_arrays": dict(shapes=[(2,)] * 6 + [(1, 1)], scale=1.5, max_norm=0.5),
    "scalar_like_arrays": dict(shapes=[(1,), (1,), (1,)], scale=10.0, max_norm=3.0),
}


@pytest.mark.parametrize("name", CASES)
@check("clip_by_global_norm.other_lists", points=1,
       hint="Any number of arrays of any shapes: one global norm over all of them, one factor "
            "for all of them.")
def test_other_lists(student, name):
    spec = CASES[name]
    grads = grad.clip_case(60 + len(name), spec["shapes"], spec["scale"])
    grad.assert_clip(student, grads, spec["max_norm"], name.replace("_", " "))


@check("clip_by_global_norm.at_the_limit", points=1,
       hint="A global norm equal to max_norm is not above it: the arrays come back unchanged.")
def test_at_the_limit(student):
    grads = [np.array([3.0, 0.0]), np.array([[0.0], [4.0]])]  # global norm exactly 5
    grad.assert_clip(student, grads, 5.0, "a global norm equal to max_norm")
