"""The ``student`` a check talks to: the submission's functions, wherever they run.

Two kinds, one interface, so the notebook's self-check runs the very checks that grade:

- ``SandboxStudent``: the grader's. Calls go to a fenced child (one per check); values come
  back as data, objects stay there behind ``Remote`` handles.
- ``LocalStudent``: the notebook's. Calls go straight to the functions the student just
  defined in the kernel.

Interface for checks:
    student.<function>(*args, **kwargs)         call a graded function
    student.call_and_inputs(name, *args, ...)   (value, args as the call left them)
    student.probe(name, *args)                  a trusted probe from autograder.probes
    student.path(filename)                      a path student code can read, for data files
"""

from __future__ import annotations

import copy
import os
import shutil
import tempfile
from pathlib import Path
from typing import Callable

from autograder import probes
from autograder.engine import Check
from autograder.outcomes import StudentError
from autograder.sandbox.client import DefinitionStalled, Sandbox
from autograder.submission import Definitions


class _Student:
    def __init__(self, check: Check) -> None:
        self.check = check
        self._folder: str | None = None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return lambda *args, **kwargs: self.call(name, *args, **kwargs)

    def path(self, filename: str) -> Path:
        """A path in a folder every process may read (the sandbox runs as another user)."""
        if self._folder is None:
            self._folder = tempfile.mkdtemp(prefix="check-data-")
            os.chmod(self._folder, 0o755)
        return Path(self._folder) / filename

    def close(self) -> None:
        if self._folder is not None:
            shutil.rmtree(self._folder, ignore_errors=True)


class Loaded:
    """A notebook's definitions as its grading goes on. Owned by the grading run, not by any
    sandbox: when a statement ends or stalls the child that loads it, the session comes back
    without it, and every later check of the notebook starts from what is left."""

    def __init__(self, definitions: Definitions) -> None:
        self.definitions = definitions


class SandboxStudent(_Student):
    """Calls into a sandbox session opened at the first call, closed with the check."""

    def __init__(self, check: Check, sandbox: Sandbox, loaded: Loaded) -> None:
        super().__init__(check)
        self._sandbox, self._loaded, self._session = sandbox, loaded, None

    def _live(self):
        if self._session is None:
            try:
                self._session = self._sandbox.session(self._loaded.definitions,
                                                      self.check.timeout)
            except DefinitionStalled as stalled:
                self._loaded.definitions = stalled.definitions
                raise
            self._loaded.definitions = self._session.definitions
        return self._session

    def path(self, filename: str) -> Path:
        """A path in the sandbox's shared folder: the only one of the grader's that student
        code can read (read-only, at the same path)."""
        if self._folder is None:
            self._folder = str(self._sandbox.shared_folder())
        return Path(self._folder) / filename

    def call(self, name: str, *args, **kwargs):
        return self._live().call(name, *args, **kwargs)

    def call_and_inputs(self, name: str, *args, **kwargs):
        return self._live().call_and_inputs(name, *args, **kwargs)

    def probe(self, name: str, *args, **kwargs):
        return self._live().probe(name, *args, **kwargs)

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
        super().close()


# How grading makes the student of one check: (check, the run's sandbox, the notebook).
StudentFactory = Callable[[Check, Sandbox, Loaded], _Student]


class LocalStudent(_Student):
    """Calls the functions of a namespace directly (the notebook kernel's globals)."""

    def __init__(self, check: Check, namespace: dict) -> None:
        super().__init__(check)
        self._namespace = namespace

    def call(self, name: str, *args, **kwargs):
        function = self._namespace.get(name)
        if not callable(function):
            raise StudentError("missing", "", f"`{name}` is not defined: run its cell first.", "")
        try:
            return function(*args, **kwargs)
        except Exception as err:
            raise StudentError("raised", type(err).__name__, str(err), "") from err

    def call_and_inputs(self, name: str, *args, **kwargs):
        args, kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        return self.call(name, *args, **kwargs), list(args)

    def probe(self, name: str, *args, **kwargs):
        if name not in probes.__all__:
            raise KeyError(f"no probe {name!r}")
        return getattr(probes, name)(*args, **kwargs)
