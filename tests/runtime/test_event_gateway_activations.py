"""An event-based gateway's choice (WCP16 deferred choice) is decided per activation: the
first of the catch events one activation began withdraws the others of that activation only.

It was: the winner withdrew every waiting instance of its rival events in the scope,
those of another thread that reached the same gateway (a multi-instance flow None, a
multi-merge) and a catch event a parallel thread reached without the gateway, so a reply
for the other thread was never taken, or its timeout never fired. An instance stored
before activations were kept (no key in the SQL document) withdraws as it did then.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from tests.runtime.conftest import check_history, run, store_url
from wfengine.definition.builder import PackageBuilder, multi_instance
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.history import EventKind
from wfengine.runtime.limits import RuntimeLimits
from wfengine.runtime.sql import schema
from wfengine.runtime.states import ProcessState


def _choice(p: Any) -> None:
    """Gateway ``g``: a reply (``msg`` -> ``got``) or a one-hour timeout (``tm`` -> ``late``)."""
    p.route("g", gateway="EventBased")
    p.intermediate("msg", message="reply").intermediate("tm", timer="PT1H")
    p.activity("got").activity("late")
    p.transition("g", "msg").transition("g", "tm")
    p.transition("msg", "got").transition("tm", "late")


def _threads() -> PackageBuilder:
    """Two threads (MI flow None, WCP42) each reach ``g`` when its person finishes."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("ask", performer="clerk", loop=multi_instance("2", flow="None"))
    _choice(p)
    p.transition("ask", "g")
    return pb


def _merge() -> PackageBuilder:
    """Two branches of a parallel split both lead into ``g`` (WCP8 multi-merge)."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.route("s", gateway="Parallel")
    p.activity("b1", performer="clerk").activity("b2", performer="clerk")
    _choice(p)
    p.transition("s", "b1").transition("s", "b2").transition("b1", "g").transition("b2", "g")
    return pb


def _open(engine: Engine, iid: str) -> list[str]:
    return sorted(a.activity_id for a in engine.activity_instances(iid) if a.state.is_open)


def _both_at_g(engine: Engine, clock: VirtualClock, pb: PackageBuilder) -> str:
    """Thread 1 reaches ``g`` at 0:00, thread 2 at 0:30."""
    iid = run(engine, pb)
    first, second = engine.work_items(iid)
    engine.complete_work_item(first.id)
    clock.advance(timedelta(minutes=30))
    engine.complete_work_item(second.id)
    assert _open(engine, iid) == ["msg", "msg", "tm", "tm"]
    return iid


@pytest.mark.parametrize("shape", [_threads, _merge])
def test_one_threads_timeout_leaves_the_other_threads_reply_waiting(
    engine: Engine, clock: VirtualClock, shape: Any
) -> None:
    iid = _both_at_g(engine, clock, shape())
    clock.advance(timedelta(minutes=30))  # 1:00: thread 1 times out
    assert _open(engine, iid) == ["msg", "tm"]  # was ["tm"]: thread 2's wait withdrawn
    clock.advance(timedelta(minutes=10))
    assert engine.send_message("reply", {}, instance_id=iid)  # 1:10: thread 2's reply
    clock.advance(timedelta(hours=2))
    assert engine.trace(iid).count("late") == 1  # was 2
    assert engine.trace(iid).count("got") == 1
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_one_threads_reply_leaves_the_other_threads_timeout_armed(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = _both_at_g(engine, clock, _threads())
    clock.advance(timedelta(minutes=15))
    engine.send_message("reply", {}, instance_id=iid)  # 0:45: thread 1's reply
    assert _open(engine, iid) == ["msg", "tm"]
    clock.advance(timedelta(hours=1))  # thread 2's timeout (1:30) fires
    assert engine.trace(iid)[-4:] == ["msg", "got", "tm", "late"]
    # was: open for ever, thread 2's timer withdrawn and its msg left waiting
    assert engine.instance(iid).state is ProcessState.COMPLETED


def _side_thread() -> PackageBuilder:
    """``g`` offers ``msg`` or ``tm``; a parallel thread ``other`` leads straight into ``msg``."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("f", gateway="Parallel")
    _choice(p)
    p.activity("other")
    p.transition("f", "g").transition("f", "other").transition("other", "msg")
    return pb


