"""``incident.opened`` can name the incident it opened, beside its message, as the answers
to it (``incident.retried``, ``incident.skipped``, ``incident.aborted``) do: an operator told
to retry ``inc-101`` could not find where it opened. A trail written before (the bare message,
as old SQLite databases hold it) still reads, with no id."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder
from wfengine.runtime.history import IncidentOpened, read_payload


def test_an_opened_incident_is_stored_with_its_id_and_message() -> None:
    opened = IncidentOpened("ZeroDivisionError: division by zero", "inc-101")
    assert opened.detail() == {
        "incident": "inc-101",
        "message": "ZeroDivisionError: division by zero",
    }
    assert read_payload("incident.opened", opened.detail()) == opened


def test_the_bare_message_written_before_reads_with_no_id() -> None:
    assert read_payload("incident.opened", "boom") == IncidentOpened("boom")
    assert IncidentOpened("boom").detail() == "boom"


def test_a_trail_reads_its_opened_incidents_either_way(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("q")
    p.data_field("zero", "INTEGER", initial="0").data_field("y", "FLOAT")
    p.activity("calc", script="y = 1 / zero")
    engine.deploy(pb.build())
    iid = engine.start_process("q")
    (incident,) = engine.incidents(iid)
    (opened,) = [e for e in engine.audit(iid) if e.kind == "incident.opened"]
    payload = opened.payload
    assert isinstance(payload, IncidentOpened)
    assert payload.message == incident.message
    assert payload.incident_id in (None, incident.id)  # None: an engine that did not name it
