"""Mutants of assignment 02: the reference with one classic mistake each (tests/test_mutants.py),
and correct but unusual implementations that must keep full marks."""

import pytest


GRU = '''
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    b_in, b_rec = bias[{rows}]
    x_z, x_r, x_h = np.split(x_t @ kernel + b_in, 3, axis=1)
    {unpack} = np.split(h_prev @ recurrent_kernel + b_rec, 3, axis=1)
    z, r = sigmoid(x_z + h_z), sigmoid(x_r + h_r)
    candidate = np.tanh(x_h + {inner})
    return {mix}
'''
GRU_RIGHT = {"rows": "0], bias[1", "unpack": "h_z, h_r, h_h", "inner": "r * h_h",
             "mix": "z * h_prev + (1 - z) * candidate"}


def gru(**mistake) -> str:
    return GRU.format(**(GRU_RIGHT | mistake))


BACKWARD = '''
def rnn_backward(x, kernel, recurrent_kernel, bias, h0, dh):
    n, steps, _ = x.shape
    states = [{start}]
    for t in range(steps):
        states.append(np.tanh(x[:, t] @ kernel + states[-1] @ recurrent_kernel + bias))
    grads = {{"x": np.zeros(x.shape), "kernel": np.zeros(kernel.shape),
              "recurrent_kernel": np.zeros(recurrent_kernel.shape), "bias": np.zeros(bias.shape)}}
    carried = np.zeros(h0.shape)
    for t in reversed(range(steps)):
        delta = (dh[:, t] + {carried}) * (1 - states[t + 1] ** 2)
        grads["kernel"] += x[:, t].T @ delta
        if {uses_h0}:
            grads["recurrent_kernel"] += states[t].T @ delta
        grads["bias"] += delta.sum(axis=0)
        grads["x"][:, t] = delta @ kernel.T
        carried = delta @ recurrent_kernel.T
    grads["h0"] = {h0_grad}
    return grads
'''
BACKWARD_RIGHT = {"start": "h0", "carried": "carried", "uses_h0": "True", "h0_grad": "carried"}


def backward(**mistake) -> str:
    return BACKWARD.format(**(BACKWARD_RIGHT | mistake))


CLIP_PER_ARRAY = '''
def clip_by_global_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    clipped = []
    for g in grads:
        norm = np.sqrt(np.sum(np.asarray(g) ** 2))  # each array on its own
        clipped.append(g * (max_norm / norm) if norm > max_norm else np.array(g))
    return clipped, float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
'''
CLIP_NORM_AFTER = '''
def clip_by_global_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    norm = float(np.sqrt(sum(np.sum(np.asarray(g) ** 2) for g in grads)))
    scale = min(1.0, max_norm / norm)
    return [np.asarray(g) * scale for g in grads], norm * scale
'''
CLIP_IN_PLACE = '''
def clip_by_global_norm(grads, max_norm):
    if max_norm <= 0:
        raise ValueError(f"max_norm must be > 0, got {max_norm}")
    norm = float(np.sqrt(sum(np.sum(g ** 2) for g in grads)))
    if norm > max_norm:
        for g in grads:
            g *= max_norm / norm
    return grads, norm
'''


