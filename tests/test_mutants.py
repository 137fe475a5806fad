"""Does every listed mistake lose the points of the check meant for it, with words that name it?

A mutant is the reference notebook with one function rewritten the way students get it wrong;
``tests/test_mutants_NN.py`` holds assignment NN's as ``MUTANTS = {name: (function, source,
{check id: words its message must contain})}``, and docs/course.md lists them under "Mistakes
named" (tests/test_docs.py holds the two equal). Each mutant is graded only on the function it
breaks, with the hidden checks.
"""

import re

import pytest

from tests import test_mutants_01, test_mutants_02, test_mutants_03, test_mutants_04
from tests.conftest import by_id

MUTANTS_OF = {
    "01_sequence_data": test_mutants_01,
    "02_rnn_internals": test_mutants_02,
    "03_recurrent_models": test_mutants_03,
    "04_evaluate_aapl": test_mutants_04,
}


def _cases():
    for assignment, module in MUTANTS_OF.items():
        slow = getattr(module, "SLOW", set())
        for name in sorted(module.MUTANTS):
            marks = [pytest.mark.slow] if name in slow else []
            yield pytest.param(assignment, name, id=f"{assignment[:2]}-{name}", marks=marks)


@pytest.mark.parametrize("assignment,name", list(_cases()))
def test_mutant_is_caught(assignment, name, grade_mutant):
    """Does the named mistake fail the check meant for it, with a message that says what?"""
    function, source, expected = MUTANTS_OF[assignment].MUTANTS[name]
    checks = by_id(grade_mutant(assignment, {function: source}))
    for check_id, words in expected.items():
        assert checks[check_id].status == "failed", (check_id, checks[check_id])
        assert words in checks[check_id].message, checks[check_id].message
    for check in checks.values():
        if check.hidden:
            assert not reveals_values(check.message), (check.id, check.message)


# What a hidden check's message must not hold (issue 11.5): numbers with decimals, dates,
# dollar amounts, numbers of three digits or more, lists of four numbers or more. It names
# the kind of case and the mistake; its data could otherwise be replayed into a hard-coded
# answer. Small whole numbers (sizes such as N=2, shapes such as (2, 1, 4)) name the kind.
_REVEALING = re.compile(r"\d+\.\d+|\d{4}-\d{2}-\d{2}|\$\s*\d|\b\d{3,}\b|"
                        r"-?\d+,\s*-?\d+,\s*-?\d+,\s*-?\d+")


def reveals_values(message: str) -> bool:
    return bool(_REVEALING.search(message))


@pytest.mark.unit
def test_the_reveal_rule_catches_the_issues_examples():
    """Would the messages the issue quotes be caught, and a kind-of-case message pass?"""
    for leaked in ("closes 5, 5, 6, 6, 5 give Targets NaN, 0, 1, 0, 0",
                   "n=1000, 0.6666/0.2222 gives 666 and 222 rows",
                   "multiplying every price from 2011-09-30 on by 3 changed 4 predictions",
                   "expected 0.7500, got 0.5000", "MSFT has 3270 clean rows"):
        assert reveals_values(leaked), leaked
    assert not reveals_values("rnn_forward on N=1, T=7, D=2, H=5: the state is not carried")
