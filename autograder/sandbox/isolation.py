"""Fence a freshly forked child before it runs student code.

The fork server makes every check's child the first process of a PID namespace of its own
(``zygote``); ``fence`` then, in order: puts it in a process group, discards its output, gives
it the allowed environment and resource limits, new mount, network, IPC and UTS namespaces,
a root of its own built from an allow list (``rootfs``), and a user with no power over that
root: ``nobody`` when the grader runs as root, otherwise a nested user namespace that locks
the mounts. What the machine does not allow (no namespaces for this user, not root) is skipped
and reported by the keys of ``FENCES``, never fatal: grading goes on with the fences it could
build, and the result's notes say which are missing (docs/threat-model.md).
"""

from __future__ import annotations

import io
import os
import pwd
import resource
import signal
import socket
import sys
import tempfile

from autograder.sandbox import linux, rootfs

# What a missing fence means for student code, as the result's notes say it.
FENCES = {
    "processes": "a check's processes are not in a PID namespace of their own: a daemon can "
                 "outlive its check, and student code sees the machine's processes",
    "filesystem": "student code sees every file the grader's user may read (no mount "
                  "namespace for a private root on this machine)",
    "network": "student code may use the network (no network namespace on this machine)",
    "user": "student code runs as the grader's own user",
}


class Discard(io.TextIOBase):
    """Where student code's print() goes: nowhere. Nothing reads a check's output (a hint
    comes from the check, never from what the student printed), so nothing is kept."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        return len(text)


def fence(config: dict, own_pid_namespace: bool) -> dict:
    """Apply every fence to the current (single-threaded, just forked) process.

    ``config`` is the fork server's: memory_bytes, environment, mountpoint, binds, links and,
    for machines without a private root, hide (folders to cover). Returns the hello the
    grader reads before any student code runs: this process's pid as the grader sees it,
    the missing fences (keys of FENCES) and, without a private root, the working folder on
    the host that the grader removes when the check ends."""
    missing = [] if own_pid_namespace else ["processes"]
    os.setpgrp()
    _silence_file_descriptors()
    sys.stdout, sys.stderr = Discard(), Discard()
    sys.stdin = io.StringIO("")
    pid = int(os.readlink("/proc/self"))  # the host's /proc: the pid the grader can signal

    resource.setrlimit(resource.RLIMIT_AS, (config["memory_bytes"], config["memory_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    is_root = os.geteuid() == 0
    nobody = pwd.getpwnam("nobody") if is_root else None
    uid, gid = (nobody.pw_uid, nobody.pw_gid) if nobody else (os.getuid(), os.getgid())

    workdir, on_host = rootfs.WORKDIR, False  # on_host: the grader removes it afterwards
    if _own_namespaces():
        try:
            rootfs.enter(config["mountpoint"], [rootfs.Bind(**b) for b in config["binds"]],
                         config["links"], uid, gid)
        except OSError:
            missing.append("filesystem")
            _cover_private_folders(config["hide"])
            workdir, on_host = _host_workdir(uid, gid), True
    else:
        missing += ["filesystem", "network"]
        workdir, on_host = _host_workdir(uid, gid), True

    os.environ.clear()
    os.environ.update(config["environment"])
    os.environ.update({"HOME": workdir, "TMPDIR": workdir if on_host else "/tmp",
                       "MPLCONFIGDIR": workdir})
    tempfile.tempdir = os.environ["TMPDIR"]
    os.chdir(workdir)

    if nobody:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        # Fork bombs: nobody owns few processes; the cap is per user, generous for TF threads.
        resource.setrlimit(resource.RLIMIT_NPROC, (512, 512))
    else:
        missing.append("user")
        if not on_host and not _lock_mounts(uid, gid):
            missing.append("filesystem")  # a view student code could remount writable
    linux.prctl(linux.PR_SET_NO_NEW_PRIVS, 1)
    linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)  # after the drop, which clears it
    return {"pid": pid, "missing": missing, "unfenced": [FENCES[m] for m in missing],
            "workdir": workdir if on_host else ""}


def _own_namespaces() -> bool:
    """New mount, network, IPC and UTS namespaces; the network one is empty (no network at
    grading time: the grader's socket is already connected)."""
    try:
        linux.unshare(linux.CLONE_NEWNS | linux.CLONE_NEWNET | linux.CLONE_NEWIPC
                      | linux.CLONE_NEWUTS)
        socket.sethostname("sandbox")  # the same name in every check: messages stay equal
    except OSError:
        return False
    return True


def _lock_mounts(uid: int, gid: int) -> bool:
    """Without root, the sandbox is built in a user namespace where this process may change
    mounts. A nested user namespace takes that power away: the mounts belong to the outer one,
    so student code can neither remount its read-only view nor lift a mount to look under it."""
    try:
        linux.unshare(linux.CLONE_NEWUSER)
        linux.map_user(uid, gid)
    except OSError:
        return False
    return True


def _host_workdir(uid: int, gid: int) -> str:
    """Without a private root: a fresh folder in the host's temporary folder, which the grader
    removes when the check ends (``client.remove_tree``)."""
    workdir = tempfile.mkdtemp(prefix="submission-")
    if os.geteuid() == 0:
        os.chown(workdir, uid, gid)
    return workdir


def _cover_private_folders(hide: list[str]) -> None:
    """A mount namespace but no private root (pivot_root refused, as on a root file system
    in RAM): cover the instructor's folders with empty read-only mounts, the least we can."""
    for path in hide:
        if os.path.exists(path):
            try:
                linux.mount("tmpfs", path, "tmpfs", linux.MS_RDONLY, "size=4k")
            except OSError:
                pass


def _silence_file_descriptors() -> None:
    """C-level output (TensorFlow's logs, os.write(1, ...)) goes nowhere."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
