"""The grader's side of the sandbox: start the zygote, open one session per check, enforce time.

``Sandbox()`` starts a zygote for a grading run. ``sandbox.session(definitions, seconds)`` forks
a fenced child that loads those definitions and returns a ``Session`` whose ``call`` and
``probe`` send requests and decode answers. A session that runs out of time is killed (its whole process group, so a long
TensorFlow op ends too) and raises ``CheckTimeout``; a child that dies raises ``WorkerCrashed``;
an exception in student code comes back as ``StudentError``. A dead zygote is started again.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import quiet
from autograder.outcomes import CheckTimeout, StudentError, WorkerCrashed
from autograder.sandbox import wire
from autograder.submission import Definitions

ZYGOTE_START_SECONDS = 120  # importing TensorFlow on a busy two-core machine
DEFAULT_MEMORY_BYTES = 6 * 1024**3


class DefinitionStalled(CheckTimeout):
    """A definition used up the check's time while loading; ``definitions`` leaves it out."""

    def __init__(self, definitions: Definitions) -> None:
        super().__init__()
        self.definitions = definitions


class Session:
    """One fenced child serving one check."""

    def __init__(self, connection: socket.socket, pid: int, deadline: float,
                 zygote: int | None = None, workdir: str = "",
                 definitions: Definitions | None = None) -> None:
        self._connection, self.pid, self.deadline = connection, pid, deadline
        self.definitions = definitions or Definitions()  # what the child loaded
        self.zygote = zygote  # adopts what escapes the process group (see _kill_adopted)
        self.loading: int | None = None  # the statement being defined, until ready
        self.workdir = workdir  # the child's working folder, removed when the session closes

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

    def wait_ready(self) -> dict:
        """Wait until the definitions are loaded; ``loading`` follows which one runs."""
        while True:
            answer = self._receive()
            if "loading" not in answer:
                return answer
            self.loading = int(answer["loading"])

    def _request(self, message: dict):
        try:
            wire.send(self._connection, message)
        except OSError:
            raise WorkerCrashed("the sandbox closed the connection") from None
        answer = self._receive()
        if "error" in answer:
            error = answer["error"] if isinstance(answer["error"], dict) else {}
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
        try:  # the deadline holds for the whole frame, however slowly its bytes come
            return wire.receive(self._connection, self.deadline)
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
        if self.zygote is not None:
            _kill_adopted(self.zygote, dying=self.pid)
        self._connection.close()
        # The child's working folder, named before any student code ran (so it is trusted).
        if self.workdir.startswith(tempfile.gettempdir() + os.sep + "submission-"):
            shutil.rmtree(self.workdir, ignore_errors=True)


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
        """Fork a fenced child that loads ``definitions``; the check's time starts now.

        A definition that ends the child (os._exit in a default value) or stalls it is left
        out, and the child forked again without it: it costs the names it defines, never the
        whole notebook. ``session.definitions`` says what was loaded, so the caller can leave
        the same statements out of every later session and pay for them only once."""
        self._ensure_zygote()  # starting it (importing TensorFlow) is not the check's time
        deadline = time.monotonic() + seconds
        while True:
            session = self._fork(deadline, definitions)
            try:
                wire.send(session._connection, {"definitions": definitions.to_json()})
                ready = session.wait_ready()
            except OSError as err:  # the child died before it could read them
                session.close()
                raise WorkerCrashed(f"the sandbox closed the connection: {err}") from None
            except (WorkerCrashed, CheckTimeout) as err:
                if session.loading is None:
                    raise
                stalled = isinstance(err, CheckTimeout)
                definitions = definitions.without(
                    [session.loading], "ran out of time" if stalled else "ended the grading process")
                if stalled:  # the check's time is gone; later checks start without it
                    raise DefinitionStalled(definitions) from None
                continue
            session.definitions = definitions.without(ready.get("slow", []), "ran for too long")
            return session

    def _fork(self, deadline: float, definitions: Definitions) -> Session:
        """A fenced child, before any student code; a zygote that died is started once more."""
        for attempt in range(2):
            self._ensure_zygote()
            connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                connection.connect(self._socket_path)
                connection.settimeout(30)
                hello = wire.receive(connection)  # sent after fencing, before student code
                break
            except (wire.WireError, OSError) as err:
                connection.close()
                self._stop_zygote()  # whatever happened to it, the next one is fresh
                if attempt:
                    raise WorkerCrashed(f"the sandbox did not start: {err}") from None
        self.unfenced = list(hello.get("unfenced", []))
        return Session(connection, int(hello["pid"]), deadline, self._zygote.pid,
                       workdir=str(hello.get("workdir", "")), definitions=definitions)

    def _ensure_zygote(self) -> None:
        if self._zygote is not None and self._zygote.poll() is None:
            return
        if os.path.exists(self._socket_path):
            os.unlink(self._socket_path)
        environment = dict(os.environ) | quiet.GRADING_ENVIRONMENT
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
            self._stop_zygote()
            raise RuntimeError("the grading sandbox failed to start (is TensorFlow installed?)")

    def close(self) -> None:
        """Stop the zygote and every leftover; remove the socket's folder. Final."""
        self._stop_zygote()
        shutil.rmtree(self._folder, ignore_errors=True)

    def _stop_zygote(self) -> None:
        """Kill the zygote and its leftovers; the next session starts a fresh one."""
        if self._zygote is not None:
            _kill_adopted(self._zygote.pid)
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
    return {k: os.environ[k] for k in keep if k in os.environ} | quiet.GRADING_ENVIRONMENT


def _kill_adopted(zygote: int, dying: int | None = None) -> None:
    """Kill the zygote's children: a daemon that left its check's process group (setsid) is
    adopted by the zygote, a child subreaper, instead of outliving grading. Sessions run one
    at a time, so every child of the zygote is a check's leftover once its session closes
    (``dying``: the session's own child, already killed with its process group)."""
    if not os.path.isdir("/proc"):  # Linux only, as the fences are
        return
    for _ in range(100):  # what they fork meanwhile is adopted too: until none is left
        strays = []
        for entry in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()  # name may hold ")"
            except (OSError, IndexError):
                continue
            if fields[0] != "Z" and int(fields[1]) == zygote and int(entry) != dying:
                strays.append(int(entry))
        if not strays:
            return
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)  # a killed process takes a moment to go


def _readline_within(process: subprocess.Popen, seconds: float) -> str:
    import selectors

    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        if not selector.select(seconds):
            return ""
    return process.stdout.readline()
