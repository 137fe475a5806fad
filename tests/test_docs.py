"""Do the project's own docs say what the code does? (docs/course.md, docs/grader.md)"""

import re

import pytest

from autograder import cli
from autograder.course import ROOT, known_assignments
from autograder.engine.catalogue import functions_of
from tests.test_mutants import MUTANTS_OF

pytestmark = pytest.mark.unit  # no TensorFlow, no sandbox

DOCS = ROOT / "docs"


def course_sections() -> dict[str, str]:
    """{assignment id: its section of docs/course.md}."""
    text = (DOCS / "course.md").read_text()
    parts = re.split(r"^## (\d\d_\w+)", text, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts), 2)}


def documented_functions(section: str) -> set[str]:
    """Names in the section's function headings: ### `rmse(y_true, y_pred)` and `mae(...)`."""
    names = set()
    for heading in re.findall(r"^### (.*)$", section, flags=re.M):
        names |= set(re.findall(r"`(\w+)\(", heading))
    return names


def named_mistakes(section: str) -> set[str]:
    """Every id listed after "Mistakes named:" in the section."""
    names = set()
    for block in re.findall(r"Mistakes named:(.*?)(?:\n\n|\n###|\Z)", section, flags=re.S):
        names |= set(re.findall(r"`(\w+)`", block))
    return names


@pytest.mark.parametrize("assignment", known_assignments())
def test_every_graded_function_is_documented(assignment):
    """Is every function the checks grade described in docs/course.md, and nothing else?"""
    section = course_sections().get(assignment)
    assert section, f"docs/course.md has no section ## {assignment}"
    assert documented_functions(section) == set(functions_of(assignment))


@pytest.mark.parametrize("assignment", known_assignments())
def test_every_named_mistake_has_its_mutant(assignment):
    """Does each mistake docs/course.md names have a mutant in tests/test_mutants_NN.py, and
    each mutant its line in the docs?"""
    section = course_sections()[assignment]
    assert named_mistakes(section) == set(MUTANTS_OF[assignment].MUTANTS)


def _options(parser) -> dict[str, list[str]]:
    """{command: its option strings} of the command line."""
    commands = {}
    for action in parser._subparsers._group_actions:
        for name, sub in action.choices.items():
            commands[name] = [o for a in sub._actions for o in a.option_strings
                              if o not in ("-h", "--help")]
    return commands


def test_every_command_and_option_is_documented():
    """Does docs/grader.md name every command of `python -m autograder` and its options?"""
    text = (DOCS / "grader.md").read_text()
    for command, options in _options(cli.build_parser()).items():
        assert f"### `{command}`" in text, f"docs/grader.md has no section for {command}"
        for option in options:
            assert f"`{option}" in text, f"docs/grader.md does not describe {command} {option}"


def test_code_cites_only_the_projects_own_docs():
    """Do docstrings and comments point at docs/ rather than files a clone does not have?"""
    cited = []
    for path in list((ROOT / "autograder").rglob("*.py")) + [ROOT / "run.py"]:
        for name in ("GRADER.md", "COURSE.md", "INTEGRATIONS.md", "../shared"):
            if name in path.read_text():
                cited.append(f"{path.relative_to(ROOT)} cites {name}")
    assert not cited, cited
    for target in re.findall(r"docs/[\w-]+\.md", "".join(
            p.read_text() for p in (ROOT / "autograder").rglob("*.py"))):
        assert (ROOT / target).exists(), f"the code cites {target}, which does not exist"
