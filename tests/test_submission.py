"""What grading takes from a notebook: definitions only, with notes that become hints."""

import nbformat
import pytest

from autograder.submission import UnreadableNotebook, extract_definitions, read_notebook


def _definitions(*sources, markdown=()):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(s) for s in sources] + \
        [nbformat.v4.new_markdown_cell(m) for m in markdown]
    return extract_definitions(notebook)


@pytest.mark.unit
def test_keeps_definitions_and_drops_computation():
    """Are imports, defs, classes and constants kept, and calls and loops dropped?"""
    found = _definitions(
        "import numpy as np\nFEATURES = ('Open', 'Close')\ndata = np.load('x')\n",
        "def f():\n    return data\n\nclass A:\n    pass\n\nfor i in range(10**9):\n    pass\n",
        "%matplotlib inline\n!pip install foo\nmodel = train()\n")
    assert found.defined_names() == {"np", "FEATURES", "f", "A"}
    assert found.dropped_names == {"data": 1, "i": 2, "model": 3}
    assert "cell 1" in found.why_name_error("data")


@pytest.mark.unit
def test_decorators_and_line_numbers_survive():
    """Does a decorated function keep its decorator and its line number in the cell?"""
    found = _definitions("x = 1\n\n@staticmethod\ndef g():\n    pass\n")
    statement = [s for s in found.statements if s.names == ("g",)][0]
    assert statement.line == 3 and "@staticmethod" in statement.source
    assert statement.source.count("\n") >= 3  # padded so tracebacks name the cell's line


@pytest.mark.unit
def test_syntax_error_and_markdown_code_are_explained():
    """Does a hint say why a function is missing: a syntax error, or code in Markdown?"""
    found = _definitions("def broken(:\n    pass\n", markdown=["def make_windows(a):\n    pass"])
    assert "syntax error" in found.why_missing("other") and "cell 1" in found.why_missing("other")
    assert "Markdown" in found.why_missing("make_windows")


@pytest.mark.unit
def test_constant_with_a_call_is_not_a_constant():
    """Is `X = load()` dropped while `try: import x / except ImportError: x = None` is kept?"""
    found = _definitions("X = load()\ntry:\n    import foo\nexcept ImportError:\n    foo = None\n")
    assert found.defined_names() == {"foo"} and "X" in found.dropped_names


@pytest.mark.unit
def test_unreadable_notebooks_say_why(tmp_path):
    """Is a file that is not JSON, or not a notebook, reported in one clear line?"""
    bad = tmp_path / "a.ipynb"
    bad.write_text("{not json")
    with pytest.raises(UnreadableNotebook, match="not valid JSON"):
        read_notebook(bad)
    bad.write_text('{"cells": 3}')
    with pytest.raises(UnreadableNotebook):
        read_notebook(bad)


@pytest.mark.unit
def test_ipython_lines_are_blanked_not_transformed():
    """Are `%`, `!`, `x = !cmd` and `obj?` lines blanked with line numbers kept, `%%` cells
    dropped, Python that merely starts a line with `%` kept, and a crafted cell quick?"""
    import time

    found = _definitions("%matplotlib inline\nfiles = !ls\nnp.mean?\n\ndef f():\n    return 1\n",
                         "%%time\ndef g():\n    pass\n",
                         "x = (10\n     % 3)\ndef h():\n    return x\n",
                         "!\n" * 750)
    assert found.defined_names() == {"f", "h", "x"} and not found.syntax_errors
    assert [s.line for s in found.statements if s.names == ("f",)] == [5]
    started = time.monotonic()
    _definitions(*["!\n" * 750] * 20)
    assert time.monotonic() - started < 1


@pytest.mark.unit
def test_oversized_cells_and_notebooks_are_refused_with_a_message(tmp_path):
    """Is a cell over the size limit skipped with a note, and a notebook of too many cells or
    bytes refused in one line, before nbformat builds it?"""
    from autograder import submission

    found = _definitions("X = [" + "0, " * submission.MAX_CELL_CHARS + "]",
                         "def f():\n    pass\n")
    assert found.defined_names() == {"f"} and "limit" in found.syntax_errors[0]
    many = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("")] *
                                    (submission.MAX_CELLS + 1))
    path = tmp_path / "many.ipynb"
    nbformat.write(many, str(path))
    with pytest.raises(UnreadableNotebook, match="cells, over the grader's limit"):
        read_notebook(path)
    big = tmp_path / "big.ipynb"
    big.write_bytes(b" " * (submission.MAX_NOTEBOOK_BYTES + 1))
    with pytest.raises(UnreadableNotebook, match="over the grader's limit"):
        read_notebook(big)


@pytest.mark.unit
def test_notebooks_are_read_only_as_files_inside_the_submission(tmp_path):
    """Is a notebook that is a symbolic link, a FIFO, or (through a linked folder) a file
    outside the submission refused, and a plain one read?"""
    import os

    outside = tmp_path / "outside"
    outside.mkdir()
    nbformat.write(nbformat.v4.new_notebook(), str(outside / "a.ipynb"))
    submitted = tmp_path / "submitted"
    submitted.mkdir()
    (submitted / "link.ipynb").symlink_to(outside / "a.ipynb")
    (submitted / "folder").symlink_to(outside)
    os.mkfifo(submitted / "fifo.ipynb")
    with pytest.raises(UnreadableNotebook, match="symbolic link"):
        read_notebook(submitted / "link.ipynb", within=submitted)
    with pytest.raises(UnreadableNotebook, match="outside the submission"):
        read_notebook(submitted / "folder" / "a.ipynb", within=submitted)
    with pytest.raises(UnreadableNotebook, match="not a file"):
        read_notebook(submitted / "fifo.ipynb", within=submitted)
    assert read_notebook(outside / "a.ipynb", within=outside).cells == []
