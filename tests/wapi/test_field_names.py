"""A data field may be named by its Name through WAPI as well (README: data "(and through
WAPI)"): a person completing work writes the field their activity lets them write whether they
give its Id or its Name, and a session creates an instance or assigns an attribute by Name as
``Engine.create_instance`` does; the value is kept under the field's Id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.worklist.conftest import ORG
from wfengine import (
    DataTypeError,
    Engine,
    NotAuthorizedError,
    NotFoundError,
    Organisation,
    PackageBuilder,
    VirtualClock,
)
from wfengine.wapi import connect


def _package() -> Any:
    """``ticket``: a clerk answers, writing ``note`` (Name ``NoteText``); ``a`` and ``b``
    share the Name ``Twin``."""
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.data_field("note", "STRING", initial="''", name="NoteText")
    p.data_field("amount", "INTEGER", initial="5", name="Amount")
    p.data_field("a", "STRING", initial="''", name="Twin")
    p.data_field("b", "STRING", initial="''", name="Twin")
    p.start("s").activity("answer", performer="clerk", reads=["note"], writes=["note"])
    p.end("e").sequence("s", "answer", "e")
    return pb.build()


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'db.sqlite'}"
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.deploy(_package())
        yield e


def _refusals(engine: Engine, instance_id: str) -> list[dict[str, Any]]:
    return [e.detail for e in engine.audit(instance_id) if e.kind == "operation.refused"]


def test_a_person_completes_work_writing_a_field_by_its_name(engine: Engine) -> None:
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    connect(engine, "alice").complete_work_item(item.id, {"NoteText": "done"})
    assert engine.instance(instance_id).data["note"] == "done"
    assert "NoteText" not in engine.instance(instance_id).data
    assert _refusals(engine, instance_id) == []


def test_a_name_whose_field_the_activity_does_not_write_is_refused_by_its_id(
    engine: Engine,
) -> None:
    instance_id = engine.start_process("ticket")
    [item] = engine.work_items(instance_id)
    with pytest.raises(NotAuthorizedError, match=r"may not write 'amount'"):
        connect(engine, "alice").complete_work_item(item.id, {"Amount": 7})
    assert engine.instance(instance_id).data["amount"] == 5
    [refused] = _refusals(engine, instance_id)
    assert refused["reason"].startswith("it may not write 'amount'")


def test_a_session_creates_and_assigns_by_name(engine: Engine) -> None:
    session = connect(engine, "root")
    instance_id = session.create_process_instance("ticket", {"NoteText": "new", "Amount": "9"})
    assert engine.instance(instance_id).data["note"] == "new"
    assert engine.instance(instance_id).data["amount"] == 9
    session.assign_process_instance_attribute(instance_id, "NoteText", "changed")
    session.assign_process_instance_attribute(instance_id, "Amount", "11")
    data = engine.instance(instance_id).data
    assert (data["note"], data["amount"]) == ("changed", 11)
    assert "NoteText" not in data and "Amount" not in data
    with pytest.raises(DataTypeError, match=r"data field 'amount'"):
        session.assign_process_instance_attribute(instance_id, "Amount", "many")
    with pytest.raises(DataTypeError, match=r"'Twin' is the Name of several"):
        session.assign_process_instance_attribute(instance_id, "Twin", "x")
    with pytest.raises(NotFoundError, match=r"no data field 'Nope'"):
        session.assign_process_instance_attribute(instance_id, "Nope", "x")
