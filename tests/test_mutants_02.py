"""Mutants of assignment 02: the reference with one classic mistake each (tests/test_mutants.py)."""

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
}


