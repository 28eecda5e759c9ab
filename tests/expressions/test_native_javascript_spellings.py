"""The native language accepts JavaScript's ``&&``, ``||``, ``!``, ``===`` and ``!==`` as
spellings of its own ``and``, ``or``, ``not``, ``==`` and ``!=``; its docstring said they "mean
what they mean in JavaScript", which they never did (values are tested and compared as Python
does). The docstring now says so; these pin the readings it states, so that a definition
written for the native language keeps computing what it did."""

from __future__ import annotations

import math
from typing import Any

import pytest

import wfengine.expressions as expressions
from wfengine.expressions import Dialect, parse


@pytest.mark.parametrize(
    ("text", "values", "native", "javascript"),
    [
        ("x === 1", {"x": True}, True, False),
        ("x !== 0", {"x": False}, False, True),
        ("!x", {"x": []}, True, False),
        ("!x", {"x": math.nan}, False, True),
        ("!a == b", {"a": False, "b": True}, True, True),  # '!' binds as JavaScript's
        ("a && b || c", {"a": 0, "b": 1, "c": 2}, 2, 2),
    ],
)
def test_javascript_spellings_read_as_the_native_operators(
    text: str, values: dict[str, Any], native: object, javascript: object
) -> None:
    assert parse(text).evaluate(values) == native
    assert parse(text, dialect=Dialect.JAVASCRIPT).evaluate(values) == javascript


def test_the_module_documents_the_native_reading() -> None:
    doc = expressions.__doc__ or ""
    assert "mean what they mean in\nJavaScript" not in doc
    assert "``===`` is ``==``" in doc
