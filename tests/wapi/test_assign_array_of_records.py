"""``assign_process_instance_attribute`` on an array of records (an ArrayType of a
RecordType, or a record field marked IsArray) took any value, ``7`` or one record, that a
starter giving the same field is refused: its items are not checked, but it must be a list.
It is refused now with a DataTypeError naming the field, and the data is unchanged."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind, RecordType
from wfengine.errors import DataTypeError
from wfengine.wapi import connect

LINE = RecordType(
    members=(BasicType(type=BasicTypeKind.INTEGER), BasicType(type=BasicTypeKind.STRING))
)


def _engine() -> Engine:
    b = PackageBuilder("p")
    b.participant("clerk")
    b.type_declaration("Line", LINE)
    b.type_declaration("Lines", ArrayType(element=LINE))
    p = b.process("proc")
    p.data_field("lines", "Lines")
    p.data_field("recs", "Line", is_array=True)
    p.start("s0").activity("a", performer="clerk").end("e0").sequence("s0", "a", "e0")
    engine = Engine(clock=VirtualClock())
    engine.deploy(b.build())
    return engine


@pytest.mark.parametrize(("name", "value"), [("lines", 7), ("recs", {"a": 1})])
def test_a_value_that_is_no_list_is_refused(name: str, value: object) -> None:
    engine = _engine()
    session = connect(engine, "admin")
    iid = session.create_process_instance("proc", {})
    with pytest.raises(DataTypeError, match=rf"data field '{name}' of instance '{iid}'"):
        session.assign_process_instance_attribute(iid, name, value)
    assert engine.instance(iid).data[name] is None


def test_a_list_of_records_is_taken() -> None:
    engine = _engine()
    session = connect(engine, "admin")
    iid = session.create_process_instance("proc", {})
    session.assign_process_instance_attribute(iid, "lines", ({"n": 1},))
    assert engine.instance(iid).data["lines"] == [{"n": 1}]
