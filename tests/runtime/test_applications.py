"""The application registry: code bindings, entry points, definition-declared agents, checks."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from tests.runtime.conftest import run
from wfengine.applications.registry import ApplicationRegistry, Binding
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationError
from wfengine.runtime.engine import Engine
from wfengine.runtime.states import ProcessState


def test_register_as_call_and_as_decorator() -> None:
    registry = ApplicationRegistry()

    def plain(x: int) -> None:
        return None

    assert registry.register("a", plain, retries=2, timeout=1.5) is plain

    @registry.register("b")
    def decorated(x: int, *, idempotency_key: str) -> None:
        return None

    a, b = registry.get("a"), registry.get("b")
    assert isinstance(a, Binding) and a.retries == 2 and a.timeout == 1.5 and not a.takes_key
    assert b is not None and b.func is decorated and b.takes_key
    assert registry.ids() == ["a", "b"] and "a" in registry


def test_async_callable_is_recognised_once_at_binding_time() -> None:
    registry = ApplicationRegistry()

    async def fetch() -> None:
        return None

    class Client:
        async def __call__(self) -> None:
            return None

    registry.register("f", fetch)
    registry.register("g", Client())
    registry.register("h", lambda: None)
    assert [registry.get(a).is_async for a in ("f", "g", "h")] == [True, True, False]  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"retries": -1}, "retries"), ({"timeout": 0}, "timeout"), ({"backoff": -1}, "backoff")],
)
def test_register_refuses_nonsense(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ApplicationRegistry().register("a", lambda: None, **kwargs)
    with pytest.raises(TypeError, match="not callable"):
        ApplicationRegistry().register("a", 42)  # type: ignore[arg-type]


def test_backoff_doubles_up_to_its_maximum() -> None:
    b = Binding("a", lambda: None, retries=9, backoff=0.5, max_backoff=3.0)
    assert [b.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3.0, 3.0]


@pytest.fixture
def plugin(tmp_path: Path) -> Iterator[Path]:
    """A real installed distribution (a ``.dist-info`` on sys.path) with an entry point."""
    (tmp_path / "my_wf_plugin.py").write_text(
        "def register(registry):\n    registry.register('fromPlugin', lambda: {'ok': True})\n"
    )
    info = tmp_path / "my_wf_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: my-wf-plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(
        "[wfengine.applications]\nmine = my_wf_plugin:register\n"
        "[wfengine.broken]\nbad = my_wf_plugin:missing\n"
    )
    sys.path.insert(0, str(tmp_path))
    yield tmp_path
    sys.path.remove(str(tmp_path))
    sys.modules.pop("my_wf_plugin", None)


def test_entry_points_register_their_applications(plugin: Path) -> None:
    registry = ApplicationRegistry()
    assert registry.load_entry_points() == ["mine"]
    binding = registry.get("fromPlugin")
    assert binding is not None and binding.func() == {"ok": True}


def test_broken_entry_point_is_named(plugin: Path) -> None:
    with pytest.raises(ApplicationError, match=r"entry point 'bad'"):
        ApplicationRegistry().load_entry_points("wfengine.broken")


# --------------------------------------------------------------------------- from definitions


def _declared(agent: str | None, **settings: str) -> PackageBuilder:
    extended: dict[str, str | None] = {f"wfengine:{k}": v for k, v in settings.items()}
    if agent is not None:
        extended["wfengine:agent"] = agent
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("n", "INTEGER", initial="2")
    p.application("double", params=[("n", "INOUT", "INTEGER")], extended=extended)
    p.activity("call", tool="double", args=["n"])
    return pb


def _doubler_factory(seen: list[Mapping[str, str]]) -> Any:
    def factory(settings: Mapping[str, str]) -> Any:
        seen.append(dict(settings))
        return lambda n: {"n": n * int(settings.get("factor", "2"))}

    return factory


def test_definition_binds_through_an_agent_the_host_enabled(engine: Engine) -> None:
    seen: list[Mapping[str, str]] = []
    engine.applications.allow_agent("python", _doubler_factory(seen))
    iid = run(engine, _declared("python", factor="5", retries="2", timeout="3"))
    assert engine.instance(iid).data["n"] == 10
    assert seen == [{"factor": "5"}]  # retries and timeout are the binding's, not the agent's
    engine.start_process("main")
    assert len(seen) == 1  # the binding is built once per settings


def test_definition_cannot_use_an_agent_the_host_did_not_enable(engine: Engine) -> None:
    iid = run(engine, _declared("subprocess", command="rm"))
    [incident] = engine.incidents(iid)
    assert "'subprocess'" in incident.message and "not enabled" in incident.message
    assert engine.instance(iid).state is ProcessState.RUNNING


def test_code_binding_wins_over_the_definition(engine: Engine) -> None:
    engine.applications.allow_agent("python", _doubler_factory([]))
    engine.applications.register("double", lambda n: {"n": -n})
    iid = run(engine, _declared("python"))
    assert engine.instance(iid).data["n"] == -2


def test_agent_refusing_settings_is_an_incident(engine: Engine) -> None:
    def picky(settings: Mapping[str, str]) -> Any:
        raise ValueError("URL outside the allowed prefixes")

    engine.applications.allow_agent("http", picky)
    iid = run(engine, _declared("http", url="http://evil.example/"))
    [incident] = engine.incidents(iid)
    assert "refused the definition's settings" in incident.message
    assert "allowed prefixes" in incident.message


# --------------------------------------------------------------------------- check


def test_check_reports_undeclared_and_unbound_applications() -> None:
    pb = _declared(None)
    pb.process("other").application("unused").activity("x")
    registry = ApplicationRegistry()
    registry.register("dobule", lambda n: None)  # a typo
    findings = registry.check(pb.build())
    assert [(d.code, d.severity.value, d.element_id) for d in findings] == [
        ("application-undeclared", "warning", "dobule"),
        ("application-unbound", "warning", "double"),
    ]
    assert "'call'" in findings[1].message  # names the activity that uses it
    registry.register("double", lambda n: None)
    registry.unregister("dobule")
    assert registry.check(pb.build()) == []


def test_check_reports_a_disabled_agent() -> None:
    [finding] = ApplicationRegistry().check(_declared("http", url="http://x/").build())
    assert finding.code == "application-agent-disabled" and "'http'" in finding.message


def test_fallback_stands_in_for_unbound_applications_only() -> None:
    from wfengine.definition.model import Application

    registry = ApplicationRegistry()
    registry.register("bound", lambda: {"x": 1})
    asked: list[str] = []

    def fallback(app: Application) -> Any:
        asked.append(app.id)
        return None if app.id == "refused" else (lambda **kw: None)

    registry.set_fallback(fallback)
    bound = registry.resolve(Application(id="bound"))
    assert bound is not None and bound.source == "code"
    stand_in = registry.resolve(Application(id="other"))
    assert stand_in is not None and stand_in.source == "fallback"
    assert registry.resolve(Application(id="other")) is stand_in  # built once
    assert registry.resolve(Application(id="refused")) is None
    assert asked == ["other", "refused"]
    registry.set_fallback(None)
    assert registry.resolve(Application(id="other")) is None
