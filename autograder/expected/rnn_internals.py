"""What the checks of assignment 02 share: Keras as the reference for the by-hand recurrences,
diagnoses of the classic mistakes, and the cases and assertions of the public and hidden checks.

Every expected value comes from a Keras layer built here, in the grader's process, with the
weights the student's function received. Diagnoses recompute a known mistake with NumPy and
compare: a match turns "wrong numbers" into "you swapped kernel and recurrent_kernel".
Keras is imported on first use: collecting the checks must stay fast.
"""

from __future__ import annotations

import itertools

import numpy as np

from autograder import quiet
from autograder.cells import WEIGHT_BLOCKS, layer_class
from autograder.engine import values_shown
from autograder.expected.assertions import as_array, as_parts, assert_close, kind_of
from autograder.sandbox.wire import Remote

# float32 through TensorFlow against float32 (or float64) through NumPy.
RTOL, ATOL = 1e-5, 1e-6
GATES = "ifco"  # Keras packs the LSTM gates in this order: input, forget, candidate, output


# --- inputs -------------------------------------------------------------------------------------

def random_weights(rng: np.random.Generator, n_features: int, units: int, gates: int = 1,
                   scale: float = 0.6, dtype="float32") -> list[np.ndarray]:
    """[kernel (D, gH), recurrent_kernel (H, gH), bias (gH,)] in Keras' layout."""
    shapes = [(n_features, gates * units), (units, gates * units), (gates * units,)]
    return [(scale * rng.normal(size=s)).astype(dtype) for s in shapes]


def array(value, function: str, what: str) -> np.ndarray:
    """The student's value as a numeric array, or an assertion that says what came instead."""
    if isinstance(value, Remote):
        raise AssertionError(f"{function} should return {what} as an array of numbers, got "
                             f"{kind_of(value)}")
    return as_array(value, f"{what} (what {function} returns)")


def assert_shape(actual: np.ndarray, expected: tuple, function: str, what: str) -> None:
    assert actual.shape == tuple(expected), \
        f"{function}: {what} should have shape {tuple(expected)}, got {actual.shape}"


def close(a, b, rtol: float = RTOL, atol: float = ATOL) -> bool:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return a.shape == b.shape and np.allclose(a, b, rtol=rtol, atol=atol)


# --- Keras references ---------------------------------------------------------------------------

def _dtype(*arrays) -> str:
    return "float64" if any(np.asarray(a).dtype == np.float64 for a in arrays) else "float32"


def _keras():
    return quiet.import_tensorflow()


def _layer(kind: str, units: int, n_features: int, weights, dtype: str, **options):
    layer = layer_class(kind)(units, dtype=dtype, **options)
    layer.build((None, None, n_features))
    layer.set_weights([np.asarray(w, dtype=dtype) for w in weights])
    return layer


def keras_rnn_states(x, kernel, recurrent_kernel, bias, h0=None) -> np.ndarray:
    """Every hidden state of keras.layers.SimpleRNN(H, return_sequences=True): (N, T, H)."""
    dtype = _dtype(x, kernel, h0 if h0 is not None else kernel)
    units = np.shape(recurrent_kernel)[0]
    layer = _layer("rnn", units, np.shape(x)[-1], [kernel, recurrent_kernel, bias], dtype,
                   return_sequences=True)
    state = None if h0 is None else [np.asarray(h0, dtype=dtype)]
    return np.asarray(layer(np.asarray(x, dtype=dtype), initial_state=state))


def keras_lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    """(h_t, c_t) of one step of keras.layers.LSTM from the state (h_prev, c_prev)."""
    dtype = _dtype(x_t, kernel, h_prev)
    units = np.shape(recurrent_kernel)[0]
    layer = _layer("lstm", units, np.shape(x_t)[-1], [kernel, recurrent_kernel, bias], dtype,
                   return_state=True)
    _, h, c = layer(np.asarray(x_t, dtype=dtype)[:, None, :],
                    initial_state=[np.asarray(h_prev, dtype=dtype),
                                   np.asarray(c_prev, dtype=dtype)])
    return np.asarray(h), np.asarray(c)


