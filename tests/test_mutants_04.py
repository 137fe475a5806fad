"""Do the checks of assignment 04 catch each classic mistake, each with its own hint?

The mutants of predict_next_close train models (every check of that function calls it once or
twice, about 20 s in all), so they are marked slow.
"""

import ast

import nbformat
import pytest

from tests.conftest import reference_notebook

ASSIGNMENT = "04_evaluate_aapl"


def reference_source(name: str) -> str:
    """The reference notebook's source of the top-level function ``name``."""
    notebook = nbformat.read(str(reference_notebook(ASSIGNMENT)), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code" or f"def {name}(" not in cell.source:
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef) and node.name == name:
                return ast.get_source_segment(cell.source, node)
    raise KeyError(name)


def reference_with(name: str, old: str, new: str) -> str:
    """The reference ``name`` with one piece of code changed: a mistake, and nothing else."""
    source = reference_source(name)
    assert source.count(old) == 1, f"{old!r} should occur once in the reference {name}"
    return source.replace(old, new)


LEVEL_MODEL = '''
def predict_next_close(df, train_end, length=20, seed=0):
    keras.utils.set_random_seed(seed)
    close = df["Close"].to_numpy(dtype=np.float64)
    n = len(close)
    n_fit = int(np.sum(df.index <= pd.Timestamp(train_end)))
    mean, std = close[:n_fit].mean(), close[:n_fit].std()  # fit on the training rows: honest
    scaled = (close - mean) / std
    days = np.arange(length, n)
    X = np.lib.stride_tricks.sliding_window_view(scaled, length)[: n - length]
    X, y = X[..., None].astype(np.float32), scaled[days].astype(np.float32)
    fit = days < n_fit
    model = keras.Sequential([keras.Input((length, 1)), keras.layers.LSTM(16),
                              keras.layers.Dense(1)])
    model.compile(optimizer="adam", loss="mse")
    model.fit(X[fit], y[fit], epochs=3, batch_size=32, verbose=0)
    levels = model.predict(X[~fit], verbose=0)[:, 0].astype(np.float64) * std + mean
    return pd.Series(levels, index=df.index[days[~fit]], name="Predicted Close")
'''


def mutants() -> dict:
    """name: (function, source, {check id: words its message must contain})."""
    return {
        "accuracy_counts_ties_as_ones": ("accuracy", reference_with(
            "accuracy", "np.mean((y_prob > threshold)", "np.mean((y_prob >= threshold)"),
            {"accuracy.threshold": "counted as class 1 (>=)"}),
        "confusion_fp_fn_swapped": ("confusion_counts", reference_with(
            "confusion_counts", '"fp": int(np.sum(predicted & ~truth))',
            '"fp": int(np.sum(~predicted & truth))').replace(
            '"fn": int(np.sum(~predicted & truth))', '"fn": int(np.sum(predicted & ~truth))'),
            {"confusion_counts.values": "fp and fn are swapped"}),
        "rmse_reports_mse": ("rmse", reference_with(
            "rmse", "float(np.sqrt(np.mean((y_true - y_pred) ** 2)))",
            "float(np.mean((y_true - y_pred) ** 2))"),
            {"rmse.value": "mean squared error (MSE)"}),
        "rmse_broadcasts_n_by_1": ("rmse", '''
def rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((np.asarray(y_true) - np.asarray(y_pred)) ** 2)))
''', {"rmse.bad_input": "ValueError for y_true of shape (4,) and y_pred of shape (4, 1)"}),
        "mae_without_abs": ("mae", reference_with(
            "mae", "float(np.mean(np.abs(y_true - y_pred)))",
            "float(np.mean(y_true - y_pred))"),
            {"mae.value": "take absolute values before the mean"}),
        "unscale_backwards": ("unscale", reference_with(
            "unscale", 'values * stats.loc["std", column] + stats.loc["mean", column]',
            '(values - stats.loc["mean", column]) / stats.loc["std", column]'),
            {"unscale.value": "applied again"}),
        "persistence_shifted_the_wrong_way": ("persistence_forecast", reference_with(
            "persistence_forecast", "close.shift(1).iloc[1:]", "close.shift(-1).iloc[:-1]"),
            {"persistence_forecast.values": "A perfect forecast is a leak"}),
        "majority_baseline_of_the_minority": ("majority_baseline", reference_with(
            "majority_baseline", "np.sum(y_train == 1) >= np.sum(y_train == 0)",
            "np.sum(y_train == 1) < np.sum(y_train == 0)"),
            {"majority_baseline.value": "got the minority class"}),
        "scaler_fit_on_all_the_data": ("predict_next_close", reference_with(
            "predict_next_close", "np.std(np.diff(log_close[:n_fit]))",
            "np.std(np.diff(log_close))"),
            {"predict_next_close.no_lookahead": "a scaler fit on all rows",
             "predict_next_close.no_lookahead_msft": "a scaler fit on all rows"}),
        "level_model_fails_against_persistence": ("predict_next_close", LEVEL_MODEL, {
            "predict_next_close.beats_persistence": "A model of price levels scaled on the "
                                                    "training years cannot reach"}),
        "predictions_labelled_one_day_off": ("predict_next_close", reference_with(
            "predict_next_close", "index=df.index[days[~fit]]", "index=df.index[days[~fit] - 1]"),
            {"predict_next_close.dates": "labelled one trading day early",
             "predict_next_close.dates_ibm": "labelled one trading day early",
             "predict_next_close.no_lookahead": "its window includes that day, the day it predicts"}),
        "persistence_handed_in_as_forecast": ("predict_next_close", '''
def predict_next_close(df, train_end, length=20, seed=0):
    close = df["Close"].astype("float64")
    days = np.arange(length, len(df))
    days = days[df.index[days] > pd.Timestamp(train_end)]
    return pd.Series(close.to_numpy()[days - 1], index=df.index[days], name="Predicted Close")
''', {"predict_next_close.not_persistence": "not a forecast of yours"}),
        # Beyond the list: a forgotten seed, and answers that ignore the df given.
        "seed_ignored": ("predict_next_close", reference_with(
            "predict_next_close", "keras.utils.set_random_seed(seed)", "pass"),
            {"predict_next_close.same_seed": "keras.utils.set_random_seed(seed)",
             "predict_next_close.no_lookahead": "deterministic first"}),
        "answers_from_a_cache": ("predict_next_close", reference_source(
            "predict_next_close").replace("def predict_next_close(", "def honest(", 1) + '''


def predict_next_close(df, train_end, length=20, seed=0, _cache={}):
    key = (str(train_end), length, seed)  # not the df: a changed df gets the old answer
    if key not in _cache:
        _cache[key] = honest(df, train_end, length, seed)
    return _cache[key]
''', {"predict_next_close.no_lookahead": "not from a cache or a file"}),
        # issue 13: the new baselines, test and folds
        "momentum_predicts_each_day_by_itself": ("momentum_baseline", reference_with(
            "momentum_baseline", "return y[:-1].copy()", "return y[1:].copy()"),
            {"momentum_baseline.values": "predicted by its own label"}),
        "momentum_shifted_the_wrong_way": ("momentum_baseline", reference_with(
            "momentum_baseline", "return y[:-1].copy()", "return np.roll(y, -1)[1:]"),
            {"momentum_baseline.values": "shifted the wrong way"}),
        "mcnemar_one_sided": ("mcnemar_p_value", reference_with(
            "mcnemar_p_value", "float(min(1.0, 2 * tail / 2 ** (b + c)))",
            "float(min(1.0, tail / 2 ** (b + c)))"),
            {"mcnemar_p_value.value": "one-sided"}),
        "mcnemar_not_capped": ("mcnemar_p_value", reference_with(
            "mcnemar_p_value", "float(min(1.0, 2 * tail / 2 ** (b + c)))",
            "float(2 * tail / 2 ** (b + c))"),
            {"mcnemar_p_value.symmetric_and_capped": "not capped at 1"}),
        "mcnemar_chi_square": ("mcnemar_p_value", reference_with(
            "mcnemar_p_value", "float(min(1.0, 2 * tail / 2 ** (b + c)))",
            "math.erfc(math.sqrt((abs(b - c) - 1) ** 2 / (b + c) / 2))"),
            {"mcnemar_p_value.value": "chi-square approximation"}),
        "folds_overlap": ("walk_forward_splits", reference_with(
            "walk_forward_splits", "np.arange(start, stop)", "np.arange(start - 1, stop)"),
            {"walk_forward_splits.folds": "they overlap",
             "walk_forward_splits.no_leak": "every training row must come before"}),
        "folds_leave_a_gap": ("walk_forward_splits", reference_with(
            "walk_forward_splits", "np.arange(start, stop)", "np.arange(start + 1, stop)"),
            {"walk_forward_splits.folds": "a gap",
             "walk_forward_splits.no_leak": "exactly once each"}),
        "folds_slide_instead_of_expanding": ("walk_forward_splits", reference_with(
            "walk_forward_splits", "np.arange(0, start)", "np.arange(k * step, start)"),
            {"walk_forward_splits.folds": "a sliding window"}),
        "last_fold_drops_the_remainder": ("walk_forward_splits", reference_with(
            "walk_forward_splits", "stop = n if k == n_folds - 1 else start + step",
            "stop = start + step"),
            {"walk_forward_splits.last_fold": "the last test stretch runs to n"}),
    }


MUTANTS = mutants()
SLOW = {name for name, (function, _, _) in MUTANTS.items() if function == "predict_next_close"}


CORRECT_VARIANTS = {
    "momentum_baseline": '''
def momentum_baseline(y):
    return pd.Series(y, dtype="float64").shift(1).dropna().to_numpy()
''',
    "mcnemar_p_value": '''
def mcnemar_p_value(y_true, pred_a, pred_b):
    y_true, pred_a, pred_b = map(np.asarray, (y_true, pred_a, pred_b))
    if not (y_true.shape == pred_a.shape == pred_b.shape):
        raise ValueError("the three inputs must have the same length")
    b = int(((pred_a == y_true) & (pred_b != y_true)).sum())
    c = int(((pred_a != y_true) & (pred_b == y_true)).sum())
    n, k = b + c, min(b, c)
    if n == 0:
        return 1.0
    # the binomial tail in log space, added with logsumexp: another exact-enough route
    logs = [math.lgamma(n + 1) - math.lgamma(i + 1) - math.lgamma(n - i + 1) - n * math.log(2)
            for i in range(k + 1)]
    top = max(logs)
    return min(1.0, 2 * math.exp(top) * sum(math.exp(v - top) for v in logs))
''',
    "walk_forward_splits": '''
def walk_forward_splits(n, n_folds, min_train):
    if n_folds < 1 or min_train < 1:
        raise ValueError(f"n_folds and min_train must be >= 1, got n_folds={n_folds}, "
                         f"min_train={min_train}")
    step = (n - min_train) // n_folds
    if step < 1:
        raise ValueError(f"no room for {n_folds} folds (n_folds) after min_train rows")
    edges = [min_train + k * step for k in range(n_folds)] + [n]
    return [(list(range(edges[k])), list(range(edges[k], edges[k + 1])))
            for k in range(n_folds)]
''',
}


@pytest.mark.parametrize("function", sorted(CORRECT_VARIANTS))
def test_correct_variants_are_not_mutants(function, grade_mutant):
    """Does an unusual but correct momentum baseline, McNemar test or fold list get full marks?"""
    result = grade_mutant(ASSIGNMENT, {function: CORRECT_VARIANTS[function]})
    failing = [(c.id, c.message) for c in result.checks if c.status != "passed"]
    assert not failing, failing


@pytest.mark.slow
def test_another_honest_design_is_not_a_mutant(grade_mutant):
    """Does a differently built honest predict_next_close (a GRU on daily log returns, a
    standard scaler of the training returns, Volume ignored, no shuffling) pass every check?
    The checks grade what the function guarantees, not how the reference builds it."""
    gru = '''
def predict_next_close(df, train_end, length=20, seed=0):
    keras.utils.set_random_seed(seed)
    close = df["Close"].astype("float64")
    returns = np.log(close).diff().fillna(0.0).to_numpy()  # the first row has no return
    is_train = (df.index <= pd.Timestamp(train_end))
    mean, std = returns[is_train][1:].mean(), returns[is_train][1:].std()
    z = ((returns - mean) / std).astype("float32")
    rows = [i for i in range(length, len(df))]
    X = np.stack([z[i - length:i] for i in rows])[..., None]
    y = z[rows]
    train = np.array([is_train[i] for i in rows])
    model = keras.Sequential([keras.Input((length, 1)), keras.layers.GRU(8),
                              keras.layers.Dense(1)])
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="mse")
    model.fit(X[train], y[train], epochs=2, batch_size=64, shuffle=False, verbose=0)
    r = np.asarray(model(X[~train], training=False))[:, 0] * std + mean
    previous = close.to_numpy()[np.array(rows)[~train] - 1]
    return pd.Series(previous * np.exp(r), index=df.index[np.array(rows)[~train]],
                     name="Predicted Close")
'''
    result = grade_mutant(ASSIGNMENT, {"predict_next_close": gru})
    failing = [(c.id, c.message) for c in result.checks if c.status != "passed"]
    assert not failing, failing
