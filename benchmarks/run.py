"""How fast grading is, side by side with real nbgrader, on the same notebooks.

    python -m benchmarks [--json FILE] [--skip-nbgrader] [--work DIR]
    python benchmarks/run.py ...

Three submissions of all four assignments (the reference, the generated stubs, and the
reference with one listed mistake per assignment, as tests/test_nbgrader.py grades them) are
graded twice:

- by ``python -m autograder grade TREE`` (hidden checks included): wall time, CPU time and
  peak memory of the whole process tree (the fork server and every check's process);
- by ``nbgrader autograde`` in a temporary course made from this repository (its
  nbgrader_config.py), one run per assignment and student: the same three measures.

The scores must be equal; the table shows both, and the ratio of the wall times. Our grader
runs with its default ``--jobs`` (one assignment per core at a time); the reference is graded
once more with ``--jobs 1`` for comparison. Then a
breakdown of where our seconds go (benchmarks/breakdown.py): interpreter start, importing the
grader, importing TensorFlow in the fork server, reading notebooks into definitions, each
assignment's checks, and the five slowest checks. The table is printed and written as JSON
(default benchmarks/latest.json); benchmarks/README.md records a run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # python benchmarks/run.py: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.course import ROOT, known_assignments, notebook_name  # noqa: E402
from benchmarks import measure  # noqa: E402

SUBMISSIONS = ("reference", "stubs", "mistake")
TARGET_WALL_SECONDS = 30  # one full submission, two idle cores
TARGET_PEAK_BYTES = 2 * 1024**3
TARGET_SPEEDUP = 5  # against nbgrader autograde on the same notebooks


def build(work: Path):
    """The nbgrader course and our trees, holding the very same notebooks:
    (course, {submission: tree folder})."""
    import nbformat

    from tests.nbgrader_course import NbgraderCourse, with_function
    from tests.test_mutants import MUTANTS_OF
    from tests.test_nbgrader import MISTAKES

    course = NbgraderCourse(work / "nbgrader")
    trees = {name: work / "ours" / name for name in SUBMISSIONS}
    for assignment in known_assignments():
        course.generate(assignment)
        function, source, _ = MUTANTS_OF[assignment].MUTANTS[MISTAKES[assignment]]
        notebooks = {"reference": course.reference(assignment), "stubs": course.stub(assignment)}
        notebooks["mistake"] = with_function(notebooks["reference"], function, source)
        for name, notebook in notebooks.items():
            course.submit(name, assignment, notebook)
            path = trees[name] / assignment / notebook_name(assignment)
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, str(path))
    return course, trees


def ours(trees: dict[str, Path], work: Path, jobs: list[str] = ()) -> dict[str, dict]:
    """Each submission graded by the command line (its default --jobs, or ``jobs``),
    measured."""
    rows = {}
    for name, tree in trees.items():
        result = work / f"{name}.json"
        measured = measure.run([sys.executable, "-m", "autograder", "grade", str(tree),
                                "--json", str(result), *jobs], cwd=ROOT,
                               env=measure.environment())
        graded = json.loads(result.read_text())
        rows[name] = measured.to_json() | {"score": graded["score"],
                                           "max_score": graded["max_score"]}
    return rows


def nbgrader(course) -> dict[str, dict]:
    """Each submission through ``nbgrader autograde``, one run per assignment, summed."""
    rows = {}
    for name in SUBMISSIONS:
        wall = cpu = 0.0
        peak = 0
        for assignment in known_assignments():
            measured = measure.run(
                [str(Path(sys.executable).parent / "nbgrader"), "autograde", assignment,
                 "--student", name, "--force"], cwd=course.root,
                env=measure.environment(PATH=f"{Path(sys.executable).parent}:"
                                             f"{os.environ.get('PATH', '')}"))
            if measured.returncode != 0:
                raise RuntimeError(f"nbgrader autograde {assignment} --student {name} failed")
            wall, cpu, peak = wall + measured.wall_seconds, cpu + measured.cpu_seconds, \
                max(peak, measured.peak_bytes)
        rows[name] = {"wall_seconds": round(wall, 2), "cpu_seconds": round(cpu, 2),
                      "peak_bytes": peak}
    exported = course.export()
    for name in SUBMISSIONS:
        rows[name]["score"] = round(sum(exported[(name, a)][0] for a in known_assignments()), 6)
        rows[name]["max_score"] = round(sum(exported[(name, a)][1]
                                            for a in known_assignments()), 6)
    return rows


def starts() -> dict[str, float]:
    """Median of three: a bare interpreter, and one that imports the grader."""
    def timed(code: str) -> float:
        runs = []
        for _ in range(3):
            started = time.monotonic()
            subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=measure.environment(),
                           check=True)
            runs.append(time.monotonic() - started)
        return round(statistics.median(runs), 2)

    return {"interpreter_seconds": timed("pass"),
            "import_grader_seconds": timed("import autograder.cli, autograder.grading")}


def breakdown(tree: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.breakdown", str(tree)], cwd=ROOT,
                          env=measure.environment(), capture_output=True, text=True,
                          check=True)
    return json.loads(done.stdout)


def machine() -> dict:
    from autograder import quiet

    keras = quiet.import_tensorflow()
    import tensorflow

    return {"date": time.strftime("%Y-%m-%d"), "python": platform.python_version(),
            "platform": platform.platform(), "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "tensorflow": tensorflow.__version__, "keras": keras.__version__,
            "nbgrader": __import__("nbgrader").__version__}


def table(report: dict) -> str:
    gib = 1024**3
    lines = [f"machine: {report['machine']['platform']}, {report['machine']['cpus']} cores, "
             f"Python {report['machine']['python']}, load {report['machine']['load_average']}",
             "",
             f"{'submission':<11} {'ours wall':>9} {'cpu':>7} {'peak':>8} {'score':>11}   "
             f"{'nbgrader wall':>13} {'cpu':>7} {'peak':>8} {'score':>11}  {'speed-up':>8}"]
    for name in SUBMISSIONS:
        o = report["ours"][name]
        n = report["nbgrader"].get(name)
        row = (f"{name:<11} {o['wall_seconds']:>8.1f}s {o['cpu_seconds']:>6.1f}s "
               f"{o['peak_bytes'] / gib:>6.2f}GB {o['score']:>5g}/{o['max_score']:<5g}")
        if n:
            row += (f"   {n['wall_seconds']:>12.1f}s {n['cpu_seconds']:>6.1f}s "
                    f"{n['peak_bytes'] / gib:>6.2f}GB {n['score']:>5g}/{n['max_score']:<5g}"
                    f"  {n['wall_seconds'] / o['wall_seconds']:>7.1f}x")
        lines.append(row)
    one = report["one_job"]["reference"]
    lines += ["", f"reference with --jobs 1 (default here: {report['jobs']}): "
                  f"{one['wall_seconds']:.1f} s wall, {one['cpu_seconds']:.1f} s CPU, "
                  f"{one['peak_bytes'] / gib:.2f} GB peak"]
    b = report["breakdown"]
    lines += ["", "where our seconds go (reference, one process):",
              f"  interpreter start            {report['starts']['interpreter_seconds']:>6.2f} s",
              f"  importing the grader         {report['starts']['import_grader_seconds']:>6.2f} s",
              f"  TensorFlow in the fork server {b['zygote_seconds']:>5.2f} s",
              f"  notebooks -> definitions     {b['definitions_seconds']:>6.2f} s"]
    for assignment, seconds in b["assignments"].items():
        lines.append(f"  checks of {assignment:<19}{seconds:>6.2f} s")
    lines.append("  five slowest checks:")
    for item in b["slowest"]:
        lines.append(f"    {item['seconds']:>6.2f} s  {item['assignment']} {item['check']}")
    lines += ["", "targets: " + "; ".join(f"{k}: {'met' if v else 'MISSED'}"
                                          for k, v in report["targets"].items())]
    return "\n".join(lines)


def targets(report: dict) -> dict[str, bool]:
    worst = max(report["ours"].values(), key=lambda row: row["wall_seconds"])
    met = {"full submission <= 30 s": worst["wall_seconds"] <= TARGET_WALL_SECONDS,
           "peak memory <= 2 GiB": all(row["peak_bytes"] <= TARGET_PEAK_BYTES
                                       for row in report["ours"].values())}
    if report["nbgrader"]:
        ours_total = sum(r["wall_seconds"] for r in report["ours"].values())
        theirs_total = sum(r["wall_seconds"] for r in report["nbgrader"].values())
        met[f">= {TARGET_SPEEDUP}x faster than nbgrader"] = \
            theirs_total >= TARGET_SPEEDUP * ours_total
        met["same scores as nbgrader"] = all(
            report["nbgrader"][n]["score"] == report["ours"][n]["score"] for n in SUBMISSIONS)
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "latest.json",
                        help="where to write the measurements (default benchmarks/latest.json)")
    parser.add_argument("--skip-nbgrader", action="store_true",
                        help="measure our grader only (nbgrader takes many minutes)")
    parser.add_argument("--work", type=Path, help="keep the course and trees in this folder")
    args = parser.parse_args(argv)
    from autograder import quiet

    quiet.silence_tensorflow()  # the building imports Keras: no log lines between the tables
    with tempfile.TemporaryDirectory(prefix="benchmark-") as temp:
        work = args.work or Path(temp)
        work.mkdir(parents=True, exist_ok=True)
        print("building the submissions (nbgrader generate_assignment) ...", flush=True)
        course, trees = build(work)
        report = {"machine": machine(), "starts": starts()}
        print("grading with the grader ...", flush=True)
        report["ours"] = ours(trees, work)
        report["one_job"] = ours({"reference": trees["reference"]}, work, ["--jobs", "1"])
        from autograder.grading import default_jobs

        report["jobs"] = default_jobs()
        report["breakdown"] = breakdown(trees["reference"])
        report["nbgrader"] = {}
        if not args.skip_nbgrader:
            print("grading with nbgrader autograde (minutes) ...", flush=True)
            report["nbgrader"] = nbgrader(course)
        report["targets"] = targets(report)
    print(table(report))
    args.json.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
