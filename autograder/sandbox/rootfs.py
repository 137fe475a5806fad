"""The sandbox's filesystem: an allow list of the host, read-only, on a root of its own.

A check's child sees only what student code needs to run: the interpreter and its libraries,
the virtual environment, the course's data, the few grader modules the fork server imported,
and folders of its own. Nothing else of the host exists for it: no other checkout, no
solutions, no tests, no /home, no shared /tmp. ``allow_list()`` is computed once in the fork
server; ``enter()`` builds the root in each child (in its private mount namespace) and makes it
the child's ``/`` with pivot_root, detaching the host's tree.

    /                       tmpfs, read-only once built
    /usr/{bin,lib,lib64}    the system's programs and libraries (read-only binds)
    <Python's prefix>       the interpreter's standard library (read-only)
    <the venv>              site-packages (read-only); symbolic links on the way are kept
    <course>/datasets       the shipped data (read-only)
    <course>/autograder/... only the modules the fork server imported (read-only files)
    <shared>                the data files checks hand to student code (read-only)
    /proc                   this check's processes only (its own PID namespace)
    /dev                    null, zero, full, random, urandom; /dev/shm a small tmpfs
    /tmp, /home/student     small tmpfs, the working folder is /home/student

Everything lives in the child's mount namespace: when its last process ends, the kernel drops
every mount, tmpfs contents included, so nothing is left to clean up and no folder can defeat
the clean-up.
"""

from __future__ import annotations

import os
import site
import sys
from dataclasses import dataclass

from autograder.sandbox import linux
from autograder.sandbox.linux import (MS_BIND, MS_NODEV, MS_NOEXEC, MS_NOSUID, MS_PRIVATE,
                                      MS_RDONLY, MS_REC, MS_REMOUNT)

WORKDIR = "/home/student"
SCRATCH_BYTES = 256 << 20  # each of /tmp and the working folder
SHM_BYTES = 64 << 20
SCRATCH_INODES = 65536  # a million empty files would cost the host's memory, not disk
SYSTEM = ("/usr/bin", "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/share/zoneinfo")
TOP_LEVEL_LINKS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64")  # usr-merged: links into /usr
ETC_FILES = ("/etc/ld.so.cache", "/etc/localtime", "/etc/nsswitch.conf")
DEVICES = ("null", "zero", "full", "random", "urandom")

# statvfs flags a read-only bind must keep: the kernel refuses, in a user namespace, to drop a
# flag of a mount it copied from the host.
_KEPT_FLAGS = {os.ST_NOSUID: MS_NOSUID, os.ST_NODEV: MS_NODEV, os.ST_NOEXEC: MS_NOEXEC,
               os.ST_NOATIME: 0x400, os.ST_NODIRATIME: 0x800, os.ST_RELATIME: 0x200000}


@dataclass(frozen=True)
class Bind:
    """A host path shown at the same place in the sandbox, read-only."""

    path: str  # where student code sees it: a folder or a file
    source: str  # the real path on the host (symbolic links resolved)
    device: bool = False  # a device node: must not be mounted nodev


def allow_list(course: str, shared: str, modules: list[str]) -> tuple[list[Bind], list[str]]:
    """(binds, symbolic links to recreate) for the sandbox: Python, the venv, the system's
    libraries, the course's data, the grader ``modules`` (files) and the ``shared`` folder.

    Paths are taken as Python sees them (``sys.prefix`` may be a link to a venv elsewhere), so
    every path in ``sys.path`` and ``__file__`` resolves in the sandbox as it did outside."""
    wanted = [sys.base_prefix, sys.base_exec_prefix, sys.prefix, sys.exec_prefix,
              *site.getsitepackages(), *SYSTEM, *ETC_FILES, os.path.join(course, "datasets"),
              shared, *modules]
    binds: dict[str, Bind] = {}
    links: list[str] = [p for p in TOP_LEVEL_LINKS if os.path.islink(p)]
    for path in wanted:
        if not os.path.exists(path):
            continue
        links += _links_on_the_way(path)
        real = os.path.realpath(path)
        binds[real] = Bind(real, real)
    for path in TOP_LEVEL_LINKS:  # not usr-merged: real folders of libraries
        if os.path.isdir(path) and not os.path.islink(path):
            binds[path] = Bind(path, path)
    binds.update({f"/dev/{d}": Bind(f"/dev/{d}", f"/dev/{d}", device=True) for d in DEVICES})
    # A folder already shown whole needs no bind of its own for a path inside it.
    kept = [b for b in binds.values()
            if not any(b.path.startswith(o.path + "/") for o in binds.values() if o is not b)]
    return sorted(kept, key=lambda b: b.path), sorted(set(links))


