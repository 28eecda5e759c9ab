"""An application nothing binds opens an incident that says how to bind it from Python and
from the CLI: a `wfengine worker` user has no engine object to call register() on."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


def test_the_incident_of_an_unbound_application_names_both_ways_to_bind_it() -> None:
    pb = PackageBuilder("pkg")
    pb.application("prepare")
    p = pb.process("p")
    p.activity("a", tools=[("prepare", [])])
    with Engine() as engine:
        engine.deploy(pb.build())
        iid = engine.start_process("p")
        [incident] = engine.incidents(iid)
    assert "application 'prepare' is not bound" in incident.message
    assert "engine.applications.register()" in incident.message
    assert "--apps MODULE" in incident.message
