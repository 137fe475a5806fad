"""Write submission folders for the hostile corpus: an honest notebook, changed by one attack.

Every submission is a folder of assignment folders, as a student's repository is, holding
``01_sequence_data/sequence_data.ipynb`` made from either honest notebook:

- ``"reference"``: ``solutions/01_sequence_data/sequence_data.ipynb``, full marks;
- ``"stub"``: the generated student copy ``assignments/...``, whose functions raise
  NotImplementedError, zero marks. An attack that aims to gain points starts from here, so any
  point it gets is a point it did not earn.
"""

from __future__ import annotations

import ast
import functools
import textwrap
from pathlib import Path

import nbformat

from tests.conftest import ASSIGNMENTS, SOLUTIONS, find_definition, replace_function

ASSIGNMENT = "01_sequence_data"
NOTEBOOK = "sequence_data.ipynb"
HONEST = {"reference": SOLUTIONS / ASSIGNMENT / NOTEBOOK,
          "stub": ASSIGNMENTS / ASSIGNMENT / NOTEBOOK}


def honest(base: str, **functions: str) -> nbformat.NotebookNode:
    """The honest notebook ``base`` with each named function replaced by the given source."""
    notebook = nbformat.read(str(HONEST[base]), as_version=4)
    for name, source in functions.items():
        replace_function(notebook, name, source)
    return notebook


def code(source: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_code_cell(textwrap.dedent(source).strip("\n"))


def prologue(notebook: nbformat.NotebookNode, name: str, source: str) -> nbformat.NotebookNode:
    """Run ``source`` at the start of function ``name``'s body (after its docstring), so the
    function still does its honest work afterwards."""
    index, node = find_definition(notebook, name)
    cell = notebook.cells[index]
    first = node.body[0]
    has_docstring = isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None),
                                                                 ast.Constant)
    after = first.end_lineno if has_docstring else first.lineno - 1
    lines = cell.source.splitlines()
    added = textwrap.indent(textwrap.dedent(source).strip("\n"), " " * first.col_offset)
    lines[after:after] = added.splitlines()
    cell.source = "\n".join(lines)
    return notebook


def cell_defining(notebook: nbformat.NotebookNode, name: str) -> int:
    """Index of the code cell whose top level defines ``name``."""
    return find_definition(notebook, name)[0]


def save(root: Path, notebook: nbformat.NotebookNode, name: str = NOTEBOOK) -> Path:
    """Write ``notebook`` as ``root/01_sequence_data/<name>``; return ``root``."""
    folder = root / ASSIGNMENT
    folder.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, str(folder / name))
    return root


def save_text(root: Path, data: bytes | str, name: str = NOTEBOOK) -> Path:
    """Write raw bytes or text where the notebook belongs (for notebooks that are not JSON)."""
    path = root / ASSIGNMENT / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return root


@functools.lru_cache(maxsize=None)
def dependents(name: str) -> frozenset[str]:
    """Graded functions whose reference code calls ``name``, directly or not (prepare_data
    calls make_windows): breaking ``name`` costs their checks too, by the contract."""
    notebook = honest("reference")
    calls: dict[str, set[str]] = {}
    for cell in notebook.cells:
        if cell.cell_type != "code":
            continue
        for node in ast.parse(cell.source).body:
            if isinstance(node, ast.FunctionDef):
                calls[node.name] = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    found, frontier = {name}, {name}
    while frontier:
        frontier = {f for f, used in calls.items() if used & frontier} - found
        found |= frontier
    return frozenset(found)
