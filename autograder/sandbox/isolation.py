"""Fence a freshly forked child before it runs student code.

In order: its own process group (so a timeout kills whatever it spawned), output discarded,
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
import stat
import sys
import tempfile

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MS_RDONLY = 0x1
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MNT_DETACH = 0x2

class Discard(io.TextIOBase):
    """Where student code's print() goes: nowhere. Nothing reads a check's output (a hint
    comes from the check, never from what the student printed), so nothing is kept."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def fence(hide: list[str], memory_bytes: int, environment: dict[str, str]
          ) -> tuple[list[str], str]:
    """Apply every fence to the current (single-threaded, just forked) process.

    Returns (the fences that could not be built, for the grader's log; the working directory,
    which the grader removes when the check ends).
    """
    missing: list[str] = []
    os.setpgrp()
    _silence_file_descriptors()
    sys.stdout, sys.stderr = Discard(), Discard()
    sys.stdin = io.StringIO("")

    workdir = tempfile.mkdtemp(prefix="submission-")
    os.environ.clear()
    os.environ.update(environment)
    os.environ.update({"HOME": workdir, "TMPDIR": workdir, "MPLCONFIGDIR": workdir})
    tempfile.tempdir = workdir

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    is_root = os.geteuid() == 0
    libc = ctypes.CDLL(None, use_errno=True)
    if not _own_mount_namespace(libc, is_root):
        missing.append("private folders stay readable (no mount namespace on this machine)")
    else:
        if is_root and not _expose(libc, _needed_by_python(), workdir):
            missing.append("Python's own folders could not be opened to user nobody")
        if hide and not _cover(libc, hide):
            missing.append("some private folders could not be covered")
    if is_root:
        nobody = pwd.getpwnam("nobody")
        os.chown(workdir, nobody.pw_uid, nobody.pw_gid)
        os.setgroups([])
        os.setgid(nobody.pw_gid)
        os.setuid(nobody.pw_uid)
        # Fork bombs: nobody owns few processes; the cap is per user, generous for TF threads.
        resource.setrlimit(resource.RLIMIT_NPROC, (512, 512))
        if not os.access(os.path.dirname(os.__file__), os.R_OK | os.X_OK):
            # Exposing failed: nobody imports only what the zygote preloaded.
            missing.append(f"user nobody cannot read {os.path.dirname(os.__file__)}: student "
                           "code can import only modules the grader preloaded")
    else:
        missing.append("student code runs as the grader's own user")
    os.chdir(workdir)
    return missing, workdir


def _silence_file_descriptors() -> None:
    """C-level output (TensorFlow's logs, os.write(1, ...)) goes nowhere."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def _own_mount_namespace(libc, as_root: bool) -> bool:
    """Enter a private mount namespace and an empty network namespace (no network at grading
    time: the grader's socket is already connected), through a user namespace when not root."""
    uid, gid = os.getuid(), os.getgid()
    flags = CLONE_NEWNS | CLONE_NEWNET if as_root else CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWUSER
    if libc.unshare(flags) != 0:
        return False
    if not as_root:
        try:
            _write("/proc/self/setgroups", "deny")
            _write("/proc/self/uid_map", f"{uid} {uid} 1")
            _write("/proc/self/gid_map", f"{gid} {gid} 1")
        except OSError:
            return False
    return libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None) == 0


def _cover(libc, paths: list[str]) -> bool:
    """Mount an empty read-only tmpfs over each path (our namespace only)."""
    covered = True
    for path in paths:
        if os.path.exists(path):
            ok = libc.mount(b"tmpfs", os.fsencode(path), b"tmpfs", MS_RDONLY, b"size=4k") == 0
            covered = covered and ok
    return covered


def _needed_by_python() -> list[str]:
    """Folders student code must read after the drop to nobody: the interpreter's library,
    the virtual environment, and the course (the `datasets` package beside `autograder`)."""
    import site

    from autograder.course import ROOT

    return [sys.base_prefix, sys.prefix, *site.getsitepackages(), str(ROOT)]


def _expose(libc, paths: list[str], workdir: str) -> bool:
    """Let user nobody reach ``paths`` that sit under a folder it cannot enter (a Python
    installed in /root/.pyenv): cover that folder with a traversable tmpfs and bind each path
    back at its own place, read-only. Our namespace only; /root itself disappears from view."""
    blocked = {}
    for path in {os.path.realpath(p) for p in paths if os.path.isdir(p)}:
        ancestor = _private_ancestor(path)
        if ancestor is not None:
            blocked[path] = ancestor
    if not blocked:
        return True
    binds = [p for p in blocked if not any(p.startswith(q + "/") for q in blocked)]
    covers = {a for a in blocked.values()
              if not any(a.startswith(b + "/") for b in blocked.values())}
    staged = []
    for index, path in enumerate(sorted(binds)):  # stage first: covering hides the originals
        stage = os.path.join(workdir, f".expose-{index}")
        os.mkdir(stage)
        if libc.mount(os.fsencode(path), os.fsencode(stage), None, MS_BIND | MS_REC, None):
            return False
        staged.append((stage, path))
    for ancestor in covers:
        if libc.mount(b"tmpfs", os.fsencode(ancestor), b"tmpfs", 0, b"mode=755,size=1m"):
            return False
    for stage, path in staged:
        os.makedirs(path, mode=0o755, exist_ok=True)
        if libc.mount(os.fsencode(stage), os.fsencode(path), None, MS_BIND | MS_REC, None):
            return False
        libc.mount(None, os.fsencode(path), None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
        libc.umount2(os.fsencode(stage), MNT_DETACH)  # no second way in, past the covers
        os.rmdir(stage)
    return True


def _private_ancestor(path: str) -> str | None:
    """The first folder on the way to ``path`` that others may not enter, if any."""
    current = "/"
    for part in [p for p in path.split("/") if p]:
        current = os.path.join(current, part)
        if not os.stat(current).st_mode & stat.S_IXOTH:
            return current
    return None


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)
