"""``skip_incident`` refuses ``outputs`` that are not a mapping (a list of pairs, text) with a
``TypeError`` naming the argument and the command, as every command that takes data does,
before anything changes: it raised a bare ``ValueError``/``TypeError`` from ``dict()``, or
took a list of pairs as data where the other commands refuse one."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from wfengine import Engine, PackageBuilder


@pytest.fixture
def failed() -> tuple[Engine, str, str]:
    """An engine, and an instance stopped on an incident (an unbound application), its id."""
    logging.getLogger("wfengine.applications").setLevel(logging.ERROR)
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("v", "INTEGER")
    p.application("lookup", params=[("v", "OUT", "INTEGER")])
    p.activity("call", tool="lookup", args=["v"]).activity("after", performer="clerk")
    p.transition("call", "after")
    engine = Engine()
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    return engine, iid, incident.id


@pytest.mark.parametrize(
    "given", [[("v", 1)], "v=1", 5, {"v"}], ids=["pairs", "text", "int", "set"]
)
def test_skip_refuses_outputs_that_are_not_a_mapping(
    failed: tuple[Engine, str, str], given: Any
) -> None:
    engine, iid, incident_id = failed
    with pytest.raises(TypeError, match=r"^skip_incident: outputs must be a mapping"):
        engine.skip_incident(incident_id, given)
    [incident] = engine.incidents(iid)
    assert not incident.resolved and engine.instance(iid).data["v"] is None  # nothing changed
    engine.skip_incident(incident_id, {"v": 1})  # what the message says to do works
    assert engine.instance(iid).data["v"] == 1
    assert engine.trace(iid) == ["call"]
