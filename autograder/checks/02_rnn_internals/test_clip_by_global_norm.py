"""Public checks of clip_by_global_norm, against tf.clip_by_global_norm."""

import numpy as np

from autograder.engine import check
from autograder.expected import rnn_internals as grad
from autograder.expected.assertions import raises_value_error

SHAPES = [(3, 4), (4,), (2, 2, 2)]


@check("clip_by_global_norm.returns_pair", points=1,
       hint="Return (clipped, global_norm): a list with one array per gradient given, each of "
            "that gradient's shape, and one number.")
def test_returns_pair(student):
    for shapes in (SHAPES, [(2,), (5, 1)]):
        grads = grad.clip_case(4, shapes)
        clipped, _ = grad.clip_result(student, grads, 1.0, f"{len(shapes)} arrays")
        for i, (c, g) in enumerate(zip(clipped, grads)):
            assert c.shape == g.shape, (f"clip_by_global_norm: clipped array {i} should keep its "
                                        f"gradient's shape {g.shape}, got {c.shape}")


@check("clip_by_global_norm.matches_tf", points=3,
       hint="global_norm = sqrt(sum over all arrays of sum(g**2)); if it exceeds max_norm, "
            "multiply every array by max_norm / global_norm; return (clipped, global_norm).")
def test_matches_tf(student):
    grads = grad.clip_case(0, SHAPES, scale=3.0)  # global norm about 16
    grad.assert_clip(student, grads, 5.0, "three arrays whose global norm exceeds max_norm")


@check("clip_by_global_norm.below_max", points=1,
       hint="When global_norm <= max_norm nothing is scaled: return copies of the arrays as they "
            "are, and still return their global norm.")
def test_below_max(student):
    grads = grad.clip_case(1, SHAPES, scale=0.1)
    grad.assert_clip(student, grads, 5.0, "arrays whose global norm is below max_norm")


@check("clip_by_global_norm.inputs_unchanged", points=1,
       hint="Return new arrays (g * scale); scaling in place (g *= scale) changes the caller's "
            "gradients.")
def test_inputs_unchanged(student):
    grads = grad.clip_case(2, SHAPES, scale=3.0)
    (clipped, _), (after, _) = student.call_and_inputs(
        "clip_by_global_norm", [g.copy() for g in grads], 1.0)
    expected, _ = grad.tf_clip(grads, 1.0)
    assert all(grad.close(c, e, grad.CLIP_RTOL, grad.CLIP_ATOL)
               for c, e in zip(clipped, expected)), (
        "clip_by_global_norm should return the clipped arrays (as tf.clip_by_global_norm), "
        "and leave the inputs as they were; the arrays it returned are not the clipped ones")
    for i, (before, now) in enumerate(zip(grads, after)):
        assert np.array_equal(before, np.asarray(now)), (
            f"clip_by_global_norm changed the input array {i} in place; compute new arrays "
            "(g * scale), the caller's gradients must stay as they were")


@check("clip_by_global_norm.bad_max_norm", points=1, needs="clip_by_global_norm.returns_pair",
       hint="Raise ValueError naming max_norm when max_norm <= 0: no norm can be clipped to it.")
def test_bad_max_norm(student):
    grads = grad.clip_case(3, SHAPES)
    for max_norm in (0.0, -1.0):
        raises_value_error(student, "clip_by_global_norm", grads, max_norm,
                           why=f"max_norm={max_norm}", mentions="max_norm")
