"""Work that runs in processes of its own (nbgrader, a kernel, the grader's command line),
started in the background when the session's first test that is not a unit test starts, so
that it runs on the second core while the tests before its own run on the first.

A test module that has such work defines ``background_jobs(tmp_path_factory, items)``: for its
selected tests ``items``, ``{key: (function, arguments)}``, each call a job whose result a test
asks for with ``tests.background.result(module, key)``. Jobs run one at a time, in the order of
the tests that want them. A job not yet started when its test asks for it runs right there, in
the test (both cores then work); one that raised raises in its test. A job holds its own
assertions, on its own output, and shares nothing with the tests running beside it but the
machine, so its test asserts exactly what it would had it done the work itself.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

_pool: ThreadPoolExecutor | None = None
_jobs: dict[tuple[str, object], tuple[Future, Callable, tuple]] = {}


def start(items, tmp_path_factory) -> None:
    """Start the jobs of every selected module that has ``background_jobs``, in the order of
    the items (the session's order); once per session."""
    global _pool
    if _pool is not None:
        return
    _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="background")
    modules: dict[object, list] = {}
    for item in items:
        module = getattr(item, "module", None)
        if module is not None and hasattr(module, "background_jobs"):
            modules.setdefault(module, []).append(item)
    for module, selected in modules.items():
        for key, (function, arguments) in module.background_jobs(tmp_path_factory,
                                                                 selected).items():
            _jobs[(module.__name__, key)] = (_pool.submit(function, *arguments), function,
                                             arguments)


def result(module: str, key):
    """What the job ``key`` of ``module`` returned: waited for, or run here if not started."""
    future, function, arguments = _jobs[(module, key)]
    if future.cancel():  # not started yet: this test does the work itself
        return function(*arguments)
    return future.result()


def stop() -> None:
    """Cancel what has not started; wait for what has (each job has its own timeout)."""
    global _pool
    if _pool is not None:
        _pool.shutdown(wait=True, cancel_futures=True)
        _pool = None
    _jobs.clear()
