"""Helpers to write a reference notebook in nbgrader's source format from Python.

Used once by whoever authors a new notebook; the committed .ipynb, not the script that wrote
it, is the source of truth. Cells: ``md(text)`` a locked Markdown cell, ``code(src)`` a plain
cell students may run or edit, ``solution(id, src)`` an exercise (### BEGIN/END SOLUTION
inside), ``selfcheck(function)`` the locked cell that runs the function's public checks.
"""

from __future__ import annotations

import textwrap

import nbformat


def _meta(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {"schema_version": 3, "grade": grade, "grade_id": grade_id, "locked": locked,
            "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return {"nbgrader": meta}


class Notebook:
    def __init__(self) -> None:
        self.cells = []
        self._n = 0

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}_{self._n:02d}"

    def md(self, text: str) -> None:
        cell = nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())
        cell.metadata = _meta(self._id("md"), locked=True)
        self.cells.append(cell)

    def code(self, src: str) -> None:
        self.cells.append(nbformat.v4.new_code_cell(textwrap.dedent(src).strip()))

    def solution(self, grade_id: str, src: str) -> None:
        cell = nbformat.v4.new_code_cell(textwrap.dedent(src).strip())
        cell.metadata = _meta(grade_id, solution=True)
        self.cells.append(cell)

    def selfcheck(self, function: str, points: float = 1) -> None:
        cell = nbformat.v4.new_code_cell(f'check("{function}")')
        cell.metadata = _meta(f"check_{function}", grade=True, locked=True, points=points)
        self.cells.append(cell)

    def write(self, path) -> None:
        notebook = nbformat.v4.new_notebook()
        notebook.cells = self.cells
        notebook.metadata = {
            "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
            "language_info": {"name": "python"},
        }
        for cell in notebook.cells:
            cell.pop("id", None)
        notebook.nbformat, notebook.nbformat_minor = 4, 4
        nbformat.write(notebook, str(path))
