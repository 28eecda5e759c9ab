"""``wfengine:asynchronous`` is read one way whatever binds the application: true or false
(``yes``/``no``, ``1``/``0``, any case); other text (``on``, ``y``) is refused, never taken
for false (a code-bound application was called synchronously, an agent-bound one refused)."""

from __future__ import annotations

import pytest

from wfengine.applications.agents import callable_agent_factory
from wfengine.definition.application_settings import read_flag
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.validation import validate
from wfengine.errors import DeployError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine


def _slow(amount: int) -> None:
    return None


def _package(value: str, agent: bool) -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("amount", "INTEGER", initial="5")
    extended = {"wfengine:asynchronous": value}
    if agent:
        extended |= {"wfengine:agent": "python", "wfengine:function": "slow"}
    p.application("calc", params=[("amount", "IN", "INTEGER")], extended=extended)
    p.activity("call", tool="calc", args=["amount"])
    return pb


def _engine(agent: bool) -> Engine:
    engine = Engine(clock=VirtualClock())
    if agent:
        engine.applications.allow_agent("python", callable_agent_factory({"slow": _slow}))
    else:
        engine.applications.register("calc", _slow)
    return engine


BINDINGS = pytest.mark.parametrize("agent", [False, True], ids=["register", "wfengine:agent"])


@BINDINGS
@pytest.mark.parametrize("value", ["on", "y", "off", "enabled"])
def test_text_neither_true_nor_false_is_refused_whatever_binds_it(agent: bool, value: str) -> None:
    engine = _engine(agent)
    with pytest.raises(
        DeployError, match=f"wfengine:asynchronous must be true or false, not {value!r}"
    ):
        engine.deploy(_package(value, agent).build())


@BINDINGS
@pytest.mark.parametrize(
    "value, queued",
    [
        ("true", True),
        ("TRUE", True),
        (" yes ", True),
        ("1", True),
        ("false", False),
        ("No", False),
        ("0", False),
        ("", False),
    ],
)
def test_true_and_false_are_read_alike_whatever_binds_it(
    agent: bool, value: str, queued: bool
) -> None:
    engine = _engine(agent)
    engine.deploy(_package(value, agent).build())
    iid = engine.start_process("main")
    kinds = [e.kind for e in engine.audit(iid)]
    assert ("application.queued" in kinds) is queued
    assert engine.incidents(iid) == []


def test_the_one_reader_the_registry_can_share() -> None:
    assert read_flag(None, "x") is False and read_flag("Yes", "x") is True
    with pytest.raises(ValueError, match="x must be true or false, not 'on'"):
        read_flag("on", "x")


def test_validate_reports_it_before_deploy_refuses_it() -> None:
    found = [
        d for d in validate(_package("on", agent=False).build()) if d.code != "schema-violation"
    ]
    [finding] = [d for d in found if d.code == "application-setting"]
    assert finding.severity.value == "error" and finding.element_id == "calc"
    assert "not 'on'" in finding.message and "activity 'call'" in finding.message
