"""What students receive: one template repository per assignment, as GitHub Classroom wants.

``write_bundle(out, assignment)`` copies an explicit list of what a student of that assignment
needs and nothing else: its notebook, the grader with that assignment's public checks, the data,
a README, a ``.gitignore`` and the GitHub Classroom workflow generated from the checks. Then it
audits the result, on every run, not only in tests, and removes it when the audit fails:

- no reference solutions, tests, tools or git history; no hidden checks; no build junk;
- no answer of a graded function (``autograder.answers``): not of the assignment it releases,
  and not of another one unless the bundle declares that it reveals it (``reveals``). Notebooks
  03 and 04 reuse assignment 01's data pipeline in a cell of their own, so their repositories
  give 01's answers away: they are written only with ``reveals=["01_sequence_data"]``, say so
  in their README and in the audit's report, and go out after 01's deadline.

``write_bundles(out)`` writes ``out/<assignment>/`` for every assignment.
"""

from __future__ import annotations

import shutil
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from autograder import answers
from autograder.course import ROOT, known_assignments, notebook_name
from autograder.integrations import classroom

# What every template repository holds besides its assignment's notebook folder.
SHIPPED = ["autograder", "datasets", "run.py", "requirements.txt", "pyproject.toml"]
PRIVATE = ("solutions", "tests", "tools", ".git")
JUNK = ("__pycache__", ".pyc", ".ipynb_checkpoints", "gradebook.db", ".egg-info", ".DS_Store",
        "__MACOSX", ".pytest_cache")

GITIGNORE = """.venv/
__pycache__/
*.pyc
.ipynb_checkpoints/
# written by `python3 run.py classroom` (the autograding workflow) and by `grade --json`
result.json
"""

STUDENT_README = """# Recurrent neural networks: {assignment}

Work in `{notebook}`: read the lesson, replace each `raise NotImplementedError()` with your
code, and run the `check("...")` cell after each exercise to see the public checks and their
hints.

```
python3 run.py grade      # set up .venv (Python 3.11 or newer) and grade your notebook
.venv/bin/jupyter lab      # work on the notebook
```

Every push is graded by GitHub Classroom with the same public checks (the *Autograding Tests*
workflow; its summary lists every check with its hint). Your instructor's final grade also
runs hidden checks (other tickers, other shapes, edge cases). Only imports, functions, classes
and constants are graded: cells that load data, train or plot do not run.
"""

REVEALS_README = ("This repository holds working code of assignment {revealed} ({functions}) "
                  "in {where}, because this assignment builds on it. It is released after "
                  "the deadline of {revealed}.")


class BundleError(Exception):
    pass


@dataclass
class Bundle:
    """A template repository written and audited."""

    out: Path
    assignment: str
    files: list[str]
    reveals: dict[str, list[str]] = field(default_factory=dict)  # assignment -> functions

    def report(self) -> list[str]:
        """What the audit found, for the instructor."""
        lines = [f"wrote {len(self.files)} files to {self.out} (template repository of "
                 f"{self.assignment})",
                 "audit: no solutions, hidden checks, tests or build junk; no answer of a graded "
                 "function that is not declared"]
        for revealed, functions in self.reveals.items():
            lines.append(f"audit: REVEALS the answers of {revealed} ({', '.join(functions)}): "
                         f"release this repository only after {revealed}'s deadline")
        return lines


