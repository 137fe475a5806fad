"""Grade a submission's assignments in several processes at once, each with its own zygote.

``grading.grade(path, jobs=N)`` comes here when a submission has more than one assignment. This
process and N - 1 helper processes (started fresh, ``spawn``: nothing of this process's state
is inherited) each start a sandbox and take the next assignment from one shared list until none
is left. The list runs from the last assignment to the first, since the later ones train models
and take longest: on two cores the two longest start first and the short ones fill the gaps.

The result does not depend on N: each assignment is graded exactly as ``grade_parts`` grades it
(fresh fenced child per check, the same seeds, the same time limits), the parts come back in
the submission's order, and one wall-clock deadline (CLOCK_MONOTONIC, the same in every process)
is the budget of all of them. A helper that dies leaves its assignments to this process, which
grades them itself: nothing is lost. A helper dies with this process (PR_SET_PDEATHSIG), and
its zygote with it.
"""

from __future__ import annotations

import multiprocessing
import queue
import signal
import traceback

from autograder.course import private_folders
from autograder.grading import Graded, Options, Part, _Budget, grade_part
from autograder.sandbox.client import Sandbox

POLL_SECONDS = 0.5  # how often this process looks for a helper that died without a word


def grade_in_processes(parts: list[Part], jobs: int, options: Options,
                       budget: _Budget) -> list[Graded]:
    """Every part graded, by this process and ``jobs - 1`` helpers; in the order of ``parts``."""
    context = multiprocessing.get_context("spawn")
    order = sorted(range(len(parts)), key=lambda i: parts[i].target.assignment, reverse=True)
    taken = context.Value("i", 0)  # how much of ``order`` has been handed out
    answers = context.Queue()
    work = (parts, order, taken, options, budget.seconds, budget.deadline)
    helpers = [context.Process(target=_helper, args=(*work, answers), daemon=True)
               for _ in range(min(jobs, len(parts)) - 1)]
    for helper in helpers:
        helper.start()
    graded: dict[int, Graded] = {}
    try:
        with Sandbox(hide=private_folders()) as sandbox:
            for index, part in _take(parts, order, taken):
                graded[index] = grade_part(part, options, budget, sandbox)
            _collect(helpers, answers, graded)
            for index in range(len(parts)):  # a helper died: its parts are graded here
                if index not in graded:
                    graded[index] = grade_part(parts[index], options, budget, sandbox)
    finally:
        for helper in helpers:
            helper.join(timeout=POLL_SECONDS)
            if helper.is_alive():
                helper.kill()
                helper.join()
    return [graded[index] for index in range(len(parts))]


def _take(parts: list[Part], order: list[int], taken):
    """(index, part) for each part not yet taken by any process, one at a time."""
    while True:
        with taken.get_lock():
            position = taken.value
            taken.value += 1
        if position >= len(order):
            return
        yield order[position], parts[order[position]]


def _collect(helpers: list, answers, graded: dict[int, Graded]) -> None:
    """Read the helpers' answers until each has said it is done or has died."""
    running = {helper.pid for helper in helpers}
    while running:
        try:
            pid, index, answer = answers.get(timeout=POLL_SECONDS)
        except queue.Empty:
            running &= {helper.pid for helper in helpers if helper.is_alive()}
            continue
        if index is None:  # done (answer None) or failed (answer: its traceback)
            running.discard(pid)
            if answer is not None:
                raise RuntimeError(f"a grading process failed:\n{answer}")
        else:
            graded[index] = answer


def _helper(parts, order, taken, options, seconds, deadline, answers) -> None:
    """A helper process: grade parts from the shared list with a sandbox of its own."""
    import os

    from autograder.sandbox import linux

    linux.prctl(linux.PR_SET_PDEATHSIG, signal.SIGKILL)  # the grader gone: stop at once
    pid = os.getpid()
    try:
        budget = _Budget(seconds, deadline)
        with Sandbox(hide=private_folders()) as sandbox:
            for index, part in _take(parts, order, taken):
                answers.put((pid, index, grade_part(part, options, budget, sandbox)))
    except BaseException:  # noqa: BLE001 - the grader must hear of it, whatever it is
        answers.put((pid, None, traceback.format_exc()))
        return
    answers.put((pid, None, None))
