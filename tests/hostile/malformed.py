"""Broken submissions: notebooks that are not JSON, old, reshuffled, renamed or missing.

None of them attacks the grader; each must still get a result with a clear message, never a
traceback, and lose only what the damage really costs.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

from tests.hostile.case import EVERY_FUNCTION, Case, Outcome
from tests.hostile.submissions import (ASSIGNMENT, HONEST, NOTEBOOK, cell_defining, code, honest,
                                       prologue, save, save_text)


def not_json(root: Path) -> Path:
    # A student saved the notebook's Python export under the notebook's name.
    return save_text(root, "def make_windows(features, targets, length):\n    return None\n")


def json_but_not_a_notebook(root: Path) -> Path:
    return save_text(root, json.dumps({"cells": 3, "metadata": []}))


def json_nested_too_deep(root: Path) -> Path:
    return save_text(root, "[" * 100_000 + "]" * 100_000)


def not_utf8(root: Path) -> Path:
    return save_text(root, b"\xff\xfe\x00\x00" + bytes(range(256)) * 4)


def old_nbformat(root: Path) -> Path:
    """The reference written as nbformat 3 (worksheets, ``input`` instead of ``source``)."""
    notebook = nbformat.convert(honest("reference"), 3)
    folder = root / ASSIGNMENT
    folder.mkdir(parents=True)
    (folder / NOTEBOOK).write_text(nbformat.writes(notebook, version=3))
    assert json.loads((folder / NOTEBOOK).read_text())["nbformat"] == 3
    return root


def cells_deleted(root: Path) -> Path:
    notebook = honest("reference")
    del notebook.cells[cell_defining(notebook, "load_prices")]
    return save(root, notebook)


def cells_reordered(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells.reverse()  # imports last, functions before what they call: still fine
    return save(root, notebook)


def cells_duplicated(root: Path) -> Path:
    """Every cell twice, after a first make_windows that is wrong: the last definition wins."""
    notebook = honest("reference")
    wrong = code("def make_windows(features, targets, length):\n    return None\n")
    notebook.cells = [wrong] + [cell for cell in notebook.cells for _ in (0, 1)]
    return save(root, notebook)


def redefined_later_with_a_mistake(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells.append(code("def make_windows(features, targets, length):\n    return None\n"))
    return save(root, notebook)


def code_in_markdown_cell(root: Path) -> Path:
    notebook = honest("reference")
    cell = notebook.cells[cell_defining(notebook, "make_windows")]
    notebook.cells[notebook.cells.index(cell)] = nbformat.v4.new_markdown_cell(cell.source)
    return save(root, notebook)


def cell_source_not_text(root: Path) -> Path:
    """Hand-edited JSON: the make_windows cell's source is a number."""
    notebook = honest("reference")
    index = cell_defining(notebook, "make_windows")
    data = json.loads(nbformat.writes(notebook))
    data["cells"][index]["source"] = 5
    return save_text(root, json.dumps(data))


def syntax_error_in_one_cell(root: Path) -> Path:
    notebook = honest("reference")
    cell = notebook.cells[cell_defining(notebook, "make_windows")]
    cell.source += "\n\ndef helper(:\n    pass\n"
    return save(root, notebook)


def compile_error_in_one_function(root: Path) -> Path:
    """Parses, but Python refuses to compile it: ``break`` outside a loop."""
    return save(root, prologue(honest("reference"), "make_windows", "break"))


def expression_too_deep_to_parse(root: Path) -> Path:
    notebook = honest("reference")
    cell = notebook.cells[cell_defining(notebook, "make_windows")]
    cell.source += "\n\nLIMIT = " + "1 + " * 200_000 + "1\n"
    return save(root, notebook)


def imports_missing_package(root: Path) -> Path:
    notebook = honest("reference")
    cell = notebook.cells[cell_defining(notebook, "make_windows")]
    cell.source = "import hostile_package_that_is_not_installed as helper\n\n" + cell.source
    return save(root, prologue(notebook, "make_windows", "helper.prepare()"))


