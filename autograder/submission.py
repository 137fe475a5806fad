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

Everything here is bounded, because the grader does it with untrusted input before any sandbox:
the file is read once, never through a link, at most MAX_NOTEBOOK_BYTES; a notebook holds at
most MAX_CELLS cells; a cell over MAX_CELL_CHARS, or past MAX_SOURCE_CHARS or MAX_AST_NODES of
the whole notebook, is skipped with a note. IPython's `%` and `!` lines are blanked (line
numbers kept) and `%%` cells dropped, never transformed by IPython, whose transforms take
seconds on a crafted cell: what they would produce is a call, which grading drops anyway.
"""

from __future__ import annotations

import ast
import errno
import json
import os
import re
import stat
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


MAX_NOTEBOOK_BYTES = 32 << 20  # a notebook of this course is 40 kB; outputs can weigh more
MAX_CELLS = 2_000
MAX_CELL_CHARS = 100_000
MAX_SOURCE_CHARS = 500_000  # of all code cells: about a second and a half of parsing
MAX_AST_NODES = 200_000

# A line IPython would transform: `%magic`, `!shell`, `x = %magic`, `x = !shell`, `obj?`.
_IPYTHON_LINE = re.compile(r"^[ \t]*(?:[%!]|[\w.]+[ \t]*=[ \t]*[%!]|\?{1,2}[\w.]"
                           r"|[\w.]+\?{1,2}[ \t]*$).*$", re.MULTILINE)
_MARKDOWN_DEF = re.compile(r"^\s*def\s+([A-Za-z_]\w*)\s*\(", re.MULTILINE)


def read_bytes(path: Path, within: Path | None = None) -> bytes:
    """The file's bytes, read once and safely: never through a symbolic link (O_NOFOLLOW),
    only a regular file (O_NONBLOCK: a FIFO cannot hang the grader), the open file's real
    path inside ``within`` when given, at most MAX_NOTEBOOK_BYTES. UnreadableNotebook says
    what is wrong."""
    name = Path(path).name
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as err:
        if err.errno == errno.ELOOP:
            raise UnreadableNotebook(f"{name} is a symbolic link: commit the notebook itself")\
                from None
        raise UnreadableNotebook(f"cannot read {name}: {err.strerror}") from None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnreadableNotebook(f"{name} is not a file: commit the notebook itself")
        if within is not None:  # the file we hold, wherever links on the way pointed
            try:
                real = Path(os.readlink(f"/proc/self/fd/{fd}"))
            except OSError:  # no /proc: the path's, resolved now
                real = Path(path).resolve()
            if not real.is_relative_to(Path(within).resolve()):
                raise UnreadableNotebook(f"{name} is a link to a file outside the submission: "
                                         "commit the notebook itself")
        data = handle.read(MAX_NOTEBOOK_BYTES + 1)
    if len(data) > MAX_NOTEBOOK_BYTES:
        raise UnreadableNotebook(
            f"{name} is over the grader's limit of {MAX_NOTEBOOK_BYTES >> 20} MB: clear its "
            "outputs (Kernel > Restart Kernel and Clear All Outputs), save, and commit it again")
    return data


def parse_notebook(data: bytes, name: str) -> nbformat.NotebookNode:
    """A notebook of any nbformat version, as v4, from its bytes; or UnreadableNotebook."""
    import nbformat

    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise UnreadableNotebook(f"cannot read {name}: it is not text ({err.reason})") from None
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as err:
        raise UnreadableNotebook(
            f"{name} is not a notebook (not valid JSON: {err.msg} at line {err.lineno}); "
            "restore it from git or download it again from Jupyter") from None
    except RecursionError:  # JSON nested deeper than any notebook is
        raise UnreadableNotebook(f"{name} is not a notebook (its JSON is nested too "
                                 "deeply); restore it from git") from None
    cells = _count_cells(raw)
    if cells > MAX_CELLS:  # counted before nbformat builds and validates each one
        raise UnreadableNotebook(f"{name} has {cells:,} cells, over the grader's limit of "
                                 f"{MAX_CELLS:,}: restore it from git")
    try:
        notebook = nbformat.reads(text, as_version=4)
    except Exception as err:  # nbformat raises several unrelated types for bad structure
        raise UnreadableNotebook(f"{name} is not a valid notebook: {err}") from None
    if not isinstance(notebook.get("cells"), list):
        raise UnreadableNotebook(f"{name} has no cells")
    return notebook


def read_notebook(path: Path, within: Path | None = None) -> nbformat.NotebookNode:
    """read_bytes then parse_notebook: a notebook of any nbformat version as v4."""
    return parse_notebook(read_bytes(path, within), Path(path).name)


def _count_cells(raw) -> int:
    if not isinstance(raw, dict):
        return 0
    cells = raw.get("cells")
    if isinstance(cells, list):
        return len(cells)
    worksheets = raw.get("worksheets")  # nbformat 3
    if isinstance(worksheets, list):
        return sum(len(w.get("cells", [])) for w in worksheets
                   if isinstance(w, dict) and isinstance(w.get("cells"), list))
    return 0


def extract_definitions(notebook: nbformat.NotebookNode) -> Definitions:
    """Keep the definitions of every code cell, in order; note what was dropped and why."""
    statements: list[Statement] = []
    dropped_names: dict[str, int] = {}
    syntax_errors: list[str] = []
    markdown_defs: dict[str, int] = {}
    chars = nodes = 0  # of the code parsed so far: the grader's work is bounded
    for index, cell in enumerate(notebook.cells[:MAX_CELLS], start=1):
        source = cell.get("source") or ""
        if isinstance(source, list):  # tolerate hand-edited JSON with line lists
            source = "".join(s for s in source if isinstance(s, str))
        if not isinstance(source, str):  # hand-edited JSON: skip the cell, say why
            syntax_errors.append(f"cell {index}: its source is not text")
            continue
        if cell.get("cell_type") == "markdown":
            for name in _MARKDOWN_DEF.findall(source[:MAX_CELL_CHARS]):
                markdown_defs.setdefault(name, index)
            continue
        if cell.get("cell_type") != "code":
            continue
        chars += len(source)
        if len(source) > MAX_CELL_CHARS or chars > MAX_SOURCE_CHARS:
            syntax_errors.append(f"cell {index}: skipped, over the grader's limit of "
                                 f"{MAX_CELL_CHARS:,} characters a cell and "
                                 f"{MAX_SOURCE_CHARS:,} a notebook")
            continue
        try:
            source = _without_ipython_syntax(source)
            tree = ast.parse(source)
        except SyntaxError as err:
            syntax_errors.append(f"cell {index}, line {err.lineno}: {err.msg}")
            continue
        except (RecursionError, MemoryError):  # an expression too deep for Python's parser
            syntax_errors.append(f"cell {index}: too deeply nested for Python to parse")
            continue
        nodes += sum(1 for _ in ast.walk(tree))
        if nodes > MAX_AST_NODES:
            syntax_errors.append(f"cell {index}: skipped, over the grader's limit of "
                                 f"{MAX_AST_NODES:,} syntax nodes a notebook")
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


def load_definitions(path: Path, within: Path | None = None) -> Definitions:
    """read_notebook then extract_definitions: what the grader does with a submission."""
    return extract_definitions(read_notebook(path, within))


def _without_ipython_syntax(source: str) -> str:
    """The cell as Python: a `%%` cell is none (its magic would get the whole cell as text);
    otherwise the lines IPython would transform (`%matplotlib`, `!pip`, `x = !ls`, `f?`) are
    blanked, keeping the others at their line numbers. A cell that parses as it is stays as it
    is (`x = (a\n  % b)` is Python)."""
    if source.lstrip().startswith("%%"):
        return ""
    if not _IPYTHON_LINE.search(source):
        return source
    try:
        ast.parse(source)
        return source
    except SyntaxError:
        return _IPYTHON_LINE.sub("", source)


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
