"""Do the display cells of 03 work for every model the checks accept, a functional one too?

The checks of build_model accept any way of building it (Sequential, functional, an Activation
layer). The notebook's own cells that show the models (the parameter table, the learning
curves, the accuracy table) must then show the recurrent layer of such a model too, not the
InputLayer a functional model starts with. This runs those cells, as the notebook has them, in
one namespace with a functional build_model in place of the reference's, on a shortened slice
of the data so the training cell takes seconds. The assertions of the notebook's cells are left
out (they hold the reference's numbers on the whole data, not a display), and so are the cells
from the lag experiment on (its own models, trained for minutes; it finds the recurrent layer
the same way).
"""

from __future__ import annotations

import ast
import contextlib
import io
import re

import nbformat
import pytest

from tests.conftest import reference_notebook

ASSIGNMENT = "03_recurrent_models"
FUNCTIONAL_BUILD_MODEL = '''
def build_model(cell_type, window_length, n_features, units=32, task="classification", seed=0):
    keras.utils.set_random_seed(seed)
    layer = {"rnn": keras.layers.SimpleRNN, "lstm": keras.layers.LSTM,
             "gru": keras.layers.GRU}.get(str(cell_type).lower())
    if layer is None or task not in ("classification", "regression"):
        raise ValueError(f"unknown cell_type {cell_type!r} or task {task!r}")
    inputs = keras.Input(shape=(window_length, n_features))
    outputs = keras.layers.Dense(1)(layer(units)(inputs))
    if task == "classification":
        outputs = keras.layers.Activation("sigmoid")(outputs)
    model = keras.Model(inputs, outputs)
    if task == "classification":
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    else:
        model.compile(optimizer="adam", loss="mean_squared_error", metrics=["mae"])
    return model
'''
RECURRENT_CLASSES = ["SimpleRNN", "LSTM", "GRU"]
WINDOWS_KEPT = 256  # per part: enough for the cells to run, few enough to train in seconds


def _defines(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {node.name for node in tree.body if isinstance(node, ast.FunctionDef)} | {
        target.id for node in tree.body if isinstance(node, ast.Assign)
        for target in node.targets if isinstance(target, ast.Name)}


def _without_asserts(source: str) -> str:
    """The cell's code without its top-level assert statements."""
    tree = ast.parse(source)
    tree.body = [node for node in tree.body if not isinstance(node, ast.Assert)]
    return ast.unparse(tree)


def run_display_cells(path) -> dict:
    """Run the code cells of the notebook up to the lag experiment, but the check() cells and
    their assertions, a functional build_model in place of the reference's and ``data`` cut
    short; return what the display cells showed: the printed text per cell, the titles of each
    figure shown, and the namespace."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figures: list[list[str]] = []

    def show(*args, **kwargs):
        figures.append([ax.get_title() for ax in plt.gcf().axes])
        plt.close("all")

    namespace: dict = {"__name__": "__main__"}
    printed: list[str] = []
    notebook = nbformat.read(str(path), as_version=4)
    for cell in notebook.cells:
        if cell.cell_type != "code" or cell.source.strip().startswith("check("):
            continue
        if "def make_lag_task" in cell.source:
            break
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(_without_asserts(cell.source), "<cell>", "exec"), namespace)
        printed.append(out.getvalue())
        names = _defines(cell.source)
        if "plt" in namespace:
            namespace["plt"].show = show
        if "build_model" in names:
            exec(FUNCTIONAL_BUILD_MODEL, namespace)
        if "data" in names:
            namespace["data"] = {k: v[:WINDOWS_KEPT] if k.startswith(("X_", "y_")) else v
                                 for k, v in namespace["data"].items()}
    return {"printed": printed, "figures": figures, "namespace": namespace}


@pytest.mark.slow
def test_display_cells_show_the_recurrent_layer_of_a_functional_model():
    """With a functional build_model (which starts with an InputLayer and gets full marks), do
    the parameter table, the learning-curve titles and the accuracy table name SimpleRNN, LSTM
    and GRU with their own parameter counts?"""
    shown = run_display_cells(reference_notebook(ASSIGNMENT))
    table = next(text for text in shown["printed"] if "(formula" in text)
    assert "InputLayer" not in table, table
    for line, expected in zip(table.strip().splitlines(), RECURRENT_CLASSES):
        counted, formula = re.search(r"(\d+) parameters \(formula (\d+)\)", line).groups()
        assert expected in line and counted == formula, line
    assert RECURRENT_CLASSES in shown["figures"], shown["figures"]
    rows = shown["namespace"]["rows"]
    assert set(RECURRENT_CLASSES) <= set(rows), sorted(rows)
    forget_gates = shown["namespace"]["forget"]  # (H, T) of the LSTM's own cell, run by hand
    assert forget_gates.shape == (16, 20), forget_gates.shape
