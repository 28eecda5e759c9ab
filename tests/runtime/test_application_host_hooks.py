"""The host's hooks into binding: an agent factory (``allow_agent``) and the fallback
(``set_fallback``) that fail.

A factory or fallback raising anything but ``TypeError``/``ValueError``/``KeyError`` escaped
the command half done on the memory store (the person's work item completed, the next
activity running, no incident) and as a bare error elsewhere, naming neither application nor
agent. Now it fails the call, an incident naming both, on every store; a non-callable
factory or fallback is refused when it is given.
"""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Application, Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package(agent: str | None) -> Package:
    """A person's activity ``first``, then ``call`` of application ``lookup``."""
    pb = PackageBuilder("desk")
    extended = {"wfengine:agent": agent} if agent else None
    pb.application("lookup", params=[], extended=extended)
    p = pb.process("ticket")
    p.start("s")
    p.activity("first", performer="clerk")
    p.activity("call", tool="lookup", args=[])
    p.end("e")
    p.sequence("s", "first", "call", "e")
    return pb.build()


def _boom(settings: Any) -> Any:
    raise RuntimeError("crm config file missing")


def _run_to_the_call(engine: Engine, package: Package) -> str:
    engine.deploy(package)
    iid = engine.start_process("ticket")
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)
    return iid


def test_a_failing_agent_factory_becomes_an_incident(engine: Engine) -> None:
    engine.applications.allow_agent("crm", _boom)
    iid = _run_to_the_call(engine, _package("crm"))  # raised RuntimeError
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "lookup"
    assert "application 'lookup'" in incident.message
    assert "agent 'crm'" in incident.message
    assert "RuntimeError: crm config file missing" in incident.message
    assert engine.work_items(iid) == []  # the person's work is done, once
    engine.applications.allow_agent("crm", lambda settings: lambda: None)
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_failing_fallback_becomes_an_incident(engine: Engine) -> None:
    def fallback(application: Application) -> Any:
        raise LookupError("stub table not loaded")

    engine.applications.set_fallback(fallback)
    iid = _run_to_the_call(engine, _package(None))  # raised LookupError
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "lookup"
    assert "application 'lookup'" in incident.message and "fallback" in incident.message
    assert "LookupError: stub table not loaded" in incident.message
    engine.applications.set_fallback(lambda application: lambda: None)
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_failing_factory_at_deploy_is_a_warning_not_an_error() -> None:
    registry = ApplicationRegistry()
    registry.allow_agent("crm", _boom)
    [finding] = registry.check(_package("crm"))  # raised RuntimeError
    assert finding.code == "application-agent-disabled"
    assert "agent 'crm'" in finding.message and "crm config file missing" in finding.message


def test_a_failing_fallback_at_deploy_reports_the_application_unbound() -> None:
    registry = ApplicationRegistry()

    def fallback(application: Application) -> Any:
        raise LookupError("stub table not loaded")

    registry.set_fallback(fallback)
    [finding] = registry.check(_package(None))
    assert finding.code == "application-unbound"
    assert "stub table not loaded" in finding.message


def test_a_factory_or_fallback_that_cannot_be_called_is_refused_at_once() -> None:
    registry = ApplicationRegistry()
    with pytest.raises(TypeError, match="agent 'crm'"):
        registry.allow_agent("crm", 42)  # type: ignore[arg-type]
    assert registry.allowed_agents() == []
    with pytest.raises(TypeError, match="fallback"):
        registry.set_fallback("stub")  # type: ignore[arg-type]
    registry.set_fallback(None)  # (removes it: still allowed)


def test_a_factory_returning_a_non_callable_is_an_incident_blaming_the_factory(
    engine: Engine,
) -> None:
    """It read "agent 'crm' refused the definition's settings: application 'lookup': 42 is
    not callable": blaming the definition, and naming the application twice."""
    engine.applications.allow_agent("crm", lambda settings: 42)
    iid = _run_to_the_call(engine, _package("crm"))
    [incident] = engine.incidents(iid)
    assert incident.message.endswith(
        "application 'lookup': the factory of agent 'crm' returned 42, not a callable"
    ), incident.message
    assert incident.message.count("application 'lookup'") == 1
    assert "refused the definition's settings" not in incident.message
