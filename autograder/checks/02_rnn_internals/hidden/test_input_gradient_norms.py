"""Hidden checks of input_gradient_norms: a GRU, N = 1 and T = 1, float64 input, ReLU."""

import pytest

from autograder.engine import check
from autograder.expected import rnn_internals as rec

CASES = {
    "GRU": dict(kind="gru", seed=40, n=2, t=7, d=3, h=5),
    "N1_T1": dict(kind="rnn", seed=41, n=1, t=1, d=4, h=3),
    "float64_LSTM": dict(kind="lstm", seed=42, n=3, t=5, d=2, h=3, dtype="float64"),
    "relu_SimpleRNN": dict(kind="rnn", seed=43, n=2, t=9, d=2, h=6, activation="relu"),
}


@pytest.mark.parametrize("name", CASES)
@check("input_gradient_norms.other_layers", points=1,
       hint="Any recurrent layer, any N and T (1 included), float64 x: convert x with "
            "tf.convert_to_tensor and let the layer cast it.")
def test_other_layers(student, name):
    spec = dict(CASES[name])
    kind, options = spec.pop("kind"), {}
    if "activation" in spec:
        options["activation"] = spec.pop("activation")
    weights, x = rec.gradient_case(kind=kind, **spec)
    layer = {"rnn": "a SimpleRNN", "lstm": "an LSTM", "gru": "a GRU"}[kind]
    described = f"{layer}{' (ReLU)' if options else ''}, {rec.describe(spec)}"
    rec.assert_gradient_norms(student, kind, weights, x, described, **options)
