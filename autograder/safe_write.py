"""Write the grader's files where others may write too: never through a link, only as a file.

A results folder is often shared (a CI workspace, a class folder), and the grader may run as
root, so every file it writes from the command line goes through ``write_text``: a new file is
made next to the target (O_CREAT | O_EXCL | O_NOFOLLOW, so nothing already there is opened),
written, then renamed over the target, which a reader therefore sees whole or not at all. A
target that exists and is not a regular file (a symbolic link, a folder, a FIFO, a device) is
refused with ``UnsafeTarget`` before anything is written: the command line turns it into a
usage error, and ``check_target`` lets it say so before grading starts.
"""

from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path


class UnsafeTarget(Exception):
    """The path cannot be written safely; the message says why, for the person who gave it."""


def check_target(path: Path) -> None:
    """UnsafeTarget unless ``path`` is a regular file or nothing yet, in a folder (or a
    folder still to be made)."""
    path = Path(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as err:
        raise UnsafeTarget(f"{path}: {err.strerror}") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise UnsafeTarget(f"{path} is {_kind(info.st_mode)}, not a file: the grader writes "
                           "its results only as regular files (remove it or choose another "
                           "path)")
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    if not folder.is_dir():
        raise UnsafeTarget(f"{path}: {folder} is not a folder")


def write_text(path: Path, text: str, mode: int = 0o644) -> None:
    """Write ``text`` to ``path`` atomically, without following links (see the module)."""
    path = Path(path)
    check_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    temporary = f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW
                     | os.O_CLOEXEC, 0o600, dir_fd=folder)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(text)
                os.fchmod(out.fileno(), mode)
            info = _lstat(path.name, folder)
            if info is not None and not stat.S_ISREG(info.st_mode):  # changed meanwhile
                raise UnsafeTarget(f"{path} became {_kind(info.st_mode)} while the grader "
                                   "wrote it")
            # A rename replaces a link that appeared meanwhile; it never writes through it.
            os.replace(temporary, path.name, src_dir_fd=folder, dst_dir_fd=folder)
        except BaseException:
            try:
                os.unlink(temporary, dir_fd=folder)
            except OSError:
                pass
            raise
    except IsADirectoryError:
        raise UnsafeTarget(f"{path} is a folder, not a file") from None
    finally:
        os.close(folder)


def _lstat(name: str, folder: int) -> os.stat_result | None:
    try:
        return os.stat(name, dir_fd=folder, follow_symlinks=False)
    except FileNotFoundError:
        return None


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    return "not a regular file"
