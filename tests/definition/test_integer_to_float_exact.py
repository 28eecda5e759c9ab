"""An integer given for a FLOAT is taken only when a float holds it exactly: conversions are
promised "where nothing is lost". Before, 2**53 + 1 became 9007199254740992.0 without a word
(a starter's value, an INTEGER field passed to a FLOAT parameter); now it is refused, naming
the field or parameter as other conversion errors do. An integer past 2**53 that a float
holds exactly (10**20, 2**60) is still taken.

The reverse, an integral float for an INTEGER, loses nothing: ``int()`` of an integral float
is exact (``1e17 + 1`` is the float 1e17 before the engine sees it)."""

from __future__ import annotations

from enum import IntEnum

import pytest

from wfengine import DataTypeError, Engine, PackageBuilder
from wfengine.definition.coercion import coerce
from wfengine.definition.model import BasicTypeKind, Package

FLOAT, INTEGER = BasicTypeKind.FLOAT, BasicTypeKind.INTEGER
_REFUSED = r"expected FLOAT \(an integer a float holds exactly, as every one up to 2\*\*53"


@pytest.mark.parametrize("value", [2**53 + 1, -(2**53 + 1), 10**20 + 1, 3**40])
def test_an_integer_a_float_cannot_hold_is_refused(value: int) -> None:
    with pytest.raises(ValueError, match=_REFUSED):
        coerce(value, FLOAT)


@pytest.mark.parametrize("value", [0, -7, 2**53, -(2**53), 2**53 + 2, 10**20, 2**60, 2**1023])
def test_an_integer_a_float_holds_is_taken_exactly(value: int) -> None:
    found = coerce(value, FLOAT)
    assert type(found) is float
    assert found == value


def test_an_int_enum_member_is_taken_as_its_number() -> None:
    class Level(IntEnum):
        HIGH = 3

    assert coerce(Level.HIGH, FLOAT) == 3.0


def test_an_integer_beyond_a_floats_range_is_still_refused() -> None:
    with pytest.raises(ValueError, match=r"expected FLOAT, got int"):
        coerce(2**1024, FLOAT)


def test_an_integral_float_for_an_integer_is_exact() -> None:
    assert coerce(1e17 + 1, INTEGER) == 10**17
    assert coerce(float(2**53 + 1), INTEGER) == 2**53  # the float's own value, not rounded


def _package() -> Package:
    b = PackageBuilder("pk")
    b.application("app", params=[("x", "IN", "FLOAT")])
    p = b.process("p")
    p.data_field("a", "INTEGER", initial="0")
    p.data_field("f", "FLOAT", initial="0.0")
    p.start("s")
    p.activity("t", tool="app", args=["a"])
    p.end("e")
    p.sequence("s", "t", "e")
    return b.build()


def test_a_starter_and_an_application_call_name_where_the_integer_was_refused() -> None:
    engine = Engine()
    seen: list[float] = []
    engine.applications.register("app", lambda x: seen.append(x))
    engine.deploy(_package())
    with pytest.raises(DataTypeError, match=r"data field 'f'.*" + _REFUSED):
        engine.start_process("p", {"f": 2**53 + 1})
    iid = engine.start_process("p", {"a": 2**53 + 1})
    [incident] = engine.incidents(iid)
    assert "IN parameter 'x' of application 'app' (from 'a')" in incident.message
    assert "an integer a float holds exactly" in incident.message
    assert seen == []
    engine.start_process("p", {"a": 2**60, "f": 10**20})
    assert seen == [2.0**60]


@pytest.mark.parametrize("text", ["9007199254740993", " -9007199254740993 "])
def test_an_integer_written_as_text_a_float_cannot_hold_is_refused(text: str) -> None:
    """How ``--set f=...`` and an agent's answer as text arrive: the same promise."""
    with pytest.raises(ValueError, match=r"expected FLOAT"):
        coerce(text, FLOAT)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", 12.0),
        ("-0", 0.0),
        ("100000000000000000000", 1e20),
        ("12.5", 12.5),
        ("9007199254740993.0", 9007199254740992.0),
    ],
)
def test_number_text_a_float_holds_or_writes_as_decimals_is_read(text: str, value: float) -> None:
    found = coerce(text, FLOAT)
    assert type(found) is float and found == value


def test_the_cli_refuses_such_a_value_given_with_set(tmp_path: object) -> None:
    from click.testing import CliRunner

    from wfengine.cli.main import main
    from wfengine.definition.io import dump_xpdl

    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("f", "FLOAT")
    p.start("s").end("e")
    p.sequence("s", "e")
    path = f"{tmp_path}/float.xpdl"
    with open(path, "wb") as out:
        out.write(dump_xpdl(pb.build()))
    result = CliRunner().invoke(main, ["run", path, "--set", "f=9007199254740993", "--json"])
    assert result.exit_code == 2, result.output
