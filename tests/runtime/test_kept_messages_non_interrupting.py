"""Messages kept before a non-interrupting message event listens (an event attached to an
activity not yet begun, an event sub-process of a block not yet running): each is taken as the
event starts listening, oldest first, and none is left behind for a later one to overtake."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wfengine import Engine, PackageBuilder


def _boundary() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("note", "STRING")
    p.activity("first", performer="clerk").activity("work", performer="clerk")
    p.transition("first", "work")
    p.intermediate("noted", message="note", attached_to="work", interrupting=False)
    p.activity("log").transition("noted", "log")
    return pb


def _event_subprocess() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.data_field("note", "STRING")
    inner = p.activity_set("inner")
    inner.activity("work", performer="clerk")
    react = p.activity_set("react", triggered_by_event=True)
    react.start("noted", message="note", interrupting=False).activity("log")
    react.transition("noted", "log")
    inner.block("on_note", activity_set="react")
    p.activity("first", performer="clerk").block("region", activity_set="inner")
    p.transition("first", "region")
    return pb


@pytest.mark.parametrize("make", [_boundary, _event_subprocess], ids=["boundary", "esp"])
def test_every_kept_message_is_taken_as_the_event_listens(
    engine: Engine, make: Callable[[], PackageBuilder]
) -> None:
    engine.deploy(make().build())
    i = engine.start_process("main")
    assert not engine.send_message("note", {"note": "one"}, instance_id=i)
    assert not engine.send_message("note", {"note": "two"}, instance_id=i)
    (first,) = engine.work_items(i)
    engine.complete_work_item(first.id)  # the event starts listening
    assert engine.trace(i).count("log") == 2
    assert engine.instance(i).data["note"] == "two"  # oldest first: the later one writes last
    assert engine.send_message("note", {"note": "three"}, instance_id=i)
    assert engine.trace(i).count("log") == 3
    assert engine.instance(i).data["note"] == "three"
    engine.suspend(i)
    engine.resume(i)
    assert engine.trace(i).count("log") == 3  # nothing was left kept
