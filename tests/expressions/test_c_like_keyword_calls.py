"""In Java and JavaScript the lexer renames Python's keywords used as names (``from`` reaches
the compiler as an internal name, read back there). A call of such a name refused naming the
internal name ("unknown function '__kw_not'", "method '__kw_from' is not available"), which the
modeller never wrote; ``not(x)`` did not say to write ``!`` as ``not x`` does. The messages now
name what was written and give the operator to write."""

from __future__ import annotations

import pytest

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import Dialect, parse

C_LIKE = (Dialect.JAVASCRIPT, Dialect.JAVA)


def refusal(text: str, dialect: Dialect) -> str:
    with pytest.raises(ExpressionSyntaxError) as raised:
        parse(text, dialect=dialect)
    message = str(raised.value)
    assert "__kw_" not in message
    return message


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(("text", "hint"), [("not(x)", "'!'"), ("and(a)", "'&&'")])
def test_an_operator_keyword_called_says_what_to_write(
    dialect: Dialect, text: str, hint: str
) -> None:
    message = refusal(text, dialect)
    assert f"{text.split('(')[0]!r} is a plain name" in message
    assert f"write {hint}" in message


@pytest.mark.parametrize("dialect", C_LIKE)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("from(1)", "unknown function 'from'"),
        ("None()", "unknown function 'None'"),
        ("s.from()", "method 'from' is not available"),
        ("max(from=1)", "unexpected keyword argument 'from'"),
    ],
)
def test_other_keyword_calls_name_what_was_written(
    dialect: Dialect, text: str, expected: str
) -> None:
    assert expected in refusal(text, dialect)


def test_a_field_named_from_still_reads() -> None:
    assert parse("from + 1", dialect=Dialect.JAVASCRIPT).evaluate({"from": 1}) == 2
