"""One mistake, one loss: error handling counts once its function returns a well-formed value."""

import pytest

from autograder.engine import Check
from autograder.engine.catalogue import catalogue
from autograder.engine.runner import apply_needs
from autograder.outcomes import CheckResult
from tests.test_mutants import MUTANTS_OF

GATES = {"confusion_counts.keys"}  # well-formedness checks not named returns_...


@pytest.mark.unit
def test_every_needs_names_a_well_formedness_check():
    """Does every `needs=` name the check that its function returns a well-formed value for a
    valid input (a returns_... check), never a check of the numbers?"""
    for checks in catalogue().values():
        for c in checks:
            if c.needs:
                assert ".returns_" in c.needs or c.needs in GATES, (c.id, c.needs)


@pytest.mark.unit
def test_the_needs_message_says_what_happened():
    """Does a gated check say that the error handling works and what it waits for, instead of
    blaming a ValueError the student's code never raised?"""
    gate = Check("f.returns_pair", "f", 1.0, "hint", False, 30.0)
    gated = Check("f.bad_length", "f", 1.0, "hint", False, 30.0, needs="f.returns_pair")
    results = [CheckResult("a", "f.returns_pair", "f", 0.0, 1.0, "failed", False, "no", "h"),
               CheckResult("a", "f.bad_length", "f", 1.0, 1.0, "passed", False, "", "h")]
    out = apply_needs(results, [gate, gated])[1]
    assert (out.status, out.score) == ("failed", 0.0)
    assert "rejects the invalid input as it should" in out.message
    assert "returns a well-formed value for a valid input (see the check f.returns_pair)" \
        in out.message and "every input" not in out.message


# The reference split, with round() for int(): its error handling is the reference's own.
SPLIT_ROUNDS = '''
def split_chronologically(df, train_frac=0.7, val_frac=0.15):
    for name, frac in (("train_frac", train_frac), ("val_frac", val_frac)):
        if not 0 < frac < 1:
            raise ValueError(f"{name} must be in (0, 1), got {frac}")
    if train_frac + val_frac >= 1:
        raise ValueError("train_frac + val_frac must be < 1 to leave a test part")
    n = len(df)
    n_train, n_val = round(n * train_frac), round(n * val_frac)
    if n_train == 0 or n_val == 0 or n - n_train - n_val == 0:
        raise ValueError(f"{n} rows are too few for these fractions: a part would be empty")
    return (df.iloc[:n_train], df.iloc[n_train:n_train + n_val], df.iloc[n_train + n_val:])
'''


@pytest.mark.parametrize("assignment,function,source,lost", [
    ("01_sequence_data", "split_chronologically", SPLIT_ROUNDS,
     {"split_chronologically.sizes", "split_chronologically.rounding"}),
    ("04_evaluate_aapl", "mae", MUTANTS_OF["04_evaluate_aapl"].MUTANTS["mae_without_abs"][1],
     {"mae.value", "mae.random"}),
], ids=["split_rounds", "mae_without_abs"])
def test_a_wrong_number_costs_the_checks_of_the_number_only(assignment, function, source, lost,
                                                            grade_mutant):
    """Does `round` in the split, or a MAE without abs, cost the checks of the numbers and
    keep the points of the error handling (issue 11.4: they cost 5 of 6 and 5 of 5)?"""
    result = grade_mutant(assignment, {function: source})
    assert {c.id for c in result.checks if not c.passed} == lost, \
        [(c.id, c.message) for c in result.checks if not c.passed]