def test_a_catch_event_reached_without_the_gateway_is_no_part_of_its_choice(
    engine: Engine, clock: VirtualClock
) -> None:
    iid = run(engine, _side_thread())
    assert _open(engine, iid) == ["msg", "msg", "tm"]
    clock.advance(timedelta(hours=2))  # the timer wins g's choice
    aborted = [e.activity_id for e in engine.audit(iid) if e.kind == EventKind.ACTIVITY_ABORTED]
    assert aborted == ["msg"]  # g's own; was both
    assert _open(engine, iid) == ["msg"]
    assert engine.waits_for_message(iid, "reply")
    engine.send_message("reply", {}, instance_id=iid)
    assert engine.trace(iid)[-2:] == ["msg", "got"]
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_the_side_threads_catch_firing_first_decides_nothing(engine: Engine) -> None:
    iid = run(engine, _side_thread())
    engine.send_message("reply", {}, instance_id=iid)  # the oldest catch: g's msg
    engine.send_message("reply", {}, instance_id=iid)  # the side thread's
    assert engine.trace(iid).count("got") == 2
    assert _open(engine, iid) == []
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_kept_message_still_decides_the_choice_it_arrived_first_for(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("ask", performer="clerk")
    p.route("g", gateway="EventBased")
    p.intermediate("yes", message="accept").intermediate("no", message="refuse")
    p.activity("on").activity("off")
    p.transition("ask", "g").transition("g", "yes").transition("g", "no")
    p.transition("yes", "on").transition("no", "off")
    iid = run(engine, pb)
    engine.send_message("refuse", {}, instance_id=iid)  # kept: nothing waits yet
    engine.send_message("accept", {}, instance_id=iid)
    engine.complete_work_item(engine.work_items(iid)[0].id)
    assert engine.trace(iid) == ["ask", "g", "no", "off"]


# -- instances stored before activations were kept -----------------------------------------


def _drop_keys(url: str) -> int:
    """Remove the activation keys from every stored instance document; returns how many."""
    p = schema.process_instances
    db = sa.create_engine(url)
    dropped = 0
    try:
        with db.begin() as conn:
            for iid, document in conn.execute(sa.select(p.c.id, p.c.state_blob)).all():
                for record in document["activities"]:
                    dropped += record.pop("gw", None) is not None
                document.pop("parked_gw", None)  # (work parked then carried none either)
                conn.execute(p.update().where(p.c.id == iid).values(state_blob=document))
    finally:
        db.dispose()
    return dropped


@pytest.mark.parametrize("kind", ["sqlite"])
def test_a_choice_stored_without_activations_withdraws_as_before(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path
) -> None:
    url = store_url(request, kind, tmp_path)
    assert url is not None
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url) as engine:
        iid = _both_at_g(engine, clock, _threads())
    assert _drop_keys(url) == 4  # g's targets, twice
    clock = VirtualClock(clock.now())
    with Engine(clock=clock, db_url=url) as engine:
        clock.advance(timedelta(minutes=30))  # 1:00: thread 1 times out
        assert _open(engine, iid) == ["tm"]  # every waiting msg withdrawn, as before
        clock.advance(timedelta(hours=1))
        assert engine.trace(iid).count("late") == 2
        assert engine.instance(iid).state is ProcessState.COMPLETED
        check_history(engine)


def _gateway_alone() -> PackageBuilder:
    """``g`` straight from the start: a reply (``msg`` -> ``got``) or a timeout (``tm``)."""
    pb = PackageBuilder("pkg")
    _choice(pb.process("main"))
    return pb


def _retry(engine: Engine, iid: str) -> None:
    """Retry the step budget's incidents until the work is done (each retry runs as many
    steps as the budget allows, and parks the rest again)."""
    for _ in range(20):
        waiting = [i for i in engine.incidents(iid) if not i.resolved]
        if not waiting:
            return
        for incident in waiting:
            engine.retry_incident(incident.id)


