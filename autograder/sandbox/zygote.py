"""The fork server: import TensorFlow once, then fork one fenced child per check.

Started by the grader as ``python -m autograder.sandbox.zygote`` with the allowed environment
only (``client.child_environment``): it never holds a byte of the grader's other variables, so
neither can the memory its children inherit. It reads its configuration as one JSON line on
stdin (socket path, the sandbox's mountpoint and shared folder, folders to hide, memory
limit, environment), then:

1. becomes the first process of a PID namespace of its own (in a user namespace of its own
   when not root): when it ends, for whatever reason, the kernel ends every check with it;
2. imports the heavy libraries, computes the sandbox's allow list, prints ``ready``;
3. forks a child for every connection on the socket, each the first process of a nested PID
   namespace of its own: when that child ends, every process its check started ends too.
   The child fences itself (``isolation.fence``), says hello, then receives the definitions
   it is to load.

It stops when the grader closes its stdin (the grader ended, however). It never runs
student code.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import sys

from autograder.sandbox import linux


def main() -> None:
    config = json.loads(sys.stdin.readline())
    own_namespace = _become_init()  # before any import starts a thread
    import numpy  # noqa: F401  (imported here once, inherited by every child)
    import pandas  # noqa: F401

    from autograder import quiet

    quiet.import_tensorflow()

    from autograder.sandbox import child, isolation, rootfs, wire
    from autograder.submission import Definitions

    # The grader modules student-side code runs (probes, the wire): what this process imported,
    # never the grader's own side (the checks, what they compare against, the engine).
    modules = sorted({m.__file__ for name, m in list(sys.modules.items())
                      if name.split(".")[0] == "autograder" and getattr(m, "__file__", None)
                      and name.split(".")[1:2] not in (["checks"], ["expected"], ["engine"])})
    binds, links = rootfs.allow_list(config["course"], config["shared"], modules)
    config |= {"binds": [b.__dict__ for b in binds], "links": links}
    pid_namespace = os.open("/proc/self/ns/pid", os.O_RDONLY) if own_namespace else None

    # Reap every child (and every orphan this init adopts) with waitpid rather than SIG_IGN:
    # the kernel then adds their CPU time to ours, and ours to the grader's, so the grader's
    # own getrusage(RUSAGE_CHILDREN) accounts for every check (benchmarks/measure.py).
    signal.signal(signal.SIGCHLD, _reap)
    try:  # without namespaces, a daemon that leaves its check is adopted here (see client)
        linux.prctl(linux.PR_SET_CHILD_SUBREAPER, 1)
    except OSError:
        pass
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(config["socket"])
    server.listen(4)
    print("ready", os.readlink("/proc/self"), flush=True)  # our pid on the host's /proc
    while True:
        ready, _, _ = select.select([server, sys.stdin.fileno()], [], [])
        if sys.stdin.fileno() in ready and not os.read(sys.stdin.fileno(), 1):
            os._exit(0)  # the grader is gone: so is every check, with this PID namespace
        if server not in ready:
            continue
        connection, _ = server.accept()
        nested = pid_namespace is not None and _next_child_in_new_pid_namespace()
        pid = os.fork()
        if pid:
            if nested:  # this process's own children stay in its namespace
                linux.setns(pid_namespace, linux.CLONE_NEWPID)
            connection.close()
            continue
        # The child: never returns to the accept loop, whatever happens.
        try:
            server.close()
            if pid_namespace is not None:
                os.close(pid_namespace)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            wire.send(connection, isolation.fence(config, own_pid_namespace=nested))
            definitions = Definitions.from_json(wire.receive(connection)["definitions"])
            child.serve(connection, definitions)
        finally:
            os._exit(0)


def _reap(signum, frame) -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def _become_init() -> bool:
    """Fork into a new PID namespace (through a user namespace when not root) and go on in
    the child, its first process; the parent only waits and passes on how the child ended.
    False, and nothing forked, where the machine does not allow it."""
    flags = linux.CLONE_NEWPID
    if os.geteuid() != 0:
        flags |= linux.CLONE_NEWUSER
    if not _allowed(flags):  # tried in a throwaway child: a refusal halfway cannot be undone
        return False
    _enter(flags)
    pid = os.fork()
    if pid == 0:  # (the grader kills our process group: this child goes with the parent)
        linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)
        return True
    _, status = os.waitpid(pid, 0)
    os._exit(os.waitstatus_to_exitcode(status) & 0xFF)


def _allowed(flags: int) -> bool:
    pid = os.fork()
    if pid == 0:
        try:
            _enter(flags)
        except OSError:
            os._exit(1)
        os._exit(0)
    return os.waitpid(pid, 0)[1] == 0


def _enter(flags: int) -> None:
    uid, gid = os.getuid(), os.getgid()  # before: in the new user namespace we are nobody
    linux.unshare(flags)
    if flags & linux.CLONE_NEWUSER:
        linux.map_user(uid, gid)


def _next_child_in_new_pid_namespace() -> bool:
    try:
        linux.unshare(linux.CLONE_NEWPID)
    except OSError:
        return False
    return True


if __name__ == "__main__":
    main()
