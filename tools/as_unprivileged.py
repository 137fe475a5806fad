"""Run a command as an unprivileged user, to measure what the grader's fences give without root.

    sudo .venv/bin/python tools/as_unprivileged.py USER [--no-user-namespaces] -- COMMAND...

Run as root. The command runs as USER (a throwaway account: ``useradd -M gradertest``) with
its own groups only, in a private mount namespace where a Python installed under /root (pyenv)
(the one running this tool) is made readable, since USER could not run it otherwise;
nothing else changes.

``--no-user-namespaces`` also forbids the command to create user namespaces, as on a CI runner
or a kernel that does not allow them to unprivileged users: it runs in a user namespace of its
own (root and USER mapped to themselves) whose ``user.max_user_namespaces`` is 0, so its
``unshare(CLONE_NEWUSER)`` fails with ENOSPC. (Ubuntu 24.04's AppArmor rule lets the call
succeed but grants no capability inside, which leaves the grader a little more than this; see
docs/threat-model.md.)

Example, the hostile corpus as a runner would run it::

    sudo .venv/bin/python tools/as_unprivileged.py gradertest --no-user-namespaces -- \\
        env PYTHONPATH=$PWD PYTHONDONTWRITEBYTECODE=1 .venv/bin/python -m pytest \\
        tests/test_hostile.py -p no:cacheprovider
"""

from __future__ import annotations

import argparse
import ctypes
import os
import pwd
import sys

CLONE_NEWNS, CLONE_NEWUSER = 0x00020000, 0x10000000
MS_BIND, MS_REC, MS_PRIVATE = 0x1000, 0x4000, 0x40000

libc = ctypes.CDLL(None, use_errno=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("user")
    parser.add_argument("--no-user-namespaces", action="store_true")
    argv = sys.argv[1:]
    split = argv.index("--") if "--" in argv else len(argv)
    args, command = parser.parse_args(argv[:split]), argv[split + 1:]
    if os.geteuid() != 0 or not command:
        parser.error("run as root, with a command after --")
    user = pwd.getpwnam(args.user)
    _check(libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
    _check(libc.mount(b"none", b"/", None, MS_REC | MS_PRIVATE, None), "make / private")
    _expose_python()
    if args.no_user_namespaces:
        _enter_user_namespace_without_more(user.pw_uid, user.pw_gid)
    os.setgroups([])
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)
    os.environ.update(HOME="/tmp", USER=args.user, LOGNAME=args.user)
    os.execvp(command[0], command)


def _expose_python() -> None:
    """Python under a folder others may not enter: cover that folder with a traversable one
    and bind the installation back, read-only to others as it always was."""
    prefix = os.path.realpath(sys.base_prefix)
    blocked = next((p for p in _ancestors(prefix) if not os.stat(p).st_mode & 0o001), None)
    if blocked is None:
        return
    stage = "/run/as-unprivileged-python"
    os.makedirs(stage, exist_ok=True)
    _check(libc.mount(prefix.encode(), stage.encode(), None, MS_BIND | MS_REC, None), "stage")
    _check(libc.mount(b"tmpfs", blocked.encode(), b"tmpfs", 0, b"mode=755"), "cover")
    os.makedirs(prefix, exist_ok=True)
    _check(libc.mount(stage.encode(), prefix.encode(), None, MS_BIND | MS_REC, None), "bind")


def _enter_user_namespace_without_more(uid: int, gid: int) -> None:
    """A user namespace mapping root and ``uid`` to themselves, in which no user may make
    another: the parent (root outside) writes the two-line maps a process cannot write for
    itself."""
    ready, go = os.pipe(), os.pipe()
    pid = os.fork()
    if pid:  # the parent maps the child's namespace, then waits and passes on its status
        os.read(ready[0], 1)
        for kind, outside in (("uid", uid), ("gid", gid)):
            with open(f"/proc/{pid}/{kind}_map", "w") as handle:
                handle.write(f"0 0 1\n{outside} {outside} 1\n")
        os.write(go[1], b"x")
        _, status = os.waitpid(pid, 0)
        os._exit(os.waitstatus_to_exitcode(status) & 0xFF)
    _check(libc.unshare(CLONE_NEWUSER), "unshare(CLONE_NEWUSER)")
    os.write(ready[1], b"x")
    os.read(go[0], 1)
    with open("/proc/sys/user/max_user_namespaces", "w") as handle:
        handle.write("0")


def _ancestors(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[:i]) for i in range(1, len(parts) + 1)]


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise SystemExit(f"{what}: {os.strerror(errno)}")


if __name__ == "__main__":
    sys.exit(main())
