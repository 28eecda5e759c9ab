"""Data given from outside by a field's Name (tools such as Bizagi and TIBCO key fields by
generated Ids and readable Names): the value is the field's, as expressions read it."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.errors import DataTypeError


def _engine(shared: bool = False) -> Engine:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("_uT", "INTEGER", name="Total")
    if shared:
        p.data_field("_u1", "STRING", name="Amount")
        p.data_field("_u2", "STRING", name="Amount")
    p.start("s0")
    p.route("g", gateway="Exclusive")
    p.activity("big", performer="clerk")
    p.activity("small", performer="clerk")
    p.end("e0")
    p.end("e1")
    p.sequence("s0", "g")
    p.transition("g", "big", condition="Total > 100")
    p.transition("g", "small", otherwise=True)
    p.sequence("big", "e0")
    p.sequence("small", "e1")
    e = Engine(clock=VirtualClock())
    e.deploy(b.build())
    return e


def test_start_by_name_writes_the_field_converted() -> None:
    e = _engine()
    iid = e.start_process("proc", {"Total": "500"})
    assert e.instance(iid).data == {"_uT": 500}
    assert [w.activity_id for w in e.work_items(iid)] == ["big"]
    assert e.incidents() == []


def test_complete_by_name_writes_the_field() -> None:
    e = _engine()
    iid = e.start_process("proc", {"_uT": 1})
    [w] = e.work_items(iid)
    e.complete_work_item(w.id, {"Total": 7.0})
    assert e.instance(iid).data["_uT"] == 7
    assert "Total" not in e.instance(iid).data


def test_by_name_a_value_that_does_not_fit_is_refused_naming_both() -> None:
    e = _engine()
    with pytest.raises(DataTypeError, match=r"'_uT' \(Name 'Total'\).*INTEGER"):
        e.start_process("proc", {"Total": "many"})


def test_a_shared_name_is_refused_naming_the_fields() -> None:
    e = _engine(shared=True)
    with pytest.raises(DataTypeError, match=r"'Amount' is the Name of several.*'_u1', '_u2'"):
        e.start_process("proc", {"Amount": "x"})


def test_a_field_given_by_id_and_by_name_is_refused() -> None:
    e = _engine()
    with pytest.raises(DataTypeError, match="given twice"):
        e.start_process("proc", {"_uT": 1, "Total": 2})