@pytest.mark.parametrize("steps", [1, 2])
@pytest.mark.parametrize("kind", ["sqlite"])
def test_targets_parked_before_activations_were_kept_still_race_each_other(
    request: pytest.FixtureRequest, kind: str, tmp_path: Path, steps: int
) -> None:
    # the step budget parks the work between g and its targets (or between its targets)
    url = store_url(request, kind, tmp_path)
    assert url is not None
    limits = RuntimeLimits(max_steps=steps)
    with Engine(clock=VirtualClock(), db_url=url, limits=limits) as engine:
        iid = run(engine, _gateway_alone())
        assert engine.trace(iid) == ["g"]
        assert "tm" not in _open(engine, iid)  # its begin is parked
    _drop_keys(url)  # as a wfengine before activations wrote it
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url) as engine:
        _retry(engine, iid)
        assert _open(engine, iid) == ["msg", "tm"]
        engine.send_message("reply", {}, instance_id=iid)
        clock.advance(timedelta(hours=2))
        # was: the parked begin made tm in no choice, so both ways ran
        assert engine.trace(iid) == ["g", "msg", "got"]
        assert engine.instance(iid).state is ProcessState.COMPLETED
        check_history(engine)


def test_a_message_while_the_targets_are_parked_waits_for_the_retry(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_steps=1)) as engine:
        iid = run(engine, _gateway_alone())
        engine.send_message("reply", {}, instance_id=iid)
        # was: the targets existed already, so the message decided the choice and the
        # instance ran on past the parked work
        assert engine.trace(iid) == ["g"]
        _retry(engine, iid)
        clock.advance(timedelta(hours=2))
        assert engine.trace(iid) == ["g", "msg", "got"]
        assert engine.instance(iid).state is ProcessState.COMPLETED
        check_history(engine)


def test_a_waiting_target_that_fires_withdraws_its_parked_rival(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_steps=2)) as engine:
        iid = run(engine, _gateway_alone())
        assert _open(engine, iid) == ["msg"]  # tm's begin is parked
        engine.send_message("reply", {}, instance_id=iid)  # msg waits: it takes it
        _retry(engine, iid)
        clock.advance(timedelta(hours=2))
        assert engine.trace(iid) == ["g", "msg", "got"]  # tm's parked begin dropped
        assert engine.instance(iid).state is ProcessState.COMPLETED
        check_history(engine)


def test_targets_parked_by_this_wfengine_keep_their_choice(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    clock = VirtualClock()
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=clock, db_url=url, limits=RuntimeLimits(max_steps=2)) as engine:
        iid = run(engine, _threads())
        _retry(engine, iid)
        for minutes in (30, 0):  # thread 1 reaches g at 0:00, thread 2 at 0:30
            engine.complete_work_item(engine.work_items(iid)[0].id)
            assert [i for i in engine.incidents(iid) if not i.resolved]  # work parked
            _retry(engine, iid)
            clock.advance(timedelta(minutes=minutes))
        assert _open(engine, iid) == ["msg", "msg", "tm", "tm"]
        clock.advance(timedelta(minutes=30))  # 1:00: thread 1 times out
        _retry(engine, iid)
        assert _open(engine, iid) == ["msg", "tm"]
        engine.send_message("reply", {}, instance_id=iid)  # thread 2's reply
        _retry(engine, iid)
        clock.advance(timedelta(hours=2))
        _retry(engine, iid)
        assert sorted(engine.trace(iid)[-4:]) == ["got", "late", "msg", "tm"]
        assert engine.instance(iid).state is ProcessState.COMPLETED


