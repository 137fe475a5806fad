"""Gradescope: the zip an instructor uploads as it is, and run_autograder on what students upload.

run_autograder runs against a temporary tree laid out like Gradescope's /autograder
(AUTOGRADER_ROOT), with this repository's Python (AUTOGRADER_PYTHON); every results.json is
checked against the fields of Gradescope's autograder specification (docs/integrations.md).
"""

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.course import known_assignments
from autograder.engine.catalogue import catalogue
from autograder.integrations import gradescope, gradescope_run, gradescope_zip
from tests.conftest import ASSIGNMENTS, ROOT, SOLUTIONS, replace_function

ASSIGNMENT = "01_sequence_data"
TOP_FIELDS = {"score", "execution_time", "output", "output_format", "visibility",
              "stdout_visibility", "tests", "extra_data", "leaderboard"}
TEST_FIELDS = {"name", "score", "max_score", "status", "output", "output_format", "tags",
               "visibility", "number", "extra_data"}
VISIBILITIES = {"visible", "hidden", "after_due_date", "after_published"}
FORMATS = {"text", "html", "simple_format", "md", "ansi"}


def assert_valid_results(document: dict) -> None:
    """Does ``document`` use only the fields and values Gradescope's spec defines?"""
    assert set(document) <= TOP_FIELDS, set(document) - TOP_FIELDS
    assert isinstance(document["score"], (int, float))
    assert isinstance(document.get("output", ""), str)
    assert document.get("output_format", "text") in FORMATS
    for key in ("visibility", "stdout_visibility"):
        assert document.get(key, "visible") in VISIBILITIES
    assert isinstance(document["tests"], list)
    for test in document["tests"]:
        assert set(test) <= TEST_FIELDS, set(test) - TEST_FIELDS
        assert isinstance(test["name"], str) and test["name"]
        assert 0 <= test["score"] <= test["max_score"]
        assert test["status"] in ("passed", "failed")
        assert test.get("output_format", "text") in FORMATS
        assert test.get("visibility", "visible") in VISIBILITIES
        assert isinstance(test.get("number", ""), str)
        assert all(isinstance(tag, str) for tag in test.get("tags", []))
    assert document["score"] == pytest.approx(sum(t["score"] for t in document["tests"]))


def _points(assignment: str) -> float:
    return sum(c.points for c in catalogue()[assignment])


