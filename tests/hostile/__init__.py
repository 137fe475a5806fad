"""The hostile corpus: submissions that attack or break the grader, each with its due score.

``CASES`` maps a case's name (what the submission does: ``forges_result_file``,
``endless_loop_in_function``...) to its ``Case``: how to build the submission, the score it
must get and why. ``tests/test_hostile.py`` grades every case; ``malformed`` holds the broken
notebooks, ``attacks`` the hostile code, ``containment`` the attacks on the fence itself
(processes, memory, the host's files, time, the grader's writes), ``submissions`` the helpers
that write them.
"""

from tests.hostile.attacks import CASES as _ATTACKS
from tests.hostile.case import EVERY_FUNCTION, Case, Outcome
from tests.hostile.containment import CASES as _CONTAINMENT
from tests.hostile.malformed import CASES as _MALFORMED

CASES = {case.name: case for case in _MALFORMED + _ATTACKS + _CONTAINMENT}
assert len(CASES) == len(_MALFORMED) + len(_ATTACKS) + len(_CONTAINMENT), "two cases share a name"

__all__ = ["CASES", "Case", "EVERY_FUNCTION", "Outcome"]
