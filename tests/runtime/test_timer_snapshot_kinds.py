"""``Engine.timers()`` says which event each timer is for: ``kind`` (a deadline, a timer
event, an attached timer event, an event sub-process's start) and ``activity_id`` (the
activity or event whose timer it is), on every store. Before, a boundary timer and a
repeating one on the same activity both named only that activity's instance, and an event
sub-process's timer named the process instance; ``deadline_index`` (kept, as every field
was) meant something only in docs/architecture.md."""

from __future__ import annotations

import pickle
from datetime import datetime

from tests.runtime.conftest import run
from wfengine import Engine, PackageBuilder, TimerSnapshot


def _package() -> PackageBuilder:
    """``main``: ``work`` with a deadline, a repeating non-interrupting timer ``nudge`` and
    an interrupting one ``cutoff`` attached, and an event sub-process started by the timer
    ``caught``; ``pausing``: an intermediate timer event ``pause`` in the flow."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.start("s").activity("work", performer="clerk", deadlines=[("PT1H", "Late")])
    p.end("e").end("e2").end("e3")
    p.intermediate("nudge", attached_to="work", timer="R/PT10M", interrupting=False)
    p.intermediate("cutoff", attached_to="work", timer="PT2H")
    p.sequence("s", "work", "e").sequence("nudge", "e2").sequence("cutoff", "e3")
    sub = p.activity_set("reaction", triggered_by_event=True)
    sub.start("caught", interrupting=False, timer="PT4H").end("handled")
    sub.sequence("caught", "handled")
    p.block("on_time", activity_set="reaction")
    q = pb.process("pausing")
    q.start("qs").intermediate("pause", timer="PT30M").end("qe")
    q.sequence("qs", "pause", "qe")
    return pb


def _listed(timers: list[TimerSnapshot]) -> list[tuple[str, str | None, int]]:
    return [(t.kind, t.activity_id, t.deadline_index) for t in timers]


def test_each_timer_says_what_it_is_for_and_keeps_its_fields(engine: Engine) -> None:
    iid = run(engine, _package())
    timers = engine.timers(iid)
    assert _listed(timers) == [
        ("boundary_event", "nudge", -2),
        ("deadline", "work", 0),
        ("boundary_event", "cutoff", -3),
        ("event_subprocess_start", "caught", -1_000_000),
    ]
    [work] = [a for a in engine.activity_instances(iid) if a.activity_id == "work"]
    holders = [t.activity_instance_id for t in timers]
    assert holders == [work.id, work.id, work.id, iid]
    assert all(t.instance_id == iid and isinstance(t.due, datetime) for t in timers)


def test_an_intermediate_timer_event_is_a_timer_event_of_its_own(engine: Engine) -> None:
    iid = run(engine, _package(), process="pausing")
    [timer] = engine.timers(iid)
    assert _listed([timer]) == [("timer_event", "pause", -1)]
    [pause] = engine.activity_instances(iid)[-1:]
    assert (pause.activity_id, timer.activity_instance_id) == ("pause", pause.id)


def test_every_instance_s_timers_say_it_too(engine: Engine) -> None:
    first = run(engine, _package(), process="pausing")
    second = engine.start_process("main")
    kinds = {(t.instance_id, t.kind, t.activity_id) for t in engine.timers()}
    assert (first, "timer_event", "pause") in kinds
    assert (second, "event_subprocess_start", "caught") in kinds
    assert len(kinds) == 5


def test_a_snapshot_pickled_before_the_new_fields_reads_their_defaults() -> None:
    snapshot = TimerSnapshot.__new__(TimerSnapshot)
    snapshot.__setstate__(["tm-1", datetime(2030, 1, 1), "pi-1", "pi-1:2", 0])
    assert (snapshot.kind, snapshot.activity_id, snapshot.deadline_index) == ("", None, 0)
    made = TimerSnapshot("tm-1", datetime(2030, 1, 1), "pi-1", "pi-1:2", 0, "deadline", "w")
    assert pickle.loads(pickle.dumps(made)) == made
