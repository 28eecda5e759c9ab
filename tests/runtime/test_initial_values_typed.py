"""A data field's initial value is a value of the field's type, as a value given from
outside is: an expression's value is converted where that loses nothing (``2 + 3`` for a
FLOAT is ``5.0``); a DATE is a date, never the day part of a moment with a time of day
(which day that is depends on the zone). BOOLEAN text that tools write (``1``, ``yes``)
stays readable in a definition."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, validate
from wfengine.definition.literals import parse_literal
from wfengine.definition.model import BasicTypeKind, Package
from wfengine.errors import DataTypeError


def _package(kind: str, initial: str, *, is_array: bool = False) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("ten", "INTEGER", initial="10")
    p.data_field("x", kind, initial=initial, is_array=is_array)
    p.start("s0")
    p.activity("a", performer="clerk")
    p.end("e0")
    p.sequence("s0", "a", "e0")
    return b.build()


def _initial(kind: str, text: str, *, is_array: bool = False) -> Any:
    e = Engine(clock=VirtualClock())
    e.deploy(_package(kind, text, is_array=is_array))
    return e.instance(e.start_process("proc")).data["x"]


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("FLOAT", "2 + 3", 5.0),
        ("FLOAT", "ten * 2", 20.0),
        ("INTEGER", "ten / 2", 5),
    ],
)
def test_an_expression_s_value_is_converted(kind: str, text: str, expected: Any) -> None:
    value = _initial(kind, text)
    assert value == expected and type(value) is type(expected)


def test_an_array_expression_s_items_are_converted() -> None:
    value = _initial("FLOAT", "[1, 2 * 2]", is_array=True)
    assert value == [1.0, 4.0] and all(type(v) is float for v in value)


def test_a_value_that_does_not_convert_refuses_the_start() -> None:
    # (validation refuses a constant one that does not fit: initial-value-type)
    with pytest.raises(DataTypeError, match=r"data field 'x': its initial value 'ten / 4'"):
        _initial("INTEGER", "ten / 4")


def test_a_date_written_as_a_moment_at_midnight_is_its_date() -> None:
    assert _initial("DATE", "2008-10-06T00:00:00.000+0000") == date(2008, 10, 6)
    assert parse_literal("2024-01-01", BasicTypeKind.DATE) == date(2024, 1, 1)


def test_a_date_with_a_time_of_day_is_refused() -> None:
    with pytest.raises(ValueError, match="time of day, not a DATE"):
        parse_literal("2024-01-01T23:30:00-05:00", BasicTypeKind.DATE)
    errors = [d for d in validate(_package("DATE", "2024-01-01T23:30:00-05:00"))]
    assert [d.severity.name for d in errors] == ["ERROR"]
    # the finding says why (it once said the text "does not parse": leading zeros ...)
    assert "is a DATETIME with a time of day, not a DATE" in errors[0].message


@pytest.mark.parametrize(("text", "expected"), [("yes", True), ("0", False), ("FALSE", False)])
def test_boolean_text_tools_write_is_read(text: str, expected: bool) -> None:
    assert _initial("BOOLEAN", text) is expected