MUTANTS = {
    "weights_swapped": ("rnn_step", '''
def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.tanh(x_t @ recurrent_kernel + h_prev @ kernel + bias)
''', {"rnn_step.layout": "swapped"}),
    "weights_transposed": ("rnn_step", '''
def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    # the lecture's W_x x + W_H h with Keras' weights taken as W_x and W_H
    return np.tanh(kernel @ x_t.T + recurrent_kernel @ h_prev.T + bias[:, None]).T
''', {"rnn_step.layout": "transposed"}),
    "sigmoid_instead_of_tanh": ("rnn_step", '''
def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    return 1 / (1 + np.exp(-(x_t @ kernel + h_prev @ recurrent_kernel + bias)))
''', {"rnn_step.tanh": "nonlinearity is sigmoid"}),
    "relu_instead_of_tanh": ("rnn_step", '''
def rnn_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    return np.maximum(x_t @ kernel + h_prev @ recurrent_kernel + bias, 0)
''', {"rnn_step.tanh": "nonlinearity is ReLU"}),
    "state_not_carried": ("rnn_forward", '''
def rnn_forward(x, kernel, recurrent_kernel, bias, h0=None):
    n, steps, _ = x.shape
    h0 = np.zeros((n, recurrent_kernel.shape[0])) if h0 is None else h0
    return np.stack([rnn_step(x[:, t], h0, kernel, recurrent_kernel, bias)
                     for t in range(steps)], axis=1)
''', {"rnn_forward.carries_state": "not carried", "rnn_forward.matches_keras": "not carried"}),
    "last_state_only": ("rnn_forward", '''
def rnn_forward(x, kernel, recurrent_kernel, bias, h0=None):
    h = np.zeros((x.shape[0], recurrent_kernel.shape[0])) if h0 is None else h0
    for t in range(x.shape[1]):
        h = rnn_step(x[:, t], h, kernel, recurrent_kernel, bias)
    return h
''', {"rnn_forward.all_states": "only the last hidden state"}),
    "lstm_gates_cs231n_order": ("lstm_step", '''
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_o, z_g = np.split(z, 4, axis=1)  # CS231n's i, f, o, g
    c_t = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_g)
    return sigmoid(z_o) * np.tanh(c_t), c_t
''', {"lstm_step.gate_order": "packed as i, f, o, c",
      "lstm_step.cell_tanh": "h_t is wrong because c_t is: c_t matches gates packed as i, f, o, c"}),
    "lstm_no_tanh_on_cell": ("lstm_step", '''
def lstm_step(x_t, h_prev, c_prev, kernel, recurrent_kernel, bias):
    sigmoid = lambda v: 1 / (1 + np.exp(-v))
    z = x_t @ kernel + h_prev @ recurrent_kernel + bias
    z_i, z_f, z_c, z_o = np.split(z, 4, axis=1)
    c_t = sigmoid(z_f) * c_prev + sigmoid(z_i) * np.tanh(z_c)
    return sigmoid(z_o) * c_t, c_t
''', {"lstm_step.cell_tanh": "h_t equals o * c_t"}),
    "gru_one_bias_row": ("count_params", '''
def count_params(cell_type, n_features, units):
    gates = {"rnn": 1, "lstm": 4, "gru": 3}
    if cell_type not in gates:
        raise ValueError(f"unknown cell_type {cell_type!r}")
    return gates[cell_type] * units * (n_features + units + 1)
''', {"count_params.gru": "one bias row"}),
    "tanh_grad_of_z": ("activation_grad", '''
def activation_grad(name, z):
    z = np.asarray(z, dtype=float)
    if name == "tanh":
        return 1 - z ** 2
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)
    if name == "relu":
        return (z > 0).astype(float)
    raise ValueError(name)
''', {"activation_grad.tanh": "1 - z**2"}),
    "relu_grad_one_at_zero": ("activation_grad", '''
def activation_grad(name, z):
    z = np.asarray(z, dtype=float)
    if name == "tanh":
        return 1 - np.tanh(z) ** 2
    if name == "sigmoid":
        s = 1 / (1 + np.exp(-z))
        return s * (1 - s)
    if name == "relu":
        return (z >= 0).astype(float)
    raise ValueError(name)
''', {"activation_grad.relu": "not z >= 0"}),
    "norms_per_sample": ("input_gradient_norms", '''
def input_gradient_norms(layer, x):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    grad = tape.gradient(total, x).numpy()
    return np.sqrt(np.sum(grad ** 2, axis=(1, 2)))
''', {"input_gradient_norms.axis": "axes 1 and 2"}),
    "norms_over_time": ("input_gradient_norms", '''
def input_gradient_norms(layer, x):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    grad = tape.gradient(total, x).numpy()
    return np.linalg.norm(grad, axis=(0, 1))
''', {"input_gradient_norms.axis": "samples and time"}),
    "norms_summed_over_samples": ("input_gradient_norms", '''
def input_gradient_norms(layer, x):
    x = tf.convert_to_tensor(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(layer(x))
    grad = tape.gradient(total, x).numpy()
    return np.linalg.norm(grad, axis=2).sum(axis=0)
''', {"input_gradient_norms.axis": "per-sample norms added up"}),
    "gru_blocks_r_z_h": ("gru_step", gru(unpack="h_r, h_z, h_h").replace(
        "x_z, x_r, x_h", "x_r, x_z, x_h"), {"gru_step.gate_order": "order r, z, h"}),
    "gru_bias_rows_swapped": ("gru_step", gru(rows="1], bias[0"),
                              {"gru_step.bias_rows": "the bias rows are swapped"}),
    "gru_reset_before_product": ("gru_step", gru(
        inner="(r * h_prev) @ np.split(recurrent_kernel, 3, axis=1)[2] + np.split(b_rec, 3)[2]"),
        {"gru_step.bias_rows": "reset gate is applied before"}),
    "gru_recurrent_bias_outside_reset": ("gru_step", gru(
        inner="r * (h_prev @ np.split(recurrent_kernel, 3, axis=1)[2]) + np.split(b_rec, 3)[2]"),
        {"gru_step.bias_rows": "outside the reset"}),
    "gru_z_and_one_minus_z_swapped": ("gru_step", gru(mix="(1 - z) * h_prev + z * candidate"),
                                      {"gru_step.matches_keras": "z and 1 - z are swapped"}),
    "backward_without_recurrent_path": ("rnn_backward", backward(carried="0"),
                                        {"rnn_backward.recurrent_path": "recurrent path"}),
    "backward_h0_missing_from_recurrent_kernel": ("rnn_backward", backward(uses_h0="t > 0"),
                                                  {"rnn_backward.h0": "h0.T @ delta_0"}),
    "backward_h0_gradient_zero": ("rnn_backward", backward(h0_grad="np.zeros(h0.shape)"),
                                  {"rnn_backward.h0": "the gradient of h0 is zero"}),
    "backward_forward_from_zeros": ("rnn_backward", backward(start="np.zeros(h0.shape)"),
                                    {"rnn_backward.h0": "started from zeros instead of h0"}),
    "clip_per_array": ("clip_by_global_norm", CLIP_PER_ARRAY,
                       {"clip_by_global_norm.matches_tf": "clipped to max_norm on its own"}),
    "clip_returns_norm_after_clipping": ("clip_by_global_norm", CLIP_NORM_AFTER,
                                         {"clip_by_global_norm.matches_tf": "norm after clipping"}),
    "clip_in_place": ("clip_by_global_norm", CLIP_IN_PLACE,
                      {"clip_by_global_norm.inputs_unchanged": "in place"}),
}


