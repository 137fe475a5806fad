"""Grading processes for a batch, and the time budget that bounds one submission.

``run_jobs(jobs, workers=N, ...)`` keeps up to N worker processes (``autograder.batch.worker``),
each with its own warm sandbox that serves every student it grades, hands each idle worker the
next job, and reports every event to the caller as it comes:

- ``on_assignment(job, assignment, outcome, event)``: one assignment of a student is done.
  ``event`` is the worker's answer (``result`` when grading finished, ``error`` when the grader
  failed); a job that used up its budget reports its unfinished assignments with outcome
  ``over the time budget``, one whose worker died with ``grader error``.
- ``on_done(job, seconds)``: the student is finished, however it went.

A job's budget starts when a warm worker receives it. When it runs out, the worker is stopped
with everything it started (fork server and checks) and a fresh one takes the next job: an
endless loop in every check, or a fork bomb, costs one budget and never the batch.
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from autograder.batch.store import GRADER_ERROR, OVER_BUDGET

START_SECONDS = 300.0  # a worker imports TensorFlow and starts its sandbox on a busy machine
STOP_GRACE_SECONDS = 3.0  # a stopped worker may close its sandbox itself before it is killed
START_FAILURES = 3  # workers that die before they are ready, in a row, before the batch gives up
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding this autograder package
COMMAND = [sys.executable, "-m", "autograder.batch.worker"]  # + the coordinator's pid


class BatchError(Exception):
    """The batch cannot go on (no worker can start); the message says why."""


@dataclass
class Job:
    """One student to grade: the assignments that need it, and the time they may take."""

    student: str
    tree: Path
    assignments: list[str]
    public_only: bool
    budget_seconds: float
    finished: list[str] = field(default_factory=list)  # assignments reported so far

    def message(self) -> str:
        return json.dumps({"student": self.student, "tree": str(Path(self.tree).resolve()),
                           "assignments": self.assignments, "public_only": self.public_only})

    def unfinished(self) -> list[str]:
        return [a for a in self.assignments if a not in self.finished]


OnAssignment = Callable[[Job, str, str, dict], None]
OnDone = Callable[[Job, float], None]


class Worker:
    """One ``python -m autograder.batch.worker`` process and what it is doing."""

    def __init__(self) -> None:
        self._stderr = tempfile.TemporaryFile()  # read back only when the worker dies
        environment = dict(os.environ)
        environment["PYTHONPATH"] = os.pathsep.join(
            [str(PACKAGE_ROOT)] + [p for p in environment.get("PYTHONPATH", "").split(os.pathsep)
                                   if p])
        self.process = subprocess.Popen(
            [*COMMAND, str(os.getpid())],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._stderr,
            cwd=PACKAGE_ROOT, env=environment, start_new_session=True)
        self.started = time.monotonic()
        self.ready = False
        self.job: Job | None = None
        self.job_started = 0.0
        self._buffer = b""

    def fileno(self) -> int:
        return self.process.stdout.fileno()

    def assign(self, job: Job) -> None:
        self.job, self.job_started = job, time.monotonic()
        self.process.stdin.write(job.message().encode() + b"\n")
        self.process.stdin.flush()

    def over_budget(self, now: float) -> bool:
        return self.job is not None and now - self.job_started > self.job.budget_seconds

    def read(self) -> list[dict] | None:
        """The complete answers waiting on the pipe; None when the worker has ended."""
        chunk = os.read(self.fileno(), 1 << 16)
        if not chunk:
            return None
        self._buffer += chunk
        *lines, self._buffer = self._buffer.split(b"\n")
        return [json.loads(line) for line in lines if line.strip()]

    def last_words(self) -> str:
        """Why a worker that died did (the end of its stderr), for the grader error."""
        self.process.wait()
        self._stderr.seek(0)
        text = self._stderr.read().decode("utf-8", "replace").strip().splitlines()
        code = self.process.returncode
        how = f"killed by signal {-code}" if code < 0 else f"exit status {code}"
        return f"the grading process ended ({how})" + (f": {text[-1][:300]}" if text else "")

    def stop(self) -> None:
        """Stop the worker, its fork server and every check it runs; wait for all of them."""
        if self.process.poll() is None:
            family = descendants(self.process.pid)
            try:
                self.process.send_signal(signal.SIGTERM)  # it closes its sandbox itself
                self.process.wait(STOP_GRACE_SECONDS)
            except (subprocess.TimeoutExpired, ProcessLookupError):
                family |= descendants(self.process.pid)
            family[self.process.pid] = _start_time(self.process.pid)
            kill_all(family)  # what did not go by itself
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:  # a pipe to a dead process
                pass
        self._stderr.close()


def run_jobs(jobs: list[Job], *, workers: int, on_assignment: OnAssignment,
             on_done: OnDone, on_start: Callable[[Job], None] = lambda job: None) -> None:
    """Grade every job with up to ``workers`` processes; events go to the callbacks."""
    pending = deque(jobs)
    pool: list[Worker] = []
    failures = 0  # workers in a row that died before they were ready
    selector = selectors.DefaultSelector()

    def retire(worker: Worker) -> None:
        selector.unregister(worker)
        pool.remove(worker)
        worker.stop()

    def finish(worker: Worker, outcome: str, why: str) -> None:
        """End the worker's job early: its unfinished assignments get ``outcome``."""
        job, seconds = worker.job, time.monotonic() - worker.job_started
        for assignment in job.unfinished():
            job.finished.append(assignment)
            on_assignment(job, assignment, outcome, {"error": why})
        worker.job = None
        on_done(job, seconds)

    try:
        while pending or any(w.job for w in pool):
            busy = sum(1 for w in pool if w.job)
            while len(pool) < workers and len(pool) < busy + len(pending):
                worker = Worker()
                pool.append(worker)
                selector.register(worker, selectors.EVENT_READ)
            for worker in pool:
                if worker.ready and worker.job is None and pending:
                    job = pending.popleft()
                    on_start(job)
                    worker.assign(job)
            now = time.monotonic()
            waits = [w.job_started + w.job.budget_seconds - now for w in pool if w.job]
            waits += [w.started + START_SECONDS - now for w in pool if not w.ready]
            for key, _ in selector.select(max(0.05, min(waits, default=1.0))):
                worker = key.fileobj
                answers = worker.read()
                if answers is None:  # the worker ended by itself
                    why = worker.last_words()
                    if worker.job:
                        finish(worker, GRADER_ERROR, why)
                    if not worker.ready:
                        failures += 1
                        if failures >= START_FAILURES:
                            raise BatchError(f"no grading process could start: {why}")
                    retire(worker)
                    continue
                for answer in answers:
                    if "fatal" in answer:
                        raise BatchError(answer["fatal"])
                    if answer.get("ready"):
                        worker.ready, failures = True, 0
                    elif "assignment" in answer and worker.job:
                        worker.job.finished.append(answer["assignment"])
                        on_assignment(worker.job, answer["assignment"], answer["outcome"],
                                      answer)
                    elif "done" in answer and worker.job:
                        job, worker.job = worker.job, None
                        on_done(job, time.monotonic() - worker.job_started)
            now = time.monotonic()
            for worker in list(pool):
                if worker.over_budget(now):
                    budget = worker.job.budget_seconds
                    retire(worker)  # first, so nothing it still sends is taken for the result
                    finish(worker, OVER_BUDGET, f"grading took more than {budget:g} s")
                elif not worker.ready and now - worker.started > START_SECONDS:
                    raise BatchError(f"a grading process did not start within "
                                     f"{START_SECONDS:g} s")
    finally:
        for worker in pool:
            worker.stop()
        selector.close()


