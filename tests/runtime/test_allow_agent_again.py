"""Enabling an agent kind again with a new factory (a host rotating credentials) takes effect
for applications already resolved: they kept calling what the old factory built."""

from __future__ import annotations

from tests.runtime.conftest import run
from wfengine.applications.agents.callables import callable_agent_factory
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine


def test_allow_agent_again_replaces_the_agent_of_resolved_applications(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("y", "STRING")
    p.application(
        "lookup",
        params=[("b", "OUT", "STRING")],
        extended={"wfengine:agent": "python", "wfengine:function": "lookup"},
    )
    p.activity("call", tool="lookup", args=["y"])
    engine.applications.allow_agent(
        "python", callable_agent_factory({"lookup": lambda: {"b": "v1"}})
    )
    first = run(engine, pb)
    engine.applications.allow_agent(
        "python", callable_agent_factory({"lookup": lambda: {"b": "v2"}})
    )
    second = engine.start_process("main")
    assert engine.instance(first).data["y"] == "v1"
    assert engine.instance(second).data["y"] == "v2"
