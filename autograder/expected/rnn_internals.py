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


# --- gru_step, rnn_backward and clip_by_global_norm (issue 13) ----------------------------
#
# Keras and TensorFlow are the references: a keras.layers.GRU with the student's weights,
# tf.GradientTape through keras.layers.SimpleRNN in float64, tf.clip_by_global_norm; each known
# mistake is recomputed with NumPy so that a match names it ("the bias rows are swapped").

# --- gru_step -----------------------------------------------------------------------------------

GRU_BLOCKS = "zrh"  # Keras packs the GRU's blocks as update, reset, candidate
# Per block and bias row, far apart, so that a permuted block or a swapped row changes every
# number.
GRU_BIAS = np.array([[1.0, -1.0, 0.5], [-0.5, 1.5, -1.0]])


def gru_case(seed: int, n: int, d: int, h: int, zero_state: bool = False, dtype="float32"):
    """(x_t (N, D), h_prev (N, H), kernel (D, 3H), recurrent_kernel (H, 3H), bias (2, 3H))."""
    rng = np.random.default_rng(seed)
    x_t = rng.normal(size=(n, d)).astype(dtype)
    h_prev = np.zeros((n, h), dtype) if zero_state else \
        rng.uniform(-1, 1, size=(n, h)).astype(dtype)
    kernel, recurrent_kernel, _ = random_weights(rng, d, h, gates=3, scale=0.6, dtype=dtype)
    bias = (np.repeat(GRU_BIAS, h, axis=1) + 0.3 * rng.normal(size=(2, 3 * h))).astype(dtype)
    return x_t, h_prev, kernel, recurrent_kernel, bias


def keras_gru_step(x_t, h_prev, kernel, recurrent_kernel, bias) -> np.ndarray:
    """h_t of one step of keras.layers.GRU (reset_after=True) from h_prev."""
    dtype = _dtype(x_t, kernel, h_prev)
    units = np.shape(recurrent_kernel)[0]
    layer = _layer("gru", units, np.shape(x_t)[-1], [kernel, recurrent_kernel, bias], dtype)
    return np.asarray(layer(np.asarray(x_t, dtype=dtype)[:, None, :],
                            initial_state=[np.asarray(h_prev, dtype=dtype)]))


def _gru(x_t, h_prev, kernel, recurrent_kernel, bias, order="zrh", rows=(0, 1),
         reset_before=False, recurrent_bias_outside=False, swap_interpolation=False):
    """A GRU step in NumPy with one of the classic mistakes switched on."""
    x, h = np.asarray(x_t, float), np.asarray(h_prev, float)
    bias = np.asarray(bias, float)
    b_in, b_rec = bias[rows[0]], bias[rows[1]]
    x_part = dict(zip(order, np.split(x @ kernel + b_in, 3, axis=1)))
    kernels = dict(zip(order, np.split(np.asarray(recurrent_kernel, float), 3, axis=1)))
    biases = dict(zip(order, np.split(b_rec, 3)))
    z = _sigmoid(x_part["z"] + h @ kernels["z"] + biases["z"])
    r = _sigmoid(x_part["r"] + h @ kernels["r"] + biases["r"])
    if reset_before:
        inner = (r * h) @ kernels["h"] + biases["h"]
    elif recurrent_bias_outside:
        inner = r * (h @ kernels["h"]) + biases["h"]
    else:
        inner = r * (h @ kernels["h"] + biases["h"])
    candidate = np.tanh(x_part["h"] + inner)
    if swap_interpolation:
        return (1 - z) * h + z * candidate
    return z * h + (1 - z) * candidate


