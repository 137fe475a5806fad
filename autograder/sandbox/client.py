"""The grader's side of the sandbox: start the zygote, open one session per check, enforce time.

``Sandbox()`` starts a zygote for a grading run (reusable for many submissions).
``sandbox.session(definitions, seconds)`` forks a fenced child that loads those definitions and
returns a ``Session`` whose ``call`` and ``probe`` send requests and decode answers. Every limit
is kept from this side, whatever student code does to signals: a deadline on the socket for
the whole check and for each definition, then a kill. A session that runs out of time raises
``CheckTimeout``; a child that dies raises ``WorkerCrashed``; an exception in student code comes
back as ``StudentError``. Closing a session kills its child, the first process of its own PID
namespace, so every process the check started goes with it; ``close`` returns once they are
gone. A dead zygote is started again.
"""

from __future__ import annotations

import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from autograder import quiet
from autograder.course import ROOT
from autograder.outcomes import CheckTimeout, StudentError, WorkerCrashed
from autograder.sandbox import wire
from autograder.sandbox.cleanup import remove_tree
from autograder.sandbox.child import DEFINITION_SECONDS
from autograder.submission import Definitions

STOP_SECONDS = 5  # a zygote told to stop (its stdin closed) ends within this
ZYGOTE_START_SECONDS = 120  # importing TensorFlow on a busy two-core machine
DEFAULT_MEMORY_BYTES = 6 * 1024**3
# A definition the child's own alarm did not stop (student code can ignore or block SIGALRM)
# is stopped from here this much later, and left out of the check.
DEFINITION_GRACE_SECONDS = 1.0
GONE_SECONDS = 10  # how long a killed child may take to exit (it always does, in ms)
# What student code sees of the environment, and all the fork server is started with: the
# grader's other variables (tokens, keys) never reach its memory, so no child can read them.
# TMPDIR: the grader and the zygote must agree on it (the sandbox sets its own).
ALLOWED_ENVIRONMENT = ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "VIRTUAL_ENV", "TMPDIR")


class DefinitionStalled(CheckTimeout):
    """A definition used up the check's time while loading; ``definitions`` leaves it out."""

    def __init__(self, definitions: Definitions) -> None:
        super().__init__()
        self.definitions = definitions


class _StatementTooLong(Exception):
    """A definition outlived its own limit; the check goes on without it."""


