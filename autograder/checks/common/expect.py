"""Assertions that several checks share, with messages that teach."""

from autograder.sandbox.client import StudentError


def raises_value_error(student, function: str, *args, why: str, **kwargs) -> None:
    """Assert that ``function(*args)`` raises ValueError (not another error, not a value)."""
    try:
        student.call(function, *args, **kwargs)
    except StudentError as err:
        if err.kind in ("missing", "name") or err.type_name == "NotImplementedError":
            raise
        assert err.type_name == "ValueError", \
            f"{function} should raise ValueError for {why}, raised {err.type_name}"
        return
    raise AssertionError(f"{function} should raise ValueError for {why}, but returned a value")
