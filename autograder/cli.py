"""The command line: ``python -m autograder COMMAND`` (docs/grader.md).

grade           grade a submission: prints the table, writes --json, exit 0 when grading finished
grade-batch     grade a class: results, grades.csv, feedback, similarity (autograder/batch/)
batch-workflow  write a GitHub Actions workflow that grades a class in shards and merges them
release         regenerate assignments/ from solutions/ with nbgrader's preprocessors
checks          list every check with its points, visibility and hint
bundle          write one GitHub Classroom template repository per assignment, audited
gradescope-zip  write the autograder zip an instructor uploads to Gradescope
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    """Every command and option (docs/grader.md documents each; a test holds them equal)."""
    parser = argparse.ArgumentParser(prog="python -m autograder")
    commands = parser.add_subparsers(dest="command", required=True)

    grade = commands.add_parser("grade", help="grade a submission and print the score table")
    grade.add_argument("path", nargs="?", default="assignments",
                       help="a folder of assignment folders, one assignment folder or a notebook")
    grade.add_argument("--assignment", action="append", metavar="ID",
                       help="grade only this assignment (repeatable)")
    grade.add_argument("--public-only", action="store_true",
                       help="run only the public checks, as a student's copy would")
    grade.add_argument("--json", type=Path, metavar="FILE", help="write the result JSON here")
    grade.add_argument("--classroom", action="store_true",
                       help="also write GitHub Classroom reporter outputs ($GITHUB_OUTPUT) and "
                            "a step summary ($GITHUB_STEP_SUMMARY)")
    grade.add_argument("--gradescope", type=Path, metavar="FILE",
                       help="also write Gradescope's results.json here")
    grade.add_argument("--budget", type=_seconds, metavar="SECONDS", default=None,
                       help="time for the whole submission (default 600); checks left when it "
                            "runs out are recorded as timeouts")
    grade.add_argument("--jobs", type=_count, metavar="N", default=None,
                       help="assignments graded at a time, each with its own sandbox (default: "
                            "the number of cores)")
    detail = grade.add_mutually_exclusive_group()
    detail.add_argument("--verbose", action="store_const", dest="detail", const="verbose",
                        default="normal", help="print the hint of passing checks too")
    detail.add_argument("--quiet", action="store_const", dest="detail", const="quiet",
                        help="one line per check: leave out what went wrong and the hints")

    batch = commands.add_parser("grade-batch", help="grade a whole class into a folder")
    batch.add_argument("class_dir", type=Path, metavar="CLASS",
                       help="one folder per student (the folder name is the student id)")
    batch.add_argument("--out", type=Path, required=True, metavar="OUT",
                       help="where results/, grades.csv, feedback/ and similarity.csv go")
    batch.add_argument("--jobs", type=int, metavar="N",
                       help="students graded at a time (default: the number of cores)")
    batch.add_argument("--shard", metavar="K/N",
                       help="grade only shard K of N (K from 0), a stable split by student id")
    batch.add_argument("--public-only", action="store_true",
                       help="run only the public checks")
    batch.add_argument("--assignment", action="append", metavar="ID",
                       help="grade only this assignment (repeatable)")
    batch.add_argument("--force", action="store_true",
                       help="grade again students whose notebooks and checks are unchanged")
    batch.add_argument("--budget", type=float, metavar="SECONDS",
                       help="most wall time one student may take (default: 300 s for each "
                            "assignment graded)")
    batch.add_argument("--similarity-threshold", type=float, metavar="X", default=0.8,
                       help="list pairs of students whose code scores at least X in "
                            "similarity.csv (0 to 1, default 0.8)")

    workflow = commands.add_parser("batch-workflow",
                                   help="write a GitHub Actions workflow that runs grade-batch "
                                        "in shards and merges them")
    workflow.add_argument("path", type=Path, metavar="OUT.yml", help="the workflow file to write")
    workflow.add_argument("--shards", type=int, required=True, metavar="N",
                          help="how many jobs grade the class at the same time")

    release = commands.add_parser("release", help="generate assignments/ from solutions/")
    release.add_argument("--assignment", action="append", metavar="ID")

    commands.add_parser("checks", help="list the checks: points, visibility, hint")

    bundle = commands.add_parser(
        "bundle", help="write GitHub Classroom template repositories (one per assignment)")
    bundle.add_argument("out", type=Path, help="an empty or new folder")
    bundle.add_argument("--assignment", metavar="ID",
                        help="write only this assignment's repository, into OUT itself")
    bundle.add_argument("--reveals", action="append", metavar="ID", default=[],
                        help="allow the repository to hold this earlier assignment's answers "
                             "(repeatable); it is then released after that deadline")

    zipped = commands.add_parser("gradescope-zip",
                                 help="write the autograder zip to upload to Gradescope")
    zipped.add_argument("out", type=Path, metavar="OUT.zip", help="the zip file to write")
    zipped.add_argument("--assignment", metavar="ID",
                        help="the Gradescope assignment grades only this one (recommended)")
    return parser


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number of seconds, got {text!r}")
    return value


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "grade-batch":
        return _grade_batch(args)
    if args.command == "batch-workflow":
        return _batch_workflow(args)
    if args.command == "bundle":
        return _bundle(args)
    if args.command == "gradescope-zip":
        from autograder.integrations import gradescope_zip

        try:
            lines = gradescope_zip.build(args.out, args.assignment)
        except gradescope_zip.ZipError as err:
            print(f"error: {err}", file=sys.stderr)
            return USAGE_ERROR
        print("\n".join(lines))
        return 0
    if args.command == "release":
        from autograder import release as releasing

        for line in releasing.release_all(args.assignment):
            print(line)
        return 0
    return _list_checks()


def _bundle(args) -> int:
    from autograder import bundle as bundling

    try:
        if args.assignment:
            bundles = [bundling.write_bundle(args.out, args.assignment, args.reveals)]
        else:
            bundles = bundling.write_bundles(args.out, reveals=args.reveals)
    except bundling.BundleError as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
    for bundle in bundles:
        print("\n".join(bundle.report()))
    return 0


def _grade(args) -> int:
    from autograder import quiet

    quiet.silence_tensorflow()
    import time

    from autograder import grading, report
    from autograder.course import known_assignments
    from autograder.outcomes import GradeResult
    from autograder.safe_write import UnsafeTarget, check_target

    started = time.monotonic()
    try:  # a bad result path is a usage error before grading, not a loss after it
        for target in (args.json, args.gradescope):
            if target is not None:
                check_target(target)
        budget = grading.DEFAULT_BUDGET_SECONDS if args.budget is None else args.budget
        jobs = grading.default_jobs() if args.jobs is None else args.jobs
        result = grading.grade(Path(args.path), only=args.assignment,
                               public_only=args.public_only, budget_seconds=budget, jobs=jobs)
    except (grading.UsageError, UnsafeTarget) as err:
        if args.json:  # a workflow still finds a result file to report, where one can be
            try:
                report.write_json(GradeResult(notes=[str(err)]), args.json)
            except UnsafeTarget:
                pass
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
    print(report.table(result, detail=args.detail))
    try:  # a path that turned into a link or a folder while grading ran: still refused
        if args.json:
            report.write_json(result, args.json)
        if args.classroom:
            from autograder.integrations import classroom

            assignments = args.assignment or known_assignments()
            classroom.write_outputs(result, assignments)
        if args.gradescope:
            from autograder.integrations import gradescope

            gradescope.write(result, args.gradescope, time.monotonic() - started)
    except UnsafeTarget as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
    return 0


def _grade_batch(args) -> int:
    from autograder.batch import coordinator, roster, workers

    try:
        shard = roster.parse_shard(args.shard) if args.shard is not None else None
        if args.jobs is not None and args.jobs < 1:
            raise ValueError("--jobs must be at least 1")
        options = coordinator.Options(
            class_dir=args.class_dir, out=args.out, jobs=args.jobs or 0, shard=shard,
            public_only=args.public_only, assignments=args.assignment, force=args.force,
            budget_seconds=args.budget, similarity_threshold=args.similarity_threshold)
        summary = coordinator.grade_batch(options)
    except (ValueError, coordinator.UsageError) as err:
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
    except workers.BatchError as err:  # no grading process could start: nothing was graded
        print(f"error: grading could not run: {err}", file=sys.stderr)
        return 1
    return 128 + summary.interrupted if summary.interrupted else 0


def _batch_workflow(args) -> int:
    from autograder.batch import workflow

    if args.shards < 1:
        print("error: --shards must be at least 1", file=sys.stderr)
        return USAGE_ERROR
    args.path.parent.mkdir(parents=True, exist_ok=True)
    args.path.write_text(workflow.workflow(args.shards))
    print(f"wrote {args.path}: {args.shards} grading jobs, then one that merges them")
    return 0


def _list_checks() -> int:
    from autograder.engine.catalogue import catalogue

    for assignment, checks in catalogue().items():
        total = sum(c.points for c in checks)
        print(f"{assignment}  ({len(checks)} checks, {total:g} points)")
        for c in checks:
            visibility = "hidden" if c.hidden else "public"
            print(f"  {c.id:<45} {c.points:>4g}  {visibility:<6}  {c.hint}")
    return 0
