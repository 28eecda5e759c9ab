"""A Java or JavaScript word operator (``instanceof``, ``typeof``) is blamed for a text that
does not parse only where it is one and where the parse failed: not inside a string
(``status == "instanceof" && (amount > 1`` said "does not read 'instanceof'" instead of
"'(' was never closed"), not as a member's name (``obj.typeof``), and not after where the
parse failed (the label "Is the claim an instanceof fraud?" became expression-foreign)."""

from __future__ import annotations

import pytest

from tests.definition.test_foreign_language_wording_r20 import condition_findings


def _why(expression: str) -> tuple[str, str]:
    """The code of the finding on ``expression`` in JavaScript, and why it does not parse."""
    [(code, message)] = condition_findings(expression, "text/javascript")
    return code, message.split("(", 1)[1].split("; in ")[0]


@pytest.mark.parametrize(
    ("expression", "why"),
    [
        ('status == "instanceof" && (amount > 1', "'(' was never closed"),
        ("kind == 'typeof' && (", "'(' was never closed"),
        ('kind == "a\\"typeof" && (', "'(' was never closed"),
        ("obj.typeof == 1 &&", "invalid syntax"),
    ],
)
def test_a_word_in_a_string_or_a_member_name_is_not_blamed(expression: str, why: str) -> None:
    assert _why(expression) == ("expression-foreign", why)


def test_a_label_with_the_word_after_where_the_parse_failed_is_still_a_label() -> None:
    assert [
        code for code, _ in condition_findings("Is the claim an instanceof fraud?", "java")
    ] == ["expression-label"]


@pytest.mark.parametrize(
    ("expression", "operator"),
    [
        ("x == 1 || typeof y", "typeof"),
        ('k == "typeof" || typeof b == "string"', "typeof"),
        ("typeof(x) == 'number'", "typeof"),
        ("a.b instanceof C", "instanceof"),
    ],
)
def test_a_word_operator_where_the_parse_failed_is_still_named(
    expression: str, operator: str
) -> None:
    assert _why(expression) == ("expression-foreign", f"wfengine does not read {operator!r}")
