"""The autograder zip an instructor uploads to Gradescope as it is.

At the zip's root, as Gradescope's autograder specification wants: ``setup.sh`` (run once when
the image is built: installs Python 3.11 and the pinned requirements) and ``run_autograder``
(run for every submission: ``autograder/integrations/gradescope_run.py``), from
``gradescope_image/``; then the grader with every check, hidden ones included, the data, the
pinned requirements and a README for the instructor. No ``solutions/``, tests, tools or
``.git``, and no answer of a graded function (``autograder.answers``): the zip is audited
before it is written, as a student bundle is.

``build(out, assignment)`` ships only that assignment's checks, and ``run_autograder`` grades
the upload as that assignment whatever its file is called.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from autograder import answers
from autograder.bundle import JUNK
from autograder.course import ROOT, known_assignments

IMAGE = Path(__file__).with_name("gradescope_image")
PRIVATE = ("solutions", "tests", "tools", ".git", "assignments")
# A fixed time stamp: the same course gives the same zip, byte for byte.
STAMP = (2020, 1, 1, 0, 0, 0)

README = """# Autograder for Gradescope: {what}

Made by `python -m autograder gradescope-zip` from the course repository. Upload this zip as
it is under *Configure Autograder* (Gradescope's default Ubuntu 22.04 image; `setup.sh`
installs Python 3.11 and the pinned requirements, which takes a few minutes once).

- Students upload their notebook under any name (one `.ipynb`), or their whole repository.
  {assignment_note}
- Every upload gets a `results.json`, also an empty or corrupt one: score 0 and the reason.
- Hidden checks are graded and shown to students *after the grades are published*.
- Student code runs as user `nobody`, which cannot read the checks (`run_autograder` makes
  them readable by root alone). Gradescope's container has network access; see
  docs/threat-model.md in the course repository.

**Settings to choose** (*Autograder settings*): memory of at least {memory}. The default
768 MB is not enough: TensorFlow is loaded by the grader and by its sandbox, and grading one
assignment peaked at 0.56 to 0.90 GB (all processes, measured; docs/integrations.md). Timeout:
{timeout} minutes (an assignment takes 0.5 to 1.5 minutes on one or two CPUs; a submission
whose every function loops forever takes longer, each check being stopped after its limit).
"""

MEMORY_SETTING = "2 GB"  # measured peak 0.9 GB for one assignment (docs/integrations.md)
TIMEOUT_MINUTES = 20


class ZipError(Exception):
    pass


def contents(assignment: str | None = None, root: Path = ROOT) -> list[str]:
    """The course files the zip ships (relative paths), sorted."""
    files = []
    for folder in ("autograder", "datasets"):
        for path in sorted((root / folder).rglob("*")):
            relative = path.relative_to(root)
            if not path.is_file() or _junk(relative) or relative.parts[:3] == (
                    "autograder", "integrations", IMAGE.name):
                continue
            parts = relative.parts
            if assignment and parts[:2] == ("autograder", "checks") and len(parts) > 3 \
                    and parts[2] in known_assignments() and parts[2] != assignment:
                continue
            files.append(str(relative))
    return sorted(files + ["requirements.txt"])


def build(out: Path, assignment: str | None = None, root: Path = ROOT) -> list[str]:
    """Write the zip to ``out``; return what to tell the instructor. ZipError if the course
    would leak or the assignment is unknown."""
    known = known_assignments()
    if assignment is not None and assignment not in known:
        raise ZipError(f"unknown assignment {assignment!r}; known: {', '.join(known)}")
    out = Path(out)
    if out.suffix != ".zip":
        raise ZipError(f"{out}: the file to write must end in .zip")
    files = contents(assignment, root)
    problems = [f"{f} is instructor-only" for f in files if Path(f).parts[0] in PRIVATE]
    problems += [f"{finding.describe()}: the zip would give an answer away"
                 for finding in answers.find_answers(root, files, root)]
    if problems:
        raise ZipError("the zip would leak:\n  " + "\n  ".join(problems))
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        _add(archive, "setup.sh", (IMAGE / "setup.sh").read_bytes(), executable=True)
        run = (IMAGE / "run_autograder").read_text().replace("@ASSIGNMENT@", assignment or "")
        _add(archive, "run_autograder", run.encode(), executable=True)
        _add(archive, "README.md", _readme(assignment).encode())
        for name in files:
            _add(archive, name, (root / name).read_bytes())
    partial.replace(out)
    hidden = sum(1 for f in files if "/hidden/" in f)
    return [f"wrote {out}: setup.sh, run_autograder and {len(files)} course files "
            f"({hidden} of hidden checks) for {assignment or 'every assignment'}",
            f"upload it to Gradescope and choose at least {MEMORY_SETTING} of memory and a "
            f"{TIMEOUT_MINUTES}-minute timeout (README.md in the zip)"]


def _readme(assignment: str | None) -> str:
    if assignment:
        what = assignment
        note = (f"Every upload is graded as {assignment}, whatever the notebook is called.")
    else:
        what = "every assignment"
        note = ("This zip grades every assignment: a notebook is matched by its folder, its "
                "name or the functions it defines. One zip per assignment "
                "(`--assignment ID`) is simpler for students.")
    return README.format(what=what, assignment_note=note, memory=MEMORY_SETTING,
                         timeout=TIMEOUT_MINUTES)


def _junk(relative: Path) -> bool:
    return any(part.endswith(JUNK) or part in JUNK for part in relative.parts)


def _add(archive: zipfile.ZipFile, name: str, data: bytes, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.external_attr = (0o100755 if executable else 0o100644) << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    archive.writestr(info, data)
