"""The trail's ``incident.opened`` names the incident it opened (``{"incident": id,
"message": text}``), as the answers to it do: an operator told to retry ``inc-101`` found its
retry in the trail but not where it opened, nor which of a retried activity's incidents is
which."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder, detailed_status
from wfengine.runtime.history import IncidentOpened


def test_each_opened_incident_is_named_in_the_trail(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("q")
    p.data_field("zero", "INTEGER", initial="0").data_field("y", "FLOAT")
    p.activity("calc", script="y = 1 / zero")
    engine.deploy(pb.build())
    iid = engine.start_process("q")
    (first,) = engine.incidents(iid)
    (second,) = engine.retry_incident(first.id, user="root")
    opened = [e for e in engine.audit(iid) if e.kind == "incident.opened"]
    assert [e.detail for e in opened] == [
        {"incident": first.id, "message": first.message},
        {"incident": second.id, "message": second.message},
    ]
    assert [e.payload for e in opened] == [
        IncidentOpened(first.message, first.id),
        IncidentOpened(second.message, second.id),
    ]
    shown = [e.detail for e in detailed_status(engine, iid).history if e.kind == "incident.opened"]
    assert shown[1]["incident"] == second.id
