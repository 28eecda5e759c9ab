"""The items of an array given from outside or assigned by a script are converted by the
array's element type, as a single value and an application's answer are, even when the
list given compares equal to the converted one ([1.0, 2.0] == [1, 2])."""

from __future__ import annotations

from typing import Any

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.coercion import coerce
from wfengine.definition.model import ArrayType, BasicType, BasicTypeKind

INTS = ArrayType(element=BasicType(type=BasicTypeKind.INTEGER))
FLOATS = ArrayType(element=BasicType(type=BasicTypeKind.FLOAT))


def _types(data: dict[str, Any]) -> dict[str, list[str]]:
    return {k: [type(i).__name__ for i in v] for k, v in data.items() if isinstance(v, list)}


def _engine(script: str | None = None) -> Engine:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("ints", INTS)
    p.data_field("floats", FLOATS)
    p.start("s0")
    if script:
        p.activity("calc", script=script)
    p.activity("a", performer="clerk")
    p.activity("b", performer="clerk")
    p.end("e0")
    p.sequence("s0", *(["calc"] if script else []), "a", "b", "e0")
    e = Engine(clock=VirtualClock())
    e.deploy(b.build())
    return e


def test_start_and_complete_convert_equal_items() -> None:
    e = _engine()
    iid = e.start_process("proc", {"ints": [1.0, 2.0], "floats": [1, 2]})
    assert _types(e.instance(iid).data) == {"ints": ["int", "int"], "floats": ["float"] * 2}
    [w] = e.work_items(iid)
    e.complete_work_item(w.id, {"ints": [7.0], "floats": [8]})
    assert e.instance(iid).data == {"ints": [7], "floats": [8.0]}
    assert _types(e.instance(iid).data) == {"ints": ["int"], "floats": ["float"]}


def test_a_script_assignment_is_converted() -> None:
    e = _engine("ints = [10 / 2, 4 / 2]")
    iid = e.start_process("proc")
    assert e.instance(iid).data["ints"] == [5, 2]
    assert _types(e.instance(iid).data)["ints"] == ["int", "int"]


def test_a_list_that_fits_is_returned_itself() -> None:
    given = [1, 2]
    assert coerce(given, BasicTypeKind.INTEGER, True) is given
    assert coerce([1.0], BasicTypeKind.INTEGER, True) == [1]
