"""A ``Decimal`` (what a NUMERIC column gives an application) is converted where nothing is
lost, as README promises and as its text already was: into a FLOAT by the rule its text
follows (``Decimal('12.50')`` is 12.5, NaN and the infinities themselves, a whole number only
when a float holds it exactly, one beyond a float's range refused), into an INTEGER when it is
a whole number (``3``, ``3.00``, ``3E+2``). Both were refused (DataTypeError; an application
answering one was an incident)."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from wfengine import DataTypeError, Engine, PackageBuilder, VirtualClock
from wfengine.definition.coercion import coerce
from wfengine.definition.model import BasicTypeKind


@pytest.mark.parametrize(
    ("given", "expected"),
    [("3", 3), ("3.00", 3), ("3E+2", 300), ("-7", -7), ("-0", 0)],
)
def test_a_whole_decimal_is_an_integer(given: str, expected: int) -> None:
    found = coerce(Decimal(given), BasicTypeKind.INTEGER)
    assert type(found) is int and found == expected


@pytest.mark.parametrize("given", ["3.5", "0.001", "NaN", "Infinity", "sNaN", "1E+999999999"])
def test_a_decimal_that_is_no_whole_number_is_no_integer(given: str) -> None:
    with pytest.raises(ValueError, match="expected INTEGER, got Decimal"):
        coerce(Decimal(given), BasicTypeKind.INTEGER)


@pytest.mark.parametrize(
    ("given", "expected"),
    [("12.50", 12.5), ("3", 3.0), ("0.1", 0.1), ("3E+2", 300.0), ("Infinity", math.inf)],
)
def test_a_decimal_is_a_float_as_its_text_is(given: str, expected: float) -> None:
    found = coerce(Decimal(given), BasicTypeKind.FLOAT)
    assert type(found) is float and found == expected == coerce(given, BasicTypeKind.FLOAT)


def test_a_nan_decimal_is_nan() -> None:
    assert math.isnan(coerce(Decimal("NaN"), BasicTypeKind.FLOAT))


@pytest.mark.parametrize(
    ("given", "why"),
    [
        ("1E+400", "at most about 1.8e+308 in size"),
        ("9007199254740993", "an integer a float holds exactly"),
        ("sNaN", "expected FLOAT, got Decimal"),
    ],
)
def test_a_decimal_its_text_would_not_give_is_refused(given: str, why: str) -> None:
    with pytest.raises(ValueError) as raised:
        coerce(Decimal(given), BasicTypeKind.FLOAT)
    assert why in str(raised.value) and "got Decimal" in str(raised.value)


def _engine() -> Engine:
    b = PackageBuilder("p")
    b.participant("clerk")
    b.application("price", params=[("amount", "OUT", "FLOAT"), ("qty", "OUT", "INTEGER")])
    p = b.process("main")
    p.data_field("amount", "FLOAT")
    p.data_field("qty", "INTEGER")
    p.start("s0")
    p.activity("a", tool="price", args=["amount", "qty"])
    p.activity("w", performer="clerk")
    p.end("e")
    p.sequence("s0", "a", "w", "e")
    engine = Engine(clock=VirtualClock())
    engine.applications.register("price", lambda: {"amount": Decimal("12.50"), "qty": Decimal("3")})
    engine.deploy(b.build())
    return engine


def test_an_application_answering_decimals_is_no_incident() -> None:
    engine = _engine()
    data = engine.instance(engine.start_process("main")).data
    assert engine.incidents() == []
    assert data == {"amount": 12.5, "qty": 3}
    assert type(data["amount"]) is float and type(data["qty"]) is int


def test_a_starter_giving_decimals_is_taken_and_a_fraction_refused() -> None:
    engine = _engine()
    engine.applications.register("price", lambda: {})
    given = {"amount": Decimal("12.50"), "qty": Decimal("3.00")}
    assert engine.instance(engine.start_process("main", given)).data == {"amount": 12.5, "qty": 3}
    with pytest.raises(DataTypeError, match="data field 'qty': expected INTEGER"):
        engine.start_process("main", {"qty": Decimal("3.5")})