def keras_param_count(cell_type: str, n_features: int, units: int) -> int:
    layer = layer_class(cell_type)(units)
    layer.build((None, None, n_features))
    return int(layer.count_params())


def tape_activation_grad(name: str, z) -> np.ndarray:
    """The derivative of Keras' activation ``name`` at z, by automatic differentiation."""
    keras = _keras()
    import tensorflow as tf

    z = tf.convert_to_tensor(np.asarray(z, dtype=float))
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = getattr(keras.activations, name)(z)
    return np.asarray(tape.gradient(y, z))


def tape_input_gradient(kind: str, units: int, weights, x, **options) -> np.ndarray:
    """d sum(layer(x)) / dx by GradientTape, shape (N, T, D), for a float32 Keras layer."""
    _keras()
    import tensorflow as tf

    layer = _layer(kind, units, np.shape(x)[-1], weights, "float32", **options)
    x = tf.convert_to_tensor(np.asarray(x))
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    return np.asarray(tape.gradient(total, x), dtype=float)


def gradient_norms(grad: np.ndarray) -> np.ndarray:
    """(T,): entry t is the L2 norm of grad[:, t, :]."""
    return np.sqrt((grad ** 2).sum(axis=(0, 2)))


def remote_layer(student, kind: str, units: int, weights, x_shape, **options):
    """The same layer built in the sandbox, for a student function that takes a layer."""
    return student.probe("recurrent_layer", kind, units, (None, *x_shape[1:]),
                         [np.asarray(w) for w in weights], **options)


# --- diagnoses of classic mistakes ---------------------------------------------------------------

def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def rnn_step_mistake(out, x_t, h_prev, kernel, recurrent_kernel, bias) -> str | None:
    """Which known mistake of rnn_step ``out`` equals, described for the student."""
    k, r = np.asarray(kernel, float), np.asarray(recurrent_kernel, float)
    x, h = np.asarray(x_t, float), np.asarray(h_prev, float)
    z = x @ k + h @ r + bias
    variants = {
        "kernel and recurrent_kernel are swapped: x_t must meet kernel (D, H) and h_prev "
        "recurrent_kernel (H, H)": (k.shape == r.shape, lambda: np.tanh(x @ r + h @ k + bias)),
        "the weights are transposed (the lecture's W_x x): with samples as rows, Keras computes "
        "x_t @ kernel + h_prev @ recurrent_kernel, no .T": (
            k.shape == k.T.shape, lambda: np.tanh(x @ k.T + h @ r.T + bias)),
        "kernel is transposed: use x_t @ kernel, no .T": (
            k.shape == k.T.shape, lambda: np.tanh(x @ k.T + h @ r + bias)),
        "recurrent_kernel is transposed: use h_prev @ recurrent_kernel, no .T": (
            True, lambda: np.tanh(x @ k + h @ r.T + bias)),
        "the nonlinearity is sigmoid; a SimpleRNN cell uses tanh": (True, lambda: _sigmoid(z)),
        "the nonlinearity is ReLU; a SimpleRNN cell uses tanh": (
            True, lambda: np.maximum(z, 0)),
        "no nonlinearity is applied; h_t = tanh(z)": (True, lambda: z),
        "the bias is missing": (True, lambda: np.tanh(z - bias)),
    }
    for description, (possible, compute) in variants.items():
        if possible and close(out, compute()):
            return description
    return None


def lstm_gate_order(c_out, x_t, h_prev, c_prev, kernel, recurrent_kernel, bias) -> str | None:
    """The gate order (a permutation of "ifco") whose c_t equals ``c_out``, if not Keras'."""
    z = (np.asarray(x_t, float) @ kernel + np.asarray(h_prev, float) @ recurrent_kernel + bias)
    blocks = np.split(z, 4, axis=1)
    for order in itertools.permutations(GATES):
        if "".join(order) == GATES:
            continue
        gate = dict(zip(order, blocks))
        c = _sigmoid(gate["f"]) * c_prev + _sigmoid(gate["i"]) * np.tanh(gate["c"])
        if close(c_out, c):
            return ", ".join(order)
    return None