def gru_mistake(out, case) -> str | None:
    """Which known mistake of gru_step ``out`` equals, described for the student."""
    for order in itertools.permutations(GRU_BLOCKS):
        order = "".join(order)
        if order != GRU_BLOCKS and close(out, _gru(*case, order=order)):
            return (f"the blocks are read in the order {', '.join(order)}; Keras packs kernel, "
                    "recurrent_kernel and both bias rows as z, r, h (update, reset, candidate) "
                    "in blocks of H columns")
    variants = {
        "the bias rows are swapped: row 0 is the input bias (added to x_t @ kernel), row 1 the "
        "recurrent bias (added to h_prev @ recurrent_kernel)": dict(rows=(1, 0)),
        "only bias row 0 is used, added to both parts; Keras' GRU (reset_after=True) has two "
        "rows: row 0 for the input part, row 1 for the recurrent part": dict(rows=(0, 0)),
        "the reset gate is applied before the recurrent product, (r * h_prev) @ U_h (the "
        "original paper's GRU); Keras' default reset_after=True applies it after: "
        "r * (h_prev @ U_h + b'_h)": dict(reset_before=True),
        "the recurrent bias b'_h of the candidate is outside the reset; with reset_after=True "
        "it is inside: r * (h_prev @ U_h + b'_h)": dict(recurrent_bias_outside=True),
        "z and 1 - z are swapped: Keras keeps z of the old state, h_t = z * h_prev + "
        "(1 - z) * candidate": dict(swap_interpolation=True),
    }
    for description, options in variants.items():
        if close(out, _gru(*case, **options)):
            return description
    return None


def assert_gru_step(student, case, name: str) -> None:
    """gru_step(*case) equals one step of keras.layers.GRU; else name the mistake seen."""
    out = array(student.gru_step(*case), "gru_step", "h_t")
    expected = keras_gru_step(*case)
    assert_shape(out, expected.shape, "gru_step", f"h_t (N, H) for {name}")
    mistake = None if close(out, expected) else gru_mistake(out, case)
    assert mistake is None, f"gru_step on {name}: {mistake}."
    assert_close(out, expected, f"gru_step on {name}", rtol=RTOL, atol=ATOL,
                 should="h_t should equal one step of keras.layers.GRU with these weights "
                        "(reset_after=True)")


# --- rnn_backward -------------------------------------------------------------------------------

GRAD_NAMES = ("x", "kernel", "recurrent_kernel", "bias", "h0")
GRAD_SHAPES = {"x": "(N, T, D)", "kernel": "(D, H)", "recurrent_kernel": "(H, H)",
               "bias": "(H,)", "h0": "(N, H)"}
# float64 against float64: GradientTape and a careful NumPy loop agree to ~1e-12.
BACKWARD_RTOL, BACKWARD_ATOL = 1e-6, 1e-9


