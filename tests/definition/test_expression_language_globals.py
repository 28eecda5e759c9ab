"""A JavaScript or Java global the front end does not provide (``undefined``, ``NaN``,
``Boolean.TRUE``) is reported as language wfengine does not read, not as an unknown field."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, validate


def _codes(script: str, condition: str) -> list[str]:
    b = PackageBuilder("p", script=script)
    p = b.process("P")
    p.data_field("s", "STRING", initial='"a"')
    p.data_field("flag", "BOOLEAN", initial="true")
    p.start("st").route("g", gateway="Exclusive").activity("yes").activity("no")
    p.end("e1").end("e2")
    p.sequence("st", "g").transition("g", "yes", condition=condition)
    p.transition("g", "no", otherwise=True)
    p.sequence("yes", "e1").sequence("no", "e2")
    return [d.code for d in validate(b.build())]


@pytest.mark.parametrize(
    ("script", "condition"),
    [
        ("text/javascript", "s != undefined"),
        ("text/javascript", "Number(s) != NaN"),
        ("java", "Boolean.TRUE.equals(flag)"),
    ],
)
def test_language_global_is_foreign_not_an_unknown_field(script: str, condition: str) -> None:
    assert _codes(script, condition) == ["expression-foreign"]


def test_a_mistyped_field_is_still_an_unknown_name() -> None:
    assert _codes("text/javascript", "flagg == true") == ["expression-unknown-name"]


def test_a_field_named_like_a_global_is_the_field() -> None:
    b = PackageBuilder("p", script="text/javascript")
    p = b.process("P")
    p.data_field("NaN", "BOOLEAN", initial="true")
    p.start("st").route("g", gateway="Exclusive").activity("yes").activity("no")
    p.end("e1").end("e2")
    p.sequence("st", "g").transition("g", "yes", condition="NaN == true")
    p.transition("g", "no", otherwise=True)
    p.sequence("yes", "e1").sequence("no", "e2")
    assert [d.code for d in validate(b.build())] == []