@pytest.fixture(scope="module")
def zipped(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    gradescope_zip.build(out, ASSIGNMENT)
    return out


@pytest.mark.unit
def test_zip_holds_what_gradescope_runs_and_nothing_private(zipped, tmp_path):
    """Are setup.sh and run_autograder at the zip's root and executable, the assignment's checks
    there with the hidden ones, and no solutions, tests, notebooks, history or junk?"""
    with zipfile.ZipFile(zipped) as archive:
        infos = {info.filename: info for info in archive.infolist()}
        run = archive.read("run_autograder").decode()
    for script in ("setup.sh", "run_autograder"):
        assert stat.S_IMODE(infos[script].external_attr >> 16) == 0o755
    names = set(infos)
    hidden = {str(p.relative_to(ROOT)) for p in (ROOT / "autograder" / "checks" / ASSIGNMENT /
                                                 "hidden").glob("test_*.py")}
    assert hidden and hidden <= names
    assert "requirements.txt" in names and "README.md" in names
    assert any(n.startswith("datasets/") and n.endswith(".csv") for n in names)
    for other in known_assignments():
        if other != ASSIGNMENT:
            assert not any(f"checks/{other}/" in n for n in names), other
    assert not any(n.split("/")[0] in ("solutions", "tests", "tools", ".git", "assignments")
                   or "__pycache__" in n or n.endswith(".ipynb") for n in names)
    assert f'ASSIGNMENT="{ASSIGNMENT}"' in run
    again = tmp_path / "again.zip"
    gradescope_zip.build(again, ASSIGNMENT)
    assert again.read_bytes() == zipped.read_bytes(), "the same course gives the same zip"


@pytest.mark.unit
def test_zip_for_every_assignment_and_refusals(tmp_path):
    """Does a zip without --assignment ship every check and grade any assignment, and are an
    unknown assignment and an answer in the shipped code refused?"""
    out = tmp_path / "all.zip"
    gradescope_zip.build(out)
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert 'ASSIGNMENT=""' in archive.read("run_autograder").decode()
    for assignment in known_assignments():
        assert any(n.startswith(f"autograder/checks/{assignment}/hidden/") for n in names)
    with pytest.raises(gradescope_zip.ZipError):
        gradescope_zip.build(tmp_path / "x.zip", "05_nothing")

    course = tmp_path / "course"
    shutil.copytree(ROOT / "autograder", course / "autograder")
    for name in ("datasets", "solutions", "requirements.txt"):
        (course / name).symlink_to(ROOT / name)
    notebook = nbformat.read(str(SOLUTIONS / "02_rnn_internals" / "rnn_internals.ipynb"),
                             as_version=4)
    source = next(c.source for c in notebook.cells if "def rnn_step(" in c.source)
    (course / "autograder" / "helpers.py").write_text("import numpy as np\n\n\n" + source)
    with pytest.raises(gradescope_zip.ZipError, match="rnn_step of 02_rnn_internals"):
        gradescope_zip.build(tmp_path / "leaky.zip", root=course)
    assert not (tmp_path / "leaky.zip").exists()


def test_setup_sh_builds_the_environment(tmp_path):  # not unit: seconds of venv and pip
    """Does setup.sh find a Python the pins accept (3.11+), make the virtual environment in
    /autograder/venv and open the course to other users? (Requirements left out: the real
    install is Gradescope's to run.)"""
    root = tmp_path / "autograder"
    (root / "source" / "autograder").mkdir(parents=True)
    (root / "source" / "datasets").mkdir()
    (root / "source" / "requirements.txt").write_text("")
    shutil.copy(gradescope_zip.IMAGE / "setup.sh", root / "source")
    python_bin = str(Path(sys.executable).parent)
    done = subprocess.run(["bash", str(root / "source" / "setup.sh")], capture_output=True,
                          text=True, timeout=300,
                          env=dict(os.environ, AUTOGRADER_ROOT=str(root),
                                   PATH=f"{python_bin}:{os.environ['PATH']}"))
    assert done.returncode == 0, done.stdout + done.stderr
    version = subprocess.run([str(root / "venv" / "bin" / "python"), "-c",
                              "import sys; print(sys.version_info >= (3, 11))"],
                             capture_output=True, text=True).stdout
    assert version.strip() == "True"
    assert "setup.sh: done" in done.stdout


@pytest.mark.unit
def test_python_version_agrees_everywhere():
    """Do pyproject.toml, run.py, the README, setup.sh and the Classroom workflow all ask for
    the Python the pins need, and does run.py stop on an older one with a message?"""
    import tomllib

    import run
    from autograder.integrations import classroom

    required = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    assert required == ">=3.11"
    assert run.MINIMUM_PYTHON == (3, 11)
    assert "Python 3.11 or newer" in (ROOT / "README.md").read_text()
    assert 'MINIMUM_PYTHON="3.11"' in (gradescope_zip.IMAGE / "setup.sh").read_text()
    assert classroom.PYTHON_VERSION == "3.11"
    old = subprocess.run([sys.executable, "-c", "import runpy, sys; "
                          "sys.version_info = (3, 10, 12, 'final', 0); "
                          f"runpy.run_path({str(ROOT / 'run.py')!r}, run_name='__main__')",
                          "grade"], capture_output=True, text=True)
    assert old.returncode == 1 and "needs Python 3.11 or newer" in old.stderr


# --- Which notebook an upload holds -------------------------------------------------------


def _write(path: Path, notebook_or_text) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(notebook_or_text, str):
        path.write_text(notebook_or_text)
    else:
        shutil.copy(notebook_or_text, path)
    return path


STUB = ASSIGNMENTS / ASSIGNMENT / "sequence_data.ipynb"


@pytest.mark.unit
def test_locate_finds_the_notebook_whatever_the_upload(tmp_path):
    """Is a notebook found at the top under any name, in a repository, among scratch
    notebooks, by its content without --assignment; and links never followed?"""
    upload = tmp_path / "one"
    _write(upload / "sequence_data (1).ipynb", STUB)
    chosen, repository, notes = gradescope_run.locate(upload, ASSIGNMENT)
    assert chosen == {ASSIGNMENT: upload / "sequence_data (1).ipynb"} and not repository
    assert "graded sequence_data (1).ipynb" in notes[0]

    renamed = tmp_path / "renamed"  # no --assignment: its graded functions say which it is
    _write(renamed / "homework.ipynb", STUB)
    assert gradescope_run.locate(renamed)[0] == {ASSIGNMENT: renamed / "homework.ipynb"}

    repo = tmp_path / "repo"
    for assignment in known_assignments():
        _write(repo / "assignments" / assignment / "x.ipynb",
               next((ASSIGNMENTS / assignment).glob("*.ipynb")))
    _write(repo / "scratch" / "Untitled.ipynb", STUB)
    chosen, repository, _ = gradescope_run.locate(repo, ASSIGNMENT)
    assert chosen == {ASSIGNMENT: repo / "assignments" / ASSIGNMENT / "x.ipynb"} and repository
    assert set(gradescope_run.locate(repo)[0]) == set(known_assignments())

    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "sequence_data.ipynb").symlink_to(SOLUTIONS / ASSIGNMENT / "sequence_data.ipynb")
    with pytest.raises(gradescope_run.Unusable, match="holds no notebook"):
        gradescope_run.locate(linked, ASSIGNMENT)


