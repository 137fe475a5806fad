"""Fence a freshly forked child before it runs student code.

In order: its own process group (so a timeout kills whatever it spawned), output cut at a cap,
an empty working directory, a clean environment, resource limits, the instructor's private
folders covered by empty mounts, and, when the grader runs as root, the unprivileged user
``nobody``. What cannot be done on this machine (no mount namespaces, not root) is skipped and
reported, never fatal: grading goes on with the fences it could build.
"""

from __future__ import annotations

import ctypes
import io
import os
import pwd
import resource
import sys
import tempfile

CLONE_NEWNS = 0x00020000
CLONE_NEWUSER = 0x10000000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MS_RDONLY = 0x1

OUTPUT_CAP_CHARS = 64 * 1024  # what a student prints beyond this is dropped, not stored


class CappedText(io.TextIOBase):
    """A text stream that keeps the first OUTPUT_CAP_CHARS characters and drops the rest."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if self.size < OUTPUT_CAP_CHARS:
            piece = str(text)[: OUTPUT_CAP_CHARS - self.size]
            self.kept.append(piece)
            self.size += len(piece)
        return len(text)

    def getvalue(self) -> str:
        return "".join(self.kept)


def fence(hide: list[str], memory_bytes: int, environment: dict[str, str]) -> list[str]:
    """Apply every fence to the current (single-threaded, just forked) process.

    Returns the fences that could not be built, for the grader's log.
    """
    missing: list[str] = []
    os.setpgrp()
    _silence_file_descriptors()
    sys.stdout, sys.stderr = CappedText(), CappedText()
    sys.stdin = io.StringIO("")

    workdir = tempfile.mkdtemp(prefix="submission-")
    os.environ.clear()
    os.environ.update(environment)
    os.environ.update({"HOME": workdir, "TMPDIR": workdir, "MPLCONFIGDIR": workdir})
    tempfile.tempdir = workdir

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    is_root = os.geteuid() == 0
    if hide and not _cover(hide, as_root=is_root):
        missing.append("private folders stay readable (no mount namespace on this machine)")
    if is_root:
        nobody = pwd.getpwnam("nobody")
        os.chown(workdir, nobody.pw_uid, nobody.pw_gid)
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
        # Fork bombs: nobody owns few processes; the cap is per user, generous for TF threads.
        resource.setrlimit(resource.RLIMIT_NPROC, (512, 512))
    else:
        missing.append("student code runs as the grader's own user")
    os.chdir(workdir)
    return missing


def _silence_file_descriptors() -> None:
    """C-level output (TensorFlow's logs, os.write(1, ...)) goes nowhere."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _cover(paths: list[str], as_root: bool) -> bool:
    """Mount an empty read-only tmpfs over each path, in a mount namespace of our own."""
    libc = ctypes.CDLL(None, use_errno=True)
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS if as_root else CLONE_NEWNS | CLONE_NEWUSER
    if libc.unshare(flags) != 0:
        return False
    if not as_root:
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        except OSError:
            return False
    if libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) != 0:
        return False
    covered = True
    for path in paths:
        if os.path.exists(path):
            ok = libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", MS_RDONLY, b"size=4k") == 0
            covered = covered and ok
    return covered


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)
