"""The fork server: import TensorFlow once, then fork one fenced child per check.

Started by the grader as ``python -m autograder.sandbox.zygote``; reads its configuration as
one JSON line on stdin (socket path, folders to hide, memory limit, environment), imports the
heavy libraries, prints ``ready`` and forks a child for every connection on the socket. The
child fences itself, says its pid, then receives the definitions it is to load. The zygote
itself never runs student code.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import socket
import sys

from autograder import quiet

PR_SET_CHILD_SUBREAPER = 36


def main() -> None:
    config = json.loads(sys.stdin.readline())
    import numpy  # noqa: F401  (imported here once, inherited by every child)
    import pandas  # noqa: F401

    quiet.import_tensorflow()

    from autograder.sandbox import child, isolation
    from autograder.sandbox import wire
    from autograder.submission import Definitions

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # children are reaped by the kernel
    # A child subreaper: a process that leaves its check's process group (a daemon) becomes
    # our child when orphaned, so the grader can find and kill it (client._kill_adopted).
    libc = ctypes.CDLL(None)
    if hasattr(libc, "prctl"):  # Linux only
        libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(config["socket"])
    server.listen(4)
    print("ready", flush=True)
    while True:
        connection, _ = server.accept()
        pid = os.fork()
        if pid:
            connection.close()
            continue
        # The child: never returns to the accept loop, whatever happens.
        try:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            missing, workdir = isolation.fence(config["hide"], config["memory_bytes"],
                                               config["environment"])
            wire.send(connection, {"pid": os.getpid(), "unfenced": missing,
                                   "workdir": workdir})
            definitions = Definitions.from_json(wire.receive(connection)["definitions"])
            child.serve(connection, definitions)
        finally:
            os._exit(0)


if __name__ == "__main__":
    main()
