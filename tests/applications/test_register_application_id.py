"""``register`` refuses an application id that is not non-empty text, naming the argument, as
it refuses its other arguments.

Before, ``register(5, f)`` was taken; ``ids()``, ``check(package)`` and
``deploy(check_bindings=True)`` then crashed with ``TypeError: '<' not supported``, far from
the line that registered it.
"""

from __future__ import annotations

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.engine import Engine


def _package() -> Package:
    b = PackageBuilder("pk")
    b.application("a1", params=[])
    p = b.process("p")
    p.start("s")
    p.activity("t", tool="a1", args=[])
    p.end("e")
    p.sequence("s", "t", "e")
    return b.build()


@pytest.mark.parametrize("application_id", [5, None, b"a1", ("a1",)])
def test_an_id_that_is_not_text_is_refused_naming_the_argument(application_id: object) -> None:
    engine = Engine()
    engine.applications.register("a1", lambda: None)
    with pytest.raises(TypeError, match=r"register: application_id must be text"):
        engine.applications.register(application_id, lambda: None)  # type: ignore[call-overload]
    with pytest.raises(TypeError, match=r"register: application_id must be text"):
        engine.applications.register(application_id)  # type: ignore[call-overload]
    assert engine.applications.ids() == ["a1"]
    engine.deploy(_package(), check_bindings=True)


def test_an_empty_id_is_refused() -> None:
    engine = Engine()
    with pytest.raises(ValueError, match=r"register: application_id must not be empty"):
        engine.applications.register("", lambda: None)
    assert engine.applications.ids() == []


def _agent_package() -> Package:
    b = PackageBuilder("pk")
    b.application("a1", params=[], extended={"wfengine:agent": "mail"})
    p = b.process("p")
    p.start("s")
    p.activity("t", tool="a1", args=[])
    p.end("e")
    p.sequence("s", "t", "e")
    return b.build()


@pytest.mark.parametrize("kind", [5, None, b"mail", ("mail",)])
def test_an_agent_kind_that_is_not_text_is_refused_naming_the_argument(kind: object) -> None:
    """``allow_agent`` keys a sorted table as ``register`` does: before, ``allow_agent(5, f)``
    was taken, and ``allowed_agents()``, ``check()`` and ``deploy(check_bindings=True)`` then
    crashed with ``TypeError: '<' not supported``."""
    engine = Engine()
    engine.applications.allow_agent("mail", lambda settings: lambda: None)
    with pytest.raises(TypeError, match=r"allow_agent: kind must be text"):
        engine.applications.allow_agent(kind, lambda settings: lambda: None)  # type: ignore[arg-type]
    assert engine.applications.allowed_agents() == ["mail"]
    engine.deploy(_agent_package(), check_bindings=True)


def test_an_empty_agent_kind_is_refused() -> None:
    engine = Engine()
    with pytest.raises(ValueError, match=r"allow_agent: kind must not be empty"):
        engine.applications.allow_agent("", lambda settings: lambda: None)
    assert engine.applications.allowed_agents() == []
