"""A data field declared ``ReadOnly`` is a constant of its process (its initial value): every
write from outside (a starter's data, WAPI's assign, a person's completion, a message's or a
signal's data, an incident skipped with values) is refused with a ``DataTypeError`` naming the
field and the process, before anything is stored. A field that is also a formal parameter of
its process is given by the caller. A deployment an earlier wfengine stored, whose own
activities write such a field, keeps running: that field stays writable, with a warning."""

from __future__ import annotations

import logging

import pytest

from tests.runtime.conftest import rewrite_stored
from wfengine import Engine, PackageBuilder, ProcessState
from wfengine.errors import DataTypeError, DeployError
from wfengine.runtime.compiler import compile_process
from wfengine.wapi import connect

REFUSED = r"data field 'rate' is read-only \(declared ReadOnly in process 'p'"


def _package(*, formal: bool = False) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    if formal:
        p.param("rate", "IN", "FLOAT")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.data_field("n", "INTEGER", initial="0")
    p.start("s").activity("h", performer="clerk", writes=["n"])
    p.intermediate("paid", message="payment").intermediate("go", signal="go").end("e")
    p.sequence("s", "h", "paid", "go", "e")
    return pb


def test_a_starters_value_for_a_read_only_field_is_refused(engine: Engine) -> None:
    engine.deploy(_package().build())
    with pytest.raises(DataTypeError, match=REFUSED):
        engine.start_process("p", {"n": 1, "rate": 0.5})
    assert engine.instance_summaries() == []  # nothing was created
    iid = engine.start_process("p", {"n": 1})
    assert engine.instance(iid).data == {"rate": 0.19, "n": 1}


def test_a_read_only_field_that_is_a_formal_parameter_is_the_callers_to_give(
    engine: Engine,
) -> None:
    engine.deploy(_package(formal=True).build())
    iid = engine.start_process("p", {"rate": 0.5})
    assert engine.instance(iid).data["rate"] == 0.5


def test_writes_from_outside_are_refused_and_change_nothing(engine: Engine) -> None:
    engine.deploy(_package().build())
    iid = engine.start_process("p")
    with pytest.raises(DataTypeError, match=rf"instance '{iid}': {REFUSED}"):
        connect(engine, "clerk").assign_process_instance_attribute(iid, "rate", 0.07)
    [item] = engine.work_items(iid)
    with pytest.raises(DataTypeError, match=rf"work item '{item.id}'.*{REFUSED}"):
        engine.complete_work_item(item.id, {"n": 2, "rate": 0.99})
    assert engine.instance(iid).data == {"rate": 0.19, "n": 0}
    assert engine.work_items(iid) == [item]  # still open, as it was
    engine.complete_work_item(item.id, {"n": 2})
    with pytest.raises(DataTypeError, match=REFUSED):
        engine.send_message("payment", {"rate": 1.0}, instance_id=iid)
    assert engine.send_message("payment", {"n": 3}, instance_id=iid)
    with pytest.raises(DataTypeError, match=REFUSED):
        engine.broadcast_signal("go", {"rate": 1.0})
    assert engine.broadcast_signal("go", {"n": 4}) == 1
    assert engine.instance(iid).data == {"rate": 0.19, "n": 4}
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_skip_with_a_value_for_a_read_only_field_is_refused(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.data_field("n", "INTEGER", initial="0")
    p.activity("a").activity("b").transition("a", "b", condition="missing > 1")
    engine.deploy(pb.build())
    iid = engine.start_process("p")
    [incident] = engine.incidents(iid)
    with pytest.raises(DataTypeError, match=REFUSED):
        engine.skip_incident(incident.id, {"rate": 0.5}, take=["t1"])
    assert engine.incidents(iid) == [incident]
    assert engine.instance(iid).data["rate"] == 0.19


def test_the_compiled_process_knows_its_read_only_fields_once() -> None:
    package = _package().build()
    compiled = compile_process(package, package.process("p"))
    assert compiled.read_only == frozenset({"rate"})
    # a value only read (a correlation key looked up) is not a write
    assert compiled.checked({"rate": 0.19}, "correlation", writing=False) == {"rate": 0.19}
    formal = _package(formal=True).build()
    assert compile_process(formal, formal.process("p")).read_only == frozenset()


def _scripted() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("rate", "FLOAT", initial="0.19")
    p.data_field("vat", "FLOAT", initial="0.07")
    p.start("s").activity("w", script="rate = 0.2").activity("h", performer="clerk").end("e")
    p.sequence("s", "w", "h", "e")
    return pb


def test_a_stored_deployment_writing_a_read_only_field_keeps_running(
    db_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    """An earlier wfengine deployed a process whose script writes a ReadOnly field (it did
    not keep ReadOnly): its instances run on, that field written as then; the process's
    other read-only field is refused from outside as any other is."""
    with Engine(db_url=db_url) as e:
        e.deploy(_scripted().build())
    for field in ("rate", "vat"):
        old = f'<DataField Id="{field}">'
        rewrite_stored(db_url, "p", old, old.replace(">", ' ReadOnly="true">'))
    rewrite_stored(db_url, "p", '"read_only":false', '"read_only":true')
    with caplog.at_level(logging.WARNING, logger="wfengine.deploy"), Engine(db_url=db_url) as e:
        iid = e.start_process("p")
        assert e.instance(iid).data["rate"] == 0.2  # its script wrote it
        with pytest.raises(DataTypeError, match=r"data field 'vat' is read-only"):
            connect(e, "clerk").assign_process_instance_attribute(iid, "vat", 0.5)
        [item] = e.work_items(iid)
        e.complete_work_item(item.id)
        assert e.instance(iid).state is ProcessState.COMPLETED
    assert "writes the read-only field 'rate' with its script" in caplog.text
    assert "left writable" in caplog.text
    # what is new is refused: the same definition deployed now, ReadOnly kept
    pb = PackageBuilder("pkg")
    p = pb.process("p")
    p.data_field("rate", "FLOAT", initial="0.19", read_only=True)
    p.activity("w", script="rate = 0.2")
    with Engine(db_url=db_url) as e, pytest.raises(DeployError, match="read-only-assigned"):
        e.deploy(pb.build(), strict=True)
