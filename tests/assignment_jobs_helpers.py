"""Stand-ins for ``assignment_jobs._helper``, importable by a spawned process (the tests give
``grade_in_processes`` one of these in place of the real helper)."""

import os


def dies_at_once(parts, order, taken, options, seconds, deadline, answers) -> None:
    """A helper killed before it could say anything (os._exit skips every handler)."""
    os._exit(9)


def takes_one_then_dies(parts, order, taken, options, seconds, deadline, answers) -> None:
    """A helper that takes a part from the shared list and dies grading it."""
    with taken.get_lock():
        taken.value += 1
    os._exit(9)
