"""Write a sample class to try `grade-batch` on, or to time it: assignment 01 only.

    .venv/bin/python tools/sample_class.py CLASS [--students 20]

Half the students hand in the reference (every other one with its locals renamed, as a copy
would be), then one of each listed mistake of tests/test_mutants_01.py, three the stubs and one
a notebook with a syntax error; repository and nbgrader layouts alternate. This is the class the
README's timings were measured on.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import nbformat  # noqa: E402

from tests import batch_class  # noqa: E402
from tests.conftest import replace_function  # noqa: E402
from tests.test_mutants_01 import MUTANTS  # noqa: E402


def notebooks(count: int) -> list[nbformat.NotebookNode]:
    honest = max(1, count // 2)
    made = [batch_class.renamed_copy() if i % 2 else batch_class.reference()
            for i in range(honest)]
    for name in sorted(MUTANTS)[:max(0, count - honest - 4)]:
        notebook = batch_class.reference()
        function, source, _ = MUTANTS[name]
        replace_function(notebook, function, source)
        made.append(notebook)
    made += [batch_class.stubs() for _ in range(3)] + [batch_class.syntax_error()]
    return made[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("class_dir", type=Path)
    parser.add_argument("--students", type=int, default=20)
    args = parser.parse_args()
    for i, notebook in enumerate(notebooks(args.students), start=1):
        student = args.class_dir / f"s{i:03d}"
        tree = student / "assignments" if i % 2 else student
        folder = tree / batch_class.ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(notebook, str(folder / batch_class.NOTEBOOK))
    print(f"wrote {args.students} students to {args.class_dir}")


if __name__ == "__main__":
    main()