def backward_case(seed: int, n: int, t: int, d: int, h: int, last_only: bool = False,
                  dtype="float64"):
    """(x, kernel, recurrent_kernel, bias, h0, dh) for rnn_backward; dh is zero but at the last
    step with ``last_only`` (a model that reads the last state only)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, t, d))
    kernel, recurrent_kernel = 0.6 * rng.normal(size=(d, h)), 0.6 * rng.normal(size=(h, h))
    bias = 0.3 * rng.normal(size=h)
    h0 = rng.uniform(-0.9, 0.9, size=(n, h))
    dh = rng.normal(size=(n, t, h))
    if last_only:
        dh[:, :-1] = 0.0
    return tuple(np.asarray(v, dtype=dtype) for v in (x, kernel, recurrent_kernel, bias, h0, dh))


def tape_rnn_backward(x, kernel, recurrent_kernel, bias, h0, dh) -> dict:
    """The gradients of L = sum(dh * states) by tf.GradientTape through keras.layers.SimpleRNN
    in float64."""
    keras = _keras()
    import tensorflow as tf

    units = np.shape(recurrent_kernel)[0]
    layer = keras.layers.SimpleRNN(units, return_sequences=True, dtype="float64")
    layer.build((None, None, np.shape(x)[-1]))
    layer.set_weights([np.asarray(w, dtype="float64") for w in (kernel, recurrent_kernel, bias)])
    x_t, h0_t = tf.constant(np.asarray(x, "float64")), tf.constant(np.asarray(h0, "float64"))
    with tf.GradientTape() as tape:
        tape.watch([x_t, h0_t])
        total = tf.reduce_sum(np.asarray(dh, "float64") * layer(x_t, initial_state=[h0_t]))
    grads = tape.gradient(total, [x_t, *layer.trainable_weights, h0_t])
    return {name: np.asarray(g, dtype=float) for name, g in zip(GRAD_NAMES, grads)}


def numpy_rnn_backward(x, kernel, recurrent_kernel, bias, h0, dh, *, recurrent_path=True,
                       h0_in_forward=True, h0_in_recurrent_grad=True, h0_grad=True,
                       derivative_of_output=True, sum_over_time=True) -> dict:
    """BPTT in NumPy, float64; each keyword switched off is one classic mistake."""
    x, kernel, recurrent_kernel, bias, h0, dh = (
        np.asarray(v, dtype=float) for v in (x, kernel, recurrent_kernel, bias, h0, dh))
    n, steps, _ = x.shape
    units = recurrent_kernel.shape[0]
    start = h0 if h0_in_forward else np.zeros_like(h0)
    states, pre = [start], []
    for t in range(steps):
        pre.append(x[:, t] @ kernel + states[-1] @ recurrent_kernel + bias)
        states.append(np.tanh(pre[-1]))
    grads = {"x": np.zeros_like(x), "kernel": np.zeros_like(kernel),
             "recurrent_kernel": np.zeros_like(recurrent_kernel), "bias": np.zeros(units)}
    carried = np.zeros((n, units))
    for t in reversed(range(steps)):
        slope = 1 - states[t + 1] ** 2 if derivative_of_output else 1 - pre[t] ** 2
        delta = (dh[:, t] + (carried if recurrent_path else 0.0)) * slope
        if sum_over_time or t == steps - 1:
            grads["kernel"] += x[:, t].T @ delta
            grads["bias"] += delta.sum(axis=0)
            if t > 0 or h0_in_recurrent_grad:
                grads["recurrent_kernel"] += states[t].T @ delta
        grads["x"][:, t] = delta @ kernel.T
        carried = delta @ recurrent_kernel.T
    grads["h0"] = carried if h0_grad else np.zeros_like(h0)
    return grads


BACKWARD_MISTAKES = {
    "the recurrent path is missing: the gradient reaching h_t must add what comes back from "
    "step t + 1, delta_(t+1) @ recurrent_kernel.T, to dh[:, t]": dict(recurrent_path=False),
    "step 0 reads h0, but the gradient of recurrent_kernel misses its term h0.T @ delta_0 (the "
    "state before step 0 is h0, not zeros)": dict(h0_in_recurrent_grad=False),
    "the forward pass inside rnn_backward started from zeros instead of h0: recompute the "
    "states from the h0 given": dict(h0_in_forward=False),
    "the gradient of h0 is zero; it is what reaches h0 from step 0, delta_0 @ "
    "recurrent_kernel.T": dict(h0_grad=False),
    "tanh's derivative was taken as 1 - a**2 of the pre-activation a; from the output it is "
    "1 - h_t**2 (1 - tanh(a)**2)": dict(derivative_of_output=False),
    "only the last step counts in the weight gradients; the weights are shared by every step, "
    "so their gradients are sums over t": dict(sum_over_time=False),
}


def backward_mistake(out: dict, case, name: str, rtol: float = BACKWARD_RTOL,
                     atol: float = BACKWARD_ATOL) -> str | None:
    """The known mistake whose gradients equal the student's on the gradient ``name``."""
    right = numpy_rnn_backward(*case)[name]
    for description, options in BACKWARD_MISTAKES.items():
        variant = numpy_rnn_backward(*case, **options)[name]
        if not close(variant, right, rtol, atol) and close(out[name], variant, rtol,
                                                                   atol):
            return description
    return None