def lstm_output_gate(x_t, h_prev, kernel, recurrent_kernel, bias) -> np.ndarray:
    """o = sigmoid of the fourth block of z (Keras' order i, f, c, o)."""
    z = (np.asarray(x_t, float) @ kernel + np.asarray(h_prev, float) @ recurrent_kernel + bias)
    return _sigmoid(np.split(z, 4, axis=1)[3])


def rnn_forward_mistake(out, x, kernel, recurrent_kernel, bias, h0, states) -> str | None:
    """Which known mistake of rnn_forward ``out`` shows; ``states`` are Keras' (N, T, H)."""
    out = np.asarray(out, dtype=float)
    h0 = np.zeros_like(states[:, 0]) if h0 is None else np.asarray(h0, dtype=float)
    n, t, h = states.shape
    if out.shape == (n, h) and close(out, states[:, -1]):
        return (f"only the last hidden state came back, shape {out.shape}: collect h_t at "
                f"every step and return all {t}, shape (N, T, H) = {(n, t, h)}")
    if out.shape == (t, n, h) and t != n and close(out, states.transpose(1, 0, 2)):
        return (f"the states are stacked time first, shape {out.shape}: stack along axis 1 "
                f"to get (N, T, H) = {(n, t, h)}")
    if out.shape == (n, t + 1, h) and close(out[:, 1:], states):
        return "h0 is included as the first state: return h_1 ... h_T only, (N, T, H)"
    if out.shape != states.shape:
        return None
    if t > 1 and close(out[:, 1:], states[:, :-1]):
        return "each state is stored one step late: store h_t after computing it"
    x = np.asarray(x, dtype=float)
    uncarried = np.tanh(x @ kernel + (h0 @ recurrent_kernel)[:, None, :] + bias)
    if t > 1 and close(out, uncarried):
        return ("the state is not carried from step to step: every step used h0; pass the h_t "
                "you just computed as h_prev of the next step")
    return None


def gradient_norm_variants(grad: np.ndarray) -> dict[str, np.ndarray]:
    """Plausible wrong reductions of a gradient (N, T, D), each named by its mistake."""
    squares = grad ** 2
    return {
        "the norm of each sample over time and features (axes 1 and 2); entry t needs the norm "
        "over samples and features, axes (0, 2)": np.sqrt(squares.sum(axis=(1, 2))),
        "the norm over samples and time (axes 0 and 1); reduce axes (0, 2), keep time":
            np.sqrt(squares.sum(axis=(0, 1))),
        "the norm over features only (axis 2); also sum over samples: axes (0, 2)":
            np.sqrt(squares.sum(axis=2)),
        "the norm over samples only (axis 0); also sum over features: axes (0, 2)":
            np.sqrt(squares.sum(axis=0)),
        "per-sample norms added up; take one L2 norm over samples and features together":
            np.sqrt(squares.sum(axis=2)).sum(axis=0),
        "per-sample norms averaged; take one L2 norm over samples and features together":
            np.sqrt(squares.sum(axis=2)).mean(axis=0),
        "squared norms (no square root)": squares.sum(axis=(0, 2)),
        "the gradient summed, not its L2 norm": np.abs(grad.sum(axis=(0, 2))),
    }


# --- cases and assertions shared by the public and the hidden checks ----------------------------

def describe(spec: dict) -> str:
    """A case's sizes for a message: {"n": 1, "d": 4, "dtype": "float64"} -> "N=1, D=4, float64"."""
    sizes = [f"{k.upper()}={spec[k]}" for k in ("n", "t", "d", "h") if k in spec]
    return ", ".join(sizes + ([spec["dtype"]] if "dtype" in spec else []))


def step_case(seed: int, n: int, d: int, h: int, dtype="float32"):
    """(x_t (N, D), h_prev (N, H), kernel, recurrent_kernel, bias) for rnn_step."""
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(n, d)).astype(dtype)
    h_prev = rng.uniform(-1, 1, size=(n, h)).astype(dtype)
    return (x_t, h_prev, *random_weights(rng, d, h, dtype=dtype))


