"""Which XPDL script types the engine may evaluate with this language."""

from __future__ import annotations

import pytest

from wfengine.expressions import is_native_script


@pytest.mark.parametrize(
    "script_type",
    [
        None,
        "",
        "  ",
        "text/x-wfengine",
        "python",
        "text/python",
        "text/x-python",
        "Text/X-Python",
        " text/x-python ",
        "text/x-python; version=3",
    ],
)
def test_native_script_types(script_type: str | None) -> None:
    assert is_native_script(script_type) is True


@pytest.mark.parametrize(
    "script_type",
    ["text/javascript", "javascript", "text/java", "java", "text/x-xpath", "text/x-python2x"],
)
def test_foreign_script_types(script_type: str) -> None:
    # a JavaScript condition may parse as ours and still mean something else
    assert is_native_script(script_type) is False
