"""An array of records (an ArrayType of a RecordType, or a record field with IsArray) holds a
list: a value that is none is refused from outside, as validation refuses such an initial
value and ``run --set`` refuses it; its items, records, are not checked."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind, RecordType
from wfengine.errors import DataTypeError

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
    p.start("s0")
    p.activity("a", performer="clerk")
    p.end("e0")
    p.sequence("s0", "a", "e0")
    e = Engine(clock=VirtualClock())
    e.deploy(b.build())
    return e


@pytest.mark.parametrize(
    ("data", "field"),
    [({"lines": 7}, "lines"), ({"lines": "x"}, "lines"), ({"recs": {"a": 1}}, "recs")],
)
def test_start_refuses_a_value_that_is_no_list(data: dict[str, object], field: str) -> None:
    e = _engine()
    with pytest.raises(DataTypeError, match=rf"data field '{field}': expected a list"):
        e.start_process("proc", data)


def test_complete_refuses_a_value_that_is_no_list_and_takes_a_list() -> None:
    e = _engine()
    iid = e.start_process("proc", {"lines": [{"n": 1}], "recs": ({"a": 1},)})
    assert e.instance(iid).data == {"lines": [{"n": 1}], "recs": [{"a": 1}]}
    [w] = e.work_items(iid)
    with pytest.raises(DataTypeError, match="'lines': expected a list"):
        e.complete_work_item(w.id, {"lines": True})
    e.complete_work_item(w.id, {"lines": []})
    assert e.instance(iid).data["lines"] == []