def assert_rnn_step(student, case, name: str) -> None:
    """rnn_step(*case) equals one step of Keras' SimpleRNN from h_prev; else say what differs."""
    x_t, h_prev, kernel, recurrent_kernel, bias = case
    out = array(student.rnn_step(*case), "rnn_step", "h_t")
    expected = keras_rnn_states(x_t[:, None, :], kernel, recurrent_kernel, bias, h0=h_prev)[:, 0]
    assert_shape(out, expected.shape, "rnn_step", f"h_t (N, H) for {name}")
    mistake = None if close(out, expected) else rnn_step_mistake(out, *case)
    assert mistake is None, f"rnn_step on {name}: {mistake}."
    assert_close(out, expected, f"rnn_step on {name}, h_t", rtol=RTOL, atol=ATOL,
                 should="It should equal one step of keras.layers.SimpleRNN with these "
                        "weights: tanh(x_t @ kernel + h_prev @ recurrent_kernel + bias)")


def sequence_case(seed: int, n: int, t: int, d: int, h: int, dtype="float32"):
    """(x (N, T, D), kernel, recurrent_kernel, bias) for rnn_forward."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, t, d)).astype(dtype)
    return (x, *random_weights(rng, d, h, dtype=dtype))


def assert_rnn_forward(student, case, name: str, h0=None) -> None:
    """rnn_forward(*case, h0) equals Keras' SimpleRNN states; else name the mistake seen."""
    x, kernel, recurrent_kernel, bias = case
    out = student.rnn_forward(*case) if h0 is None else student.rnn_forward(*case, h0=h0)
    out = array(out, "rnn_forward", "the hidden states")
    expected = keras_rnn_states(x, kernel, recurrent_kernel, bias, h0=h0)
    mistake = None
    if not close(out, expected):
        mistake = rnn_forward_mistake(out, *case, h0, expected)
        if mistake is None and h0 is not None and close(
                out, keras_rnn_states(x, kernel, recurrent_kernel, bias)):
            mistake = "h0 is ignored: the first step must start from h0 when it is given"
    assert mistake is None, f"rnn_forward on {name}: {mistake}."
    assert_shape(out, expected.shape, "rnn_forward", f"the states (N, T, H) for {name}")
    assert_close(out, expected, f"rnn_forward on {name}, the hidden states", rtol=RTOL,
                 atol=ATOL, should="They should equal keras.layers.SimpleRNN(H, "
                                   "return_sequences=True) with these weights")


# One bias per gate, far apart, so that a permutation of the gates changes every number.
GATE_BIAS = {"i": 1.0, "f": -1.5, "c": 0.5, "o": 2.0}


def lstm_case(seed: int, n: int, d: int, h: int, c_scale: float = 1.0, dtype="float32"):
    """(x_t (N, D), h_prev (N, H), c_prev (N, H), kernel, recurrent_kernel, bias)."""
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(n, d)).astype(dtype)
    h_prev = rng.uniform(-1, 1, size=(n, h)).astype(dtype)
    c_prev = (c_scale * rng.uniform(-1, 1, size=(n, h))).astype(dtype)
    kernel, recurrent_kernel, bias = random_weights(rng, d, h, gates=4, scale=0.5, dtype=dtype)
    bias = (bias + np.repeat([GATE_BIAS[g] for g in GATES], h)).astype(dtype)
    return x_t, h_prev, c_prev, kernel, recurrent_kernel, bias


def lstm_call(student, case, name: str):
    """((h_t, c_t) of the student, as arrays of the right shape, (h_t, c_t) of Keras)."""
    result = as_parts(student.lstm_step(*case), 2, f"lstm_step on {name}", "h_t, c_t")
    h, c = (array(v, "lstm_step", what) for v, what in zip(result, ("h_t", "c_t")))
    expected = keras_lstm_step(*case)
    for value, want, what in ((h, expected[0], "h_t"), (c, expected[1], "c_t")):
        assert_shape(value, want.shape, "lstm_step", f"{what} (N, H) for {name}")
    assert not (close(h, expected[1]) and close(c, expected[0])
                and not close(h, expected[0])), (
        f"lstm_step on {name}: h_t and c_t come back swapped: return (h_t, c_t)")
    return (h, c), expected


