"""OUT/similarity.csv: for each graded function, the pairs of students whose code is most alike.

Evidence for a person to read, never a penalty. How two definitions of a function are compared:

1. The body of the definition is taken from the notebook as grading takes it
   (``autograder.submission.load_definitions``): the last definition counts. Its docstring is
   dropped (the template gives it to everyone) and it is printed back from its syntax tree
   (``ast.unparse``), so comments, blank lines, line breaks and quoting are gone.
2. Python's own ``tokenize`` turns it into tokens: every name a student chooses (variables,
   parameters, helper functions, module aliases) becomes ``ID``, every number and string
   ``LIT``; keywords, operators and attribute names (``.shift``, ``.rolling``: library calls
   that renaming cannot change) stay.
3. Each run of ``K`` consecutive tokens is a shingle; two definitions score the Jaccard index
   of their shingle sets, from 0 (nothing shared) to 1 (the same code up to names, literals,
   comments and layout).

A body that is still the stub (``raise NotImplementedError()``, ``pass``) is not evidence and is
left out, as are bodies shorter than ``MIN_TOKENS`` tokens, which everyone writes alike. The
reference solution takes part as the student ``reference``, so a copy of a leaked solution
shows up. Pairs scoring at least the threshold are listed, the most alike first, at most
``MAX_PAIRS`` per function. Pairwise and exact: a class of 200 takes a few seconds.
"""

from __future__ import annotations

import ast
import csv
import io
import itertools
import keyword
import tokenize
from pathlib import Path

from autograder.batch.store import atomic_write, safe_cell

K = 5  # tokens per shingle
MIN_TOKENS = 20  # shorter bodies (a one-line return) look alike whoever writes them
MAX_PAIRS = 100  # per function: enough to read, not a list of everyone
DEFAULT_THRESHOLD = 0.8
REFERENCE = "reference"
_KEPT_NAMES = {"True", "False", "None"}
_STUB = (ast.Pass, ast.Raise)


def normalised_tokens(source: str, function: str) -> list[str] | None:
    """The tokens of the last top-level definition of ``function`` in ``source``; None when
    there is none, it does not parse, or it is still a stub."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None
    definitions = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))
                   and n.name == function]
    if not definitions:
        return None
    body = list(definitions[-1].body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        body = body[1:]  # the docstring
    if all(_is_stub(statement) for statement in body):
        return None
    try:
        code = ast.unparse(ast.Module(body=body, type_ignores=[]))
    except (ValueError, RecursionError):
        return None
    return _tokens(code)


def _is_stub(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant):
        return True  # `...` or a stray string
    if isinstance(statement, ast.Pass):
        return True
    if isinstance(statement, ast.Raise) and statement.exc is not None:
        exc = statement.exc.func if isinstance(statement.exc, ast.Call) else statement.exc
        return isinstance(exc, ast.Name) and exc.id == "NotImplementedError"
    return False


def _tokens(code: str) -> list[str]:
    tokens: list[str] = []
    previous = ""
    f_string_depth = 0
    for token in tokenize.generate_tokens(io.StringIO(code).readline):
        kind, value = token.type, token.string
        name = tokenize.tok_name[kind]
        if name == "FSTRING_START":  # Python 3.12+: an f-string comes in pieces
            f_string_depth += 1
            continue
        if name == "FSTRING_END":
            f_string_depth -= 1
            if f_string_depth == 0:
                tokens.append("LIT")
            continue
        if f_string_depth:
            continue
        if kind == tokenize.NAME:
            kept = keyword.iskeyword(value) or value in _KEPT_NAMES or previous == "."
            tokens.append(value if kept else "ID")
        elif kind in (tokenize.NUMBER, tokenize.STRING):
            tokens.append("LIT")
        elif kind == tokenize.OP:
            tokens.append(value)
        elif kind == tokenize.NEWLINE:
            tokens.append(";")
        elif kind == tokenize.INDENT:
            tokens.append("{")
        elif kind == tokenize.DEDENT:
            tokens.append("}")
        else:  # comments, blank lines, the end marker: layout, not code
            continue
        previous = value
    return tokens


def shingles(tokens: list[str]) -> frozenset[tuple[str, ...]]:
    return frozenset(tuple(tokens[i:i + K]) for i in range(max(1, len(tokens) - K + 1)))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def similar_pairs(code: dict[str, list[str]],
                  threshold: float) -> list[tuple[str, str, float, int]]:
    """(student a, student b, score, tokens of the shorter body) for every pair of the
    students in ``code`` ({student: tokens of their body}) scoring at least ``threshold``,
    the most alike first, at most MAX_PAIRS."""
    prints = {s: shingles(t) for s, t in code.items() if len(t) >= MIN_TOKENS}
    pairs = []
    for a, b in itertools.combinations(sorted(prints, key=_order), 2):
        score = jaccard(prints[a], prints[b])
        if score >= threshold:
            pairs.append((a, b, round(score, 3), min(len(code[a]), len(code[b]))))
    pairs.sort(key=lambda p: (-p[2], _order(p[0]), _order(p[1])))
    return pairs[:MAX_PAIRS]


def _order(student: str) -> tuple[bool, str]:
    return (student != REFERENCE, student)  # the reference first in every pair it is in


def class_code(sources: dict[str, str], functions: list[str]) -> dict[str, dict[str, list[str]]]:
    """{function: {student: tokens}} from {student: source of their definitions}."""
    code: dict[str, dict[str, list[str]]] = {f: {} for f in functions}
    for student, source in sources.items():
        for function in functions:
            tokens = normalised_tokens(source, function)
            if tokens is not None:
                code[function][student] = tokens
    return code


def notebook_source(notebook: Path) -> str | None:
    """The definitions grading keeps from a notebook, as one source text; None if unreadable."""
    from autograder.submission import UnreadableNotebook, load_definitions

    try:
        definitions = load_definitions(notebook)
    except UnreadableNotebook:
        return None
    return "\n".join(st.source.lstrip("\n") for st in definitions.statements)


def csv_text(rows: list[tuple[str, str, str, str, float, int]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["assignment", "function", "student_a", "student_b", "score", "tokens"])
    for assignment, function, a, b, score, tokens in rows:
        writer.writerow([assignment, function, safe_cell(a), safe_cell(b), f"{score:.3f}",
                         tokens])
    return buffer.getvalue()


def write(out: Path, rows: list[tuple[str, str, str, str, float, int]]) -> Path:
    path = Path(out) / "similarity.csv"
    atomic_write(path, csv_text(rows))
    return path
