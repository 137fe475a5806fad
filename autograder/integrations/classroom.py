"""GitHub Classroom: one reporter runner per assignment, as classroom-resources'
autograding-grading-reporter@v1 reads them.

For each runner id the reporter reads env ``<ID>_RESULTS``, base64-decodes it and parses
``{"version": 1, "status", "max_score", "tests": [{"name", "status", "score", "message",
"line_no"}...]}``. Runner ids are letters and digits only ("a01"). Classroom's total is the sum
of test scores over the sum of max_scores; its console table instead shows
passed/len(tests) * max_score per runner, which differs when points differ within a runner, so
the step summary says which number is the grade.

Every runner gets a result however grading ends (``run_and_report``, ``workflow``'s fallback),
so the reporter never parses an empty output.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path

from autograder.outcomes import GradeResult, feedback

_STATUS = {"passed": "pass", "failed": "fail", "error": "error", "timeout": "error"}


def runner_id(assignment: str) -> str:
    """"01_sequence_data" -> "a01": letters and digits only, as the reporter requires."""
    return "a" + assignment.split("_", 1)[0]


def runner_results(result: GradeResult, assignments: list[str]) -> dict[str, dict]:
    """{runner id: the reporter's result object} for every assignment, also one with no checks
    (a runner without ``tests`` would crash the reporter)."""
    runners = {}
    for assignment in assignments:
        checks = [c for c in result.checks if c.assignment == assignment]
        tests = [{"name": c.id, "status": _STATUS[c.status], "score": c.score,
                  "max_score": c.max_score, "message": feedback(c),
                  "line_no": 0, "test_code": "", "filename": ""} for c in checks]
        statuses = {t["status"] for t in tests}
        status = "error" if not tests or "error" in statuses else \
            "fail" if "fail" in statuses else "pass"
        runners[runner_id(assignment)] = {
            "version": 1, "status": status, "max_score": sum(c.max_score for c in checks),
            "tests": tests}
    return runners


def write_outputs(result: GradeResult, assignments: list[str],
                  output_file: str | None = None, summary_file: str | None = None) -> None:
    """Append ``<runner>=<base64 JSON>`` lines to $GITHUB_OUTPUT and a Markdown table to
    $GITHUB_STEP_SUMMARY (either may be absent outside Actions)."""
    output_file = output_file or os.environ.get("GITHUB_OUTPUT")
    summary_file = summary_file or os.environ.get("GITHUB_STEP_SUMMARY")
    runners = runner_results(result, assignments)
    if output_file:
        with open(output_file, "a", encoding="utf-8") as out:
            for runner, payload in runners.items():
                out.write(f"{runner}={encode(payload)}\n")
    if summary_file:
        Path(summary_file).parent.mkdir(parents=True, exist_ok=True)
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(summary_markdown(result))


def summary_markdown(result: GradeResult) -> str:
    """The step summary: the score, then one row per check with, for every lost point, what
    went wrong and the check's hint (outcomes.feedback), whole."""
    lines = [f"## Score: {result.score:g} / {result.max_score:g}", "",
             "This total (Classroom's *Points*) is your grade on the public checks. The "
             "reporter's table counts passed tests per assignment instead, so its figures can "
             "differ when checks are worth different points.", "",
             "| assignment | check | points | status | what went wrong |", "|---|---|---|---|---|"]
    for c in result.checks:
        lines.append(f"| {c.assignment} | {c.id} | {c.score:g}/{c.max_score:g} | {c.status} "
                     f"| {_cell(feedback(c))} |")
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    """Text as one Markdown table cell: nothing it holds can end the cell or the row, or
    become HTML (student text arrives here too); its lines kept apart with <br>."""
    text = "".join(ch if ch.isprintable() or ch == "\n" else " " for ch in text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("|", "\\|")
    return "<br>".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


# --- When grading dies -------------------------------------------------------------------
# The reporter base64-decodes and parses every runner's output: an empty one ("Unexpected end
# of JSON input") gives the student no points and no reason. So the outputs are written on
# every path: by the grader when it finishes; by ``run_and_report`` (run.py classroom) when
# set-up fails or the grader dies; and, should the whole step be killed (its time limit), the
# workflow hands the reporter a fallback written into it by ``workflow``.


def failure_results(runners: dict[str, dict], reason: str) -> dict[str, dict]:
    """{runner id: a result worth 0 of its max_score, status error, one test saying why}.

    ``runners``: {runner id: {"assignment": id, "max_score": points}} (``runner_table``)."""
    return {runner: {"version": 1, "status": "error", "max_score": info["max_score"],
                     "tests": [{"name": f"{info['assignment']}: grading", "status": "error",
                                "score": 0, "max_score": info["max_score"], "message": reason,
                                "line_no": 0, "test_code": "", "filename": ""}]}
            for runner, info in runners.items()}


def encode(payload: dict) -> str:
    """A runner's result as the reporter reads it: base64 of its JSON."""
    return base64.b64encode(json.dumps(payload).encode()).decode()


def run_and_report(command: list[str], runners: dict[str, dict], *, cwd: str | None = None,
                   env: dict[str, str] | None = None) -> int:
    """Run the grading ``command`` (which writes its outputs with ``--classroom``) and make
    sure $GITHUB_OUTPUT ends up with one valid result per runner, whatever happens to it.

    The command writes into a file of its own; its lines reach $GITHUB_OUTPUT only when every
    runner is there, otherwise each runner gets ``failure_results`` with the reason (exit
    status, signal). Returns the command's exit status (1 if it could not start)."""
    import signal
    import subprocess
    import tempfile

    env = dict(os.environ if env is None else env)
    output_file = env.get("GITHUB_OUTPUT")
    with tempfile.TemporaryDirectory(prefix="classroom-") as temp:
        own = Path(temp) / "outputs"
        own.touch()
        try:
            status = subprocess.run(command, cwd=cwd, env=env | {"GITHUB_OUTPUT": str(own)}
                                    ).returncode
        except OSError as err:
            status, reason = 1, f"the grader could not start ({err})"
        else:
            if status < 0:
                name = signal.Signals(-status).name
                reason = f"the grader was killed by {name}" + (
                    " (out of memory?)" if name == "SIGKILL" else "")
            else:
                reason = f"the grader stopped with exit status {status}"
        lines = [line for line in own.read_text(encoding="utf-8").splitlines() if "=" in line]
        written = {line.split("=", 1)[0] for line in lines}
    if set(runners) <= written:
        text = "".join(line + "\n" for line in lines)
    else:
        reason += (" before it wrote a result. Nothing was graded: read the log of this "
                   "step, fix what it says, and push again.")
        text = "".join(f"{runner}={encode(payload)}\n"
                       for runner, payload in failure_results(runners, reason).items())
        print(f"error: {reason}", flush=True)
        write_failure_summary(reason, env.get("GITHUB_STEP_SUMMARY"))
    if output_file:
        with open(output_file, "a", encoding="utf-8") as out:
            out.write(text)
    return status


def write_failure_summary(reason: str, summary_file: str | None = None) -> None:
    """Say in the step summary why there is no score."""
    summary_file = summary_file or os.environ.get("GITHUB_STEP_SUMMARY")
    if summary_file:
        with open(summary_file, "a", encoding="utf-8") as out:
            out.write(f"## No score\n\n{reason}\n")


def write_failure(runners: dict[str, dict], reason: str,
                  output_file: str | None = None) -> None:
    """Write ``failure_results`` to $GITHUB_OUTPUT and the reason to the step summary (set-up
    failed before the grader could run)."""
    output_file = output_file or os.environ.get("GITHUB_OUTPUT")
    if output_file:
        with open(output_file, "a", encoding="utf-8") as out:
            for runner, payload in failure_results(runners, reason).items():
                out.write(f"{runner}={encode(payload)}\n")
    write_failure_summary(reason)


# --- The workflow --------------------------------------------------------------------------
# GitHub Classroom writes the same workflow into every repository whose autograding tests are
# set up on its website: file .github/workflows/classroom.yml, workflow "Autograding Tests",
# job "run-autograding-tests", steps "Checkout code" ... "Autograding Reporter" (its commit is
# "GitHub Classroom Autograding Workflow"; the reporter's README,
# classroom-resources/autograding-grading-reporter, shows the same shape). We keep those names
# so that a run looks in the Actions tab like any other Classroom assignment's. Classroom's
# file also grants `checks: write`; the reporter writes annotations only, which need no token
# permission, so ours keeps to read.
WORKFLOW_NAME = "Autograding Tests"
JOB_ID = "run-autograding-tests"
GRADING_STEP = "grade"
PYTHON_VERSION = "3.11"  # the oldest the pinned requirements install on (pyproject.toml)
STEP_MINUTES = 30  # the grading step's limit; the reporter still runs after it


def runner_table(assignments: list[str]) -> dict[str, dict]:
    """{runner id: {"assignment", "max_score" of its public checks}}: what a failure reports."""
    from autograder.engine.catalogue import catalogue

    checks = catalogue(public_only=True)
    return {runner_id(a): {"assignment": a, "max_score": sum(c.points for c in checks[a])}
            for a in assignments}


def workflow(assignments: list[str]) -> str:
    """The .github/workflows/classroom.yml of a student repository."""
    runners = runner_table(assignments)
    fallback = failure_results(
        runners, "Grading did not finish (the step 'Grade the notebook' failed or ran out of "
                 f"its {STEP_MINUTES} minutes): read its log in the Actions tab.")
    env = "\n".join(f"          {r.upper()}_RESULTS: \"${{{{ steps.{GRADING_STEP}.outputs.{r} "
                    f"|| '{encode(fallback[r])}' }}}}\"" for r in runners)
    table = json.dumps(runners, separators=(",", ":"))
    cache_key = ("venv-${{ runner.os }}-py${{ steps.python.outputs.python-version }}-"
                 "${{ hashFiles('requirements.txt', 'pyproject.toml') }}")
    return f"""# Generated by `python -m autograder bundle`: do not edit by hand.
# Names as in the workflow GitHub Classroom generates (autograder/integrations/classroom.py).
name: {WORKFLOW_NAME}
"on": [push, workflow_dispatch, repository_dispatch]
permissions:
  actions: read
  contents: read
jobs:
  {JOB_ID}:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    steps:
      - name: Checkout code
        uses: actions/checkout@v4
      - name: Set up Python
        id: python
        uses: actions/setup-python@v5
        with:
          python-version: "{PYTHON_VERSION}"
      # The 2.7 GB environment is installed once and restored on every later push; a new
      # requirements.txt, pyproject.toml or Python release makes a new key.
      - name: Restore the Python environment
        uses: actions/cache@v4
        with:
          path: .venv
          key: {cache_key}
      - name: Grade the notebook (public checks)
        id: {GRADING_STEP}
        timeout-minutes: {STEP_MINUTES}
        env:
          AUTOGRADING_RUNNERS: '{table}'
        run: python run.py classroom
      # Runs also when grading failed; a runner with no output gets the fallback after ||.
      - name: Autograding Reporter
        if: always()
        uses: classroom-resources/autograding-grading-reporter@v1
        env:
{env}
        with:
          runners: {",".join(runners)}
"""