GATE_ORDER_MESSAGE = ("c_t matches gates packed as {order}; Keras packs kernel, recurrent_kernel "
                      "and bias as i, f, c, o (input, forget, candidate, output), in blocks of "
                      "H columns")


def assert_lstm_cell_state(c, expected_c, case, name: str) -> None:
    order = None if close(c, expected_c) else lstm_gate_order(c, *case)
    assert order is None, f"lstm_step on {name}: " + GATE_ORDER_MESSAGE.format(order=order)
    assert_close(c, expected_c, f"lstm_step on {name}, c_t", rtol=RTOL, atol=ATOL,
                 should="c_t should be f * c_prev + i * tanh(candidate), as in "
                        "keras.layers.LSTM")


def assert_lstm_hidden_state(h, c, expected_h, expected_c, case, name: str) -> None:
    """h_t = o * tanh(c_t). When c_t itself is wrong, h_t cannot be right either: the message
    then names what is wrong with c_t (the gate order, when that is it) instead."""
    x_t, h_prev, _, kernel, recurrent_kernel, bias = case
    if close(h, expected_h):
        return
    output_gate = lstm_output_gate(x_t, h_prev, kernel, recurrent_kernel, bias)
    assert not close(h, output_gate * c), (
        f"lstm_step on {name}: h_t equals o * c_t; the cell state goes through tanh first: "
        "h_t = o * tanh(c_t)")
    if not close(c, expected_c):
        order = lstm_gate_order(c, *case)
        why = GATE_ORDER_MESSAGE.format(order=order) if order else \
            "c_t differs from keras.layers.LSTM's (see the check lstm_step.gate_order)"
        raise AssertionError(f"lstm_step on {name}: h_t is wrong because c_t is: {why}")
    assert_close(h, expected_h, f"lstm_step on {name}, h_t", rtol=RTOL, atol=ATOL,
                 should="h_t should be o * tanh(c_t), as in keras.layers.LSTM")


def assert_lstm_step(student, case, name: str) -> None:
    (h, c), (expected_h, expected_c) = lstm_call(student, case, name)
    assert_lstm_cell_state(c, expected_c, case, name)
    assert_lstm_hidden_state(h, c, expected_h, expected_c, case, name)


def assert_param_counts(student, cell_type: str, formula: str, sizes) -> None:
    """count_params(cell_type, D, H) equals Keras' count for every (D, H) in sizes."""
    shown = values_shown()
    for d, h in sizes:
        got = student.count_params(cell_type, d, h)
        expected = keras_param_count(cell_type, d, h)
        assert_integer(got)
        call = f"count_params({cell_type!r}, {d}, {h})" if shown else \
            f"count_params({cell_type!r}, D, H) for other sizes (one unit, one feature among them)"
        if cell_type == "gru" and got == 3 * h * (d + h + 1):
            raise AssertionError(
                f"{call} = 3H(D+H+1)" + (f" = {got}" if shown else "") + " counts one bias row; "
                "Keras' GRU (reset_after=True) has two, bias shape (2, 3H)"
                + (f": {expected}" if shown else ""))
        assert got == expected, (f"{call} should be {formula}" + (
            f" = {expected} (what Keras reports), got {got}" if shown else
            ", what Keras reports: no fixed numbers, the formula for every D and H"))


def assert_integer(got) -> None:
    """count_params returns an int (a Python or NumPy integer, not a float or a bool)."""
    integer = isinstance(got, int) or np.issubdtype(getattr(got, "dtype", object), np.integer)
    assert integer and not isinstance(got, bool) and np.ndim(got) == 0, \
        f"count_params should return an integer, got {kind_of(got)}"


