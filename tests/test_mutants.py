"""Does every listed mistake lose the points of the check meant for it, with words that name it?

A mutant is the reference notebook with one function rewritten the way students get it wrong;
``tests/test_mutants_NN.py`` holds assignment NN's as ``MUTANTS = {name: (function, source,
{check id: words its message must contain})}``, and docs/course.md lists them under "Mistakes
named" (tests/test_docs.py holds the two equal). Each mutant is graded only on the function it
breaks, with the hidden checks.
"""

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
