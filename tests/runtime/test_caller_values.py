"""The engine keeps its own copy of what it is given and hands out copies: a host that changes
its own list after start_process or complete_work_item, or edits a snapshot's data or an audit
event's detail, changes nothing in the engine, on every store (the memory store used to share
the objects, so code tested in memory behaved otherwise on a database)."""

from __future__ import annotations

from wfengine import Engine, PackageBuilder


def test_values_given_and_handed_out_are_copies(engine: Engine) -> None:
    pb = PackageBuilder("p")
    p = pb.process("proc")
    p.data_field("items", "STRING", is_array=True)
    p.start("s")
    p.activity("a", performer="clerk")
    p.activity("b", performer="clerk")
    p.end("e")
    p.sequence("s", "a", "b", "e")
    engine.deploy(pb.build())

    given = {"items": ["x"]}
    pi = engine.start_process("proc", given)
    given["items"].append("changed by the host")
    assert engine.instance(pi).data["items"] == ["x"]

    completed = {"items": ["y"]}
    (item,) = engine.work_items(pi)
    engine.complete_work_item(item.id, completed)
    completed["items"].append("changed by the host")
    assert engine.instance(pi).data["items"] == ["y"]

    engine.instance(pi).data["items"].append("edited in a snapshot")
    assert engine.instance(pi).data["items"] == ["y"]

    event = next(e for e in engine.audit(pi) if e.kind == "work_item.completed")
    event.detail["data"]["items"][0] = "rewritten"
    again = next(e for e in engine.audit(pi) if e.kind == "work_item.completed")
    assert again.detail["data"]["items"] == ["y"]

    engine.set_data(pi, new := {"items": ["z"]})
    new["items"].clear()
    assert engine.instance(pi).data["items"] == ["z"]


def test_a_page_or_a_time_that_would_select_wrongly_is_refused(engine: Engine) -> None:
    """A negative limit dropped the last event in memory and returned all of them on SQLite;
    a time with no timezone raised a raw TypeError or a SQLAlchemy error."""
    from datetime import datetime

    import pytest

    with pytest.raises(ValueError, match=r"limit: not negative \(-1\)"):
        engine.audit_events(limit=-1)
    with pytest.raises(ValueError, match=r"limit: not negative \(-1\)"):
        engine.work_items_of("alice", limit=-1)
    with pytest.raises(ValueError, match="since: a time with a timezone"):
        engine.audit_events(since=datetime(2026, 1, 1))
    assert engine.audit_events(limit=0) == []
