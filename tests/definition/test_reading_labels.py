"""Which condition texts are labels for people (``Claim accepted``) rather than expressions.

The label test reads untrusted text (a definition may come from anyone), so it must cost time
linear in the text and never run on a text longer than any expression may be."""

from __future__ import annotations

from wfengine.definition.reading import ReadKind, is_prose, read_expression
from wfengine.expressions import DEFAULT_LIMITS, Language

_LIMIT = DEFAULT_LIMITS.max_source_length


def test_a_text_longer_than_any_expression_is_no_label_but_unparseable() -> None:
    words = ("Claim accepted " * (_LIMIT // 10)).strip()
    assert len(words) > _LIMIT
    assert not is_prose(words)
    reading = read_expression(words, Language.NATIVE)
    assert reading.kind is ReadKind.UNPARSEABLE and reading.refused
    assert reading.error is not None and "limit" in reading.error.message


def test_a_long_run_of_spaces_before_a_non_word_is_no_label() -> None:
    # the shape that made the old pattern backtrack quadratically: words, a run of spaces
    # just under the expression limit, then something that is no word
    text = "Claim accepted" + " " * (_LIMIT - 30) + "(see note)"
    assert not is_prose(text)
    assert not is_prose("a b" + " " * (_LIMIT - 10) + "#")
    assert read_expression(text, Language.NATIVE).kind is ReadKind.UNPARSEABLE


def test_labels_up_to_the_limit_are_still_labels() -> None:
    assert is_prose("Claim accepted")
    assert is_prose("  Individualteile benötigt ? ")
    assert is_prose("Claim" + " " * (_LIMIT - 20) + "accepted!")
    assert not is_prose("amount > 100")
    assert not is_prose("Claim accepted (see note)")