class Session:
    """One fenced child serving one check."""

    def __init__(self, connection: socket.socket, hello: dict, deadline: float,
                 zygote: int | None = None, definitions: Definitions | None = None) -> None:
        self._connection, self.deadline = connection, deadline
        self.pid = int(hello["pid"])
        self.missing = set(hello.get("missing", []))  # fences the child could not build
        self.workdir = str(hello.get("workdir", ""))  # only without a private root: on the host
        self.definitions = definitions or Definitions()  # what the child loaded
        self.zygote = zygote  # without PID namespaces, adopts what escapes (_kill_adopted)
        self.loading: int | None = None  # the statement being defined, until ready
        self._pidfd = _open_pidfd(self.pid)
        self._closed = False

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
        """Wait until the definitions are loaded; ``loading`` follows which one runs. Each
        definition gets DEFINITION_SECONDS, and the grace, from here."""
        statement_deadline = None
        while True:
            answer = self._receive(statement_deadline)
            if "loading" not in answer:
                return answer
            self.loading = int(answer["loading"])
            statement_deadline = time.monotonic() + DEFINITION_SECONDS + DEFINITION_GRACE_SECONDS

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
        except wire.AnswerTooLarge as err:
            raise StudentError("unsendable", "", f"the returned value cannot be graded: {err}",
                               "") from None
        except Exception as err:  # garbage from a child that wrote to our socket itself
            raise WorkerCrashed(f"the sandbox sent an unreadable answer: {err}") from None

    def _receive(self, statement_deadline: float | None = None) -> dict:
        deadline = min(self.deadline, statement_deadline or self.deadline)
        late = CheckTimeout if deadline == self.deadline else _StatementTooLong
        if deadline - time.monotonic() <= 0:
            self.close()
            raise late()
        try:  # the deadline holds for the whole frame, however slowly its bytes come
            return wire.receive(self._connection, deadline)
        except (socket.timeout, TimeoutError):
            self.close()
            raise late() from None
        except wire.AnswerTooLarge as err:
            self.close()
            raise StudentError("unsendable", "", f"the returned value cannot be graded: {err}",
                               "") from None
        except (wire.WireError, OSError) as err:
            self.close()
            raise WorkerCrashed(str(err)) from None

    def close(self) -> None:
        """Kill the child and everything it started; return once they are gone."""
        if self._closed:
            return
        self._closed = True
        _kill(self.pid, self._pidfd)
        if "processes" in self.missing:  # no PID namespace: its process group, and strays
            try:
                os.killpg(self.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            if self.zygote is not None:
                _kill_adopted(self.zygote, dying=self.pid)
        elif self._pidfd is not None:  # the kernel ends the namespace with its first process
            select.select([self._pidfd], [], [], GONE_SECONDS)
        if self._pidfd is not None:
            os.close(self._pidfd)
        self._connection.close()
        # Without a private root the working folder is on the host, named before any student
        # code ran (so it is trusted); a private root's goes with its mount namespace.
        if self.workdir.startswith(tempfile.gettempdir() + os.sep + "submission-"):
            remove_tree(self.workdir)


class Sandbox:
    """A zygote for grading runs; hands out one fresh child per check, one check at a time."""

    def __init__(self, hide: list[Path] = (), memory_bytes: int = DEFAULT_MEMORY_BYTES) -> None:
        self.hide = [str(Path(p).resolve()) for p in hide]  # covered where no private root
        self.memory_bytes = memory_bytes
        self.unfenced: list[str] = []
        self._missing: set[str] | None = None
        self._folder = tempfile.mkdtemp(prefix="autograder-")  # 0700: children cannot connect
        self._socket_path = os.path.join(self._folder, "zygote.sock")
        self._mountpoint = os.path.join(self._folder, "root")  # where each child builds its /
        os.mkdir(self._mountpoint)
        # Data files checks hand to student code (``shared_folder``): read-only in every child.
        self._shared = tempfile.mkdtemp(prefix="autograder-shared-")
        os.chmod(self._shared, 0o755)  # without a private root, nobody reads it on the host
        self._zygote: subprocess.Popen | None = None
        self._zygote_pid: int | None = None  # the process that forks the children

    def __enter__(self) -> "Sandbox":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def shared_folder(self) -> Path:
        """A new folder whose files student code can read (as itself, at the same path)."""
        folder = tempfile.mkdtemp(dir=self._shared)
        os.chmod(folder, 0o755)
        return Path(folder)

    def missing_fences(self) -> set[str]:
        """The fences this machine does not allow (keys of ``isolation.FENCES``); asks a
        throwaway child when no check has run yet."""
        if self._missing is None:
            self.session(Definitions(), 60).close()
        return set(self._missing or ())

    def session(self, definitions: Definitions, seconds: float) -> Session:
        """Fork a fenced child that loads ``definitions``; the check's time starts now.

        A definition that ends the child (os._exit in a default value) or runs past its own
        limit is left out, and the child forked again without it: it costs the names it
        defines, never the whole notebook. One that stalls until the check's time is gone
        costs that check too. ``session.definitions`` says what was loaded, so the caller can
        leave the same statements out of every later session and pay for them only once."""
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
            except (WorkerCrashed, CheckTimeout, _StatementTooLong) as err:
                if session.loading is None:
                    raise
                why = {WorkerCrashed: "ended the grading process", CheckTimeout: "ran out of time",
                       _StatementTooLong: "ran for too long"}[type(err)]
                definitions = definitions.without([session.loading], why)
                if isinstance(err, CheckTimeout):  # the check's time is gone
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
        session = Session(connection, hello, deadline, self._zygote_pid, definitions)
        self._missing = session.missing
        self.unfenced = [str(line) for line in hello.get("unfenced", [])]
        return session

    def _ensure_zygote(self) -> None:
        if self._zygote is not None and self._zygote.poll() is None:
            return
        if os.path.exists(self._socket_path):
            os.unlink(self._socket_path)
        self._zygote = subprocess.Popen(
            [sys.executable, "-m", "autograder.sandbox.zygote"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=child_environment(), text=True, start_new_session=True)
        config = {"socket": self._socket_path, "mountpoint": self._mountpoint,
                  "shared": self._shared, "course": str(ROOT), "hide": self.hide,
                  "memory_bytes": self.memory_bytes, "environment": child_environment()}
        self._zygote.stdin.write(json.dumps(config) + "\n")
        self._zygote.stdin.flush()
        line = _readline_within(self._zygote, ZYGOTE_START_SECONDS).split()
        if not line or line[0] != "ready":
            self._stop_zygote()
            raise RuntimeError("the grading sandbox failed to start (is TensorFlow installed?)")
        self._zygote_pid = int(line[1])

    def close(self) -> None:
        """Stop the zygote and every leftover; remove the sandbox's folders. Final."""
        self._stop_zygote()
        for folder in (self._folder, self._shared):
            remove_tree(folder)

    def _stop_zygote(self) -> None:
        """Kill the zygote and, with it, every check still running; the next session starts a
        fresh one."""
        if self._zygote is not None:
            if self._zygote_pid is not None:
                _kill_adopted(self._zygote_pid)  # without PID namespaces: its strays
            # Closing its stdin ends the zygote, and its PID namespace every check with it;
            # ending that way, each process is reaped by its parent, so the kernel counts
            # every check's CPU time in ours (benchmarks/measure.py). The kill is the backstop
            # (a zygote that does not answer, strays of a machine without namespaces).
            try:
                self._zygote.stdin.close()
                self._zygote.wait(timeout=STOP_SECONDS)
            except (OSError, subprocess.TimeoutExpired):
                pass
            try:
                os.killpg(self._zygote.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._zygote.wait()
            self._zygote.stdout.close()
            self._zygote, self._zygote_pid = None, None
        if os.path.exists(self._socket_path):
            os.unlink(self._socket_path)


def child_environment() -> dict[str, str]:
    """The allow list: what the zygote starts with and student code sees, only what Python
    and TensorFlow need."""
    return {k: os.environ[k] for k in ALLOWED_ENVIRONMENT if k in os.environ} \
        | quiet.GRADING_ENVIRONMENT


def _open_pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):  # Python < 3.9 or Linux < 5.3
        return None


def _kill(pid: int, pidfd: int | None) -> None:
    try:
        if pidfd is not None:
            signal.pidfd_send_signal(pidfd, signal.SIGKILL)
        else:
            os.kill(pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


def _kill_adopted(zygote: int, dying: int | None = None) -> None:
    """Where PID namespaces are not allowed: kill the zygote's children. A daemon that left
    its check's process group (setsid) is adopted by the zygote, a child subreaper, instead
    of outliving grading. Sessions run one at a time, so every child of the zygote is a
    check's leftover once its session closes (``dying``: the session's own child, already
    killed). A best effort: a daemon whose main thread ended looks like a zombie here."""
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