def descendants(pid: int) -> dict[int, int]:
    """{pid: start time} of every living descendant of ``pid`` (Linux /proc; empty elsewhere)."""
    children: dict[int, list[int]] = {}
    starts: dict[int, int] = {}
    for entry in _proc_entries():
        stat = _stat(entry)
        if stat and stat[0] != "Z":
            children.setdefault(int(stat[1]), []).append(entry)
            starts[entry] = int(stat[19])
    found: dict[int, int] = {}
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found[child] = starts[child]
                todo.append(child)
    return found


def kill_all(family: dict[int, int]) -> None:
    """SIGKILL every process of ``family`` ({pid: start time}) that is still the same process,
    and everything they started. All are stopped first, until no new one appears, so none can
    fork, or leave an orphan behind, while the others die."""
    stopped: dict[int, int] = {}
    for _ in range(50):
        found = dict(family)
        for pid in list(family):
            found |= descendants(pid)
        new = {pid: start for pid, start in found.items()
               if pid not in stopped and _start_time(pid) == start}
        if not new:
            break
        for pid in new:
            _signal(pid, signal.SIGSTOP)
        stopped |= new
        family = stopped
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def _proc_entries() -> list[int]:
    try:
        return [int(e) for e in os.listdir("/proc") if e.isdigit()]
    except OSError:
        return []


def _stat(pid: int) -> list[str] | None:
    """Fields 3.. of /proc/PID/stat (state, ppid, ...); the name may hold spaces and ")"."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _start_time(pid: int) -> int | None:
    stat = _stat(pid)
    return int(stat[19]) if stat and stat[0] != "Z" else None
