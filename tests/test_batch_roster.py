"""Who is in a class, where their notebooks are, and which shard grades them (batch/roster.py)."""

import pytest

from autograder.batch import roster

pytestmark = pytest.mark.unit

NOTEBOOK = "01_sequence_data/sequence_data.ipynb"


def touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{}")
    return path


def test_both_layouts_side_by_side(tmp_path):
    """Is a student repository graded from its assignments/, and an nbgrader submission from
    the student folder itself?"""
    touch(tmp_path / "alice" / "assignments" / NOTEBOOK)
    touch(tmp_path / "bob" / NOTEBOOK)
    students = {s.id: s for s in roster.find_students(tmp_path)}
    assert students["alice"].tree == tmp_path / "alice" / "assignments"
    assert students["bob"].tree == tmp_path / "bob"
    assert not students["alice"].note and not students["bob"].note


def test_nbgrader_course_folder_means_its_submitted(tmp_path):
    """Is an nbgrader course folder (nbgrader_config.py and submitted/) read as its
    submitted/ folder, not as a class whose students are source/, release/, ...?"""
    (tmp_path / "nbgrader_config.py").write_text("c = get_config()\n")
    touch(tmp_path / "source" / NOTEBOOK)
    touch(tmp_path / "submitted" / "carol" / NOTEBOOK)
    assert [s.id for s in roster.find_students(tmp_path)] == ["carol"]


def test_what_is_not_a_student(tmp_path):
    """Are plain files, hidden folders and __MACOSX left out, and a student with nothing
    gradable kept, with a note that says where the notebooks were?"""
    (tmp_path / "README.md").write_text("class list")
    touch(tmp_path / ".git" / "HEAD")
    touch(tmp_path / "__MACOSX" / NOTEBOOK)
    touch(tmp_path / "dan" / "homework" / "sequence_data.ipynb")
    students = roster.find_students(tmp_path)
    assert [s.id for s in students] == ["dan"]
    assert "no assignment folder" in students[0].note
    assert "homework/sequence_data.ipynb" in students[0].note


def test_no_class_is_a_clear_error(tmp_path):
    """Do a missing folder and an empty one say what CLASS should hold?"""
    with pytest.raises(roster.RosterError, match="no such folder"):
        roster.find_students(tmp_path / "nowhere")
    with pytest.raises(roster.RosterError, match="no student folders"):
        roster.find_students(tmp_path)


@pytest.mark.parametrize("text,expected", [("0/2", (0, 2)), ("3/4", (3, 4)), (" 0/1 ", (0, 1))])
def test_shard_parses(text, expected):
    assert roster.parse_shard(text) == expected


@pytest.mark.parametrize("text", ["2/2", "1", "a/b", "-1/2", "0/0", "1/2/3"])
def test_bad_shard_is_refused(text):
    """Is a shard outside 0..N-1, or not K/N at all, a usage error?"""
    with pytest.raises(ValueError, match="--shard"):
        roster.parse_shard(text)


def test_shards_split_the_class_once_and_stably():
    """Is every student in exactly one shard of N, the same on every call, whatever N, and
    are the shards of a class of 200 roughly even?"""
    ids = [f"student{i:03d}" for i in range(200)]
    for n in (1, 2, 3, 8):
        owners = [[k for k in range(n) if roster.in_shard(s, k, n)] for s in ids]
        assert all(len(o) == 1 for o in owners)
        sizes = [sum(1 for o in owners if o == [k]) for k in range(n)]
        assert min(sizes) > 200 / n / 2, sizes
    # a hash of the id alone: the same answer in another process or on another machine
    assert roster.in_shard("ann", 0, 2) and roster.in_shard("dee", 1, 2)
