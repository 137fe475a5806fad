"""Grade one Gradescope submission: what the zip's ``run_autograder`` runs for every upload.

Gradescope puts the student's upload in ``<root>/submission`` (root ``/autograder``) and reads
``<root>/results/results.json``. Students upload what they have:

- one notebook under any name (``sequence_data (1).ipynb``, ``Untitled.ipynb``), at the top
  or in a folder;
- a whole repository (the GitHub Classroom template, from GitHub or as a zip), holding
  ``assignments/NN_name/name.ipynb`` or ``NN_name/name.ipynb``;
- nothing usable: an empty upload, no notebook, a file that is not a notebook.

Which assignment a notebook belongs to: the zip's ``--assignment`` when it was built with one;
otherwise the assignment folder it sits in, its file name, or else the graded functions it
defines. Each notebook chosen is copied (links are never followed) into a fresh tree laid out
as the grader expects, and that tree is graded with the hidden checks.

results.json is written whatever happens: an unusable upload scores 0, every check of the
assignment listed with the reason when the assignment is known, and the reason in ``output``;
an error of the grader itself also ends in a results.json that says so.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback
from pathlib import Path

from autograder.course import known_assignments, notebook_name
from autograder.integrations import gradescope

SKIPPED_FOLDERS = (".ipynb_checkpoints", "__MACOSX", ".git", ".venv", "__pycache__")
MAX_NOTEBOOKS = 200  # more than any honest upload holds; the rest is not looked at


class Unusable(Exception):
    """The upload holds nothing gradable; the message tells the student what to upload."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.integrations.gradescope_run")
    parser.add_argument("--root", type=Path,
                        default=Path(os.environ.get("AUTOGRADER_ROOT", "/autograder")))
    parser.add_argument("--assignment", default=None)
    args = parser.parse_args(argv)
    run(args.root, args.assignment or None)
    return 0  # Gradescope reads results.json, never the exit status


def run(root: Path, assignment: str | None = None) -> dict:
    """Grade ``root``/submission and write ``root``/results/results.json; return it."""
    started = time.monotonic()
    results = Path(root) / "results" / "results.json"
    stage = Path(tempfile.mkdtemp(prefix="gradescope-"))
    try:
        try:
            chosen, whole_repository, notes = locate(Path(root) / "submission", assignment)
        except Unusable as why:
            document = gradescope.unusable(str(why), assignment, time.monotonic() - started)
        else:
            document = _grade(stage, chosen, whole_repository, assignment, notes, started)
    except BaseException as err:  # the grader's own failure still leaves a results.json
        traceback.print_exc(file=sys.stdout)  # stdout: shown to the instructor only
        document = gradescope.unusable(
            f"The autograder failed while grading ({type(err).__name__}: {err}). This is not "
            "your fault: tell your instructor.", None, time.monotonic() - started)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    gradescope.write_document(document, results)
    return document


def _grade(stage: Path, chosen: dict[str, Path], whole_repository: bool,
           assignment: str | None, notes: list[str], started: float) -> dict:
    from autograder import grading, quiet
    from autograder.course import CHECKS

    quiet.silence_tensorflow()
    if os.geteuid() == 0:  # for the instructor's eyes (stdout): is the fence of files up?
        mode = CHECKS.stat().st_mode
        print(f"autograder/checks is mode {mode & 0o777:o}: "
              + ("closed to student code" if not mode & 0o077 else
                 "WARNING: readable by student code (run_autograder did not close it)"))
    for name, notebook in chosen.items():
        (stage / name).mkdir()
        shutil.copyfile(notebook, stage / name / notebook_name(name))
    if assignment:
        only = [assignment]
    elif whole_repository:
        only = None  # every assignment: a missing notebook scores 0 of its points
    else:
        only = sorted(chosen)
    result = grading.grade(stage, only=only)
    for note in result.notes:  # how the sandbox was fenced concerns the instructor alone
        if note.startswith("sandbox:"):
            print(note)  # run_autograder's stdout: visible to the instructor, not to students
    result.notes = notes + [n for n in result.notes if not n.startswith("sandbox:")]
    return gradescope.results(result, time.monotonic() - started)


