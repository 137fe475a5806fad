"""Worker processes, the time budget, and stopping everything a worker started (batch/workers.py).

A fake worker (a few lines of Python speaking the worker's protocol) stands in for the real
one, so these tests need neither TensorFlow nor the sandbox."""

import os
import subprocess
import sys
import textwrap
import time

import pytest

from autograder.batch import store, workers

pytestmark = pytest.mark.unit

FAKE_WORKER = textwrap.dedent('''
    import json, os, sys, time
    send = lambda m: (sys.stdout.write(json.dumps(m) + "\\n"), sys.stdout.flush())
    send({"ready": True})
    for line in sys.stdin:
        job = json.loads(line)
        for a in job["assignments"]:
            if job["student"].startswith("loop"):
                pid = os.fork()  # a child that loops too, as a check's process would
                while True:
                    pass
            if job["student"].startswith("crash"):
                os._exit(3)
            send({"assignment": a, "outcome": "graded", "result": {"checks": [], "notes": []}})
        send({"done": job["student"]})
''')


@pytest.fixture
def fake_worker(monkeypatch):
    monkeypatch.setattr(workers, "COMMAND", [sys.executable, "-c", FAKE_WORKER])


def run(jobs, n=2):
    events, done = [], []
    workers.run_jobs(jobs, workers=n,
                     on_assignment=lambda job, a, outcome, event: events.append(
                         (job.student, a, outcome)),
                     on_done=lambda job, seconds: done.append((job.student, seconds)))
    return events, done


def job(student, budget=30.0, assignments=("01_a", "02_b")):
    return workers.Job(student, "/nowhere", list(assignments), False, budget)


def test_every_job_graded_each_assignment_reported(fake_worker):
    events, done = run([job(s) for s in ("a", "b", "c")])
    assert sorted(events) == [(s, a, "graded") for s in "abc" for a in ("01_a", "02_b")]
    assert sorted(s for s, _ in done) == ["a", "b", "c"]


def test_over_budget_costs_that_student_only(fake_worker):
    """Is a student that loops stopped at its budget, its assignments reported over the time
    budget, its processes gone, and the batch carried on by a fresh worker?"""
    started = time.monotonic()
    before = set(workers.descendants(os.getpid()))
    events, done = run([job("loop", budget=1.5), job("b"), job("c")], n=1)
    assert time.monotonic() - started < 30
    assert ("loop", "01_a", store.OVER_BUDGET) in events
    assert ("loop", "02_b", store.OVER_BUDGET) in events
    assert ("b", "02_b", "graded") in events and ("c", "02_b", "graded") in events
    assert dict(done)["loop"] >= 1.5
    assert set(workers.descendants(os.getpid())) <= before  # no worker, no looping child


def test_a_worker_that_dies_is_a_grader_error_and_the_batch_goes_on(fake_worker):
    events, done = run([job("crash"), job("b")], n=1)
    assert ("crash", "01_a", store.GRADER_ERROR) in events
    assert ("b", "01_a", "graded") in events
    assert [s for s, _ in done] == ["crash", "b"]


def test_a_worker_that_cannot_start_stops_the_batch(monkeypatch):
    monkeypatch.setattr(workers, "COMMAND", [sys.executable, "-c", "import sys; sys.exit(1)"])
    with pytest.raises(workers.BatchError, match="no grading process could start"):
        run([job("a")])


def test_kill_all_stops_a_whole_family_that_keeps_forking():
    """Does kill_all end a process, its children, grandchildren and a daemon that left the
    process group, even while they keep forking?"""
    family_script = textwrap.dedent('''
        import os, time
        for _ in range(3):
            if os.fork() == 0:
                os.setsid()  # a daemon
                while True:
                    if os.fork() == 0:
                        time.sleep(0.2)
                        os._exit(0)
                    time.sleep(0.05)
        time.sleep(600)
    ''')
    parent = subprocess.Popen([sys.executable, "-c", family_script])
    time.sleep(1.0)
    family = workers.descendants(parent.pid)
    assert len(family) >= 3
    family[parent.pid] = workers._start_time(parent.pid)
    workers.kill_all(family)
    parent.wait(10)
    time.sleep(0.2)
    assert all(workers._start_time(pid) != start for pid, start in family.items())
    assert not workers.descendants(parent.pid)