@pytest.mark.unit
def test_locate_says_what_to_upload(tmp_path):
    """Does an empty upload, one without a notebook, or a notebook of no known assignment get a
    reason that says what to upload?"""
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(gradescope_run.Unusable, match="empty: upload sequence_data.ipynb"):
        gradescope_run.locate(empty, ASSIGNMENT)
    with pytest.raises(gradescope_run.Unusable, match="holds no notebook"):
        gradescope_run.locate(_write(tmp_path / "py" / "answers.py", "x = 1").parent, ASSIGNMENT)
    unknown = _write(tmp_path / "unknown" / "notes.ipynb", json.dumps(nbformat.v4.new_notebook()))
    with pytest.raises(gradescope_run.Unusable, match="Cannot tell which assignment"):
        gradescope_run.locate(unknown.parent)


@pytest.mark.unit
def test_an_unusable_upload_scores_zero_of_the_assignment():
    """Does an unusable upload list every check of the assignment at 0 with the reason?"""
    document = gradescope.unusable("Your submission is empty.", ASSIGNMENT, 1.0)
    assert_valid_results(document)
    assert document["score"] == 0 and "empty" in document["output"]
    assert sum(t["max_score"] for t in document["tests"]) == _points(ASSIGNMENT)
    assert_valid_results(gradescope.unusable("no assignment known"))


# --- run_autograder, as Gradescope runs it -------------------------------------------------


@pytest.fixture
def autograder_root(zipped):
    """A fresh /autograder: source/ unzipped, submission/ empty. Made world-traversable, as
    Gradescope's is: student code runs as nobody and must reach the interpreter and data."""
    root = Path(tempfile.mkdtemp(prefix="autograder-root-"))
    root.chmod(0o755)
    with zipfile.ZipFile(zipped) as archive:
        archive.extractall(root / "source")
    for script in ("run_autograder", "setup.sh"):
        (root / "source" / script).chmod(0o755)
    (root / "submission").mkdir()
    yield root
    shutil.rmtree(root, ignore_errors=True)


