"""Which assignments' answers a set of files gives away, found by reading the code.

The answer to a graded function is its body in ``solutions/``. A file gives it away when

- it defines a function whose *normalised* body equals that reference body: a copy, renamed or
  not (the docstring dropped, every variable, argument and function name replaced by the order
  in which it is first used, so renaming ``df`` to ``frame`` changes nothing), or
- a notebook defines a function with the name of a graded function and a body that no longer
  raises ``NotImplementedError``: an adapted working copy, such as the cell in which notebooks
  03 and 04 reuse assignment 01's data pipeline (shorter than the reference, without its
  validation, and still worth most of 01's points when pasted into 01's stub).

The second rule reads notebooks only: the grader's own modules define helpers such as
``autograder.expected.evaluate_aapl.rmse`` that share a graded function's name by design.
Used by the student bundle and the Gradescope zip, which refuse to ship an answer that they
do not declare.
"""

from __future__ import annotations

import ast
import copy
import json
from dataclasses import dataclass
from pathlib import Path

from autograder.course import ROOT, known_assignments

# Reference bodies smaller than this (AST nodes) are too generic to call a match a copy:
# ``return np.mean(a == b)`` may be written by anyone.
MIN_NODES = 12


@dataclass(frozen=True)
class Finding:
    """One function in a shipped file that answers a graded function."""

    file: str  # relative to the folder that was read
    function: str  # its name in that file
    assignment: str  # the assignment whose answer it is
    graded: str  # the graded function it answers
    how: str  # "the reference's code" or "a working copy"

    def describe(self) -> str:
        name = self.graded if self.function == self.graded else \
            f"{self.graded} (as {self.function})"
        return f"{self.file}: {name} of {self.assignment}, {self.how}"


def find_answers(folder: Path, files: list[str], root: Path = ROOT) -> list[Finding]:
    """Every function in ``files`` (paths relative to ``folder``; .py files and notebooks)
    that gives away an answer of ``root``'s solutions/."""
    references = reference_bodies(root)
    graded = graded_functions()
    findings = []
    for name in files:
        if not name.endswith((".py", ".ipynb")):
            continue
        notebook = name.endswith(".ipynb")
        for function in _functions(Path(folder) / name):
            body = normalised_body(function)
            if body in references:
                assignment, reference = references[body]
                findings.append(Finding(name, function.name, assignment, reference,
                                        "the reference's code"))
            elif notebook and function.name in graded and not is_stub(function):
                findings.append(Finding(name, function.name, graded[function.name],
                                        function.name, "a working copy"))
    return findings


def graded_functions() -> dict[str, str]:
    """{graded function: its assignment} for every assignment that has checks."""
    from autograder.engine.catalogue import functions_of

    return {f: a for a in known_assignments() for f in functions_of(a)}


def reference_bodies(root: Path = ROOT) -> dict[str, tuple[str, str]]:
    """{normalised body: (assignment, graded function)} of every reference notebook under
    ``root``/solutions, bodies under MIN_NODES left out."""
    graded = graded_functions()
    bodies = {}
    for assignment in known_assignments():
        for notebook in sorted((root / "solutions" / assignment).glob("*.ipynb")):
            for function in _functions(notebook):
                if graded.get(function.name) != assignment:
                    continue
                body = normalised_body(function)
                if _size(body) >= MIN_NODES:
                    bodies[body] = (assignment, function.name)
    return bodies


def normalised_body(function: ast.FunctionDef | ast.AsyncFunctionDef) -> str:
    """The function's body without its docstring, every name replaced by its order of first
    use, as an AST dump (comments, spacing and annotations never count)."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]
    module = _Strip().visit(ast.Module(body=copy.deepcopy(body), type_ignores=[]))
    names: dict[str, str] = {}
    for node in ast.walk(module):  # one numbering across the whole body
        if isinstance(node, (ast.keyword, ast.alias)):  # keyword and module names are API
            continue
        for field in ("id", "arg", "name"):
            value = getattr(node, field, None)
            if isinstance(value, str):
                setattr(node, field, names.setdefault(value, f"v{len(names)}"))
    return ast.dump(module, annotate_fields=False)


def is_stub(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Does the function still raise NotImplementedError (nbgrader's stub)?"""
    return any(isinstance(node, ast.Raise) and node.exc is not None
               and "NotImplementedError" in ast.unparse(node.exc)
               for node in ast.walk(function))


class _Strip(ast.NodeTransformer):
    """Drop what never changes behaviour: annotations."""

    def visit_arg(self, node: ast.arg) -> ast.arg:
        node.annotation = None
        return node

    def visit_AnnAssign(self, node: ast.AnnAssign):
        if node.value is None:
            return None
        return ast.Assign(targets=[node.target], value=self.visit(node.value))

    def visit_FunctionDef(self, node):
        node.returns = None
        self.generic_visit(node)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef


def _size(dump: str) -> int:
    return dump.count("(")


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    """Every function definition (nested ones too) in a .py file or a notebook's code cells;
    cells that do not parse are skipped (a notebook is read, never run)."""
    if path.suffix == ".ipynb":
        try:
            cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError, AttributeError):
            return []
        sources = []
        for cell in cells:
            if isinstance(cell, dict) and cell.get("cell_type") == "code":
                source = cell.get("source", "")
                sources.append("".join(source) if isinstance(source, list) else str(source))
    else:
        try:
            sources = [path.read_text(encoding="utf-8")]
        except (OSError, UnicodeDecodeError):
            return []
    found = []
    for source in sources:
        # IPython lines (%matplotlib inline, !pip) are not Python: blank them, keep numbering.
        source = "\n".join("" if line.lstrip().startswith(("%", "!")) else line
                           for line in source.splitlines())
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError):
            continue
        found += [node for node in ast.walk(tree)
                  if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]
    return found
