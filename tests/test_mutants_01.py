"""Do the checks of assignment 01 catch each classic mistake, each with its own hint?"""

import pytest

from tests.conftest import by_id

MUTANTS = {
    "target_of_last_window_row": ("make_windows", '''
def make_windows(features, targets, length):
    features = np.asarray(features, dtype=np.float32)
    targets = np.asarray(targets, dtype=np.float32)
    n = len(features)
    X = np.stack([features[i:i + length] for i in range(n - length)])
    return X, targets[length - 1:n - 1]
''', {"make_windows.alignment": "row 3"}),
}


@pytest.mark.parametrize("name", sorted(MUTANTS))
def test_mutant_is_caught(name, grade_mutant):
    """Does the named mistake fail the check meant for it, with a message that says what?"""
    function, source, expected = MUTANTS[name]
    checks = by_id(grade_mutant("01_sequence_data", {function: source}))
    for check_id, words in expected.items():
        assert checks[check_id].status == "failed", (check_id, checks[check_id])
        assert words in checks[check_id].message, checks[check_id].message
