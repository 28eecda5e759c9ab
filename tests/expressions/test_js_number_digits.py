"""JavaScript's Number, parseFloat and isNaN read ASCII digits only, as JavaScript does.

``Number("١٢")`` (Arabic-Indic digits) and ``Number("１０")`` (full-width) once gave 12 and 10
(Python's ``float()`` takes any Unicode decimal digit), so ``isNaN`` said false and a
condition took a way JavaScript would not; ``parseInt`` already gave NaN.
"""

from __future__ import annotations

import math

import pytest

from wfengine.expressions import Dialect, parse

JS = Dialect.JAVASCRIPT


@pytest.mark.parametrize("call", ["Number", "parseFloat", "parseInt"])
@pytest.mark.parametrize("text", ["\u0661\u0662", "\uff11\uff10", "\u0967.5", "1e\u0661"])
def test_non_ascii_digits_are_no_number(call: str, text: str) -> None:
    found = parse(f"{call}(s)", dialect=JS).evaluate({"s": text})
    if call == "Number" or not text[0].isascii():
        assert math.isnan(found)
    else:  # the readers of a prefix stop before the first non-ASCII digit
        assert found == 1


@pytest.mark.parametrize("text", ["\u0661", "\uff11\uff10"])
def test_is_nan_of_non_ascii_digits_is_true(text: str) -> None:
    assert parse("isNaN(s)", dialect=JS).evaluate({"s": text}) is True


@pytest.mark.parametrize(("text", "value"), [("12", 12.0), (" 2.5e3 ", 2500.0), ("-.5", -0.5)])
def test_ascii_numbers_still_read(text: str, value: float) -> None:
    assert parse("Number(s)", dialect=JS).evaluate({"s": text}) == value
    assert parse("parseFloat(s)", dialect=JS).evaluate({"s": text}) == value
