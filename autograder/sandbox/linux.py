"""The Linux system calls the fences need and Python's ``os`` module lacks (Python 3.10+).

Thin wrappers over libc through ctypes: each raises ``OSError`` with the kernel's errno, so a
caller can tell "not allowed on this machine" (EPERM, ENOSPC, EINVAL) from a bug. Nothing here
decides what to fence; ``isolation`` and ``rootfs`` do.
"""

from __future__ import annotations

import ctypes
import os

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 0x1
MS_NOSUID = 0x2
MS_NODEV = 0x4
MS_NOEXEC = 0x8
MS_REMOUNT = 0x20
MS_BIND = 0x1000
MS_REC = 0x4000
MS_PRIVATE = 0x40000
MNT_DETACH = 0x2

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
PR_SET_CHILD_SUBREAPER = 36
PR_SET_NO_NEW_PRIVS = 38

_libc = ctypes.CDLL(None, use_errno=True)


def _checked(result: int, what: str, path: str | None = None) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}", path)


def unshare(flags: int) -> None:
    _checked(_libc.unshare(flags), "unshare")


def setns(fd: int, kind: int) -> None:
    _checked(_libc.setns(fd, kind), "setns")


def mount(source: str | None, target: str, fstype: str | None = None, flags: int = 0,
          options: str | None = None) -> None:
    encode = (lambda s: None if s is None else os.fsencode(s))
    _checked(_libc.mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags),
                         encode(options)), "mount", target)


def umount(target: str, flags: int = 0) -> None:
    _checked(_libc.umount2(os.fsencode(target), flags), "umount", target)


def pivot_root(new_root: str, put_old: str) -> None:
    """pivot_root(2) has no glibc wrapper: call it by number."""
    number = {"x86_64": 155, "aarch64": 41}[os.uname().machine]
    _checked(_libc.syscall(number, os.fsencode(new_root), os.fsencode(put_old)), "pivot_root",
             new_root)


def prctl(option: int, value: int = 0) -> None:
    _checked(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), "prctl")


def map_user(uid: int, gid: int, inside_uid: int | None = None,
             inside_gid: int | None = None) -> None:
    """In a user namespace just made by this process: map one user and group into it (the
    only mapping an unprivileged process may write), ``uid`` outside to ``inside_uid``."""
    with open("/proc/self/setgroups", "w") as handle:
        handle.write("deny")
    with open("/proc/self/uid_map", "w") as handle:
        handle.write(f"{uid if inside_uid is None else inside_uid} {uid} 1")
    with open("/proc/self/gid_map", "w") as handle:
        handle.write(f"{gid if inside_gid is None else inside_gid} {gid} 1")
