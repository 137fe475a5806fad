"""Read a student's notebook and keep only what grading may run: its definitions.

A notebook is untrusted input. Grading never runs it top to bottom: a cell that trains for ten
minutes, loops forever, downloads or plots would decide the grade by accident. Instead each code
cell is parsed and only these top-level statements are kept, in notebook order:

- imports (``import x``, ``from x import y``),
- function and class definitions (with their decorators),
- constants: assignments whose value holds no call, e.g. ``FEATURES = ["Volume", "Open"]``,
- ``try`` / ``if`` blocks made only of the above (``try: import x / except ImportError: ...``).

Everything else is dropped and remembered, so a hint can say "`df` is computed in cell 7, which
does not run during grading" when a graded function needs it. Later definitions replace earlier
ones, as in Python.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported where notebooks are read: the sandbox only needs Definitions,
    import nbformat  # and importing nbformat (jsonschema's format checkers) takes seconds


class UnreadableNotebook(Exception):
    """The notebook cannot be graded at all; the message says why, for the student."""


@dataclass(frozen=True)
class Statement:
    """One kept top-level statement: its source, padded so line numbers match the cell."""

    cell: int  # 1-based index among the notebook's cells, as Jupyter shows them
    line: int  # first line of the statement inside its cell
    source: str
    names: tuple[str, ...]  # names the statement binds


@dataclass(frozen=True)
class Definitions:
    """What grading takes from a notebook, and notes that explain what it left out. Immutable:
    grading a notebook never changes it; ``without`` makes the copy that leaves statements out."""

    statements: tuple[Statement, ...] = ()
    dropped_names: dict[str, int] = field(default_factory=dict)  # name -> cell that computes it
    syntax_errors: tuple[str, ...] = ()  # one line per cell that did not parse
    markdown_defs: dict[str, int] = field(default_factory=dict)  # "def f(" seen in a markdown cell
    failed: dict[str, str] = field(default_factory=dict)  # name -> why its definition is left out

    def defined_names(self) -> set[str]:
        return {name for st in self.statements for name in st.names}

    def to_json(self) -> dict:
        return {
            "statements": [st.__dict__ | {"names": list(st.names)} for st in self.statements],
            "dropped_names": dict(self.dropped_names),
            "syntax_errors": list(self.syntax_errors),
            "markdown_defs": dict(self.markdown_defs),
            "failed": dict(self.failed),
        }

    @classmethod
    def from_json(cls, data: dict) -> "Definitions":
        return cls(
            statements=tuple(Statement(**(s | {"names": tuple(s["names"])}))
                             for s in data["statements"]),
            dropped_names=dict(data["dropped_names"]),
            syntax_errors=tuple(data["syntax_errors"]),
            markdown_defs=dict(data["markdown_defs"]),
            failed=dict(data.get("failed", {})),
        )

    def without(self, indices, why: str) -> "Definitions":
        """A copy without the statements at ``indices`` (one ended or stalled the sandbox while
        being defined, so every later check would pay for it again); their names fail with
        ``why``. Indices that are not statements' (a child may say anything) are ignored."""
        drop = {i for i in indices if isinstance(i, int) and 0 <= i < len(self.statements)}
        if not drop:
            return self
        failed = dict(self.failed)
        for index in sorted(drop):
            statement = self.statements[index]
            for name in statement.names:
                failed[name] = f"its definition in cell {statement.cell} {why}"
        kept = tuple(st for i, st in enumerate(self.statements) if i not in drop)
        return replace(self, statements=kept, failed=failed)

    def why_missing(self, name: str) -> str:
        """A hint for a graded function that the notebook does not define."""
        if name in self.markdown_defs:
            return (f"`{name}` is written in a Markdown cell (cell {self.markdown_defs[name]}), "
                    "which never runs: change that cell's type to Code.")
        if self.syntax_errors:
            return (f"`{name}` is not defined: a cell with a syntax error was skipped "
                    f"({self.syntax_errors[0]}).")
        return f"`{name}` is not defined in the notebook: keep the function's name and signature."

    def why_name_error(self, missing_global: str) -> str | None:
        """A hint when student code needs a global computed by a cell that grading skips."""
        cell = self.dropped_names.get(missing_global)
        if cell is None:
            return None
        return (f"`{missing_global}` is computed in cell {cell}, which does not run during "
                "grading (only imports, functions, classes and constants do): compute it inside "
                "the function or take it as an argument.")


_MAGIC_LINE = re.compile(r"^\s*[%!]", re.MULTILINE)
_MARKDOWN_DEF = re.compile(r"^\s*def\s+([A-Za-z_]\w*)\s*\(", re.MULTILINE)