@pytest.mark.parametrize("flow", ["One", "None"])
def test_a_multi_instance_event_gateway_keeps_each_choice(
    engine: Engine, clock: VirtualClock, flow: str
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("s0")
    p.route("g", gateway="EventBased", loop=multi_instance("2", flow=flow))
    p.intermediate("msg", message="reply").intermediate("tm", timer="PT1H")
    p.activity("got").activity("late")
    p.transition("s0", "g").transition("g", "msg").transition("g", "tm")
    p.transition("msg", "got").transition("tm", "late")
    iid = run(engine, pb)
    engine.send_message("reply", {}, instance_id=iid)
    clock.advance(timedelta(hours=2))
    trace = engine.trace(iid)
    # was: the instance's way on reached msg and tm in no choice, so both ran
    assert trace.count("got") == 1
    # flow None: the second instance's way on is a choice of its own, which its timer wins
    assert trace.count("late") == (1 if flow == "None" else 0)
    assert engine.instance(iid).state is ProcessState.COMPLETED


def test_a_kept_message_decides_before_the_rivals_begin(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("ask", performer="clerk")
    _choice(p)
    p.transition("ask", "g")
    iid = run(engine, pb)
    engine.send_message("reply", {}, instance_id=iid)  # kept: nothing waits yet
    engine.complete_work_item(engine.work_items(iid)[0].id)
    events = [(e.kind, e.activity_id) for e in engine.audit(iid) if e.activity_id in {"msg", "tm"}]
    # was: tm started and aborted too, and the ids of what came after moved on by one
    assert events == [
        (EventKind.ACTIVITY_STARTED, "msg"),
        (EventKind.MESSAGE_RECEIVED, "msg"),
        (EventKind.ACTIVITY_COMPLETED, "msg"),
    ]
    assert [a.activity_id for a in engine.activity_instances(iid)][-2:] == ["msg", "got"]


def test_the_targets_begin_after_work_ready_before_them(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("f", gateway="Parallel")
    _choice(p)
    p.activity("a").activity("b")
    p.transition("f", "g").transition("f", "a").transition("a", "b")
    iid = run(engine, pb)
    started = [e.activity_id for e in engine.audit(iid) if e.kind == EventKind.ACTIVITY_STARTED]
    # was: msg and tm started as g left, before a, which was ready first
    assert started == ["f", "g", "a", "msg", "tm", "b"]


def _two_messages() -> PackageBuilder:
    """Gateway ``g``: message ``a`` (``c1`` -> ``after1``) or message ``b`` (``c2`` ->
    ``after2``)."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("g", gateway="EventBased")
    p.intermediate("c1", message="a").intermediate("c2", message="b")
    p.activity("after1").activity("after2")
    p.transition("g", "c1").transition("g", "c2")
    p.transition("c1", "after1").transition("c2", "after2")
    return pb


@pytest.mark.parametrize("steps", [None, 2])
def test_the_earliest_message_decides_when_only_some_targets_have_begun(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path, steps: int | None
) -> None:
    url = store_url(request, store_kind, tmp_path)
    limits = RuntimeLimits(max_steps=steps) if steps else None
    with Engine(clock=VirtualClock(), db_url=url, limits=limits) as engine:
        iid = run(engine, _two_messages())
        if steps:
            assert _open(engine, iid) == ["c1"]  # c2's begin is parked
        engine.send_message("b", {}, instance_id=iid)
        if steps:
            # was: c1 had begun, so it took the later message at once and its way won
            assert engine.send_message("a", {}, instance_id=iid) is False  # kept
            _retry(engine, iid)
        assert engine.trace(iid) == ["g", "c2", "after2"]
        assert engine.instance(iid).state is ProcessState.COMPLETED
        check_history(engine)


def test_a_condition_waits_while_an_earlier_message_is_kept_for_a_parked_rival(
    request: pytest.FixtureRequest, store_kind: str, tmp_path: Path
) -> None:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.route("g", gateway="EventBased")
    p.intermediate("c1", condition="go").intermediate("c2", message="b")
    p.activity("after1").activity("after2")
    p.transition("g", "c1").transition("g", "c2")
    p.transition("c1", "after1").transition("c2", "after2")
    url = store_url(request, store_kind, tmp_path)
    with Engine(clock=VirtualClock(), db_url=url, limits=RuntimeLimits(max_steps=2)) as engine:
        iid = run(engine, pb, data={"go": False})
        assert _open(engine, iid) == ["c1"]  # c2's begin is parked
        engine.send_message("b", {}, instance_id=iid)
        engine.set_data(iid, {"go": True})
        # was: the condition fired c1 at once, though b came first
        assert engine.trace(iid) == ["g"]
        _retry(engine, iid)
        assert engine.trace(iid) == ["g", "c2", "after2"]
        assert engine.instance(iid).state is ProcessState.COMPLETED
        check_history(engine)
