"""Where one full grading's seconds go, measured inside one process (run by benchmarks/run.py).

    python -m benchmarks.breakdown TREE      prints JSON

Starts the fork server (TensorFlow's import), reads every notebook into its definitions, then
grades each assignment of TREE with that one sandbox, timing every check from the moment its
``student`` is made (a fresh fenced process) to the moment it is closed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path


def main(tree: Path) -> dict:
    from autograder import grading, quiet
    from autograder.course import known_assignments, notebook_name, private_folders
    from autograder.engine.student import SandboxStudent
    from autograder.sandbox.client import Sandbox
    from autograder.submission import load_definitions

    quiet.silence_tensorflow()
    checks: list[dict] = []
    with Sandbox(hide=private_folders()) as sandbox:
        started = time.monotonic()
        sandbox._ensure_zygote()
        zygote = time.monotonic() - started

        started = time.monotonic()
        for assignment in known_assignments():
            load_definitions(tree / assignment / notebook_name(assignment))
        definitions = time.monotonic() - started

        assignments = {}
        for assignment in known_assignments():
            def timed(check, box, loaded, assignment=assignment):
                student = SandboxStudent(check, box, loaded)
                opened, close = time.monotonic(), student.close

                def closing():
                    close()
                    checks.append({"assignment": assignment, "check": check.id,
                                   "seconds": round(time.monotonic() - opened, 2)})
                student.close = closing
                return student

            started = time.monotonic()
            grading.grade(tree, only=[assignment], sandbox=sandbox, make_student=timed)
            assignments[assignment] = round(time.monotonic() - started, 2)
    return {"zygote_seconds": round(zygote, 2), "definitions_seconds": round(definitions, 3),
            "assignments": assignments, "checks": len(checks),
            "slowest": sorted(checks, key=lambda c: -c["seconds"])[:5],
            "every_check": sorted(checks, key=lambda c: -c["seconds"])}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]))))
