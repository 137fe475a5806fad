"""The grader's side of the sandbox: start the zygote, open one session per check, enforce time.

``Sandbox()`` starts a zygote for a grading run. ``sandbox.session(definitions, seconds)`` forks
a fenced child that loads those definitions and returns a ``Session`` whose ``call`` and ``probe`` send requests and decode
answers. A session that runs out of time is killed (its whole process group, so a long
TensorFlow op ends too) and raises ``CheckTimeout``; a child that dies raises ``WorkerCrashed``;
an exception in student code comes back as ``StudentError``. A dead zygote is started again.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import quiet
from autograder.sandbox import wire
from autograder.submission import Definitions

ZYGOTE_START_SECONDS = 120  # importing TensorFlow on a busy two-core machine
DEFAULT_MEMORY_BYTES = 6 * 1024**3


class StudentError(Exception):
    """Student code raised, or a graded function is missing. ``kind`` says which."""

    def __init__(self, kind: str, type_name: str, message: str, where: str) -> None:
        self.kind, self.type_name, self.message, self.where = kind, type_name, message, where
        text = f"{type_name}: {message}" if type_name else message
        super().__init__(f"{text} ({where})" if where else text)


class CheckTimeout(Exception):
    """The check's time ran out while student code was running."""


class WorkerCrashed(Exception):
    """The sandboxed process ended while student code was running (os._exit, a segfault)."""


class Session:
    """One fenced child serving one check."""

    def __init__(self, connection: socket.socket, pid: int, deadline: float) -> None:
        self._connection, self.pid, self.deadline = connection, pid, deadline

    def call(self, function: str, *args, **kwargs):
        """Call the student's ``function`` with these arguments; return its decoded value."""
        return self._request({"op": "call", "function": function,
                              "args": wire.encode(list(args)),
                              "kwargs": wire.encode(kwargs)})

    def call_and_inputs(self, function: str, *args, **kwargs):
        """As call, and also return the positional arguments as the call left them, so a
        check can see whether the student modified its inputs in place."""
        answer = self._request({"op": "call", "function": function, "return_args": True,
                                "args": wire.encode(list(args)),
                                "kwargs": wire.encode(kwargs)})
        return answer["value"], answer["args"]

    def probe(self, probe: str, *args, **kwargs):
        """Run a trusted probe of ``autograder.probes`` on sandbox objects (Remote handles)."""
        return self._request({"op": "probe", "probe": probe,
                              "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)})

    def wait_ready(self) -> None:
        self._receive()

    def _request(self, message: dict):
        try:
            wire.send(self._connection, message)
        except OSError:
            raise WorkerCrashed("the sandbox closed the connection") from None
        answer = self._receive()
        if "error" in answer:
            error = answer["error"]
            raise StudentError(str(error.get("kind", "raised")), str(error.get("type", "")),
                               str(error.get("message", "")), str(error.get("where", "")))
        try:
            return wire.decode(answer.get("value"))
        except Exception as err:  # garbage from a child that wrote to our socket itself
            raise WorkerCrashed(f"the sandbox sent an unreadable answer: {err}") from None

    def _receive(self) -> dict:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            self.close()
            raise CheckTimeout()
        self._connection.settimeout(remaining)
        try:
            return wire.receive(self._connection)
        except (socket.timeout, TimeoutError):
            self.close()
            raise CheckTimeout() from None
        except (wire.WireError, OSError) as err:
            self.close()
            raise WorkerCrashed(str(err)) from None

    def close(self) -> None:
        """Kill the child and everything it started."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._connection.close()


class Sandbox:
    """A zygote for a grading run; hands out one fresh child per check."""

    def __init__(self, hide: list[Path] = (), memory_bytes: int = DEFAULT_MEMORY_BYTES) -> None:
        self.hide = [str(Path(p).resolve()) for p in hide]
        self.memory_bytes = memory_bytes
        self.unfenced: list[str] = []
        self._folder = tempfile.mkdtemp(prefix="autograder-")  # 0700: children cannot connect
        self._socket_path = os.path.join(self._folder, "zygote.sock")
        self._zygote: subprocess.Popen | None = None

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def session(self, definitions: Definitions, seconds: float) -> Session:
        """Fork a fenced child that loads ``definitions``; the check's time starts now."""
        self._ensure_zygote()  # starting it (importing TensorFlow) is not the check's time
        deadline = time.monotonic() + seconds
        connection = self._connect()
        connection.settimeout(30)
        try:
            hello = wire.receive(connection)  # sent after fencing, before any student code
        except (wire.WireError, OSError) as err:
            connection.close()
            raise WorkerCrashed(f"the sandbox did not start: {err}") from None
        self.unfenced = list(hello.get("unfenced", []))
        session = Session(connection, int(hello["pid"]), deadline)
        wire.send(connection, {"definitions": definitions.to_json()})
        session.wait_ready()
        return session

    def _connect(self) -> socket.socket:
        """Connect to the zygote, starting it again if student code brought it down."""
        for attempt in range(2):
            self._ensure_zygote()
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(self._socket_path)
                return connection
            except OSError:
                connection.close()
                self.close()
        raise WorkerCrashed("the grading sandbox could not be started again")

    def _ensure_zygote(self) -> None:
        if self._zygote is not None and self._zygote.poll() is None:
            return
        if os.path.exists(self._socket_path):
            os.unlink(self._socket_path)
        environment = dict(os.environ) | quiet.QUIET_ENVIRONMENT
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "autograder.sandbox.zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=environment, text=True, start_new_session=True)
        config = {"socket": self._socket_path, "hide": self.hide, "memory_bytes": self.memory_bytes,
                  "environment": _child_environment()}
        self._zygote.stdin.write(json.dumps(config) + "\n")
        self._zygote.stdin.flush()
        line = _readline_within(self._zygote, ZYGOTE_START_SECONDS)
        if line.strip() != "ready":
            self.close()
            raise RuntimeError("the grading sandbox failed to start (is TensorFlow installed?)")

    def close(self) -> None:
        if self._zygote is not None:
            try:
                os.killpg(self._zygote.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._zygote.wait()
            for stream in (self._zygote.stdin, self._zygote.stdout):
                stream.close()
            self._zygote = None
        if os.path.exists(self._socket_path):
            os.unlink(self._socket_path)


def _child_environment() -> dict[str, str]:
    """What student code sees of the environment: only what Python and TF need."""
    keep = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV")
    return {k: os.environ[k] for k in keep if k in os.environ} | quiet.QUIET_ENVIRONMENT


def _readline_within(process: subprocess.Popen, seconds: float) -> str:
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(seconds):
            return ""
    return process.stdout.readline()