CORRECT_VARIANTS = {
    "gru_step": '''
def gru_step(x_t, h_prev, kernel, recurrent_kernel, bias):
    # one loop over the three blocks, tanh written with a sigmoid: unusual, still Keras' GRU
    units = h_prev.shape[1]
    bias = np.asarray(bias).reshape(2, 3, units)
    kernels = np.asarray(kernel).reshape(kernel.shape[0], 3, units)
    recurrents = np.asarray(recurrent_kernel).reshape(units, 3, units)
    parts = [(np.einsum("nd,du->nu", x_t, kernels[:, k]) + bias[0, k],
              np.einsum("nh,hu->nu", h_prev, recurrents[:, k]) + bias[1, k]) for k in range(3)]
    z = 1 / (1 + np.exp(-(parts[0][0] + parts[0][1])))
    r = 1 / (1 + np.exp(-(parts[1][0] + parts[1][1])))
    candidate = 2 / (1 + np.exp(-2 * (parts[2][0] + r * parts[2][1]))) - 1
    return h_prev + (1 - z) * (candidate - h_prev)
''',
    "rnn_backward": '''
def rnn_backward(x, kernel, recurrent_kernel, bias, h0, dh):
    # the states from rnn_forward, the sums over time done with einsum at the end
    x = np.asarray(x, dtype=np.float64)
    states = rnn_forward(x, np.asarray(kernel, float), np.asarray(recurrent_kernel, float),
                         np.asarray(bias, float), h0=np.asarray(h0, float))
    previous = np.concatenate([np.asarray(h0, float)[:, None], states[:, :-1]], axis=1)
    deltas = np.zeros(states.shape)
    coming = np.zeros(states[:, 0].shape)
    for t in range(x.shape[1] - 1, -1, -1):
        deltas[:, t] = (dh[:, t] + coming) * (1 - states[:, t] ** 2)
        coming = deltas[:, t] @ np.asarray(recurrent_kernel, float).T
    return {"x": deltas @ np.asarray(kernel, float).T,
            "kernel": np.einsum("ntd,nth->dh", x, deltas),
            "recurrent_kernel": np.einsum("ntk,nth->kh", previous, deltas),
            "bias": deltas.sum(axis=(0, 1)), "h0": coming}
''',
    "clip_by_global_norm": '''
def clip_by_global_norm(grads, max_norm):
    if not max_norm > 0:
        raise ValueError("max_norm must be positive")
    flat = np.concatenate([np.ravel(g) for g in grads])
    norm = np.linalg.norm(flat)
    factor = max_norm / max(norm, max_norm)  # tf's formula: 1 when below the limit
    return tuple(np.asarray(g, dtype=np.float32) * np.float32(factor) for g in grads), norm
''',
}


@pytest.mark.parametrize("function", sorted(CORRECT_VARIANTS))
def test_correct_variants_are_not_mutants(function, grade_mutant):
    """Does an unusual but correct implementation of each new function get full marks?"""
    result = grade_mutant("02_rnn_internals", {function: CORRECT_VARIANTS[function]})
    failing = [(c.id, c.message) for c in result.checks if c.status != "passed"]
    assert not failing, failing
