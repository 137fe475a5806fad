"""The sandboxed side of one check: load the definitions, then answer calls until told to stop.

Runs in a process forked from the zygote, after ``isolation.fence``. Every check gets a child
of its own, so nothing one function does to global state (seeds, print options, Keras policy,
working directory, environment, monkeypatches) reaches another check.

Requests: ``{"op": "call", "function": name, "args": [...], "kwargs": {...}}`` and
``{"op": "probe", "probe": name, "args": [...]}``. Answers: ``{"value": ...}`` or
``{"error": {"kind", "type", "message", "where"}}``.
"""

from __future__ import annotations

import signal
import traceback

from autograder import probes
from autograder.sandbox import wire
from autograder.submission import Definitions

DEFINITION_SECONDS = 2  # a definition that takes longer (a loop in a class body) is dropped


class _DefinitionTimeout(BaseException):
    pass


class Namespace:
    """The student's definitions, and the objects that stay here behind Remote handles."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self.globals: dict = {"__name__": "__main__", "__builtins__": __builtins__}
        self.failed: dict[str, str] = dict(definitions.failed)  # name -> why it is not defined
        self.slow: list[int] = []  # statements that ran out of time while being defined
        self.kept: dict[int, object] = {}
        self._probes = {name: getattr(probes, name) for name in probes.__all__}

    def load(self, progress=lambda index: None) -> None:
        """Run each kept statement alone, so one failing import costs only what needs it.
        ``progress(i)`` comes before statement i: should it end the process (os._exit in a
        default value), the grader knows which statement did."""
        def on_alarm(signum, frame):
            raise _DefinitionTimeout()

        for index, st in enumerate(self.definitions.statements):
            progress(index)
            # Again for each statement: an earlier one may have ignored or blocked SIGALRM.
            # Only a courtesy: the grader stops a statement that runs on, whatever it did.
            signal.signal(signal.SIGALRM, on_alarm)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGALRM})
            signal.alarm(DEFINITION_SECONDS)
            try:
                # compile() rejects what ast.parse accepts (`break` outside a loop): the
                # function's own error, like any other failing definition.
                exec(compile(st.source, f"<cell {st.cell}>", "exec"), self.globals)
            except _DefinitionTimeout:
                self.slow.append(index)
                for name in st.names:
                    self.failed[name] = f"its definition in cell {st.cell} ran for too long"
            except BaseException as err:  # SystemExit too: a definition must not end grading
                for name in st.names:
                    self.failed[name] = (f"cell {st.cell}, line {st.line} failed: "
                                         f"{type(err).__name__}: {err}")
            finally:
                signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    def keep(self, value) -> wire.Remote:
        handle = len(self.kept) + 1
        self.kept[handle] = value
        return wire.Remote(handle, f"{type(value).__module__}.{type(value).__qualname__}")

    def answer(self, request: dict) -> dict:
        args = wire.decode(request.get("args", []), self.kept.__getitem__)
        kwargs = wire.decode(request.get("kwargs", {"$dict": []}), self.kept.__getitem__)
        if request.get("op") == "probe":
            target = self._probes[request["probe"]]
        else:
            name = request["function"]
            target = self.globals.get(name)
            if not callable(target):
                return {"error": {"kind": "missing", "type": "", "where": "",
                                  "message": self.failed.get(name) and
                                  f"`{name}` could not be defined: {self.failed[name]}"
                                  or self.definitions.why_missing(name)}}
        try:
            value = target(*args, **kwargs)
        except BaseException as err:  # SystemExit and KeyboardInterrupt are student errors too
            return {"error": self._describe(err, request)}
        if request.get("return_args"):
            value = {"value": value, "args": list(args)}
        try:
            return {"value": wire.encode(value, self.keep)}
        except Exception as err:
            return {"error": {"kind": "unsendable", "type": type(err).__name__, "where": "",
                              "message": f"the returned value cannot be graded: {err}"}}

    def _describe(self, err: BaseException, request: dict) -> dict:
        """Type, message and the student's own frame where it raised (not grader frames)."""
        student_frames = [f for f in traceback.extract_tb(err.__traceback__)
                          if f.filename.startswith("<cell ")]
        where = ""
        if student_frames:
            last = student_frames[-1]
            where = f"{last.filename[1:-1]}, line {last.lineno}"
        message = str(err)
        kind = "raised"
        if isinstance(err, NameError) and getattr(err, "name", None):
            hint = self.definitions.why_name_error(err.name) or (
                f"`{err.name}` could not be defined: {self.failed[err.name]}"
                if err.name in self.failed else None)
            if hint:
                message, kind = hint, "name"
        if isinstance(err, SystemExit):
            message = "called sys.exit(): return a value or raise an exception instead"
        if request.get("op") == "probe":
            kind = "probe"
        return {"kind": kind, "type": type(err).__name__, "message": message[:2000],
                "where": where}


def serve(sock, definitions: Definitions) -> None:
    """Answer requests on ``sock`` until it closes; every answer is data, never pickle."""
    _reset_random_state()
    namespace = Namespace(definitions)
    namespace.load(progress=lambda index: wire.send(sock, {"loading": index}))
    wire.send(sock, {"ready": True, "slow": namespace.slow})
    while True:
        try:
            request = wire.receive(sock)
        except wire.WireError:
            return
        wire.send(sock, namespace.answer(request))


def _reset_random_state() -> None:
    """Every check starts from the same seeds. Not reset between calls: a check that calls
    train_model twice must see whether the student's seed, not ours, made them agree."""
    import keras

    keras.utils.set_random_seed(0)