def locate(submission: Path, assignment: str | None = None
           ) -> tuple[dict[str, Path], bool, list[str]]:
    """({assignment: the notebook to grade}, whether the upload is a whole repository, notes
    for the student). Unusable when there is nothing to grade and no assignment to score 0."""
    known = known_assignments()
    wanted = [assignment] if assignment else known
    found = _notebooks(submission)
    if not found:
        what = notebook_name(assignment) if assignment else "your notebook (.ipynb)"
        if not submission.is_dir() or not any(submission.iterdir()):
            raise Unusable(f"Your submission is empty: upload {what}.")
        raise Unusable(f"Your submission holds no notebook: upload {what} itself (a .ipynb "
                       "file, or a zip or repository that contains it).")
    whole_repository = any(_folder_assignment(p, submission, known) for p in found)
    candidates: dict[str, list[Path]] = {}
    for path in found:
        owner = assignment if assignment and len(found) == 1 else \
            _assignment_of(path, submission, known)
        if owner in wanted:
            candidates.setdefault(owner, []).append(path)
    notes = []
    chosen = {}
    for owner, paths in candidates.items():
        paths = sorted(paths, key=lambda p: _preference(p, owner, submission, known))
        chosen[owner] = paths[0]
        if paths[0].name != notebook_name(owner) or len(paths) > 1:
            ignored = ", ".join(str(p.relative_to(submission)) for p in paths[1:])
            notes.append(f"{owner}: graded {paths[0].relative_to(submission)}"
                         + (f" (ignored: {ignored})" if ignored else ""))
    if not chosen and not assignment:
        names = ", ".join(str(p.relative_to(submission)) for p in found[:5])
        raise Unusable(f"Cannot tell which assignment {names} is: keep the notebook's name "
                       f"(one of {', '.join(notebook_name(a) for a in known)}) and its graded "
                       "functions' names.")
    if assignment and not chosen:
        names = ", ".join(str(p.relative_to(submission)) for p in found[:5])
        raise Unusable(f"None of the notebooks you uploaded ({names}) is "
                       f"{notebook_name(assignment)}: it defines none of "
                       f"{assignment}'s graded functions.")
    return chosen, whole_repository, notes


def _notebooks(submission: Path) -> list[Path]:
    """Notebook files under ``submission``, in a stable order; links are not followed."""
    found = []
    for folder, folders, files in os.walk(submission, followlinks=False):
        folders[:] = sorted(f for f in folders if f not in SKIPPED_FOLDERS
                            and not f.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            if name.endswith(".ipynb") and not name.startswith("._") \
                    and path.is_file() and not path.is_symlink():
                found.append(path)
        if len(found) >= MAX_NOTEBOOKS:
            break
    return sorted(found, key=lambda p: (len(p.relative_to(submission).parts), str(p)))


def _folder_assignment(path: Path, submission: Path, known: list[str]) -> str | None:
    """The assignment folder (``01_sequence_data/``) the notebook sits in, if any."""
    parent = path.parent
    return parent.name if parent != submission and parent.name in known else None


def _assignment_of(path: Path, submission: Path, known: list[str]) -> str | None:
    by_folder = _folder_assignment(path, submission, known)
    if by_folder:
        return by_folder
    by_name = [a for a in known if notebook_name(a) == path.name]
    if by_name:
        return by_name[0]
    scores = _graded_functions_defined(path, known)
    best = max(scores.values(), default=0)
    owners = [a for a, n in scores.items() if n == best]
    return owners[0] if best > 0 and len(owners) == 1 else None


def _graded_functions_defined(path: Path, known: list[str]) -> dict[str, int]:
    """{assignment: how many of its graded functions the notebook defines} (0 if unreadable)."""
    from autograder.engine.catalogue import functions_of
    from autograder.submission import UnreadableNotebook, load_definitions

    try:
        defined = load_definitions(path).defined_names()
    except UnreadableNotebook:
        return {a: 0 for a in known}
    return {a: len(defined & set(functions_of(a))) for a in known}


def _preference(path: Path, owner: str, submission: Path, known: list[str]) -> tuple:
    """Sort key, best first: in its assignment folder, under its own name, the most graded
    functions defined, the shallowest."""
    defined = _graded_functions_defined(path, [owner])[owner]
    return (_folder_assignment(path, submission, known) != owner,
            path.name != notebook_name(owner), -defined,
            len(path.relative_to(submission).parts), str(path))


if __name__ == "__main__":
    sys.exit(main())
