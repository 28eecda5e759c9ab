"""A field's Name that is no plain identifier (leave_request's ``"Days requested"``) given to a
session is refused as the engine refuses it: a ``DataTypeError`` naming the Id to give, not a
``NotFoundError`` saying the process has no such field. Nothing is created or changed."""

from __future__ import annotations

import pytest

from tests.conftest import REPO_ROOT
from wfengine import DataTypeError, Engine, load_xpdl
from wfengine.wapi import connect

LEAVE_REQUEST = REPO_ROOT / "examples" / "leave_request.xpdl"
GIVE_THE_ID = r"'Days requested' is the Name of data field 'days' .* give the Id 'days'"


def test_create_names_the_id_to_give(engine: Engine) -> None:
    engine.deploy(load_xpdl(LEAVE_REQUEST))
    with pytest.raises(DataTypeError, match=GIVE_THE_ID) as caught:
        connect(engine, "u").create_process_instance("request_leave", {"Days requested": 7})
    with pytest.raises(DataTypeError) as by_engine:
        engine.create_instance("request_leave", {"Days requested": 7})
    assert str(caught.value) == str(by_engine.value)  # the engine's own words
    assert engine.instances() == []


def test_assign_names_the_id_to_give(engine: Engine) -> None:
    engine.deploy(load_xpdl(LEAVE_REQUEST))
    session = connect(engine, "u")
    instance_id = session.create_process_instance("request_leave", {"days": 2})
    with pytest.raises(DataTypeError, match=f"instance {instance_id!r}: {GIVE_THE_ID}"):
        session.assign_process_instance_attribute(instance_id, "Days requested", 8)
    assert engine.instance(instance_id).data["days"] == 2
    assert "Days requested" not in engine.instance(instance_id).data
    session.assign_process_instance_attribute(instance_id, "days", 8)  # the Id it names
    assert engine.instance(instance_id).data["days"] == 8