def enter(mountpoint: str, binds: list[Bind], links: list[str], uid: int, gid: int) -> None:
    """Make a root of ``binds`` at ``mountpoint`` (an empty folder) and pivot into it.

    Must run in a private mount namespace and, for /proc, as the first process of its own PID
    namespace. ``uid``/``gid`` own the working folder (the user student code will run as).
    Raises OSError when the kernel refuses a step; the caller reports the missing fence."""
    linux.mount(None, "/", None, MS_REC | MS_PRIVATE)  # nothing we mount leaks back out
    linux.mount("tmpfs", mountpoint, "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=755")
    # The writable folders first: binds (the shared folder is in /tmp) go on top of them.
    _tmpfs(mountpoint + "/tmp", SCRATCH_BYTES, "mode=1777")
    _tmpfs(mountpoint + WORKDIR, SCRATCH_BYTES, f"mode=700,uid={uid},gid={gid}")
    _tmpfs(mountpoint + "/dev/shm", SHM_BYTES, "mode=1777")
    for link in links:
        _mkdirs(mountpoint, os.path.dirname(link))
        os.symlink(os.readlink(link), mountpoint + link)
    for bind in binds:
        target = mountpoint + bind.path
        if os.path.isdir(bind.source):
            _mkdirs(mountpoint, bind.path)
        else:
            _mkdirs(mountpoint, os.path.dirname(bind.path))
            os.close(os.open(target, os.O_CREAT | os.O_WRONLY, 0o644))
        linux.mount(bind.source, target, None, MS_BIND | MS_REC)
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | _kept_flags(target)
        linux.mount(None, target, None, flags if bind.device else flags | MS_NODEV)
    for name, target in (("fd", "/proc/self/fd"), ("stdin", "/proc/self/fd/0"),
                         ("stdout", "/proc/self/fd/1"), ("stderr", "/proc/self/fd/2")):
        os.symlink(target, f"{mountpoint}/dev/{name}")
    _mkdirs(mountpoint, "/etc")
    with open(mountpoint + "/etc/passwd", "w") as handle:
        handle.write(f"root:x:0:0:root:/root:/usr/sbin/nologin\n"
                     f"student:x:{uid}:{gid}:student:{WORKDIR}:/usr/sbin/nologin\n")
    with open(mountpoint + "/etc/group", "w") as handle:
        handle.write(f"root:x:0:\nstudent:x:{gid}:\n")
    _mkdirs(mountpoint, "/proc")
    linux.mount("proc", mountpoint + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
    # pivot_root(".", "."): the old root ends up under the new one, then is detached whole.
    os.chdir(mountpoint)
    linux.pivot_root(".", ".")
    linux.umount(".", linux.MNT_DETACH)
    os.chdir("/")
    linux.mount(None, "/", None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)


def _tmpfs(path: str, size: int, options: str) -> None:
    os.makedirs(path, exist_ok=True)
    linux.mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV,
                f"size={size},nr_inodes={SCRATCH_INODES},{options}")


def _mkdirs(mountpoint: str, path: str) -> None:
    os.makedirs(mountpoint + path, mode=0o755, exist_ok=True)


def _kept_flags(path: str) -> int:
    found = os.statvfs(path).f_flag
    return sum(flag for st, flag in _KEPT_FLAGS.items() if found & st)


def _links_on_the_way(path: str) -> list[str]:
    """Symbolic links among the folders leading to ``path`` (and ``path`` itself), followed to
    their ends: /work/wt10/.venv -> /work/main/.venv must exist as a link in the sandbox."""
    links, current = [], "/"
    for part in [p for p in path.split("/") if p]:
        current = os.path.join(current, part)
        if os.path.islink(current):
            links.append(current)
            target = os.path.join(os.path.dirname(current), os.readlink(current))
            links += _links_on_the_way(os.path.normpath(target))
            current = os.path.realpath(current)
    return links
