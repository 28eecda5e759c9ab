"""Text converted to an INTEGER or a FLOAT (a starter's data, an application's answer,
``--set``) is read in ASCII number spellings only, as the expression languages' readers read
it: before, FLOAT took ``'1_000'`` and Arabic-Indic digits (Python's ``float()``) and INTEGER
took Arabic-Indic and fullwidth digits but refused ``'1_000'``. NaN and the infinities keep
the spellings FLOAT took before (the command line refuses them as "expected a finite FLOAT",
as documented); a text of more digits than Python reads is refused as any other."""

from __future__ import annotations

import math

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.coercion import CoercionError, coerce
from wfengine.definition.model import BasicTypeKind
from wfengine.errors import DataTypeError

FLOAT, INTEGER = BasicTypeKind.FLOAT, BasicTypeKind.INTEGER


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("1_000", FLOAT),
        ("1_000", INTEGER),
        ("\u0661\u0662", FLOAT),  # Arabic-Indic 12
        ("\u0661\u0662", INTEGER),
        ("\uff17", INTEGER),  # fullwidth 7
        ("\uff17.5", FLOAT),
        ("0x10", FLOAT),
        ("1" * 5000, INTEGER),  # (int() raised a bare ValueError past 4,300 digits)
    ],
)
def test_text_that_is_no_ascii_number_is_refused(text: str, kind: BasicTypeKind) -> None:
    with pytest.raises(CoercionError, match=f"expected {kind.value}"):
        coerce(text, kind)


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        (" 42 ", INTEGER, 42),
        ("-7", INTEGER, -7),
        ("+2.5", FLOAT, 2.5),
        (".5", FLOAT, 0.5),
        ("3.", FLOAT, 3.0),
        ("1e-3", FLOAT, 0.001),
        ("10", FLOAT, 10.0),
    ],
)
def test_ascii_numbers_are_read(text: str, kind: BasicTypeKind, value: object) -> None:
    assert coerce(text, kind) == value


@pytest.mark.parametrize("text", ["NaN", "nan", "inf", "-Infinity", "+infinity"])
def test_nan_and_the_infinities_keep_their_spellings(text: str) -> None:
    assert not math.isfinite(coerce(text, FLOAT))


def test_a_starter_giving_other_digits_is_refused_naming_the_field() -> None:
    pb = PackageBuilder("p")
    pb.participant("clerk")
    p = pb.process("m")
    p.data_field("amount", "FLOAT")
    p.start("s").activity("a", performer="clerk").end("e").sequence("s", "a", "e")
    engine = Engine(clock=VirtualClock())
    engine.deploy(pb.build())
    with pytest.raises(DataTypeError, match="data field 'amount': expected FLOAT"):
        engine.start_process("m", {"amount": "1_000"})
    assert engine.instance(engine.start_process("m", {"amount": "1000"})).data["amount"] == 1000.0
