"""What students receive: a repository with the notebooks, the public checks and a workflow.

``write_bundle(out)`` copies an explicit list of what a student needs and nothing else, writes
the GitHub Classroom workflow generated from the checks, then audits the result: no reference
solutions, no hidden checks, no build junk. The audit runs on every bundle, not only in tests.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from autograder.course import ROOT, known_assignments
from autograder.integrations import classroom

# What a student repository holds, relative to the repository root.
SHIPPED = ["assignments", "autograder", "datasets", "run.py", "requirements.txt",
           "pyproject.toml", ".gitignore"]
JUNK = ("__pycache__", ".pyc", ".ipynb_checkpoints", "gradebook.db", ".egg-info", ".DS_Store",
        "__MACOSX", ".pytest_cache")

STUDENT_README = """# Recurrent neural networks: your assignments

Work in `assignments/`: open a notebook, read the lesson, replace each
`raise NotImplementedError()` with your code, and run the `check("...")` cell after each
exercise to see the public checks and their hints.

```
python3 run.py grade      # set up .venv and grade your notebooks (public checks)
.venv/bin/jupyter lab      # work on the notebooks
```

Every push is graded by GitHub Classroom with the same public checks; your instructor's final
grade also runs hidden checks (other tickers, other shapes, edge cases). Only imports,
functions, classes and constants are graded: cells that load data, train or plot do not run.
"""


class BundleError(Exception):
    pass


def write_bundle(out: Path, root: Path = ROOT) -> list[str]:
    """Write the student repository to ``out``; return its files, relative and sorted."""
    out = Path(out)
    if out.exists() and any(out.iterdir()):
        raise BundleError(f"{out} is not empty")
    out.mkdir(parents=True, exist_ok=True)
    for name in SHIPPED:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, out / name, ignore=_ignore)
        else:
            shutil.copy2(source, out / name)
    (out / "README.md").write_text(STUDENT_README)
    workflow = out / ".github" / "workflows" / "classroom.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(classroom.workflow(known_assignments()))
    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    problems = audit(files)
    if problems:
        shutil.rmtree(out)
        raise BundleError("the bundle would leak: " + "; ".join(problems))
    return files


def _ignore(folder: str, names: list[str]) -> set[str]:
    ignored = {n for n in names if any(n.endswith(j) or n == j for j in JUNK)}
    if Path(folder).name in known_assignments() and Path(folder).parent.name == "checks":
        ignored.add("hidden")  # hidden checks stay with the instructor
    return ignored


def audit(files: list[str]) -> list[str]:
    """Why a file list must not reach students (empty when it may)."""
    problems = []
    for name in files:
        parts = Path(name).parts
        if parts[0] in ("solutions", "tests", "tools", ".git") or "hidden" in parts:
            problems.append(f"{name} is instructor-only")
        if any(part.endswith(JUNK) or part in JUNK for part in parts):
            problems.append(f"{name} is build junk")
    return problems