def write_bundles(out: Path, assignments: list[str] | None = None,
                  reveals: list[str] | tuple[str, ...] = (), root: Path = ROOT) -> list[Bundle]:
    """``write_bundle(out / assignment, ...)`` for each assignment (every one by default);
    ``reveals`` applies to each, where the bundle does hold those answers."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty")
    bundles = []
    try:
        for assignment in assignments or known_assignments():
            bundles.append(write_bundle(out / assignment, assignment, reveals, root))
    except BaseException:  # all or nothing: a half-written set is easy to upload by mistake
        for bundle in bundles:
            shutil.rmtree(bundle.out, ignore_errors=True)
        raise
    return bundles


def write_bundle(out: Path, assignment: str, reveals: list[str] | tuple[str, ...] = (),
                 root: Path = ROOT) -> Bundle:
    """Write the template repository of ``assignment`` to ``out`` and audit it.

    ``reveals``: assignments whose answers this repository may hold (it is then released
    after their deadline). BundleError, with nothing left behind, when the audit fails."""
    out = Path(out)
    known = known_assignments()
    for name in [assignment, *reveals]:
        if name not in known:
            raise BundleError(f"unknown assignment {name!r}; known: {', '.join(known)}")
    if not (root / "assignments" / assignment).is_dir():
        raise BundleError(f"assignments/{assignment} does not exist: run python -m autograder "
                          "release")
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    try:
        bundle = _write(out, assignment, reveals, root)
    except BaseException:
        shutil.rmtree(out, ignore_errors=True)
        raise
    return bundle


def _write(out: Path, assignment: str, reveals, root: Path) -> Bundle:
    ignore = _ignore_for(assignment)
    shutil.copytree(root / "assignments" / assignment, out / "assignments" / assignment,
                    ignore=ignore)
    for name in SHIPPED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=ignore)
        else:
            shutil.copy2(source, out / name)
    (out / ".gitignore").write_text(GITIGNORE)
    workflow = out / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(classroom.workflow([assignment]))

    files = _listing(out)
    problems = audit(files)
    found: dict[tuple[str, str], list[str]] = {}  # (assignment, file) -> graded functions
    for finding in answers.find_answers(out, files, root):
        found.setdefault((finding.assignment, finding.file), []).append(finding.graded)
    revealed: dict[str, list[str]] = {}
    where: dict[str, list[str]] = {}
    for (owner, file), functions in sorted(found.items()):
        functions = sorted(set(functions))
        if owner == assignment:
            problems.append(f"{file} holds working code of its own graded functions "
                            f"({', '.join(functions)}): run python -m autograder release")
        elif owner in reveals:
            revealed[owner] = sorted(set(revealed.get(owner, []) + functions))
            where.setdefault(owner, []).append(file)
        else:
            problems.append(f"{file} holds answers of {owner} ({', '.join(functions)}): pass "
                            f"--reveals {owner} to ship them, and release this repository "
                            f"after {owner}'s deadline")
    if problems:
        raise BundleError(f"the bundle of {assignment} would leak:\n  " + "\n  ".join(problems))

    readme = STUDENT_README.format(assignment=assignment,
                                  notebook=f"assignments/{assignment}/{notebook_name(assignment)}")
    for name, functions in revealed.items():
        readme += "\n## Code of an earlier assignment\n\n" + textwrap.fill(REVEALS_README.format(
            revealed=name, functions=", ".join(functions),
            where=", ".join(f"`{f}`" for f in where[name])), width=95) + "\n"
    (out / "README.md").write_text(readme)
    return Bundle(out, assignment, _listing(out), revealed)


def _listing(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def _ignore_for(assignment: str):
    """shutil.copytree's ignore: junk, hidden checks, and other assignments' checks."""
    def ignore(folder: str, names: list[str]) -> set[str]:
        ignored = {n for n in names if any(n.endswith(j) or n == j for j in JUNK)}
        here = Path(folder)
        if here.name == "checks" and here.parent.name == "autograder":
            ignored |= {n for n in names if n in known_assignments() and n != assignment}
        if here.name in known_assignments() and here.parent.name == "checks":
            ignored.add("hidden")  # hidden checks stay with the instructor
        return ignored
    return ignore


def audit(files: list[str]) -> list[str]:
    """Why a file list must not reach students (empty when it may): instructor-only files,
    hidden checks, build junk. The answers in the files are audited by ``write_bundle``."""
    problems = []
    for name in files:
        parts = Path(name).parts
        if parts[0] in PRIVATE or "hidden" in parts:
            problems.append(f"{name} is instructor-only")
        if any(part.endswith(JUNK) or part in JUNK for part in parts):
            problems.append(f"{name} is build junk")
    return problems
