#!/usr/bin/env python3
"""Quick start: set up .venv once, then grade the reference solutions or run the tests.

    python3 run.py grade     set up, then grade solutions/ and print the score table
    python3 run.py test      set up, then run the repository's tests (what CI runs): the unit
                             tier first (no TensorFlow, seconds; a failure stops there), then
                             the rest, then the 15 slowest tests' durations
    python3 run.py classroom set up, then grade assignments/ with the public checks for
                             GitHub Classroom (the workflow of a student repository runs this;
                             its reporter gets a result even when set-up or grading fails)

Set-up creates .venv at the repository root and installs requirements.txt (pinned) and this
package; it is skipped when requirements.txt and pyproject.toml have not changed since.
Anything after the command is passed on (``python3 run.py test -m "not slow"``); a test run
given its own ``-m`` runs that selection once (``python3 run.py test -m unit``: the fast part).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv

# The pinned requirements need it: pandas 3.1, numpy 2.4, keras 3.15 and matplotlib 3.11 publish
# no wheels for older interpreters. pyproject.toml's requires-python says the same (a test holds
# README, pyproject.toml, this line, Gradescope's setup.sh and the Classroom workflow equal).
MINIMUM_PYTHON = (3, 11)
if sys.version_info < MINIMUM_PYTHON:
    sys.exit(f"This course needs Python {'.'.join(map(str, MINIMUM_PYTHON))} or newer; "
             f"{sys.executable} is Python {sys.version.split()[0]}. Install a newer Python and "
             f"run this file with it, e.g. python3.11 run.py grade")

from autograder.course import ROOT  # noqa: E402 (no dependencies: importable before set-up)

VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed"


def set_up() -> None:
    wanted = hashlib.sha256(b"".join(
        (ROOT / name).read_bytes() for name in ("requirements.txt", "pyproject.toml"))).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == wanted:
        return
    if not PYTHON.exists():
        print("creating .venv ...", flush=True)
        venv.create(VENV, with_pip=True)
    print("installing pinned dependencies (a few minutes the first time) ...", flush=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run(pip + ["-r", str(ROOT / "requirements.txt")], check=True)
    subprocess.run(pip + ["--no-deps", "-e", str(ROOT)], check=True)
    STAMP.write_text(wanted)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("grade", "test", "classroom"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    command, rest = argv[0], argv[1:]
    environment = dict(os.environ, PATH=f"{PYTHON.parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if command == "classroom":
        return classroom(rest, environment)
    set_up()
    if command == "test":
        return run_tests(rest, environment)
    # The instructor's repository grades its reference; a student's has only assignments/.
    target = "solutions" if (ROOT / "solutions").is_dir() else "assignments"
    arguments = ["-m", "autograder", "grade", target] + rest
    return subprocess.run([str(PYTHON)] + arguments, cwd=ROOT, env=environment).returncode


NO_TESTS_COLLECTED = 5  # pytest's exit status when a selection holds no test
SLOWEST = "--durations=15"  # printed at the end of a run


def pytest_runs(rest: list[str]) -> list[list[str]]:
    """The pytest runs of ``run.py test REST``: the unit tier, then the rest, each with REST;
    just REST when it selects by marker itself (``-m EXPR``). The last run prints the slowest
    tests' durations, unless REST says how many."""
    durations = [] if any(a.startswith("--durations") for a in rest) else [SLOWEST]
    if any(a == "-m" or (a.startswith("-m") and not a.startswith("--")) for a in rest):
        return [rest + durations]
    return [["-m", "unit"] + rest, ["-m", "not unit"] + rest + durations]


def run_tests(rest: list[str], environment: dict[str, str]) -> int:
    """Each run of ``pytest_runs`` in turn; the first that fails stops the others. A tier that
    REST leaves empty (``run.py test tests/test_docs.py`` has no slow tier) is no failure."""
    statuses = []
    for arguments in pytest_runs(rest):
        status = subprocess.run([str(PYTHON), "-m", "pytest"] + arguments, cwd=ROOT,
                                env=environment).returncode
        if status not in (0, NO_TESTS_COLLECTED):
            return status
        statuses.append(status)
    return NO_TESTS_COLLECTED if set(statuses) == {NO_TESTS_COLLECTED} else 0


def classroom(rest: list[str], environment: dict[str, str]) -> int:
    """GitHub Classroom's grading step. Every runner of the reporter gets a result, also when
    set-up fails or the grader dies (autograder/integrations/classroom.py, stdlib only)."""
    import json

    from autograder.course import known_assignments
    from autograder.integrations import classroom as reporting

    try:  # the workflow passes {runner: {"assignment", "max_score"}}; locally it is absent
        runners = json.loads(os.environ.get("AUTOGRADING_RUNNERS", ""))
        if not isinstance(runners, dict):
            raise ValueError(runners)
    except ValueError:
        runners = {reporting.runner_id(a): {"assignment": a, "max_score": 0}
                   for a in known_assignments()}
    try:
        set_up()
    except (subprocess.CalledProcessError, OSError) as err:
        reporting.write_failure(runners, f"Setting up the Python packages failed ({err}), so "
                                "nothing was graded: read the log of this step.")
        print(f"error: set-up failed: {err}", file=sys.stderr)
        return 1
    command = [str(PYTHON), "-m", "autograder", "grade", "assignments", "--public-only",
               "--json", "result.json", "--classroom"] + rest
    return reporting.run_and_report(command, runners, cwd=str(ROOT), env=environment)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
