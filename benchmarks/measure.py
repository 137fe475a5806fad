"""Run a command and measure its whole process tree: wall time, CPU time, peak memory.

CPU time is the kernel's own account of every process the command started, read with
``getrusage(RUSAGE_CHILDREN)`` once the command has been waited for: exact, because every
process in the grader's tree is reaped by its parent (the fork server reaps each check's
process, the grader reaps the fork server). Peak memory is sampled: every ``interval``
seconds the proportional set size (PSS) of every process of the tree is summed, so pages
that forked check processes share with the fork server count once, not once per process.
"""

from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from dataclasses import asdict, dataclass

import psutil

SAMPLE_SECONDS = 0.05


@dataclass
class Measured:
    wall_seconds: float
    cpu_seconds: float
    peak_bytes: int
    returncode: int

    def to_json(self) -> dict:
        return asdict(self)


def tree_memory(root: psutil.Process) -> int:
    """PSS of ``root`` and all its descendants now, in bytes (RSS where PSS is unavailable)."""
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:  # it ended between the listing and the reading
            continue
    return total


def run(command: list[str], *, cwd=None, env=None, timeout: float | None = None,
        interval: float = SAMPLE_SECONDS) -> Measured:
    """Run ``command`` to its end (its output discarded); measure it and all it started."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        root = psutil.Process(process.pid)
        while not done.is_set():
            peak[0] = max(peak[0], tree_memory(root))
            done.wait(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        returncode = process.wait(timeout)
    finally:
        done.set()
        sampler.join()
        if process.poll() is None:
            process.kill()
            process.wait()
    wall = time.monotonic() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(round(wall, 2), round(cpu, 2), peak[0], returncode)


def environment(**extra: str) -> dict[str, str]:
    """This process's environment with the repository first on PYTHONPATH."""
    from autograder.course import ROOT

    paths = [str(ROOT)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    return dict(os.environ, PYTHONPATH=os.pathsep.join(paths), **extra)
