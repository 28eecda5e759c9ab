"""XES of a Standard-loop activity: each round is an activity life cycle of its own, so each
gets its ``start`` and ``complete`` (rounds 2..n of a person's loop had neither: the log read
schedule, assign, start, schedule, assign, schedule, assign, complete)."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from lxml import etree

from wfengine import Engine, PackageBuilder, VirtualClock, standard_loop
from wfengine.audit import write_xes
from wfengine.runtime.directory import StaticDirectory

XES = "{http://www.xes-standard.org/}"


def _log(e: Engine) -> list[tuple[str, str, str | None]]:
    """(transition, time, resource) of each XES event."""
    out = io.BytesIO()
    write_xes(e, out)
    found = []
    for event in etree.fromstring(out.getvalue()).iter("event"):
        values = {a.get("key"): a.get("value") for a in event}
        found.append(
            (values["lifecycle:transition"], values["time:timestamp"], values.get("org:resource"))
        )
    return found


def _engine(performer: str | None, test_time: str = "After") -> tuple[Engine, VirtualClock, str]:
    clock = VirtualClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    e = Engine(clock=clock, directory=StaticDirectory({"clerk": ["u", "v"]}))
    pb = PackageBuilder("m")
    p = pb.process("loop").participant("clerk")
    p.data_field("n", "INTEGER", initial="0")
    p.activity(
        "a", performer=performer, loop=standard_loop("n < 3", counter="n", test_time=test_time)
    )
    e.deploy(pb.build())
    return e, clock, e.start_process("loop", {})


def test_each_round_of_a_persons_loop_starts_and_completes() -> None:
    e, clock, iid = _engine("clerk")
    for who in ("u", "v", "u"):
        (item,) = [w for w in e.work_items(iid) if w.state.name != "COMPLETED"]
        clock.advance(timedelta(minutes=10))
        e.claim_work_item(item.id, who)
        e.start_work_item(item.id, who)
        clock.advance(timedelta(minutes=5))
        e.complete_work_item(item.id, user=who)
    log = _log(e)
    assert [t for t, _, _ in log] == ["schedule", "assign", "start", "complete"] * 3
    starts = [(at[11:16], who) for t, at, who in log if t == "start"]
    completes = [(at[11:16], who) for t, at, who in log if t == "complete"]
    assert starts == [("09:10", "u"), ("09:25", "v"), ("09:40", "u")]
    assert completes == [("09:15", "u"), ("09:30", "v"), ("09:45", "u")]


def test_a_round_completed_without_a_start_starts_at_its_completion() -> None:
    e, _, iid = _engine("clerk", test_time="Before")
    while items := [w for w in e.work_items(iid) if w.state.name != "COMPLETED"]:
        e.complete_work_item(items[0].id, user="u")
    assert [t for t, _, _ in _log(e)] == ["schedule", "start", "complete"] * 3


def test_each_round_of_an_automatic_loop_starts_and_completes() -> None:
    e, _, _ = _engine(None)
    assert [t for t, _, _ in _log(e)] == ["start", "complete"] * 3