def uses_global_from_dropped_cell(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells.append(code('SCALE = float("1.0")  # a call: the cell does not run when graded'))
    return save(root, prologue(notebook, "load_prices", "path = path if SCALE else None"))


def notebook_renamed(root: Path) -> Path:
    return save(root, honest("reference"), name="sequence_data (1).ipynb")


def notebook_missing(root: Path) -> Path:
    (root / ASSIGNMENT).mkdir(parents=True)
    (root / ASSIGNMENT / "README.md").write_text("I forgot to commit the notebook.\n")
    return root


def several_notebooks(root: Path) -> Path:
    save(root, honest("reference"), name="draft.ipynb")
    return save(root, honest("reference"), name="final.ipynb")


def empty_submission_folder(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    return root


def notebook_links_to_the_reference(root: Path) -> Path:
    """A symbolic link in the student's repository, pointing at the instructor's reference."""
    (root / ASSIGNMENT).mkdir(parents=True)
    (root / ASSIGNMENT / NOTEBOOK).symlink_to(HONEST["reference"])
    return root


def folder_links_to_the_solutions(root: Path) -> Path:
    root.mkdir(parents=True)
    (root / ASSIGNMENT).symlink_to(HONEST["reference"].parent, target_is_directory=True)
    return root


def _noted(words: str):
    def verify(outcome: Outcome) -> None:
        assert any(words in note for note in outcome.result["notes"]), outcome.result["notes"]
    return verify


CHAINED = ("make_windows", "prepare_data")  # prepare_data calls four other functions

def magics_that_stall_the_parser(root: Path) -> Path:
    """IPython's transforms of `!` lines take time quadratic in the lines of a cell; such cells
    are dropped anyway, so the grader need not transform them."""
    notebook = honest("reference")
    notebook.cells += [nbformat.v4.new_code_cell("!\n" * 750) for _ in range(3)]
    return save(root, notebook)


def _parses_quickly(outcome: Outcome) -> None:
    import time

    from autograder.submission import load_definitions

    started = time.monotonic()
    load_definitions(outcome.root / ASSIGNMENT / NOTEBOOK)
    assert time.monotonic() - started < 1, "reading the notebook took over a second"


def notebook_of_100000_cells(root: Path) -> Path:
    notebook = honest("reference")
    notebook.cells += [nbformat.v4.new_code_cell("") for _ in range(100_000)]
    return save(root, notebook)


def notebook_of_40MB(root: Path) -> Path:
    """Committed with a 40 MB output: nothing a notebook of this course needs."""
    notebook = honest("reference")
    picture = nbformat.v4.new_output("display_data", data={"image/png": "A" * (40 << 20)})
    notebook.cells[-1] = nbformat.v4.new_code_cell("plot()", outputs=[picture])
    return save(root, notebook)


CASES = [
    Case("not_json", "a file that is not JSON cannot be graded: every check errors, saying why",
         not_json, base="stub", loses=(EVERY_FUNCTION,), status="error", says="not valid JSON",
         cli=True, verify=_noted("not valid JSON")),
    Case("json_but_not_a_notebook", "JSON without a list of cells is not a notebook",
         json_but_not_a_notebook, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="not a valid notebook"),
    Case("json_nested_too_deep", "JSON nested 100,000 deep must not crash the grader's parser",
         json_nested_too_deep, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="not a notebook"),
    Case("not_utf8", "bytes that are not text are reported, not decoded by force",
         not_utf8, base="stub", loses=(EVERY_FUNCTION,), status="error", says="cannot read"),
    Case("old_nbformat", "an nbformat 3 notebook is upgraded and graded like any other",
         old_nbformat, functions=CHAINED),
    Case("cells_deleted", "deleting load_prices' cell costs load_prices' checks only",
         cells_deleted, loses=("load_prices",), status="error", says="not defined"),
    Case("cells_reordered", "definitions are taken, not run in order: the order does not matter",
         cells_reordered, functions=CHAINED),
    Case("cells_duplicated", "duplicates are harmless and the last definition wins, as in Python",
         cells_duplicated, functions=CHAINED),
    Case("redefined_later_with_a_mistake", "the last definition wins, also when it is wrong",
         redefined_later_with_a_mistake, loses=("make_windows",), status="failed"),
    Case("code_in_markdown_cell", "code in a Markdown cell never runs; the hint says so",
         code_in_markdown_cell, loses=("make_windows",), status="error", says="Markdown cell"),
    Case("cell_source_not_text", "a cell whose source is not text is skipped, not a crash",
         cell_source_not_text, loses=("make_windows",), status="error", says="not text"),
    Case("syntax_error_in_one_cell", "a cell that does not parse costs what it defines",
         syntax_error_in_one_cell, loses=("make_windows",), status="error", says="syntax error"),
    Case("compile_error_in_one_function", "`break` outside a loop costs its function only",
         compile_error_in_one_function, loses=("make_windows",), status="error",
         says="'break' outside loop"),
    Case("expression_too_deep_to_parse", "a cell too deep for Python's parser is skipped",
         expression_too_deep_to_parse, loses=("make_windows",), status="error",
         says="not defined"),
    Case("imports_missing_package", "an import that fails costs the functions that need it",
         imports_missing_package, loses=("make_windows",), status="error",
         says="ModuleNotFoundError"),
    Case("uses_global_from_dropped_cell", "a global computed by a skipped cell: the hint says so",
         uses_global_from_dropped_cell, loses=("load_prices",), status="error",
         says="does not run during grading"),
    Case("notebook_renamed", "the only notebook in the folder is graded, with a note",
         notebook_renamed, functions=CHAINED, verify=_noted("expected the name")),
    Case("notebook_missing", "no notebook: every check errors, saying which file is missing",
         notebook_missing, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="is missing"),
    Case("several_notebooks", "two candidates and neither has the right name: none is guessed",
         several_notebooks, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="several notebooks"),
    Case("empty_submission_folder", "an empty repository: a result file with zero, exit 0",
         empty_submission_folder, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="is missing", cli=True),
    Case("notebook_links_to_the_reference", "a symbolic link out of the submission is not read",
         notebook_links_to_the_reference, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="outside the submission", gains=True),
    Case("folder_links_to_the_solutions", "a linked assignment folder is outside the submission",
         folder_links_to_the_solutions, base="stub", loses=(EVERY_FUNCTION,), status="error",
         says="outside the submission", gains=True),
    Case("magics_that_stall_the_parser", "`!` and `%` lines are blanked, never transformed by "
         "IPython, whose transforms take seconds on such cells", magics_that_stall_the_parser,
         functions=("add_target", "make_windows"), verify=_parses_quickly),
    Case("notebook_of_100000_cells", "a notebook over the cell limit is refused with a message",
         notebook_of_100000_cells, loses=(EVERY_FUNCTION,), status="error",
         says="over the grader's limit", slow=True),
    Case("notebook_of_40MB", "a notebook over the size limit is refused with a message",
         notebook_of_40MB, loses=(EVERY_FUNCTION,), status="error",
         says="over the grader's limit"),
]
