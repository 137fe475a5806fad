"""OUT/feedback/<student>.md and .html: what a student reads about their grade.

Per assignment and graded function: points earned of points possible; for every check that
lost points, what went wrong and the check's hint (``autograder.outcomes.feedback``, the rule
every report follows). A hidden check shows its hint and what kind of failure it was, never
its message: hidden messages name no values (tests/test_mutants.py), but a student's own
exception text could still echo a hidden input.
An assignment none of whose checks could run (no notebook, an unreadable one, over the time
budget) says why once, with the points of each function, instead of one line per check.

Messages hold student text (an exception's message), so everything but our own headings is
escaped for Markdown: code spans stay (their content is shown literally), every other character
Markdown or HTML would act on is escaped. The HTML page is rendered from that Markdown by
markdown-it-py with raw HTML turned off, in one self-contained file (no server, no script, no
outside resource).
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from markdown_it import MarkdownIt

from autograder.batch.store import GRADED, assignment_scores, atomic_write
from autograder.outcomes import CheckResult, feedback

MESSAGE_CHARS = 600  # a feedback line is for reading; longer messages are cut
_CODE_SPAN = re.compile(r"(`[^`\n]+`)")
# What Markdown would act on inside a line: emphasis, code, raw HTML and autolinks, escapes,
# an underscore at a word's edge, and "](" (no link or image can form without it).
_MARKDOWN_ACTIVE = re.compile(r"([\\`*<])|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|(?<=\])\(")
_LINE_START = re.compile(r"^([#>+=|~-]|\d+[.)])")  # a heading, quote, list or rule at line start
_HIDDEN_REASON = {"failed": "gave a wrong answer on the hidden check's inputs",
                  "error": "raised an error, or is missing",
                  "timeout": "ran out of time"}
_STYLE = """body{font-family:system-ui,sans-serif;max-width:52em;margin:2em auto;padding:0 1em;
line-height:1.5;color:#1b1b1b}code{background:#f2f2f2;padding:0 .2em;border-radius:3px}
h2{border-bottom:1px solid #ddd;padding-bottom:.2em}li{margin:.4em 0}"""


def markdown(record: dict) -> str:
    """The feedback of one stored result (store.py's record) as Markdown."""
    student = text(record["student"])
    lines = [f"# Feedback for {student}", "",
             f"**Total: {record['score']:g} / {record['max_score']:g}**", ""]
    if record.get("status", "graded") != "graded":
        lines += [f"Status: {text(record['status'])}.", ""]
    notes = [n for n in record.get("notes", []) if not n.startswith("sandbox:")]
    if notes:
        lines += ["Notes on the submission:", ""] + [f"- {text(n)}" for n in notes] + [""]
    checks = [check_result(c) for c in record["checks"]]
    scores = assignment_scores(record)
    for assignment in scores:
        score, top = scores[assignment]
        lines += [f"## {text(assignment)}: {score:g} / {top:g}", ""]
        ours = [c for c in checks if c.assignment == assignment]
        outcome = record.get("digests", {}).get(assignment, {}).get("outcome", GRADED)
        if outcome != GRADED and ours:  # one reason for every check: say it once
            lines += [f"None of its checks could run: {text(ours[0].message)}", ""]
        for function in dict.fromkeys(c.function for c in ours):
            of_function = [c for c in ours if c.function == function]
            if outcome != GRADED:
                lines += [f"- `{function}`: {sum(c.score for c in of_function):g} / "
                          f"{sum(c.max_score for c in of_function):g}"]
            else:
                lines += _function_section(function, of_function)
        lines += [""] if outcome != GRADED else []
    return "\n".join(lines).rstrip() + "\n"


def check_result(data: dict) -> CheckResult:
    """A stored check back as the shared type (fields a stored file lacks are empty)."""
    defaults = {"score": 0.0, "max_score": 0.0, "hidden": False, "status": "error"}
    return CheckResult(**{name: data.get(name, defaults.get(name, ""))
                          for name in CheckResult.__dataclass_fields__})


def _function_section(function: str, checks: list[CheckResult]) -> list[str]:
    earned = sum(c.score for c in checks)
    possible = sum(c.max_score for c in checks)
    lines = [f"### `{function}`: {earned:g} / {possible:g}", ""]
    lost = [c for c in checks if c.score < c.max_score]
    if not lost:
        return lines + [f"All {len(checks)} checks passed.", ""]
    for c in lost:
        kind = " (hidden check)" if c.hidden else ""
        unit = "point" if c.max_score == 1 else "points"
        head = f"- `{c.id}`{kind}: {c.score:g} of {c.max_score:g} {unit}, {c.status}."
        if c.hidden:
            why = f"Your code {_HIDDEN_REASON.get(c.status, c.status)}."
            lines.append(f"{head} {why} *Hint:* {_sentence(c.hint)}")
            continue
        parts = [f"*Hint:* {_sentence(part[len('Hint: '):])}" if part.startswith("Hint: ")
                 else _sentence(part) for part in feedback(c).split("\n")]
        lines.append(" ".join([head] + parts))
    return lines + [""]


def _sentence(value: str) -> str:
    """``text`` ending in a full stop, so that what follows reads as a new sentence."""
    value = text(value)
    return value if not value or value.endswith((".", "!", "?", ":")) else value + "."


def text(value: str) -> str:
    """Text for a Markdown line: printable, on one line, cut to length, every character that
    Markdown or HTML would act on escaped, except inside `code spans` (shown literally)."""
    value = " ".join("".join(ch if ch.isprintable() else " " for ch in str(value)).split())
    if len(value) > MESSAGE_CHARS:
        value = value[:MESSAGE_CHARS - 3] + "..."
    parts = _CODE_SPAN.split(value)
    escaped = "".join(part if i % 2 else _MARKDOWN_ACTIVE.sub(lambda m: "\\" + m.group(0), part)
                      for i, part in enumerate(parts))
    return _LINE_START.sub(lambda m: m.group(0)[:-1] + "\\" + m.group(0)[-1], escaped)


_RENDERER = MarkdownIt("commonmark", {"html": False})  # raw HTML in the text stays text


def to_html(markdown_text: str, title: str) -> str:
    """A standalone HTML page of the Markdown: inline style, no script, no outside resource."""
    body = _RENDERER.render(markdown_text)
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
            f"<body>\n{body}</body>\n</html>\n")


def write(out: Path, record: dict) -> tuple[Path, Path]:
    """Write OUT/feedback/<student>.md and .html for one stored result."""
    folder = Path(out) / "feedback"
    text_md = markdown(record)
    md_path = folder / f"{record['student']}.md"
    html_path = folder / f"{record['student']}.html"
    atomic_write(md_path, text_md)
    atomic_write(html_path, to_html(text_md, f"Feedback for {record['student']}"))
    return md_path, html_path
