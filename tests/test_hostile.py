"""Can a hostile or broken submission break the grader or fool it? The corpus, graded for real.

Every case of ``tests/hostile`` is built from an honest notebook (the reference or the stub),
graded, and held to its exact score per check: the honest notebook's score, except the checks
the case says it loses, which score 0. Cases about the result file, the exit status or the
grader's output go through the real command line in a subprocess; the others through
``autograder.grading.grade`` with the session's sandbox, which is quicker.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from autograder import grading, report
from autograder.course import private_folders
from autograder.engine.catalogue import catalogue
from autograder.engine.student import SandboxStudent
from autograder.sandbox.client import Sandbox
from tests.conftest import ROOT, SOLUTIONS
from tests.hostile import CASES, EVERY_FUNCTION, Case, Outcome
from tests.hostile.submissions import ASSIGNMENT, dependents

HANG_SECONDS = 300  # a grading run that takes longer hangs: the test fails instead of waiting
STATUSES = {"passed", "failed", "error", "timeout"}


@pytest.fixture(scope="module")
def honest(graded_reference, graded_stubs):
    """Per-check scores of the two honest notebooks: {"reference": {id: score}, "stub": ...},
    from solutions/ and assignments/ as conftest.py grades them once for the session."""
    return {base: {c.id: c.score for c in result.checks if c.assignment == ASSIGNMENT}
            for base, result in (("reference", graded_reference), ("stub", graded_stubs))}


@pytest.fixture
def open_folder():
    """A folder anyone may write to, for the result file: the worst case for forgery."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-results-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def lost_functions(case: Case) -> set[str]:
    """The functions whose checks score 0: those the case loses and those that call them."""
    functions = {c.function for c in catalogue()[ASSIGNMENT]}
    lost = set()
    for name in case.loses:
        lost |= functions if name == EVERY_FUNCTION else dependents(name)
    return lost


def graded_functions(case: Case) -> set[str] | None:
    """What an API case grades (None: everything): its own ``functions``, or else the ones it
    loses and one function it must not touch, which keeps the corpus quick."""
    if case.cli or case.also:  # other assignments have other functions: grade them all
        return None
    if case.functions:
        return set(case.functions)
    lost = lost_functions(case)
    everything = [c.function for c in catalogue()[ASSIGNMENT]]
    if not lost or lost == set(everything):
        return None
    return lost | {next(f for f in everything if f not in lost)}


def graded_checks(case: Case) -> list:
    functions = graded_functions(case)
    return [c for c in catalogue()[ASSIGNMENT] if functions is None or c.function in functions]


def _marks(case: Case) -> list:
    marks = [pytest.mark.slow] * case.slow
    if case.gap:  # strict: the day the gap is closed, this says so
        marks.append(pytest.mark.xfail(strict=True, reason=case.gap))
    return marks


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name, marks=_marks(c))
                                  for c in CASES.values()])
def test_case(case: Case, tmp_path, sandbox, honest, open_folder):
    """Does the submission get exactly its case's score, with a result and never a traceback?"""
    _skip_unless_fenced(case, sandbox)
    root = case.build(tmp_path / "submission")
    if case.cli:
        outcome = _grade_cli(case, root, open_folder)
    else:
        outcome = _grade_api(case, root, sandbox)
    try:
        if case.exit_status:  # a usage error: no checks to score, its verify says the rest
            assert not outcome.result.get("checks"), outcome.result
        else:
            _assert_scores(case, outcome, honest)
    finally:  # also after a wrong score: a verify cleans up what the attack left behind
        if case.verify:
            case.verify(outcome)


def _assert_scores(case: Case, outcome: Outcome, honest: dict) -> None:
    """Each check of ASSIGNMENT scores as the honest notebook, but those the case loses; each
    check of the other assignments (``also``) scores 0, as their stubs do."""
    others = [c for c in outcome.result["checks"] if c["assignment"] != ASSIGNMENT]
    assert {c["assignment"] for c in others} == set(case.also), "the graded assignments changed"
    scored = [(c["assignment"], c["id"], c["score"]) for c in others if c["score"]]
    assert not scored, f"the stubs of {case.also} scored: {scored}"
    result = dict(outcome.result, checks=[c for c in outcome.result["checks"]
                                          if c["assignment"] == ASSIGNMENT])
    result["score"] = sum(c["score"] for c in result["checks"])
    result["max_score"] = sum(c["max_score"] for c in result["checks"])
    checks = graded_checks(case)
    _assert_well_formed(result, checks)
    lost = lost_functions(case)
    expected = {c.id: 0.0 if c.function in lost else honest[case.base][c.id] for c in checks}
    scores = {c["id"]: c["score"] for c in result["checks"]}
    assert scores == expected, _differences(scores, expected, outcome)
    if case.gains:
        assert result["score"] <= sum(honest["stub"][c.id] for c in checks)
    direct = lost if EVERY_FUNCTION in case.loses else set(case.loses)
    for check in outcome.checks_of(*direct):
        if case.status == "error" and "should raise ValueError" in check["message"]:
            continue  # a check that expects ValueError fails on any other error, naming it
        if case.status:
            assert check["status"] == case.status, check
        if case.says:
            assert case.says in check["message"], check