def activation_mistakes(name: str, z) -> dict:
    """{description: what it computes} for the classic wrong derivatives of ``name`` at z."""
    z = np.asarray(z, dtype=float)
    s = _sigmoid(z)
    return {
        "tanh": {"you computed 1 - z**2; the derivative is 1 - tanh(z)**2 (1 - h**2 holds for "
                 "the output h = tanh(z), not for the input z)": 1 - z ** 2,
                 "you returned tanh(z) itself; the derivative is 1 - tanh(z)**2": np.tanh(z)},
        "sigmoid": {"you computed z * (1 - z); the derivative is s * (1 - s) with "
                    "s = sigmoid(z)": z * (1 - z),
                    "you returned sigmoid(z) itself; the derivative is s * (1 - s)": s},
        "relu": {"you returned relu(z) itself; the derivative is 1 where z > 0, else 0":
                 np.maximum(z, 0),
                 "the derivative at z = 0 is 1; it should be 0 (0 where z <= 0): compare with "
                 "z > 0, not z >= 0": (z >= 0).astype(float)},
    }.get(name, {})


def assert_derivative(student, name: str, z) -> None:
    """activation_grad(name, z) equals TensorFlow's derivative; a known mistake is named."""
    formulas = {"tanh": "1 - tanh(z)**2", "sigmoid": "s * (1 - s) with s = sigmoid(z)",
                "relu": "1 where z > 0, 0 where z <= 0"}
    out = array(student.activation_grad(name, z), "activation_grad", f"the {name} derivative")
    expected = tape_activation_grad(name, z)
    assert_shape(out, expected.shape, "activation_grad", "the derivative (same shape as z)")
    if not close(out, expected):
        for mistake, value in activation_mistakes(name, z).items():
            assert not close(out, value), f"activation_grad({name!r}, z): {mistake}"
    assert_close(out, expected, f"activation_grad({name!r}, z)", rtol=RTOL, atol=ATOL,
                 should=f"It should be {formulas[name]}")


def gradient_case(seed: int, kind: str, n: int, t: int, d: int, h: int, dtype="float32"):
    """(weights of a Keras layer of that kind, x (N, T, D))."""
    rng = np.random.default_rng(seed)
    gates = WEIGHT_BLOCKS[kind]
    weights = random_weights(rng, d, h, gates=gates)
    if kind == "gru":  # GRU's bias has two rows (reset_after=True)
        weights[2] = (0.6 * rng.normal(size=(2, gates * h))).astype("float32")
    return weights, rng.normal(size=(n, t, d)).astype(dtype)


# The student's norms come from a float32 layer in another process: sums of squares may be
# added in another order, in float32.
NORM_RTOL, NORM_ATOL = 1e-4, 1e-7


def assert_gradient_norms(student, kind: str, weights, x, name: str, **options) -> None:
    """input_gradient_norms(layer, x) on a sandbox layer equals GradientTape's norms here."""
    units = np.shape(weights[1])[0]
    layer = remote_layer(student, kind, units, weights, np.shape(x), **options)
    out = array(student.input_gradient_norms(layer, x), "input_gradient_norms", "the norms")
    grad = tape_input_gradient(kind, units, weights, x, **options)
    expected = gradient_norms(grad)
    if not close(out, expected, NORM_RTOL, NORM_ATOL):
        for mistake, value in gradient_norm_variants(grad).items():
            assert not close(out, value, NORM_RTOL, NORM_ATOL), (
                f"input_gradient_norms on {name}: you computed {mistake}")
    n, t, d = np.shape(x)
    assert_shape(out, (t,), "input_gradient_norms",
                 f"the norms (T,) for x of shape (N, T, D) = {(n, t, d)}")
    assert_close(out, expected, f"input_gradient_norms on {name}", rtol=NORM_RTOL,
                 atol=NORM_ATOL, should="Entry t should be the L2 norm of d sum(layer(x)) / "
                                        "d x[:, t, :] (GradientTape, then a norm over axes 0 "
                                        "and 2)")
