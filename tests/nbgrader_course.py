"""A temporary nbgrader course made from this repository, driven by the real ``nbgrader`` command.

    course = NbgraderCourse(tmp_path / "course")         # solutions/ + nbgrader_config.py
    course.generate("01_sequence_data")                   # nbgrader generate_assignment
    course.submit("alice", "01_sequence_data", notebook)  # submitted/alice/01_sequence_data/
    course.autograde("01_sequence_data")                  # nbgrader autograde (every student)
    course.export()       # nbgrader export: {(student, assignment): (score, max_score)}

The course is laid out as the repository's ``nbgrader_config.py`` declares (solutions/ is the
source, assignments/ the release; submitted/, autograded/ and gradebook.db beside them). Every
``nbgrader`` command runs as an instructor runs it: the ``nbgrader`` executable of this Python's
environment, with that environment's ``bin`` first on PATH (nbgrader shells out to ``alembic``)
and PYTHONPATH set to this repository, so the kernels nbgrader starts import this checkout's
``autograder``, hidden checks included. ``elapsed`` records each command's wall time, for
whoever compares nbgrader's speed with the grader's.

Submissions: ``stub(a)`` is the released notebook as a student receives it,
``reference(a)`` that notebook with every solution cell filled in from solutions/, and
``with_function(notebook, name, source)`` either one with one function rewritten.
"""

from __future__ import annotations

import copy
import csv
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat

from autograder.course import ROOT, notebook_name

NBGRADER_TIMEOUT_SECONDS = 3600  # one command, a whole class: generous, a hang still ends


class NbgraderError(RuntimeError):
    """An nbgrader command failed; the message holds its output."""


class NbgraderCourse:
    def __init__(self, folder: Path, assignments: list[str] | None = None,
                 config_lines: list[str] = ()) -> None:
        """Copy solutions/ (of ``assignments``, all by default) and nbgrader_config.py into
        ``folder``; ``config_lines`` are appended to the config (for instance a timeout)."""
        self.root = Path(folder)
        self.root.mkdir(parents=True, exist_ok=True)
        for path in sorted((ROOT / "solutions").iterdir()):
            if path.is_dir() and (assignments is None or path.name in assignments):
                shutil.copytree(path, self.root / "solutions" / path.name)
        config = (ROOT / "nbgrader_config.py").read_text()
        (self.root / "nbgrader_config.py").write_text(config + "".join(
            line + "\n" for line in config_lines))
        self.elapsed: dict[str, float] = {}

    # --- nbgrader's commands ----------------------------------------------------------------

    def nbgrader(self, *arguments: str) -> str:
        """Run ``nbgrader ARGUMENTS`` in the course folder; its output, or NbgraderError."""
        bin_folder = Path(sys.executable).parent
        environment = dict(os.environ,
                           PATH=f"{bin_folder}{os.pathsep}{os.environ.get('PATH', '')}",
                           PYTHONPATH=os.pathsep.join(
                               [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "")
                                              .split(os.pathsep) if p]))
        started = time.monotonic()
        done = subprocess.run([str(bin_folder / "nbgrader"), *arguments], cwd=self.root,
                              env=environment, capture_output=True, text=True,
                              timeout=NBGRADER_TIMEOUT_SECONDS)
        self.elapsed[" ".join(arguments)] = time.monotonic() - started
        output = done.stdout + done.stderr
        if done.returncode != 0:
            raise NbgraderError(f"nbgrader {' '.join(arguments)} failed "
                                f"({done.returncode}):\n{output[-5000:]}")
        return output

    def generate(self, assignment: str) -> Path:
        """``nbgrader generate_assignment``: the release, and the gradebook's record of it."""
        self.nbgrader("generate_assignment", assignment, "--force")
        return self.released(assignment)

    def autograde(self, assignment: str) -> str:
        """``nbgrader autograde`` for every submitted student; its log. A submission nbgrader
        drops ("Removing failed assignment") shows up as a missing row in ``export``."""
        return self.nbgrader("autograde", assignment, "--force")

    def export(self) -> dict[tuple[str, str], tuple[float, float]]:
        """``nbgrader export`` to CSV: {(student, assignment): (score, max_score)}."""
        target = self.root / "grades.csv"
        self.nbgrader("export", "--to", str(target))
        with target.open(newline="") as handle:
            return {(row["student_id"], row["assignment"]):
                    (float(row["score"]), float(row["max_score"]))
                    for row in csv.DictReader(handle)}

    def cell_scores(self, student: str, assignment: str) -> dict[str, tuple[float, float]]:
        """{grade_id of each test cell: (score, max_score)} from the gradebook, after
        autograde: what nbgrader gave each ``check("f")`` cell."""
        from nbgrader.api import Gradebook

        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(
                notebook_name(assignment).removesuffix(".ipynb"), assignment, student)
            return {grade.name: (float(grade.score), float(grade.max_score))
                    for grade in notebook.grades}

    def cell_seconds(self, student: str, assignment: str) -> dict[str, float]:
        """{first line of each code cell: seconds its execution took} in the autograded
        notebook (nbclient's timing metadata): what Execute.timeout must allow."""
        from datetime import datetime

        path = self.root / "autograded" / student / assignment / notebook_name(assignment)
        seconds = {}
        for cell in nbformat.read(str(path), as_version=4).cells:
            timing = cell.get("metadata", {}).get("execution", {})
            start, end = timing.get("iopub.execute_input"), timing.get("shell.execute_reply")
            if start and end:
                took = datetime.fromisoformat(end.replace("Z", "+00:00")) - \
                    datetime.fromisoformat(start.replace("Z", "+00:00"))
                seconds[cell.source.splitlines()[0] if cell.source else ""] = \
                    took.total_seconds()
        return seconds

    # --- submissions ------------------------------------------------------------------------

    def released(self, assignment: str) -> Path:
        return self.root / "assignments" / assignment / notebook_name(assignment)

    def submit(self, student: str, assignment: str, notebook: nbformat.NotebookNode) -> Path:
        """Put ``notebook`` where nbgrader looks: submitted/<student>/<assignment>/."""
        path = self.root / "submitted" / student / assignment / notebook_name(assignment)
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, str(path))
        return path

    def submitted(self, student: str, assignment: str) -> Path:
        return self.root / "submitted" / student / assignment / notebook_name(assignment)

    def stub(self, assignment: str) -> nbformat.NotebookNode:
        """The released notebook, as a student receives it (generate first)."""
        return nbformat.read(str(self.released(assignment)), as_version=4)

    def reference(self, assignment: str) -> nbformat.NotebookNode:
        """The released notebook with every solution cell's source taken from solutions/."""
        source = nbformat.read(str(self.root / "solutions" / assignment /
                                   notebook_name(assignment)), as_version=4)
        answers = {cell.metadata["nbgrader"]["grade_id"]: cell.source for cell in source.cells
                   if cell.metadata.get("nbgrader", {}).get("solution")}
        notebook = self.stub(assignment)
        for cell in notebook.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and grade_id in answers:
                cell.source = answers[grade_id]
        return notebook


def with_function(notebook: nbformat.NotebookNode, name: str,
                  source: str) -> nbformat.NotebookNode:
    """A copy of ``notebook`` whose top-level ``def name`` is replaced by ``source``."""
    from tests.conftest import replace_function

    notebook = copy.deepcopy(notebook)
    replace_function(notebook, name, source)
    return notebook
