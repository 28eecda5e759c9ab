"""A stored deployment's reading of a name spelt decomposed is cached apart from a new
definition's.

A stored deployment (an earlier wfengine's) reads ``cafe`` with a combining accent as the
composed ``café``; a new definition spelling it so is refused. Both readings shared one cache
keyed by the text, emptied by the compiler only once the stored deployment was compiled: a new
deployment of the same text compiled meanwhile in another thread took the accepting parse
from the cache and was never refused, and a stored deployment compiled again found its parse
cached and met no decomposed name to warn of (had the cache not been emptied)."""

from __future__ import annotations

import threading

import pytest

from wfengine.errors import ExpressionSyntaxError
from wfengine.expressions import parse
from wfengine.expressions.name_spelling import composing_stored_names

DECOMPOSED = "cafe\u0301"
COMPOSED = "caf\u00e9"


def _outcome(text: str) -> str:
    """What a parse of ``text`` says in another thread (a new deployment compiled there)."""
    said: list[str] = []

    def other() -> None:
        try:
            parse(text)
            said.append("accepted")
        except ExpressionSyntaxError as exc:
            said.append(str(exc))

    thread = threading.Thread(target=other)
    thread.start()
    thread.join()
    return said[0]


def test_a_new_definition_compiled_meanwhile_is_refused() -> None:
    text = f"{DECOMPOSED} * 3 + 1"
    with composing_stored_names() as composed:
        assert parse(text).evaluate({COMPOSED: 2}) == 7  # the stored deployment's reading
        meanwhile = _outcome(text)
    assert "write it composed (Unicode NFC)" in meanwhile
    assert composed == {DECOMPOSED}


def test_each_stored_reading_meets_the_names_and_a_new_one_after_is_refused() -> None:
    text = f"{DECOMPOSED} * 3 + 2"
    for _ in range(2):  # read twice (a second engine opening the database), cached or not
        with composing_stored_names() as composed:
            assert parse(text).evaluate({COMPOSED: 2}) == 8
        assert composed == {DECOMPOSED}  # so the compiler warns each time
    with pytest.raises(ExpressionSyntaxError, match=r"write it composed \(Unicode NFC\)"):
        parse(text)  # a new definition's, in the same thread: nothing emptied the cache
