"""The grader's own files: written whole, only as regular files, never through a link."""

import os
import stat

import pytest

from autograder.safe_write import UnsafeTarget, check_target, write_text

pytestmark = pytest.mark.unit


def test_writes_atomically_and_readably(tmp_path):
    """Is the file written whole, 0644, replacing an older one, with no temporary left?"""
    target = tmp_path / "new" / "result.json"
    write_text(target, "first\n")
    write_text(target, "second\n")
    assert target.read_text() == "second\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert os.listdir(target.parent) == ["result.json"]


def test_refuses_links_folders_and_fifos(tmp_path):
    """Is a link (to a private file), a folder or a FIFO at the path refused before anything
    is written, the link's target untouched?"""
    private = tmp_path / "private.txt"
    private.write_text("private\n")
    private.chmod(0o600)
    (tmp_path / "link.json").symlink_to(private)
    (tmp_path / "folder.json").mkdir()
    os.mkfifo(tmp_path / "fifo.json")
    for name, says in (("link.json", "symbolic link"), ("folder.json", "folder"),
                       ("fifo.json", "FIFO")):
        with pytest.raises(UnsafeTarget, match=says):
            check_target(tmp_path / name)
        with pytest.raises(UnsafeTarget, match=says):
            write_text(tmp_path / name, "x")
    assert private.read_text() == "private\n" and (tmp_path / "link.json").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["fifo.json", "folder.json", "link.json",
                                            "private.txt"]
