"""A deployment stored by an earlier wfengine read its JavaScript and Java string literals by
Python's escapes; since 852e32e it reads them by the language's (JavaScript's ``'\\/'`` is
``/``, Java's ``"\\s"`` a space), so a running instance's condition on such a literal could
take another way with no word. Such a literal is now noted while the deployment is compiled
(:mod:`wfengine.expressions.stored_reading`), so the compiler can warn naming it."""

from __future__ import annotations

import re

import pytest

from wfengine.expressions import Dialect
from wfengine.expressions.expression import Expression, build_expression
from wfengine.expressions.limits import Limits
from wfengine.expressions.name_spelling import composing_stored_names
from wfengine.expressions.stored_reading import StoredNote, noting_stored_readings


def _stored_notes(text: str, dialect: Dialect) -> set[StoredNote]:
    build_expression.cache_clear()  # (the notes made, not only a cached parse's)
    with composing_stored_names(), noting_stored_readings() as notes:
        expression: Expression = build_expression(text, Limits(), dialect, ())
    assert expression.source == text
    return notes


@pytest.mark.parametrize(
    ("dialect", "literal", "now"),
    [(Dialect.JAVASCRIPT, "'https:\\/\\/'", "'https://'"), (Dialect.JAVA, '"a\\sb"', "'a b'")],
)
def test_a_stored_literal_read_otherwise_now_is_noted(
    dialect: Dialect, literal: str, now: str
) -> None:
    notes = _stored_notes(f"url.startsWith({literal})", dialect)
    [note] = map(str, notes)
    assert re.search(rf"the literal {re.escape(literal)} .* now reads as .*{re.escape(now)}", note)
    assert _stored_notes("url.startsWith('https://')", dialect) == set()


def test_a_refused_literal_note_says_what_a_new_version_meets() -> None:
    """A new version writing ``"\\d"`` deploys (validation warns expression-foreign) and each
    instance stops with an incident there; the note said it would be refused."""
    [note] = map(str, _stored_notes('"\\d".length() == 2', Dialect.JAVA))
    assert "a new version stops with an incident there (validation: expression-foreign)" in note
    assert "'\\d' is no escape in Java" in note
    assert "refused" not in note