@pytest.mark.unit
def test_corpus_is_large_and_named():
    """Does the corpus hold at least 30 cases, each with a reason and a known base?"""
    assert len(CASES) >= 30
    for case in CASES.values():
        assert case.why and case.base in ("reference", "stub"), case.name
        assert not (case.cli and (case.functions or case.cap or case.budget or case.also)), \
            case.name
        assert case.cli or not (case.environment or case.outputs or case.exit_status), case.name


@pytest.mark.slow
def test_grading_survives_the_fork_server_dying(honest):
    """Does grading finish with the reference's scores when the zygote dies mid-run (as it
    can when the grader is not root and student code kills its parent)?"""
    opened = []

    with Sandbox(hide=private_folders()) as box:
        def killing(check, sandbox, loaded):
            opened.append(check.id)
            if len(opened) == 2:
                os.kill(box._zygote.pid, 9)
            return SandboxStudent(check, sandbox, loaded)

        result = grading.grade(SOLUTIONS, only=[ASSIGNMENT], sandbox=box,
                               functions={"add_target"}, make_student=killing)
    assert len(opened) >= 3
    assert {c.id: c.score for c in result.checks} == \
        {i: s for i, s in honest["reference"].items() if i.startswith("add_target.")}


def _skip_unless_fenced(case: Case, sandbox: Sandbox) -> None:
    """A case that needs fences this machine cannot build (no namespaces, not root) would only
    show again what docs/threat-model.md says cannot hold there. HOSTILE_RUN_UNFENCED=1 runs
    it anyway, to measure what holds without them (docs/threat-model.md)."""
    missing = sorted(set(case.needs) & sandbox.missing_fences())
    if missing and os.environ.get("HOSTILE_RUN_UNFENCED") != "1":
        pytest.skip("needs fences this machine cannot build: " + ", ".join(missing))


def _grade_api(case: Case, root: Path, sandbox: Sandbox) -> Outcome:
    make_student = SandboxStudent
    if case.cap:  # the attacked functions' checks get `cap` seconds instead of their budget
        lost = lost_functions(case)

        def make_student(check, sandbox, loaded):
            if check.function in lost:
                check = dataclasses.replace(check, timeout=min(check.timeout, case.cap))
            return SandboxStudent(check, sandbox, loaded)

    functions = graded_functions(case)
    box: dict = {}

    def run():
        try:
            options = {"budget_seconds": case.budget} if case.budget else {}
            box["result"] = grading.grade(root, only=[ASSIGNMENT, *case.also],
                                          sandbox=sandbox, functions=functions,
                                          make_student=make_student, **options)
        except BaseException as err:  # reported below, in the test's own thread
            box["error"] = err

    _reset_peak_memory()
    started = time.monotonic()
    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG_SECONDS)
    elapsed = time.monotonic() - started
    assert not worker.is_alive(), f"grading hung for {HANG_SECONDS} s"
    if "error" in box:
        raise box["error"]
    return Outcome(box["result"].to_json(), root, elapsed, peak_rss_bytes=_peak_memory(),
                   stdout=report.table(box["result"]).encode())


def _grade_cli(case: Case, root: Path, results: Path) -> Outcome:
    """``python -m autograder grade`` in a subprocess; the result options point into
    ``results``, a folder anyone may write (``case.outputs`` may lay traps there)."""
    outputs = case.outputs(results) if case.outputs else {"--json": results / "result.json"}
    options = [str(a) for pair in outputs.items() for a in pair]
    environment = dict(os.environ, **(case.environment or {}))
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "autograder", "grade", str(root),
                           "--assignment", ASSIGNMENT, *options],
                          cwd=ROOT, capture_output=True, timeout=HANG_SECONDS, env=environment)
    elapsed = time.monotonic() - started
    stderr = done.stderr[-3000:].decode(errors="replace")
    assert done.returncode == case.exit_status, stderr
    assert b"Traceback" not in done.stderr, stderr
    path = outputs.get("--json")
    result = json.loads(path.read_text()) if path and path.is_file() else {}
    return Outcome(result, root, elapsed, done.stdout, done.stderr, path)


def _assert_well_formed(result: dict, checks: list) -> None:
    """docs/grader.md's result: every expected check once, valid statuses, the full max_score."""
    assert set(result) >= {"score", "max_score", "checks"}
    ids = [c["id"] for c in result["checks"]]
    assert sorted(ids) == sorted(c.id for c in checks), "the graded checks changed"
    assert result["max_score"] == sum(c.points for c in checks), "the maximum changed"
    assert result["score"] == pytest.approx(sum(c["score"] for c in result["checks"]))
    for check in result["checks"]:
        assert check["status"] in STATUSES and check["assignment"] == ASSIGNMENT, check
        assert (check["score"] == check["max_score"]) == (check["status"] == "passed"), check


def _differences(scores: dict, expected: dict, outcome: Outcome) -> str:
    by_id = {c["id"]: c for c in outcome.result["checks"]}
    lines = [f"{i}: got {scores.get(i)}, expected {expected.get(i)} "
             f"({by_id.get(i, {}).get('status')}: {by_id.get(i, {}).get('message', '')[:200]})"
             for i in sorted(set(scores) | set(expected)) if scores.get(i) != expected.get(i)]
    return "\n".join(lines)


def _reset_peak_memory() -> None:
    with open("/proc/self/clear_refs", "w") as handle:  # "5": reset the peak RSS (VmHWM)
        handle.write("5")


def _peak_memory() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0
