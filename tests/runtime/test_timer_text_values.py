"""A TimeDate or deadline expression giving text written as a date-time (a due time kept as
ISO text in a STRING field, as JSON answers hold it) is an incident, as before; its message
used to say the text "is not a date-time", which reads as a contradiction. It now says that
text is not read as a time and to keep the moment in a DATETIME field."""

from __future__ import annotations

from datetime import UTC, datetime

from wfengine import Engine, PackageBuilder, VirtualClock


def test_a_timer_date_given_as_text_says_to_use_a_datetime_field() -> None:
    engine = Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC)))
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("when", "STRING", initial="'2030-01-02T00:00:00Z'")
    p.activity("s")
    p.intermediate("t", at="when")
    p.activity("x")
    p.sequence("s", "t", "x")
    engine.deploy(pb.build())
    iid = engine.start_process("main")
    [incident] = engine.incidents(iid)
    assert "a text is not read as one" in incident.message
    assert "DATETIME field" in incident.message
    assert engine.timers(iid) == []
