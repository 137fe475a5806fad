"""One grading process of a batch: a warm sandbox kept for every student it is given.

Started by ``autograder.batch.workers`` as ``python -m autograder.batch.worker PARENT_PID``.
It starts its sandbox (the fork server imports TensorFlow once), says so, then reads one job
per line on stdin and answers with one JSON line per event on its stdout:

    {"ready": true}                                         the sandbox is warm
    {"assignment": "01_...", "outcome": "graded", "result": {...}}
                                                            one assignment of the job graded
    {"assignment": "01_...", "outcome": "grader error", "error": "..."}
    {"done": "alice"}                                       the job is finished
    {"fatal": "why"}                                        the sandbox cannot start

A job is ``{"student", "tree", "assignments", "public_only"}``; each assignment is graded by
``autograder.grading.grade(tree, only=[assignment], sandbox=...)``, the very call ``grade``
makes, and reported as soon as it is done, so the coordinator can store it before the next.
Nothing but these lines reaches the coordinator: file descriptor 1 is pointed at /dev/null and
the answers go to a private copy of it. SIGTERM, or the coordinator's death, stops the sandbox.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

from autograder import quiet

PR_SET_PDEATHSIG = 1
WARM_UP_SECONDS = 60.0


def main(argv: list[str]) -> None:
    channel = os.fdopen(os.dup(1), "w", encoding="utf-8")
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # a stray print (pytest, TensorFlow) must not corrupt the answers
    _die_with(int(argv[0]) if argv else None)
    quiet.silence_tensorflow()

    from autograder.course import private_folders
    from autograder.sandbox.client import Sandbox

    def send(message: dict) -> None:
        channel.write(json.dumps(message) + "\n")
        channel.flush()

    sandbox = Sandbox(hide=private_folders())

    def stop(*_):  # the coordinator ends us: leave no fork server behind
        sandbox.close()
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    try:
        _warm_up(sandbox)
    except Exception as err:
        send({"fatal": f"the grading sandbox did not start: {type(err).__name__}: {err}"})
        stop()
    send({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        for assignment in job["assignments"]:
            send(grade_one(sandbox, Path(job["tree"]), assignment, job["public_only"]))
        send({"done": job["student"]})
    stop()


def grade_one(sandbox, tree: Path, assignment: str, public_only: bool) -> dict:
    """Grade one assignment of one student's tree; the event that reports it."""
    from autograder import grading
    from autograder.batch.store import GRADED, GRADER_ERROR, NO_NOTEBOOK, UNREADABLE
    from autograder.submission import UnreadableNotebook, read_notebook

    try:
        target = grading.find_targets(tree, [assignment])[0]
        outcome = GRADED
        if target.notebook is None:
            outcome = NO_NOTEBOOK
        elif target.problem:
            outcome = UNREADABLE
        else:
            try:
                read_notebook(target.notebook)
            except UnreadableNotebook:
                outcome = UNREADABLE
        result = grading.grade(tree, only=[assignment], public_only=public_only,
                               sandbox=sandbox)
    except Exception as err:  # the grader's failure, not the student's: say it, go on
        return {"assignment": assignment, "outcome": GRADER_ERROR,
                "error": f"{type(err).__name__}: {err}"}
    return {"assignment": assignment, "outcome": outcome, "result": result.to_json()}


def _warm_up(sandbox) -> None:
    """Start the fork server now, so that no student's time budget pays for it."""
    from autograder.submission import Definitions

    sandbox.session(Definitions(), WARM_UP_SECONDS).close()


def _die_with(parent: int | None) -> None:
    """Receive SIGTERM when the coordinator dies (Linux), even if it is killed outright."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        if hasattr(libc, "prctl"):
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except OSError:
        pass
    if parent is not None and os.getppid() != parent:  # it died before prctl took effect
        os._exit(0)


if __name__ == "__main__":
    main(sys.argv[1:])
