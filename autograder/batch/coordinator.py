"""The batch: ``grade_batch(options)`` grades a class into OUT (docs/grader.md, ``grade-batch``).

1. Plan: the students of CLASS (``roster``), only those of the shard with ``--shard K/N``;
   for each, the assignments whose stored result is missing or no longer matches the
   notebook's and the checks' digests (all of them with ``--force``).
2. Grade: ``workers.run_jobs`` hands the students to N warm worker processes; every assignment
   finished is merged into OUT/results/<student>.json at once, so a batch killed half way
   keeps all it finished and the next run repeats none of it.
3. Write the class outputs from OUT/results/ (so they cover every student graded so far, by
   this run, an earlier one or another shard): grades.csv and feedback/, and, on a run over
   the whole class, similarity.csv. A plain run after the shards is therefore the merge.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from autograder.batch import digest, feedback, roster, similarity, store
from autograder.batch.progress import Progress
from autograder.batch.workers import Job, run_jobs
from autograder.course import known_assignments, reference_notebook

BUDGET_PER_ASSIGNMENT = 300.0  # default seconds one student's assignment may take in all


class UsageError(Exception):
    """The command line asks for something impossible; exit status 2."""


class Interrupted(BaseException):
    """SIGTERM reached the batch: stop the workers and keep what is stored."""


@dataclass
class Options:
    """What ``grade-batch`` was asked to do (one field per option of the command)."""

    class_dir: Path
    out: Path
    jobs: int = 0  # 0: one per core
    shard: tuple[int, int] | None = None
    public_only: bool = False
    assignments: list[str] | None = None
    force: bool = False
    budget_seconds: float | None = None  # None: BUDGET_PER_ASSIGNMENT per assignment graded
    similarity_threshold: float = similarity.DEFAULT_THRESHOLD


@dataclass
class Summary:
    """What a run did: students of the class (of the shard), who was graded, how it ended."""

    students: int = 0
    graded: list[str] = field(default_factory=list)
    unchanged: int = 0
    seconds: float = 0.0
    statuses: dict[str, str] = field(default_factory=dict)  # every stored student's status
    interrupted: int = 0  # the signal that stopped the run (SIGTERM, SIGINT), 0 if none
    similar_pairs: int | None = None  # None: not written by this run (a shard)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def grade_batch(options: Options, stream: TextIO | None = None,
                bar: bool | None = None) -> Summary:
    """Grade the class of ``options`` into ``options.out``; see the module docstring."""
    stream = stream or sys.stdout
    started = time.monotonic()
    selected, students = _validate(options)
    out, data = Path(options.out), store.Store(options.out)
    records, notebook_digests, jobs = _plan(options, students, selected, data)
    notes = {s.id: s.note for s in students}
    summary = Summary(students=len(students), unchanged=len(students) - len(jobs))
    workers = min(options.jobs or cores(), len(jobs))
    progress = Progress(len(jobs), stream, bar)
    shard = f", shard {options.shard[0]}/{options.shard[1]}" if options.shard else ""
    progress.say(f"grading {len(jobs)} of {len(students)} students{shard} "
                 f"({summary.unchanged} unchanged) with {workers} worker"
                 f"{'s' if workers != 1 else ''}: {', '.join(selected)}")

    def on_assignment(job: Job, assignment: str, outcome: str, event: dict) -> None:
        result = event.get("result") or _placeholder(assignment, outcome, event.get("error", ""),
                                                     job, options.public_only)
        if notes[job.student]:
            result = result | {"notes": result.get("notes", []) + [notes[job.student]]}
        entry = {"notebook": notebook_digests[job.student, assignment],
                 "checks": digest.checks_digest(assignment, options.public_only),
                 "outcome": outcome}
        if outcome == store.OVER_BUDGET:
            entry["budget_seconds"] = job.budget_seconds
        if outcome == store.GRADER_ERROR:  # no digests: the next run tries again
            entry = {"outcome": outcome, "error": event.get("error", "")}
        records[job.student] = store.merge(records[job.student], assignment, result, entry)
        data.write(records[job.student])

    def on_done(job: Job, seconds: float) -> None:
        record = records[job.student]
        summary.graded.append(job.student)
        progress.student_done(job.student, record["score"], record["max_score"],
                              record["status"], seconds)

    try:
        with _stopped_by_sigterm():
            run_jobs(jobs, workers=workers, on_assignment=on_assignment, on_done=on_done)
    except Interrupted:
        summary.interrupted = signal.SIGTERM
    except KeyboardInterrupt:
        summary.interrupted = signal.SIGINT
    finally:
        progress.close()
    summary.seconds = time.monotonic() - started
    _write_class_outputs(options, out, data, students, selected, summary, progress)
    return summary


def _plan(options: Options, students: list[roster.Student], selected: list[str],
          data: store.Store) -> tuple[dict[str, dict], dict[tuple[str, str], str], list[Job]]:
    """(every student's stored result, the digest of every notebook, the jobs to grade):
    a student's job lists the assignments whose stored result is missing or out of date."""
    records: dict[str, dict] = {}
    notebook_digests: dict[tuple[str, str], str] = {}
    jobs: list[Job] = []
    for student in students:
        records[student.id] = data.read(student.id) or store.new_record(student.id)
        stale = []
        for assignment in selected:
            notebook_digests[student.id, assignment] = digest.notebook_digest(student.tree,
                                                                              assignment)
            if options.force or not _current(records[student.id], student.id, assignment,
                                             notebook_digests, options):
                stale.append(assignment)
        if stale:
            budget = options.budget_seconds or BUDGET_PER_ASSIGNMENT * len(stale)
            jobs.append(Job(student.id, student.tree, stale, options.public_only, budget))
    return records, notebook_digests, jobs


def _validate(options: Options) -> tuple[list[str], list[roster.Student]]:
    known = known_assignments()
    for wanted in options.assignments or []:
        if wanted not in known:
            raise UsageError(f"unknown assignment {wanted!r}; known: {', '.join(known)}")
    if options.jobs < 0:
        raise UsageError("--jobs must be at least 1")
    if options.budget_seconds is not None and options.budget_seconds <= 0:
        raise UsageError("--budget must be a positive number of seconds")
    if not 0.0 <= options.similarity_threshold <= 1.0:
        raise UsageError("--similarity-threshold must lie between 0 and 1")
    try:
        students = roster.find_students(options.class_dir)
    except roster.RosterError as err:
        raise UsageError(str(err)) from None
    out = Path(options.out).resolve()
    students = [s for s in students if s.folder.resolve() != out]  # OUT inside CLASS
    if options.shard:
        k, n = options.shard
        students = [s for s in students if roster.in_shard(s.id, k, n)]
    selected = [a for a in known if not options.assignments or a in options.assignments]
    return selected, students


def _current(record: dict, student: str, assignment: str, notebook_digests: dict,
             options: Options) -> bool:
    """Is the stored result of ``assignment`` still what grading it now would give?"""
    entry = record["digests"].get(assignment)
    if not entry or entry.get("notebook") != notebook_digests[student, assignment] \
            or entry.get("checks") != digest.checks_digest(assignment, options.public_only):
        return False
    if entry.get("outcome") == store.OVER_BUDGET and options.budget_seconds is not None:
        return options.budget_seconds <= entry.get("budget_seconds", 0)  # a larger budget retries
    return True


def _placeholder(assignment: str, outcome: str, why: str, job: Job, public_only: bool) -> dict:
    """The result of an assignment that grading could not finish: every check scores 0, with
    the reason (so the maximum stays the class's maximum)."""
    from autograder.engine.catalogue import catalogue
    from autograder.outcomes import CheckResult

    if outcome == store.OVER_BUDGET:
        status = "timeout"
        message = (f"grading stopped: this submission ran over its time budget of "
                   f"{job.budget_seconds:g} s, so these checks score 0. Look for a function "
                   "that loops forever or runs far longer than its checks allow.")
    else:
        status = "error"
        message = f"the grader failed on this notebook ({why}); it is graded again next run"
    checks = [CheckResult(assignment, c.id, c.function, 0.0, c.points, status, c.hidden,
                          message, c.hint).to_json()
              for c in catalogue(public_only)[assignment]]
    return {"checks": checks, "notes": [f"{assignment}: {message}"]}


class _stopped_by_sigterm:
    """While grading, SIGTERM raises Interrupted (once), so the workers are stopped and the
    results stored so far kept. Only in the main thread, where Python runs signal handlers."""

    def __enter__(self):
        self.previous = None
        if threading.current_thread() is threading.main_thread():
            self.previous = signal.signal(signal.SIGTERM, self._handle)
        return self

    def _handle(self, *_):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # stopping the workers is not interrupted
        raise Interrupted()

    def __exit__(self, *exc):
        if self.previous is not None:
            signal.signal(signal.SIGTERM, self.previous)
        return False


def _write_class_outputs(options: Options, out: Path, data: store.Store,
                         students: list[roster.Student], selected: list[str],
                         summary: Summary, progress: Progress) -> None:
    """grades.csv and feedback/ from every stored result; similarity.csv over the class."""
    records = data.records()
    summary.statuses = {r["student"]: r.get("status", "graded") for r in records}
    grades = store.write_grades(out, records)
    if summary.interrupted:  # what is stored is safe; the rest waits for the next run
        progress.say(f"interrupted: {grades} lists the {len(records)} students stored so far")
        return
    for record in records:
        feedback.write(out, record)
    lines = [f"{grades}: {len(records)} students ({_count(summary.statuses)})",
             f"{out / 'feedback'}: {len(records)} students, Markdown and HTML"]
    if options.shard is None:
        rows = _similarity(students, selected, options.similarity_threshold)
        path = similarity.write(out, rows)
        summary.similar_pairs = len(rows)
        lines.append(f"{path}: {len(rows)} pairs at or above {options.similarity_threshold:g}")
    graded = len(summary.graded)
    per = f", {summary.seconds / graded:.1f} s per student graded" if graded else ""
    lines.append(f"took {summary.seconds:.0f} s{per}")
    for line in lines:
        progress.say(line)


def _count(statuses: dict[str, str]) -> str:
    counts: dict[str, int] = {}
    for status in statuses.values():
        counts[status] = counts.get(status, 0) + 1
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))


def _similarity(students: list[roster.Student], selected: list[str],
                threshold: float) -> list[tuple]:
    """similarity.csv's rows: every graded function of the selected assignments, the class's
    definitions and the reference's (as the student ``reference``)."""
    from autograder.engine.catalogue import functions_of
    from autograder.grading import find_targets

    ids = {s.id for s in students}
    reference = similarity.REFERENCE if similarity.REFERENCE not in ids else "reference (solution)"
    rows = []
    for assignment in selected:
        sources: dict[str, str] = {}
        notebooks = {reference: reference_notebook(assignment)}
        for student in students:
            target = find_targets(student.tree, [assignment])[0]
            if target.notebook is not None and not target.problem:
                notebooks[student.id] = target.notebook
        for who, notebook in notebooks.items():
            source = similarity.notebook_source(notebook) if notebook.is_file() else None
            if source is not None:
                sources[who] = source
        code = similarity.class_code(sources, functions_of(assignment))
        for function, bodies in code.items():
            for a, b, score, tokens in similarity.similar_pairs(bodies, threshold):
                rows.append((assignment, function, a, b, score, tokens))
    return rows
