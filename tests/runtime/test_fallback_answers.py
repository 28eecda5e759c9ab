"""What the registry's fallback (``set_fallback``) answers: a stand-in, None, or a mistake.

A fallback returning something that cannot be called (a number, or the coroutine of an
``async def`` fallback) raised a bare ``TypeError`` naming no fallback out of deploy, the
start command and the command that reached the activity; on the memory store met mid-instance
it left the person's work item completed and the instance running with nothing to move it on
(no work, no incident, no job). Now the call fails with an incident naming the application
and the fallback, as a fallback that raises does, and an ``async def`` fallback (asked inside
a command, it cannot be awaited there) is refused when it is set.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Application, Package
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def _package() -> Package:
    """A person's activity ``first``, then ``call`` of the unbound application ``lookup``."""
    pb = PackageBuilder("desk")
    pb.application("lookup", params=[])
    p = pb.process("ticket")
    p.start("s")
    p.activity("first", performer="clerk")
    p.activity("call", tool="lookup", args=[])
    p.end("e")
    p.sequence("s", "first", "call", "e")
    return pb.build()


async def _async_fallback(application: Application) -> Any:
    return lambda: None


def test_a_fallback_returning_a_non_callable_is_an_incident_naming_it(engine: Engine) -> None:
    engine.deploy(_package())
    iid = engine.start_process("ticket")
    engine.applications.set_fallback(lambda application: 5)
    [item] = engine.work_items(iid)
    engine.complete_work_item(item.id)  # raised TypeError: application 'lookup': 5 is not ...
    [incident] = engine.incidents(iid)
    assert incident.activity_id == "call" and incident.application_id == "lookup"
    assert incident.message.endswith(
        "application 'lookup': the registry's fallback (set_fallback) returned 5, "
        "not a callable (nor None)"
    ), incident.message
    assert engine.work_items(iid) == []  # the person's work is done, once
    engine.applications.set_fallback(lambda application: lambda: None)
    engine.retry_incident(incident.id)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_fallback_returning_a_coroutine_is_an_incident_and_the_coroutine_closed(
    engine: Engine,
) -> None:
    """An ``async def`` fallback behind a plain one (``lambda app: real(app)``): its coroutine
    is closed, not left for a "never awaited" warning."""
    engine.deploy(_package())
    iid = engine.start_process("ticket")
    engine.applications.set_fallback(lambda application: _async_fallback(application))
    [item] = engine.work_items(iid)
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        engine.complete_work_item(item.id)
    [incident] = engine.incidents(iid)
    assert "fallback (set_fallback) returned <coroutine" in incident.message


def test_a_fallback_returning_a_non_callable_at_deploy_is_a_warning() -> None:
    registry = ApplicationRegistry()
    registry.set_fallback(lambda application: 5)
    [finding] = registry.check(_package())  # raised TypeError
    assert finding.code == "application-unbound"
    assert "fallback (set_fallback) returned 5" in finding.message


def test_an_async_def_fallback_is_refused_when_set() -> None:
    registry = ApplicationRegistry()
    with pytest.raises(TypeError, match="fallback must be a plain callable or None, not async"):
        registry.set_fallback(_async_fallback)
    registry.set_fallback(lambda application: _async_stand_in)  # an async stand-in is fine
    binding = registry.resolve(_package().applications[0])
    assert binding is not None and binding.is_async


async def _async_stand_in() -> None:
    return None