def backward_result(student, case, name: str) -> dict:
    """The student's gradients as a dict of float arrays of the right shapes."""
    value = student.rnn_backward(*case)
    assert isinstance(value, dict), (f"rnn_backward on {name} should return a dict with keys "
                                     f"{', '.join(GRAD_NAMES)}, got {type(value).__name__}")
    missing = [k for k in GRAD_NAMES if k not in value]
    assert not missing, (f"rnn_backward on {name}: the dict has no "
                         f"{', '.join(repr(k) for k in missing)}; it needs the keys "
                         f"{', '.join(repr(k) for k in GRAD_NAMES)}")
    out = {k: array(value[k], "rnn_backward", f"the gradient of {k}") for k in GRAD_NAMES}
    x, kernel, recurrent_kernel, bias, h0, _ = case
    shapes = dict(zip(GRAD_NAMES, (np.shape(v) for v in (x, kernel, recurrent_kernel, bias, h0))))
    for k in GRAD_NAMES:
        assert_shape(out[k], shapes[k], "rnn_backward",
                         f"the gradient of {k}, {GRAD_SHAPES[k]} = {shapes[k]}, for {name}")
    return out


def assert_backward(student, case, name: str, which=GRAD_NAMES, rtol=BACKWARD_RTOL,
                    atol=BACKWARD_ATOL, reference: str = "tape") -> None:
    """rnn_backward(*case) equals GradientTape's (or finite differences') gradients for the
    names in ``which``; a known mistake is named."""
    out = backward_result(student, case, name)
    expected = tape_rnn_backward(*case) if reference == "tape" else finite_differences(*case)
    source = ("tf.GradientTape through keras.layers.SimpleRNN" if reference == "tape"
              else "centred finite differences of L = sum(dh * states)")
    for k in which:
        if not close(out[k], expected[k], rtol, atol):
            mistake = backward_mistake(out, case, k, rtol, atol)
            assert mistake is None, f"rnn_backward on {name}, the gradient of {k}: {mistake}."
        assert_close(out[k], expected[k], f"rnn_backward on {name}, the gradient of {k}",
                     rtol=rtol, atol=atol, should=f"It should equal {source}.")


def finite_differences(x, kernel, recurrent_kernel, bias, h0, dh, eps: float = 1e-6) -> dict:
    """Centred finite differences of L = sum(dh * rnn states), float64, for every entry."""
    values = dict(zip(GRAD_NAMES, (np.array(v, dtype=float) for v in
                                   (x, kernel, recurrent_kernel, bias, h0))))
    dh = np.asarray(dh, dtype=float)

    def loss(v):
        h, total = v["h0"], 0.0
        for t in range(v["x"].shape[1]):
            h = np.tanh(v["x"][:, t] @ v["kernel"] + h @ v["recurrent_kernel"] + v["bias"])
            total += np.sum(dh[:, t] * h)
        return total

    grads = {}
    for name, value in values.items():
        grad = np.zeros_like(value)
        for index in np.ndindex(value.shape):
            saved = value[index]
            value[index] = saved + eps
            plus = loss(values)
            value[index] = saved - eps
            minus = loss(values)
            value[index] = saved
            grad[index] = (plus - minus) / (2 * eps)
        grads[name] = grad
    return grads


# --- clip_by_global_norm ------------------------------------------------------------------------

CLIP_RTOL, CLIP_ATOL = 1e-6, 1e-9


def tf_clip(grads, max_norm):
    """(clipped arrays, global norm) of tf.clip_by_global_norm, in float64."""
    _keras()
    import tensorflow as tf

    clipped, norm = tf.clip_by_global_norm(
        [tf.constant(np.asarray(g, dtype="float64")) for g in grads], max_norm)
    return [np.asarray(c, dtype=float) for c in clipped], float(norm)


