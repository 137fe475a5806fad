"""Removing a folder student code wrote into cannot fail (the host-side fallback)."""

import os

import pytest

from autograder.sandbox.cleanup import remove_tree

pytestmark = pytest.mark.unit


def test_removes_deep_locked_trees_without_following_links(tmp_path):
    """Are a tree 3,000 folders deep, a folder without permissions and links all removed,
    and what the links point at left alone?"""
    kept = tmp_path / "kept.txt"
    kept.write_text("kept\n")
    top = tmp_path / "work"
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    for _ in range(3000):  # deeper than Python's recursion limit, and than PATH_MAX
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.symlink(str(kept), "link", dir_fd=fd)
    os.close(fd)
    (top / "locked" / "inner").mkdir(parents=True)
    (top / "locked").chmod(0)
    (top / "to-kept").symlink_to(tmp_path)
    remove_tree(str(top))
    assert not top.exists() and kept.read_text() == "kept\n"
