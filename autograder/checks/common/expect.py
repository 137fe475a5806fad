"""Assertions that several checks share, with messages that teach."""

from autograder.sandbox.client import StudentError


def raises_value_error(student, function: str, *args, why: str, mentions: str = "",
                       **kwargs) -> None:
    """Assert that ``function(*args)`` raises ValueError (not another error, not a value),
    and, with ``mentions``, that its message names the offending argument or column."""
    try:
        student.call(function, *args, **kwargs)
    except StudentError as err:
        if err.kind in ("missing", "name") or err.type_name == "NotImplementedError":
            raise
        assert err.type_name == "ValueError", \
            f"{function} should raise ValueError for {why}, raised {err.type_name}"
        assert mentions.lower() in err.message.lower(), (
            f"{function}'s ValueError for {why} should name {mentions!r} so the caller knows "
            f"what to fix; the message was {err.message!r}")
        return
    raise AssertionError(f"{function} should raise ValueError for {why}, but returned a value")
