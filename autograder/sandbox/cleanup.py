"""Remove a folder the grader made, whatever student code left in it.

Used where a check's working folder lives on the host (no private root on this machine) and for
the sandbox's own folders. A private root needs none of this: its tmpfs goes with the check's
mount namespace.
"""

from __future__ import annotations

import os

_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW


def remove_tree(path: str) -> None:
    """Remove ``path`` and everything in it, however deep or locked: no recursion (a tree
    3,000 folders deep is fine) and one open folder at a time; links are removed, never
    followed; a folder without permissions is opened up first. What cannot be removed is
    left, silently: this is a clean-up, it never fails the grading."""
    try:
        fd = os.open(path, _FOLDER)
    except OSError:
        return
    trail: list[tuple[str, list[str]]] = []  # (folder we went into, its siblings still to do)
    pending = _remove_files(fd)
    while True:
        if pending:
            name = pending.pop()
            try:
                os.chmod(name, 0o700, dir_fd=fd)
                inner = os.open(name, _FOLDER, dir_fd=fd)
            except OSError:
                continue  # cannot enter it: it stays, and so do the folders above it
            trail.append((name, pending))
            os.close(fd)
            fd, pending = inner, _remove_files(inner)
            continue
        if not trail:
            os.close(fd)
            try:
                os.rmdir(path)
            except OSError:
                pass
            return
        parent = os.open("..", _FOLDER & ~os.O_NOFOLLOW, dir_fd=fd)
        os.close(fd)
        fd = parent
        name, pending = trail.pop()
        try:
            os.rmdir(name, dir_fd=fd)
        except OSError:
            pass


def _remove_files(fd: int) -> list[str]:
    """Unlink everything in the folder ``fd`` that is not a folder; return the folders."""
    folders = []
    with os.scandir(fd) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                folders.append(entry.name)
                continue
            try:
                os.unlink(entry.name, dir_fd=fd)
            except OSError:
                pass
    return folders