def run_autograder(root: Path, *wrapper: str) -> dict:
    environment = dict(os.environ, AUTOGRADER_ROOT=str(root), AUTOGRADER_PYTHON=sys.executable)
    environment.pop("PYTHONPATH", None)  # the zip's own grader, as on Gradescope
    done = subprocess.run([*wrapper, str(root / "source" / "run_autograder")],
                          capture_output=True, text=True, timeout=900, env=environment)
    assert done.returncode == 0, done.stderr
    document = json.loads((root / "results" / "results.json").read_text())
    assert_valid_results(document)
    return document


def _stub_with(function: str, source: str) -> nbformat.NotebookNode:
    notebook = nbformat.read(str(STUB), as_version=4)
    replace_function(notebook, function, source)
    return notebook


UPLOADS = {
    # name: (what goes into submission/, expected score: "all" or 0, words in output)
    "reference_renamed": ({"sequence_data (1).ipynb": SOLUTIONS / ASSIGNMENT /
                           "sequence_data.ipynb"}, "all", "graded sequence_data (1).ipynb"),
    "stubs": ({"sequence_data.ipynb": STUB}, 0, ""),
    "whole_repository": ({f"assignments/{ASSIGNMENT}/sequence_data.ipynb": STUB,
                          "README.md": "# my work"}, 0, ""),
    "corrupt": ({"sequence_data.ipynb": '{"cells": [tru'}, 0, "not a notebook"),
    "no_notebook": ({"answers.py": "def make_windows(): pass"}, 0, "holds no notebook"),
}


@pytest.mark.slow
@pytest.mark.parametrize("upload", list(UPLOADS))
def test_run_autograder_grades_what_students_upload(upload, autograder_root):
    """Does run_autograder write a valid results.json for each kind of upload, with the full
    score for the reference under another name, 0 of the same maximum for the stubs (also in
    a whole repository), a corrupt notebook, or no notebook, and the reason in `output`?"""
    files, expected, says = UPLOADS[upload]
    for name, content in files.items():
        _write(autograder_root / "submission" / name, content)
    document = run_autograder(autograder_root)
    total = _points(ASSIGNMENT)
    assert sum(t["max_score"] for t in document["tests"]) == total
    assert document["score"] == (total if expected == "all" else 0)
    assert says in document["output"]
    assert not any("sandbox:" in line for line in document["output"].splitlines())
    hidden = [t for t in document["tests"] if t["visibility"] == "after_published"]
    assert hidden, "hidden checks are graded and shown after publishing"


ATTACK = '''
def make_windows(features, targets, length):
    import os
    import autograder
    source = os.path.dirname(os.path.dirname(autograder.__file__))
    def count(folder):
        return sum(len(files) for _, _, files in os.walk(folder))
    try:
        with open(os.path.join(source, "autograder", "checks", "01_sequence_data", "hidden",
                               "test_hidden_windows.py")) as handle:
            hidden = f"read {len(handle.read())} characters"
    except OSError as err:
        hidden = type(err).__name__
    raise LookupError(f"uid {os.getuid()}; data files: {count(os.path.join(source, 'datasets'))}"
                      f"; check files: {count(os.path.join(source, 'autograder', 'checks'))}"
                      f"; a hidden check: {hidden}")
'''


@pytest.mark.slow
@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("capsh"),
                    reason="emulating Gradescope's container needs root and capsh")
def test_without_cap_sys_admin_student_code_cannot_read_the_checks(autograder_root):
    """In a container without CAP_SYS_ADMIN (Gradescope's: no mount namespace for the sandbox),
    does student code run as nobody, read the data but neither list nor open a check?"""
    nbformat.write(_stub_with("make_windows", ATTACK),
                   str(autograder_root / "submission" / "Untitled.ipynb"))
    document = run_autograder(autograder_root, "capsh", "--drop=cap_sys_admin", "--", "-c",
                              '"$0"')
    said = next(t["output"] for t in document["tests"]
                if t["name"] == f"{ASSIGNMENT}: make_windows.shape")
    assert "uid 65534;" in said, said  # nobody
    assert "; check files: 0; a hidden check: PermissionError" in said, said
    assert "data files: 0;" not in said, "the control: nobody does read the course's data"
