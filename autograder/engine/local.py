"""The sandbox's rules, kept inside this process: what the notebook's self-check runs on.

``check("f")`` in a notebook must give the score ``grade --public-only`` gives for the same
code, so a ``LocalSession`` answers a check exactly as the sandbox's child does, minus the
fences (it runs in the student's own kernel, on the student's own code):

- the same definitions only: ``kernel_definitions()`` takes the cells the kernel has run
  (IPython's ``In``) through ``autograder.submission.extract_definitions``, and each session
  runs the kept ones in a fresh namespace, as each check's child does;
- the same values: every argument and answer makes the wire's round trip (``wire.encode`` /
  ``decode``, through JSON), so a ``tf.Tensor`` arrives as the NumPy array the grader would
  see and objects stay behind ``Remote`` handles;
- the same start: random state seeded as in the child (so after check() the kernel's global
  seeds are those of a fresh check: Python, NumPy and TensorFlow seeded with 0), an empty
  working folder during calls;
- the same time limit: the check's ``timeout`` counts from the session's start, enforced with
  SIGALRM (main thread only), raising the sandbox's ``CheckTimeout``.

What it cannot do: kill a TensorFlow op mid-way (the alarm lands when the op returns) or stop
code that swallows every exception forever (it is interrupted again every 0.2 s).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
import time
from types import SimpleNamespace

from autograder.outcomes import CheckTimeout, StudentError
from autograder.sandbox import child, wire
from autograder.submission import Definitions, extract_definitions

REPEAT_SECONDS = 0.2  # after the deadline, student code is interrupted again this often


class _Expired(BaseException):
    """Raised into student code when the check's time is up (not an Exception: a student's
    ``except Exception`` must not swallow it)."""


def kernel_definitions(history: list[str]) -> Definitions:
    """The definitions grading would take from a notebook whose cells were ``history`` (the
    kernel's ``In``: every cell run, in the order it ran; In[0] is empty). Cell numbers in
    messages are execution counts, as Jupyter shows them: "cell 7" is the cell marked [7]."""
    cells = [{"cell_type": "code", "source": source if isinstance(source, str) else ""}
             for source in list(history)[1:]]
    return extract_definitions(SimpleNamespace(cells=cells))  # all extract_definitions reads


class LocalSession:
    """One check's functions, in this process, answered as the sandbox's child answers.

    ``definitions``: run in a fresh namespace (the grader's way). ``namespace``: call the
    functions of that dict directly instead (outside IPython, where no history exists)."""

    def __init__(self, definitions: Definitions, seconds: float,
                 namespace: dict | None = None) -> None:
        self.deadline = time.monotonic() + seconds  # as the sandbox: loading counts too
        self.timed = threading.current_thread() is threading.main_thread()
        child._reset_random_state()
        self._namespace = child.Namespace(definitions)
        if namespace is not None:
            self._namespace.globals = namespace
        else:
            self._load()
        self.definitions = definitions.without(self._namespace.slow, "ran for too long")
        self._workdir = tempfile.mkdtemp(prefix="selfcheck-")

    def _load(self) -> None:
        if not self.timed:  # signals work in the main thread only: no time limit per statement
            for statement in self._namespace.definitions.statements:
                try:
                    exec(compile(statement.source, f"<cell {statement.cell}>", "exec"),
                         self._namespace.globals)
                except BaseException as err:
                    for name in statement.names:
                        self._namespace.failed[name] = (
                            f"cell {statement.cell}, line {statement.line} failed: "
                            f"{type(err).__name__}: {err}")
            return
        previous = signal.getsignal(signal.SIGALRM)
        try:
            self._namespace.load()
        finally:
            signal.signal(signal.SIGALRM, previous)

    def call(self, function: str, *args, **kwargs):
        return self._request({"op": "call", "function": function,
                              "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)})

    def call_and_inputs(self, function: str, *args, **kwargs):
        answer = self._request({"op": "call", "function": function, "return_args": True,
                                "args": wire.encode(list(args)),
                                "kwargs": wire.encode(kwargs)})
        return answer["value"], answer["args"]

    def probe(self, probe: str, *args, **kwargs):
        return self._request({"op": "probe", "probe": probe,
                              "args": wire.encode(list(args)), "kwargs": wire.encode(kwargs)})

    def _request(self, message: dict):
        message = json.loads(json.dumps(message, allow_nan=True))  # what the socket carries
        answer = json.loads(json.dumps(self._answer(message), allow_nan=True))
        if "error" in answer:
            error = answer["error"]
            raise StudentError(str(error.get("kind", "raised")), str(error.get("type", "")),
                               str(error.get("message", "")), str(error.get("where", "")))
        return wire.decode(answer.get("value"))

    def _answer(self, message: dict) -> dict:
        """The child's answer, in an empty working folder, within the check's time."""
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise CheckTimeout()
        here = os.getcwd()
        os.chdir(self._workdir)
        try:
            if not self.timed:
                return self._namespace.answer(message)
            return self._answer_in_time(message, remaining)
        finally:
            os.chdir(here)

    def _answer_in_time(self, message: dict, remaining: float) -> dict:
        state = {"armed": True, "expired": False}

        def on_alarm(signum, frame):
            if state["armed"]:
                state["expired"] = True
                raise _Expired()

        previous = signal.signal(signal.SIGALRM, on_alarm)
        signal.setitimer(signal.ITIMER_REAL, remaining, REPEAT_SECONDS)
        answer = None
        try:
            try:
                answer = self._namespace.answer(message)
            finally:
                state["armed"] = False
        except _Expired:
            state["armed"] = False
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
        # The child catches what student code raises, our _Expired too: the flag decides.
        if state["expired"] or answer is None:
            raise CheckTimeout()
        return answer

    def close(self) -> None:
        shutil.rmtree(self._workdir, ignore_errors=True)
