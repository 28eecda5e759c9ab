"""Two processes may declare different applications under one id: each declaration gets its
own stand-in from the registry's fallback (the first one made served both), and ``check``
judges each process's use by that process's declaration (it judged all by the last)."""

from __future__ import annotations

from typing import Any

from tests.runtime.conftest import run
from wfengine.applications.agents.callables import callable_agent_factory
from wfengine.applications.registry import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Application
from wfengine.runtime.engine import Engine


def test_each_declaration_gets_its_own_stand_in(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    for proc, desc in (("p1", "crm"), ("p2", "erp")):
        p = pb.process(proc)
        p.data_field("y", "STRING")
        p.application("lookup", description=desc, params=[("b", "OUT", "STRING")])
        p.activity("call", tool="lookup", args=["y"])
    asked: list[str | None] = []

    def fallback(app: Application) -> Any:
        asked.append(app.description)
        return lambda: {"b": f"{app.description} stand-in"}

    engine.applications.set_fallback(fallback)
    first = run(engine, pb, "p1")
    second = engine.start_process("p2")
    assert engine.instance(first).data["y"] == "crm stand-in"
    assert engine.instance(second).data["y"] == "erp stand-in"
    assert asked == ["crm", "erp"]


def test_check_judges_each_process_by_its_own_declaration() -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("p1")
    p.data_field("y", "STRING")
    p.application("lookup", params=[("b", "OUT", "STRING")])  # bound by nothing
    p.activity("call", tool="lookup", args=["y"])
    p = pb.process("p2")
    p.data_field("y", "STRING")
    p.application(
        "lookup",
        params=[("b", "OUT", "STRING")],
        extended={"wfengine:agent": "python", "wfengine:function": "lookup"},
    )
    p.activity("call", tool="lookup", args=["y"])
    registry = ApplicationRegistry()
    registry.allow_agent("python", callable_agent_factory({"lookup": lambda: {"b": "x"}}))
    found = registry.check(pb.build())
    assert [d.code for d in found] == ["application-unbound"]
    assert "activity 'call'" in found[0].message
