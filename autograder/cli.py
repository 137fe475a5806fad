"""The command line: ``python -m autograder {grade,release,checks,bundle}`` (docs/grader.md).

grade     grade a submission: prints the table, writes --json, exit 0 when grading finished
release   regenerate assignments/ from solutions/ with nbgrader's preprocessors
checks    list every check with its points, visibility and hint
bundle    write the student repository: notebooks, public checks, Classroom workflow
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
    detail = grade.add_mutually_exclusive_group()
    detail.add_argument("--verbose", action="store_const", dest="detail", const="verbose",
                        default="normal", help="print the hint of passing checks too")
    detail.add_argument("--quiet", action="store_const", dest="detail", const="quiet",
                        help="one line per check: leave out what went wrong and the hints")

    release = commands.add_parser("release", help="generate assignments/ from solutions/")
    release.add_argument("--assignment", action="append", metavar="ID")

    commands.add_parser("checks", help="list the checks: points, visibility, hint")

    bundle = commands.add_parser("bundle", help="write the student repository to a folder")
    bundle.add_argument("out", type=Path, help="an empty or new folder")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "grade":
        return _grade(args)
    if args.command == "bundle":
        from autograder import bundle as bundling

        try:
            files = bundling.write_bundle(args.out)
        except bundling.BundleError as err:
            print(f"error: {err}", file=sys.stderr)
            return USAGE_ERROR
        print(f"wrote {len(files)} files to {args.out}")
        return 0
    if args.command == "release":
        from autograder import release as releasing

        for line in releasing.release_all(args.assignment):
            print(line)
        return 0
    return _list_checks()


def _grade(args) -> int:
    from autograder import quiet

    quiet.silence_tensorflow()
    import time

    from autograder import grading, report
    from autograder.course import known_assignments
    from autograder.outcomes import GradeResult

    started = time.monotonic()
    try:
        result = grading.grade(Path(args.path), only=args.assignment,
                               public_only=args.public_only)
    except grading.UsageError as err:
        if args.json:  # a workflow still finds a result file to report
            report.write_json(GradeResult(notes=[str(err)]), args.json)
        print(f"error: {err}", file=sys.stderr)
        return USAGE_ERROR
    print(report.table(result, detail=args.detail))
    if args.json:
        report.write_json(result, args.json)
    if args.classroom:
        from autograder.integrations import classroom

        assignments = args.assignment or known_assignments()
        classroom.write_outputs(result, assignments)
    if args.gradescope:
        from autograder.integrations import gradescope

        gradescope.write(result, args.gradescope, time.monotonic() - started)
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