def read_notebook(path: Path) -> nbformat.NotebookNode:
    """Load a notebook of any nbformat version as v4, or raise UnreadableNotebook."""
    import nbformat

    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise UnreadableNotebook(f"cannot read {Path(path).name}: {err}") from None
    try:
        json.loads(text)
    except json.JSONDecodeError as err:
        raise UnreadableNotebook(
            f"{Path(path).name} is not a notebook (not valid JSON: {err.msg} at line {err.lineno}); "
            "restore it from git or download it again from Jupyter") from None
    except RecursionError:  # JSON nested deeper than any notebook is
        raise UnreadableNotebook(f"{Path(path).name} is not a notebook (its JSON is nested too "
                                 "deeply); restore it from git") from None
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises several unrelated types for bad structure
        raise UnreadableNotebook(f"{Path(path).name} is not a valid notebook: {err}") from None
    if not isinstance(notebook.get("cells"), list):
        raise UnreadableNotebook(f"{Path(path).name} has no cells")
    return notebook


def extract_definitions(notebook: nbformat.NotebookNode) -> Definitions:
    """Keep the definitions of every code cell, in order; note what was dropped and why."""
    statements: list[Statement] = []
    dropped_names: dict[str, int] = {}
    syntax_errors: list[str] = []
    markdown_defs: dict[str, int] = {}
    for index, cell in enumerate(notebook.cells, start=1):
        source = cell.get("source") or ""
        if isinstance(source, list):  # tolerate hand-edited JSON with line lists
            source = "".join(source)
        if not isinstance(source, str):  # hand-edited JSON: skip the cell, say why
            syntax_errors.append(f"cell {index}: its source is not text")
            continue
        if cell.get("cell_type") == "markdown":
            for name in _MARKDOWN_DEF.findall(source):
                markdown_defs.setdefault(name, index)
            continue
        if cell.get("cell_type") != "code":
            continue
        source = _without_ipython_syntax(source)
        try:
            tree = ast.parse(source)
        except SyntaxError as err:
            syntax_errors.append(f"cell {index}, line {err.lineno}: {err.msg}")
            continue
        except (RecursionError, MemoryError):  # an expression too deep for Python's parser
            syntax_errors.append(f"cell {index}: too deeply nested for Python to parse")
            continue
        lines = source.splitlines(keepends=True)
        for node in tree.body:
            if _is_definition(node):
                start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
                text = "".join(lines[start - 1:node.end_lineno])
                statements.append(Statement(
                    cell=index, line=start, source="\n" * (start - 1) + text,
                    names=tuple(sorted(_bound_names(node)))))
            else:
                for name in _bound_names(node):
                    dropped_names[name] = index
    return Definitions(tuple(statements), dropped_names, tuple(syntax_errors), markdown_defs)


def load_definitions(path: Path) -> Definitions:
    """read_notebook then extract_definitions: what the grader does with a submission."""
    return extract_definitions(read_notebook(path))


def _without_ipython_syntax(source: str) -> str:
    """Turn magics (``%matplotlib``, ``!pip``) into plain calls, which are then dropped."""
    if not _MAGIC_LINE.search(source):
        return source
    from IPython.core.inputtransformer2 import TransformerManager

    try:
        return TransformerManager().transform_cell(source)
    except Exception:  # a malformed magic: let ast report the syntax error
        return source


def _is_definition(node: ast.stmt) -> bool:
    if isinstance(node, (ast.Import, ast.ImportFrom, ast.FunctionDef, ast.AsyncFunctionDef,
                         ast.ClassDef)):
        return True
    if isinstance(node, (ast.Assign, ast.AnnAssign)):
        return node.value is not None and _is_constant_expression(node.value)
    if isinstance(node, ast.Try):
        blocks = node.body + node.orelse + node.finalbody + [
            s for handler in node.handlers for s in handler.body]
        return all(_is_definition(s) or isinstance(s, ast.Pass) for s in blocks)
    if isinstance(node, ast.If):
        return (_is_constant_expression(node.test)
                and all(_is_definition(s) or isinstance(s, ast.Pass)
                        for s in node.body + node.orelse))
    return False


def _is_constant_expression(node: ast.expr) -> bool:
    """No calls, comprehensions, awaits or walrus: evaluating it cannot run student code."""
    forbidden = (ast.Call, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp,
                 ast.Await, ast.Yield, ast.YieldFrom, ast.NamedExpr, ast.Subscript)
    return not any(isinstance(sub, forbidden) for sub in ast.walk(node))


def _bound_names(node: ast.stmt) -> set[str]:
    """Top-level names a statement binds (targets of assignment, imports, defs)."""
    names: set[str] = set()
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return {(alias.asname or alias.name).split(".")[0] for alias in node.names}
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
            names.add(sub.id)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in sub.names)
    return names