def clip_result(student, grads, max_norm, name: str):
    """(clipped, norm) of the student as a list of float arrays and a float."""
    value = student.clip_by_global_norm([np.array(g) for g in grads], max_norm)
    assert isinstance(value, (tuple, list)) and len(value) == 2, (
        f"clip_by_global_norm on {name} should return a pair (clipped, global_norm), got "
        f"{type(value).__name__}")
    clipped, norm = value
    assert isinstance(clipped, (list, tuple)) and len(clipped) == len(grads), (
        f"clip_by_global_norm on {name}: clipped should be a list of {len(grads)} arrays, one per "
        f"gradient given, got {type(clipped).__name__}"
        + (f" of length {len(clipped)}" if isinstance(clipped, (list, tuple)) else ""))
    clipped = [array(c, "clip_by_global_norm", f"clipped array {i}")
               for i, c in enumerate(clipped)]
    norm = array(norm, "clip_by_global_norm", "the global norm")
    assert norm.size == 1, (f"clip_by_global_norm on {name}: global_norm should be one number, "
                            f"got an array of shape {norm.shape}")
    return clipped, float(norm.reshape(-1)[0])


def clip_mistake(clipped, norm, grads, max_norm) -> str | None:
    """Which known mistake of clip_by_global_norm the result shows."""
    arrays = [np.asarray(g, dtype=float) for g in grads]
    per_array = [g * min(1.0, max_norm / np.sqrt(np.sum(g ** 2))) if np.sum(g ** 2) else g
                 for g in arrays]
    true_norm = float(np.sqrt(sum(np.sum(g ** 2) for g in arrays)))
    if all(close(c, p) for c, p in zip(clipped, per_array)) and not all(
            close(p, a * min(1.0, max_norm / true_norm)) for p, a in zip(per_array, arrays)):
        return ("each array was clipped to max_norm on its own (per array), which changes the "
                "direction of the whole gradient; compute one global norm over all arrays and "
                "scale every array by the same factor max_norm / global_norm")
    always = [a * (max_norm / true_norm) for a in arrays]
    if true_norm < max_norm and all(close(c, s) for c, s in zip(clipped, always)):
        return ("the arrays were scaled up to the global norm max_norm although their norm was "
                "already below it; only scale when global_norm > max_norm")
    if np.isclose(norm, min(true_norm, max_norm)) and not np.isclose(norm, true_norm):
        return ("global_norm is the norm after clipping; return the norm of the gradients as "
                "they came in, before clipping (as tf.clip_by_global_norm does)")
    if np.isclose(norm, true_norm ** 2):
        return "global_norm is the sum of squares; take its square root"
    return None


def assert_clip(student, grads, max_norm, name: str) -> None:
    """clip_by_global_norm(grads, max_norm) equals tf.clip_by_global_norm; mistakes named."""
    clipped, norm = clip_result(student, grads, max_norm, name)
    expected, expected_norm = tf_clip(grads, max_norm)
    for i, (c, e) in enumerate(zip(clipped, expected)):
        assert_shape(c, e.shape, "clip_by_global_norm", f"clipped array {i} for {name}")
    right = close(norm, expected_norm, CLIP_RTOL, CLIP_ATOL) and all(
        close(c, e, CLIP_RTOL, CLIP_ATOL) for c, e in zip(clipped, expected))
    if not right:
        mistake = clip_mistake(clipped, norm, grads, max_norm)
        assert mistake is None, f"clip_by_global_norm on {name}: {mistake}."
    assert_close(norm, expected_norm, f"clip_by_global_norm on {name}, global_norm",
                 rtol=CLIP_RTOL, atol=CLIP_ATOL,
                 should="It is the square root of the sum of every squared entry of every array.")
    for i, (c, e) in enumerate(zip(clipped, expected)):
        assert_close(c, e, f"clip_by_global_norm on {name}, clipped array {i}", rtol=CLIP_RTOL,
                     atol=CLIP_ATOL, should="It should equal tf.clip_by_global_norm's.")


def clip_case(seed: int, shapes, scale: float = 1.0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [scale * rng.normal(size=s) for s in shapes]
