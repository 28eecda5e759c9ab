"""Both stores refuse the same values, before anything is stored, naming the key or field.

The memory store kept a data key that is not text (``start_process("p", {1: "one"})``) and
a set an operator gave ``skip_incident`` for a failed Tool activity, both of which SQLite
refused; and it kept the operator's own dict, so changing it afterwards changed the instance.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import BasicType, BasicTypeKind, RecordType
from wfengine.errors import DataNotStorableError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _deploy(engine: Engine) -> None:
    pb = PackageBuilder("refusals")
    pb.type_declaration("Rec", RecordType(members=(BasicType(type=BasicTypeKind.STRING),)))
    pb.application("app", params=[("r", "OUT", "Rec")])
    p = pb.process("p")
    p.data_field("r", "Rec")
    p.start("s")
    p.activity("call", tool="app", args=["r"])
    p.activity("h", performer="clerk")
    p.end("e")
    p.sequence("s", "call", "h", "e")
    pb.process("q").activity("h", performer="clerk")
    engine.deploy(pb.build())


def _failing(engine: Engine) -> tuple[str, str]:
    """An instance of ``p`` whose Tool activity failed: (instance id, incident id)."""

    def app() -> Any:
        raise RuntimeError("down")

    engine.applications.register("app", app)
    _deploy(engine)
    iid = engine.start_process("p")
    [incident] = engine.incidents(iid)
    return iid, incident.id


def test_a_data_key_that_is_not_text_is_refused_on_every_store(engine: Engine) -> None:
    engine.applications.register("app", lambda: {"r": None})
    _deploy(engine)
    with pytest.raises(DataNotStorableError, match=r"data key 1\b.*must be a str, not int"):
        engine.start_process("q", {1: "one"})  # type: ignore[dict-item]
    assert engine.instance_summaries() == []  # nothing started
    iid = engine.start_process("q")
    with pytest.raises(DataNotStorableError, match=r"data key \('a', 'b'\)"):
        engine.set_data(iid, {("a", "b"): 1})  # type: ignore[dict-item]
    [item] = engine.work_items(iid)
    with pytest.raises(DataNotStorableError, match="data key 2"):
        engine.complete_work_item(item.id, {2: "x"})  # type: ignore[dict-item]
    assert engine.instance(iid).data == {}
    assert [w.id for w in engine.work_items(iid)] == [item.id]  # still to do


def test_skipping_a_failed_tool_with_an_unstorable_output_is_refused(engine: Engine) -> None:
    iid, incident = _failing(engine)
    with pytest.raises(DataNotStorableError, match=r"data\['r'\]\['tags'\].*a set value"):
        engine.skip_incident(incident, {"r": {"tags": {"a"}}})
    assert [i.id for i in engine.incidents(iid)] == [incident]  # still open
    assert engine.instance(iid).data == {"r": None}
    assert engine.work_items(iid) == []


def test_a_skip_keeps_a_copy_of_the_operators_outputs(engine: Engine) -> None:
    iid, incident = _failing(engine)
    outputs = {"r": {"tags": ["a"]}}
    engine.skip_incident(incident, outputs)
    outputs["r"]["tags"].append("changed by the operator's code afterwards")
    inst = engine.instance(iid)
    assert inst.state is ProcessState.RUNNING
    assert inst.data == {"r": {"tags": ["a"]}}
    assert [w.activity_id for w in engine.work_items(iid)] == ["h"]
