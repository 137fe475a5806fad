"""Public checks of the `seed` of build_model and build_stacked_model: same arguments, same
initial weights, whatever was seeded before the call."""

from autograder.engine import check
from autograder.expected.recurrent_models import assert_seeded


@check("build_model.seeded", points=2,
       hint="Call keras.utils.set_random_seed(seed) first thing in build_model, before creating "
            "the layers: Keras 3 draws the initial weights when a layer is built.")
def test_build_model_seeded(student):
    assert_seeded(student, "build_model", "gru", 6, 2, units=4)


@check("build_stacked_model.seeded", points=1,
       hint="As build_model: keras.utils.set_random_seed(seed) before the first layer is "
            "created.")
def test_build_stacked_model_seeded(student):
    assert_seeded(student, "build_stacked_model", "lstm", 5, 2, units=(4, 3))
