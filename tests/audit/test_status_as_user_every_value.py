"""The detailed status read as a user who may read only part of an instance masks the value
of every field outside their reads, whatever kind of event carried it: a delegate's work
returned to its owner (``work_item.returned``) and an operator's skip (``incident.skipped``)
showed theirs in the clear, the list of kinds that carry values having missed them. Which kinds
carry values is now read off the audit catalogue's payload types, so a kind added to it is
masked too; one scenario makes every such kind and no secret shows."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, detailed_status
from wfengine.applications.redaction import REDACTED
from wfengine.audit.event_values import value_keys

#: every kind whose detail carries field or parameter values (the catalogue's, read off it)
VALUE_KINDS = {
    "instance.created",
    "instance.data",
    "activity.script",
    "work_item.completed",
    "work_item.returned",
    "incident.skipped",
    "application.invoked",
    "application.returned",
}


def _package() -> Any:
    """``case``: a clerk enters ``hidden`` (confirming a delegate's work), a script divides by
    ``zero`` (an incident an operator skips), a tool reads ``hidden``, a subflow writes it
    back, a message sets it, a script adds to it; an accountant looks at ``pub`` only."""
    pb = PackageBuilder("pkg")
    pb.application("echo", params=[("v", "IN", "STRING"), ("out", "OUT", "STRING")])
    p = pb.process("case")
    p.data_field("pub", "STRING", initial="'hello'")
    p.data_field("hidden", "STRING", initial="''")
    p.data_field("zero", "INTEGER", initial="0")
    p.activity(
        "enter",
        performer="clerk",
        writes=["hidden"],
        extended={"wfengine:delegation-confirm": "true"},
    )
    p.activity("calc", script="hidden = hidden + str(1 / zero)")
    p.activity("tool", tool="echo", args=["hidden", "hidden"])
    p.subflow("call", process="child", args=["hidden"])
    p.intermediate("wait", message="news")
    p.activity("mark", script="hidden = hidden + ' SECRET-FROM-THE-SCRIPT'")
    p.activity("look", performer="accountant", reads=["pub"])
    p.sequence("enter", "calc", "tool", "call", "wait", "mark", "look")
    c = pb.process("child")
    c.param("h", "INOUT", "STRING")
    c.activity("again", script="h = 'SECRET-FROM-SUBFLOW'")
    return pb.build()


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.applications.register("echo", lambda v: {"out": "SECRET-FROM-THE-TOOL"})
        e.deploy(_package())
        yield e
        check_history(e)


def _run(engine: Engine) -> str:
    instance_id = engine.start_process("case", {"hidden": "SECRET-AT-START"})
    engine.set_data(instance_id, {"hidden": "SECRET-FROM-SET-DATA"}, user="root")
    (item,) = engine.work_items(instance_id)
    engine.claim_work_item(item.id, "alice")
    engine.delegate_work_item(item.id, "alice", "bob")
    engine.complete_work_item(item.id, {"hidden": "SECRET-FROM-DELEGATE"}, user="bob")
    engine.complete_work_item(item.id, {"hidden": "SECRET-FROM-OWNER"}, user="alice")
    (incident,) = engine.incidents(instance_id)
    engine.skip_incident(incident.id, {"hidden": "SECRET-FROM-OPERATOR"}, user="root")
    assert engine.send_message("news", {"hidden": "SECRET-FROM-MESSAGE"}, instance_id=instance_id)
    return instance_id


def test_the_value_kinds_are_read_off_the_catalogue() -> None:
    field_values, parameter_values = value_keys()
    assert set(field_values) | set(parameter_values) == VALUE_KINDS
    assert field_values["work_item.returned"] == ("data",)
    assert field_values["incident.skipped"] == ("outputs",)
    assert field_values["activity.script"] == ("",)  # the detail is the mapping itself


def test_no_value_of_a_field_the_user_may_not_read_shows_in_any_event(engine: Engine) -> None:
    instance_id = _run(engine)
    trail = engine.audit(instance_id)
    assert {e.kind for e in trail} >= VALUE_KINDS  # the scenario makes every kind
    assert "SECRET-FROM-DELEGATE" in json.dumps([e.detail for e in trail], default=str)
    status = detailed_status(engine, instance_id, user="dan")
    assert status.instance.data == {"pub": "hello"}
    shown = json.dumps(status.as_dict(), default=str) + repr(status.history)
    assert "SECRET" not in shown
    assert [e.kind for e in status.history] == [e.kind for e in trail]  # masked, not dropped
    (returned,) = (e for e in status.history if e.kind == "work_item.returned")
    assert returned.detail["data"] == {"hidden": REDACTED}
    assert returned.detail["user"] == "bob" and returned.detail["to"] == "alice"
    (skipped,) = (e for e in status.history if e.kind == "incident.skipped")
    assert skipped.detail["outputs"] == {"hidden": REDACTED}


def test_the_host_still_sees_the_delegates_and_the_operators_values(engine: Engine) -> None:
    instance_id = _run(engine)
    shown = repr(detailed_status(engine, instance_id).history)
    assert "SECRET-FROM-DELEGATE" in shown and "SECRET-FROM-OPERATOR" in shown


def test_a_payload_typed_as_any_mapping_counts_as_carrying_field_values() -> None:
    """A later payload whose values are typed ``Mapping[str, Any]`` (or ``MutableMapping``)
    is masked as a ``dict`` one is: read as a dict only, it would be shown in clear."""
    from collections import OrderedDict
    from collections.abc import Mapping, MutableMapping
    from typing import Any, TypedDict

    from wfengine.audit.event_values import _shape

    class Shaped(TypedDict):
        a: int

    for typed in (
        dict[str, Any],
        Mapping[str, Any],
        MutableMapping[str, Any] | None,
        dict,
        OrderedDict[str, Any],
        Shaped,
        dict[str, Any] | Mapping[str, Any] | None,
    ):
        assert _shape(typed) == "fields", typed
    assert _shape(Any) == "parameters"
    assert _shape(str | None) is None
