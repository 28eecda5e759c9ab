"""What the application calls of one command share is made once per command
(:class:`~wfengine.runtime.tools.ToolCalls`), and each call still gets what is its own: its
activity's records, its key, its binding. Why: the job context (a watcher, a job's earlier
claims, its lost attempts) was read from three context variables on every call, and two
functions were made per call: about a per cent of an automatic activity's run (W2)."""

from __future__ import annotations

import gc
import weakref
from typing import Any

import pytest

from wfengine import ApplicationRegistry, Engine, PackageBuilder
from wfengine.applications.binding_lookup import binding_lookup
from wfengine.applications.registry import Binding, make_binding
from wfengine.applications.specs import ToolSpec
from wfengine.definition.build_arguments import standard_loop
from wfengine.runtime import call_watch, job_claims
from wfengine.runtime.engine_base import EngineBase


def _chain() -> PackageBuilder:
    """Three Tool activities in a row, the middle one a loop of two rounds calling two
    applications each."""
    pb = PackageBuilder("p")
    pb.application("first")
    pb.application("again", params=[("n", "IN", "INTEGER")])
    pb.application("then")
    p = pb.process("chain")
    p.data_field("n", "INTEGER", initial="0")
    p.start("s")
    p.activity("a", tool="first")
    loop = standard_loop("n < 2", counter="n")
    p.activity("b", tools=[("again", ["n"]), ("then", [])], loop=loop)
    p.activity("c", tool="first")
    p.end("e")
    p.sequence("s", "a", "b", "c", "e")
    return pb


def test_the_job_context_is_read_once_per_command(monkeypatch: pytest.MonkeyPatch) -> None:
    reads = {"current": 0, "pending": 0, "unrecorded": 0}

    def counted(name: str, read: Any) -> Any:
        def wrapper() -> Any:
            reads[name] += 1
            return read()

        return wrapper

    monkeypatch.setattr(call_watch, "current", counted("current", call_watch.current))
    monkeypatch.setattr(job_claims, "pending", counted("pending", job_claims.pending))
    monkeypatch.setattr(job_claims, "unrecorded", counted("unrecorded", job_claims.unrecorded))
    engine = Engine()
    for app in ("first", "again", "then"):
        engine.applications.register(app, lambda **_: None)
    engine.deploy(_chain().build())
    pi = engine.start_process("chain")
    assert engine.instance(pi).state.value == "closed.completed"
    # six calls in one command (a, two rounds of two in b, c): one read of each
    assert reads == {"current": 1, "pending": 1, "unrecorded": 1}


def test_each_call_keeps_its_own_activity_key_and_records() -> None:
    keys: list[tuple[str, str]] = []

    def recorder(app: str) -> Any:
        def call(idempotency_key: str, **_: Any) -> None:
            keys.append((app, idempotency_key))

        return call

    engine = Engine()
    for app in ("first", "again", "then"):
        engine.applications.register(app, recorder(app))
    engine.deploy(_chain().build())
    pi = engine.start_process("chain")
    stamps = {key.rpartition("@")[2] for _, key in keys}
    assert len(stamps) == 1 and all(key.startswith(f"{pi}:") for _, key in keys)
    # instance:origin.call_key/iteration/position@nonce: the loop's rounds, its second tool
    assert [(app, key.rpartition(".")[2].rpartition("@")[0]) for app, key in keys] == [
        ("first", "1/0/0"),
        ("again", "2/0/0"),
        ("then", "2/0/1"),
        ("again", "2/1/0"),
        ("then", "2/1/1"),
        ("first", "3/0/0"),
    ]
    trail = [
        (e.activity_id, e.detail["application"], e.detail["key"])
        for e in engine.audit_events(instance_id=pi)
        if e.kind in ("application.invoked", "application.returned") and "key" in e.detail
    ]
    assert [(activity, app) for activity, app, _ in trail] == [
        ("a", "first"),
        ("b", "again"),
        ("b", "then"),
        ("b", "again"),
        ("b", "then"),
        ("c", "first"),
    ]
    assert [key for _, _, key in trail] == [key for _, key in keys]


def test_a_watcher_is_told_each_call_of_its_own_activity() -> None:
    told: list[tuple[str, str, int]] = []
    engine = Engine()
    for app in ("first", "again", "then"):
        engine.applications.register(app, lambda **_: None)
    engine.deploy(_chain().build())
    with call_watch.watching(lambda c: told.append((c.activity_id, c.application_id, c.attempt))):
        engine.start_process("chain")
    assert told == [
        ("a", "first", 1),
        *[("b", "again", 1), ("b", "then", 1)] * 2,
        ("c", "first", 1),
    ]


def test_a_command_leaves_no_cycle_through_its_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    # what the calls share holds nothing of the navigator: a cycle through it kept each
    # command's navigator, and all it touched, until the garbage collector found it
    made: list[weakref.ref[Any]] = []
    nav = EngineBase._nav

    def kept(self: EngineBase) -> Any:
        navigator = nav(self)
        made.append(weakref.ref(navigator))
        return navigator

    monkeypatch.setattr(EngineBase, "_nav", kept)
    engine = Engine()
    for app in ("first", "again", "then"):
        engine.applications.register(app, lambda **_: None)
    engine.deploy(_chain().build())
    gc.disable()
    try:
        engine.start_process("chain")
        engine.start_process("chain")
        assert made and all(ref() is None for ref in made)
    finally:
        gc.enable()


def test_a_registry_whose_get_is_its_own_is_asked() -> None:
    class Stand(ApplicationRegistry):
        """A host's registry answering every id with one stand-in."""

        def get(self, application_id: str) -> Binding | None:
            return make_binding(application_id, lambda **_: None)

    found = binding_lookup(Stand())("any")
    assert found is not None and found.application_id == "any"
    plain = ApplicationRegistry()
    plain.register("x", lambda: None)
    assert binding_lookup(plain)("x") is plain.get("x")
    assert binding_lookup(plain)("y") is None


def test_a_registry_whose_own_get_was_replaced_is_asked_through_it() -> None:
    registry = ApplicationRegistry()
    registry.register("x", lambda: None)
    stand_in = make_binding("x", lambda **_: None)
    registry.get = lambda application_id: stand_in  # type: ignore[method-assign]
    assert binding_lookup(registry)("x") is stand_in  # (a host's test patching it)


def test_a_tool_knows_how_its_call_keys_end() -> None:
    # made once, as the tool is compiled: no number formatted per call (see run_tools)
    assert ToolSpec("app", None, 3, ()).key_tail == "/3"
    assert ToolSpec("app", None, 0, ()).key_tail == "/0"
