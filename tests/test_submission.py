"""What grading takes from a notebook: definitions only, with notes that become hints."""

import nbformat
import pytest

from autograder.submission import UnreadableNotebook, extract_definitions, read_notebook


def _definitions(*sources, markdown=()):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in sources] + \
        [nbformat.v4.new_markdown_cell(m) for m in markdown]
    return extract_definitions(notebook)


def test_keeps_definitions_and_drops_computation():
    """Are imports, defs, classes and constants kept, and calls and loops dropped?"""
    found = _definitions(
        "import numpy as np\nFEATURES = ('Open', 'Close')\ndata = np.load('x')\n",
        "def f():\n    return data\n\nclass A:\n    pass\n\nfor i in range(10**9):\n    pass\n",
        "%matplotlib inline\n!pip install foo\nmodel = train()\n")
    assert found.defined_names() == {"np", "FEATURES", "f", "A"}
    assert found.dropped_names == {"data": 1, "i": 2, "model": 3}
    assert "cell 1" in found.why_name_error("data")


def test_decorators_and_line_numbers_survive():
    """Does a decorated function keep its decorator and its line number in the cell?"""
    found = _definitions("x = 1\n\n@staticmethod\ndef g():\n    pass\n")
    statement = [s for s in found.statements if s.names == ("g",)][0]
    assert statement.line == 3 and "@staticmethod" in statement.source
    assert statement.source.count("\n") >= 3  # padded so tracebacks name the cell's line


def test_syntax_error_and_markdown_code_are_explained():
    """Does a hint say why a function is missing: a syntax error, or code in Markdown?"""
    found = _definitions("def broken(:\n    pass\n", markdown=["def make_windows(a):\n    pass"])
    assert "syntax error" in found.why_missing("other") and "cell 1" in found.why_missing("other")
    assert "Markdown" in found.why_missing("make_windows")


def test_constant_with_a_call_is_not_a_constant():
    """Is `X = load()` dropped while `try: import x / except ImportError: x = None` is kept?"""
    found = _definitions("X = load()\ntry:\n    import foo\nexcept ImportError:\n    foo = None\n")
    assert found.defined_names() == {"foo"} and "X" in found.dropped_names


def test_unreadable_notebooks_say_why(tmp_path):
    """Is a file that is not JSON, or not a notebook, reported in one clear line?"""
    bad = tmp_path / "a.ipynb"
    bad.write_text("{not json")
    with pytest.raises(UnreadableNotebook, match="not valid JSON"):
        read_notebook(bad)
    bad.write_text('{"cells": 3}')
    with pytest.raises(UnreadableNotebook):
        read_notebook(bad)
