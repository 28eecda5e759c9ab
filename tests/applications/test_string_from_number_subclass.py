"""An ``(int, Enum)`` or ``(float, Enum)`` member (or an IntEnum's) given to a STRING field is
its plain number as text: ``Level.LOW`` was stored as ``'Level.LOW'``, where an INTEGER field
took it as ``1``."""

from __future__ import annotations

import enum

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.applications.coercion import coerce
from wfengine.definition.model import BasicTypeKind


class Level(int, enum.Enum):
    LOW = 1


class Rate(float, enum.Enum):
    HALF = 0.5


class Code(enum.IntEnum):
    A = 7


@pytest.mark.parametrize(
    ("value", "text"), [(Level.LOW, "1"), (Rate.HALF, "0.5"), (Code.A, "7"), (3, "3")]
)
def test_a_number_subclass_is_its_plain_number_as_text(value: object, text: str) -> None:
    converted = coerce(value, BasicTypeKind.STRING)
    assert converted == text and type(converted) is str


def test_a_boolean_is_still_no_string() -> None:
    with pytest.raises(ValueError):
        coerce(True, BasicTypeKind.STRING)


def test_an_instance_stores_the_members_value() -> None:
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("s", "STRING")
    p.data_field("r", "STRING")
    p.activity("a")
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("proc", {"s": Level.LOW, "r": Rate.HALF})
        assert engine.instance(iid).data == {"s": "1", "r": "0.5"}
