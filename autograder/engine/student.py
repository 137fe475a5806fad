"""The ``student`` a check talks to: the submission's functions, wherever they run.

Two kinds, one interface and one set of rules, so the notebook's self-check gives the score
the grader gives:

- ``SandboxStudent``: the grader's. Calls go to a fenced child (one per check); values come
  back as data, objects stay there behind ``Remote`` handles.
- ``LocalStudent``: the notebook's. Calls go to a ``LocalSession`` (engine/local.py): the
  same definitions, the same wire round trip and time limit, in the kernel's process.

Interface for checks:
    student.<function>(*args, **kwargs)         call a graded function (see the call cache)
    student.call_uncached(name, *args, ...)     call it for real, never from the cache
    student.call_and_inputs(name, *args, ...)   (value, args as the call left them)
    student.probe(name, *args)                  a trusted probe from autograder.probes
    student.memo(key, compute)                  compute() once per grading of the notebook
    student.path(filename)                      a path student code can read, for data files
    student.check                               the Check being run (id, hidden, timeout...)

The call cache: checks of one function often make the very same call (predict_next_close on
the same frame and dates trains the same model). ``Loaded``, the per-notebook state of a
grading run, remembers what such a call returned, keyed by the function and a digest of its
encoded arguments, and hands the next check a copy instead of running it again. Only data is
remembered (never a Remote, whose process ends with its check), and only calls whose
arguments are data. A check that tests determinism (two calls must really both run) calls
``call_uncached``.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from autograder import probes
from autograder.engine import Check
from autograder.outcomes import StudentError
from autograder.sandbox import wire
from autograder.sandbox.client import DefinitionStalled, Sandbox
from autograder.submission import Definitions


class Loaded:
    """A notebook's definitions as its grading goes on, and what its calls returned. Owned by
    the grading run, not by any sandbox: when a statement ends or stalls the child that loads
    it, the session comes back without it, and every later check of the notebook starts from
    what is left."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions
        self._remembered: dict[str, object] = {}  # digest -> data, or the StudentError raised

    def remember(self, key: str | None, compute: Callable[[], object]):
        """compute() the first time ``key`` is asked for, a copy of that answer afterwards.
        A StudentError is remembered too (the same call raises the same way); timeouts and
        crashes are not. ``key`` None: always compute."""
        if key is not None and key in self._remembered:
            kept = self._remembered[key]
            if isinstance(kept, StudentError):
                raise StudentError(kept.kind, kept.type_name, kept.message, kept.where)
            return copy.deepcopy(kept)
        try:
            value = compute()
        except StudentError as err:
            if key is not None and err.kind == "raised":
                self._remembered[key] = err
            raise
        if key is not None and not _holds_remote(value):
            self._remembered[key] = copy.deepcopy(value)
        return value


def call_key(function: str, args: tuple, kwargs: dict) -> str | None:
    """A digest of a call as the wire would carry it; None when an argument is not data (a
    Remote is a handle into one check's process, meaningless in the next)."""
    try:
        text = json.dumps([function, wire.encode(list(args)), wire.encode(kwargs)],
                          sort_keys=True, allow_nan=True)
    except (TypeError, ValueError):
        return None
    if '"$remote"' in text:
        return None
    return "call:" + hashlib.sha256(text.encode()).hexdigest()


def _holds_remote(value) -> bool:
    if isinstance(value, wire.Remote):
        return True
    if isinstance(value, (list, tuple)):
        return any(_holds_remote(v) for v in value)
    if isinstance(value, dict):
        return any(_holds_remote(k) or _holds_remote(v) for k, v in value.items())
    return False


class _Student:
    """What both kinds share: the interface above, on top of ``_live()``, a session that
    answers call/call_and_inputs/probe for this check, opened at the first use."""

    def __init__(self, check: Check, loaded: Loaded) -> None:
        self.check = check
        self._loaded = loaded
        self._session = None
        self._folder: str | None = None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)

    def _open(self):
        raise NotImplementedError

    def _live(self):
        if self._session is None:
            self._session = self._open()
        return self._session

    def call(self, name: str, *args, **kwargs):
        """The student's ``name(*args, **kwargs)``, from the call cache when an earlier check
        of this grading made the same call."""
        return self._loaded.remember(call_key(name, args, kwargs),
                                     lambda: self._live().call(name, *args, **kwargs))

    def call_uncached(self, name: str, *args, **kwargs):
        """The student's ``name(*args, **kwargs)``, always run: for determinism checks."""
        return self._live().call(name, *args, **kwargs)

    def call_and_inputs(self, name: str, *args, **kwargs):
        return self._live().call_and_inputs(name, *args, **kwargs)

    def probe(self, name: str, *args, **kwargs):
        return self._live().probe(name, *args, **kwargs)

    def memo(self, key: str, compute: Callable[[], object]):
        """What compute() returns, computed once per grading of this notebook: for checks
        that run the same scenario (train the same model on the same data) and look at
        different parts of the outcome. The result must be data (no Remote) to be kept;
        ``key`` names the scenario and starts with the function's name."""
        return self._loaded.remember(f"memo:{self.check.function}:{key}", compute)

    def path(self, filename: str) -> Path:
        """A path in a folder every process may read (the sandbox runs as another user)."""
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="check-data-")
            os.chmod(self._folder, 0o755)
        return Path(self._folder) / filename

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


class SandboxStudent(_Student):
    """Calls into a sandbox session opened at the first call, closed with the check."""

    def __init__(self, check: Check, sandbox: Sandbox, loaded: Loaded) -> None:
        super().__init__(check, loaded)
        self._sandbox = sandbox

    def _open(self):
        try:
            session = self._sandbox.session(self._loaded.definitions, self.check.timeout)
        except DefinitionStalled as stalled:
            self._loaded.definitions = stalled.definitions
            raise
        self._loaded.definitions = session.definitions
        return session

    def path(self, filename: str) -> Path:
        """A path in the sandbox's shared folder: the only one of the grader's that student
        code can read (read-only, at the same path)."""
        if self._folder is None:
            self._folder = str(self._sandbox.shared_folder())
        return Path(self._folder) / filename


# How grading makes the student of one check: (check, the run's sandbox, the notebook).
StudentFactory = Callable[[Check, Sandbox, Loaded], _Student]


class LocalStudent(_Student):
    """Calls the kernel's functions through a LocalSession (engine/local.py): the notebook's
    definitions run fresh for each check, or, given ``namespace``, that dict's functions."""

    def __init__(self, check: Check, loaded: Loaded, namespace: dict | None = None) -> None:
        super().__init__(check, loaded)
        self._namespace = namespace

    def _open(self):
        from autograder.engine.local import LocalSession

        session = LocalSession(self._loaded.definitions, self.check.timeout, self._namespace)
        self._loaded.definitions = session.definitions
        return session

    def probe(self, name: str, *args, **kwargs):
        if name not in probes.__all__:
            raise KeyError(f"no probe {name!r}")
        return super().probe(name, *args, **kwargs)
