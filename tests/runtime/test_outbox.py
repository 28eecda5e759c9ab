"""The outbox delivers: after commit, at least once, retried with back-off, pruned (issue 10,
item 4), on memory, SQLite and PostgreSQL (the ``engine`` fixture, on a virtual clock).

Every test drives time with the virtual clock: a back-off or the retention period passes by
``clock.advance``, never by waiting.
"""

from __future__ import annotations

import logging
from collections import Counter
from datetime import timedelta

import pytest

from tests.runtime.conftest import complete_all, run
from wfengine.definition.builder import PackageBuilder
from wfengine.errors import DataNotStorableError
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import (
    OutboxHandlers,
    OutboxKind,
    OutboxPolicy,
    OutboxRecord,
    OutboxStatus,
    Resolution,
)

OFFERED = OutboxKind.WORK_ITEM_OFFERED


def _manual() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.activity("ask", performer="clerk").activity("done").transition("ask", "done")
    return pb


def _lookup(deadline: bool = False) -> PackageBuilder:
    """An application call (which the tests make fail), optionally with a deadline that
    cancels it and takes the ``Late`` way."""
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("customer", "INTEGER", initial="7").data_field("name", "STRING")
    p.application("lookup", params=[("id", "IN", "INTEGER"), ("name", "OUT", "STRING")])
    late = [("PT1H", "Late", "SYNCHR")] if deadline else []
    p.activity("call", tool="lookup", args=["customer", "name"], deadlines=late)
    p.activity("after").transition("call", "after")
    if deadline:
        p.activity("late").transition("call", "late", exception="Late")
    return pb


def _down(id: int) -> dict[str, str]:
    raise ConnectionError("CRM down")


def _up(id: int) -> dict[str, str]:
    return {"name": "Ada"}


class Flaky:
    """A handler that fails its first ``failures`` calls, then records what it got."""

    def __init__(self, failures: int = 0) -> None:
        self.failures = failures
        self.calls: list[OutboxRecord] = []
        self.delivered: list[OutboxRecord] = []

    def __call__(self, record: OutboxRecord) -> None:
        self.calls.append(record)
        if len(self.calls) <= self.failures:
            raise ConnectionError(f"mail server down ({len(self.calls)})")
        self.delivered.append(record)


def _entries(engine: Engine, instance_id: str | None = None) -> list[tuple[str, str]]:
    return [(e.kind, e.key) for e in engine.outbox.entries(instance_id=instance_id)]


def _plain(key: str) -> str:
    """``key`` without its instance's stamp (``wi-1@3fa9c2e1b0d4/offered``: ``wi-1/offered``;
    test_outbox_keys.py holds the stamps to what they are for)."""
    head, slash, rest = key.partition("/")
    return head.partition("@")[0] + slash + rest


# --------------------------------------------------------------------------- delivery


def test_a_handler_that_fails_twice_is_called_a_third_time_and_delivered_once(
    engine: Engine, clock: VirtualClock
) -> None:
    handler = Flaky(failures=2)
    engine.outbox.subscribe(handler, kinds=[OFFERED])
    engine.deploy(_manual().build())
    iid = engine.start_process("main")
    [item] = engine.work_items(iid)
    key = f"{item.id}/offered"

    engine.deliver_outbox()
    [pending] = engine.outbox.entries(OutboxStatus.PENDING)
    assert (_plain(pending.key), pending.attempts) == (key, 1)
    assert pending.last_error is not None and "mail server down (1)" in pending.last_error
    assert pending.next_attempt_at == clock.now() + timedelta(seconds=1)
    engine.deliver_outbox()  # not due yet: its back-off holds it
    assert len(handler.calls) == 1

    clock.advance(timedelta(seconds=1))
    engine.deliver_outbox()
    assert len(handler.calls) == 2
    [pending] = engine.outbox.entries(OutboxStatus.PENDING)
    assert pending.next_attempt_at == clock.now() + timedelta(seconds=2)  # doubled

    clock.advance(timedelta(seconds=2))
    engine.deliver_outbox()
    clock.advance(timedelta(hours=2))
    engine.deliver_outbox()
    assert [r.attempts for r in handler.calls] == [1, 2, 3]
    assert len({r.key for r in handler.calls}) == 1  # the same on every delivery
    assert {_plain(r.key) for r in handler.calls} == {key}
    [done] = handler.delivered
    assert _plain(done.key) == key and done.payload["work_item_id"] == item.id
    [stored] = engine.outbox.entries(OutboxStatus.DELIVERED)
    assert (stored.id, stored.attempts, stored.next_attempt_at) == (done.id, 3, None)
    # the other kinds had no handler: settled without a call, so nothing stays behind
    assert engine.outbox.entries(OutboxStatus.PENDING) == []
    assert {e.status for e in engine.outbox.entries() if e.kind != OFFERED} == {
        OutboxStatus.SKIPPED
    }


def test_a_failing_entry_does_not_hold_up_the_others(engine: Engine, clock: VirtualClock) -> None:
    got: list[str] = []

    def picky(record: OutboxRecord) -> None:
        if record.payload["activity_id"] == "ask" and record.attempts < 2:
            raise RuntimeError("not this one")
        got.append(_plain(record.key))

    pb = _manual()
    pb.process("other").activity("fill", performer="clerk")
    engine.outbox.subscribe(picky, kinds=[OFFERED])
    engine.deploy(pb.build())
    first = engine.start_process("main")
    second = engine.start_process("other")
    engine.deliver_outbox()
    [other] = engine.work_items(second)
    assert got == [f"{other.id}/offered"]  # the later entry went out, the failing one waits
    clock.advance(timedelta(seconds=1))
    engine.deliver_outbox()
    [ask] = engine.work_items(first)
    assert got == [f"{other.id}/offered", f"{ask.id}/offered"]


def test_handlers_get_the_entries_of_their_kinds_in_order(engine: Engine) -> None:
    everything: list[str] = []
    offered: list[str] = []
    engine.outbox.subscribe(lambda r: everything.append(r.kind))
    engine.outbox.subscribe(lambda r: offered.append(_plain(r.key)), kinds=[OFFERED.value])
    engine.deploy(_manual().build())
    iid = engine.start_process("main")
    [item] = engine.work_items(iid)
    complete_all(engine, iid)
    assert engine.deliver_outbox() == 4
    assert everything == [
        "instance.state_changed",
        "work_item.offered",
        "work_item.completed",
        "instance.state_changed",
    ]
    assert offered == [f"{item.id}/offered"]
    assert engine.deliver_outbox() == 0  # delivered: never again


def test_subscribing_an_unknown_kind_is_refused(engine: Engine) -> None:
    with pytest.raises(ValueError, match=r"instance\.closed"):
        engine.outbox.subscribe(print, kinds=["instance.closed"])
    with pytest.raises(ValueError, match="every kind"):
        engine.outbox.subscribe(print, kinds=[])


def test_an_entry_is_delivered_only_after_its_command_committed(engine: Engine) -> None:
    """A handler runs outside every command (so it may use the engine), and sees only what
    was committed: the entries of a command that failed never exist."""
    seen: list[str] = []

    def start_another(record: OutboxRecord) -> None:
        seen.append(_plain(record.key))
        if record.payload["state"] == "closed.completed" and len(seen) < 3:
            engine.start_process("auto")  # a handler may run engine commands

    pb = PackageBuilder("pkg")
    pb.process("auto").activity("a")
    engine.outbox.subscribe(start_another, kinds=[OutboxKind.INSTANCE_STATE_CHANGED])
    engine.deploy(pb.build())
    first = engine.start_process("auto")
    with pytest.raises(DataNotStorableError):
        engine.start_process("auto", {"bad": {1}})  # refused: nothing committed, no entry
    engine.deliver_outbox()  # the second instance's entries are due at once: same call
    second = [s.id for s in engine.instance_summaries() if s.id != first]
    [other] = second
    assert seen == [f"{first}/started", f"{first}/closed", f"{other}/started", f"{other}/closed"]


def test_delivery_inside_a_command_is_refused(engine: Engine) -> None:
    engine.deploy(_lookup().build())
    tried: list[BaseException] = []

    def inside(id: int) -> dict[str, str]:
        try:
            engine.deliver_outbox()
        except RuntimeError as exc:
            tried.append(exc)
        return {"name": "Ada"}

    engine.applications.register("lookup", inside)
    engine.start_process("main")
    [refused] = tried
    assert "after a command commits" in str(refused)


def test_run_due_jobs_delivers_and_fire_due_timers_does_not(engine: Engine) -> None:
    handler = Flaky()
    engine.outbox.subscribe(handler)
    engine.deploy(_manual().build())
    iid = engine.start_process("main", defer=True)
    engine.fire_due_timers()
    engine.run_due_jobs(kinds=("timer",))
    assert handler.calls == []
    assert engine.run_due_jobs() == 1  # the continue job, then the deliveries
    assert [_plain(r.key) for r in handler.delivered] == [
        f"{iid}/started",
        f"{engine.work_items(iid)[0].id}/offered",
    ]
    engine.run_due_jobs(deliver=False)
    complete_all(engine, iid)
    engine.run_due_jobs(deliver=False)
    assert len(handler.delivered) == 2
    engine.run_due_jobs(kinds=("timer",), deliver=True)
    assert len(handler.delivered) == 4


def test_without_handlers_entries_are_skipped_and_pruned(
    engine: Engine, clock: VirtualClock
) -> None:
    engine.deploy(_manual().build())
    iid = engine.start_process("main")
    complete_all(engine, iid)
    assert engine.deliver_outbox() == 4
    assert {e.status for e in engine.outbox.entries()} == {OutboxStatus.SKIPPED}
    clock.advance(OutboxPolicy().retention + OutboxPolicy().prune_every)
    engine.deliver_outbox()
    assert engine.outbox.entries() == []


# --------------------------------------------------------------------------- bounds


def test_an_entry_that_keeps_failing_is_given_up_logged_and_retried_by_an_operator(
    engine: Engine, clock: VirtualClock, caplog: pytest.LogCaptureFixture
) -> None:
    engine.outbox.handlers.policy = OutboxPolicy(max_attempts=3)
    handler = Flaky(failures=3)
    engine.outbox.subscribe(handler, kinds=[OFFERED])
    engine.deploy(_manual().build())
    engine.start_process("main")
    with caplog.at_level(logging.WARNING, logger="wfengine.outbox"):
        for _ in range(5):
            engine.deliver_outbox()
            clock.advance(timedelta(hours=1))
    assert len(handler.calls) == 3
    [failed] = engine.outbox.entries(OutboxStatus.FAILED)
    assert failed.attempts == 3 and "mail server down (3)" in (failed.last_error or "")
    assert f"outbox entry {failed.id}" in caplog.text and "given up" in caplog.text
    clock.advance(OutboxPolicy().retention * 2)
    engine.deliver_outbox()
    assert engine.outbox.entries(OutboxStatus.FAILED) == [failed]  # failed ones are kept

    assert engine.outbox.retry([failed.id]) == 1
    assert engine.deliver_outbox() == 1
    [done] = engine.outbox.entries(OutboxStatus.DELIVERED)
    assert (done.id, done.attempts) == (failed.id, 1)
    assert engine.outbox.retry() == 0


def test_a_dead_deliverers_lease_is_taken_over_and_bounded(
    engine: Engine, clock: VirtualClock
) -> None:
    """An entry whose deliverer died is delivered once its lease expires; one whose
    deliveries never finish, however often, is given up (it may be what kills them)."""
    policy = OutboxPolicy(max_attempts=2, lease=timedelta(minutes=1))
    engine.outbox.handlers.policy = policy
    handler = Flaky()
    engine.outbox.subscribe(handler)
    engine.deploy(_manual().build())
    iid = engine.start_process("main")
    [item] = engine.work_items(iid)
    now = clock.now()
    claimed = engine.store.claim_outbox("dead", now, now + policy.lease, 10)
    assert [_plain(r.key) for r in claimed] == [f"{iid}/started", f"{item.id}/offered"]
    assert engine.deliver_outbox() == 0 and handler.calls == []  # leased to "dead"
    assert engine.outbox.due_at() == now + policy.lease
    assert engine.outbox.due_at(leased=True) == now
    clock.advance(policy.lease)
    assert engine.deliver_outbox() == 2
    # the dead deliverer was delivering the first (its claim counts: attempt 2 now); it never
    # reached the second, whose claim does not count again, and which goes first
    started, offered = claimed
    assert [(r.key, r.attempts) for r in handler.delivered] == [
        (offered.key, 1),
        (started.key, 2),
    ]
    # the next entry's deliveries die every time (each dead deliverer claims it alone): once
    # claimed max_attempts times, the next claim gives it up without calling anything, and
    # delivers the next entry
    complete_all(engine, iid)
    for _ in range(policy.max_attempts):
        now = clock.now()
        assert len(engine.store.claim_outbox("dead", now, now + policy.lease, 1)) == 1
        clock.advance(policy.lease)
    assert engine.deliver_outbox() == 2
    assert [_plain(r.key) for r in handler.calls[2:]] == [f"{iid}/closed"]
    failed = engine.outbox.entries(OutboxStatus.FAILED)
    assert [_plain(e.key) for e in failed] == [f"{item.id}/completed"]
    assert all(e.attempts == 3 and "never finished" in (e.last_error or "") for e in failed)


# --------------------------------------------------------------------------- pruning


def test_delivered_entries_are_pruned_after_the_retention_period(
    engine: Engine, clock: VirtualClock
) -> None:
    policy = OutboxPolicy()
    handler = Flaky()
    engine.outbox.subscribe(handler)
    engine.deploy(_manual().build())
    iid = engine.start_process("main")
    assert engine.deliver_outbox() == 2
    clock.advance(policy.retention - timedelta(seconds=1))
    complete_all(engine, iid)
    assert engine.deliver_outbox() == 2  # pruning ran: the first two are not old enough
    assert len(engine.outbox.entries(OutboxStatus.DELIVERED)) == 4
    clock.advance(policy.prune_every + timedelta(seconds=1))
    engine.deliver_outbox()
    assert [e.key for e in engine.outbox.entries()] == [r.key for r in handler.delivered[2:]]
    clock.advance(policy.retention)
    assert engine.outbox.prune() == 2  # an operator need not wait for the next round
    assert engine.outbox.entries() == []


# --------------------------------------------------------------------------- the catalogue


def test_every_state_change_of_an_instance_is_an_entry_with_its_own_key(engine: Engine) -> None:
    engine.deploy(_manual().build())
    iid = engine.start_process("main")
    for _ in range(2):
        engine.suspend(iid)
        engine.resume(iid)
    complete_all(engine, iid)
    states = [
        e for e in engine.outbox.entries(instance_id=iid) if e.kind == "instance.state_changed"
    ]
    assert [(e.payload["previous"], e.payload["state"]) for e in states] == [
        ("open.not_running.not_started", "open.running"),
        ("open.running", "open.not_running.suspended"),
        ("open.not_running.suspended", "open.running"),
        ("open.running", "open.not_running.suspended"),
        ("open.not_running.suspended", "open.running"),
        ("open.running", "closed.completed"),
    ]
    assert {e.payload["process_id"] for e in states} == {"main"}
    keys = [e.key for e in states]
    assert len(set(keys)) == len(keys)
    assert _plain(keys[0]) == f"{iid}/started" and _plain(keys[-1]) == f"{iid}/closed"
    assert [k.split("/")[1] for k in keys[1:-1]] == ["suspended", "resumed"] * 2
    stopped = engine.start_process("main")
    engine.terminate(stopped)
    aborted = engine.start_process("main")
    engine.abort(aborted)
    closes = {
        e.instance_id: e.payload["state"]
        for e in engine.outbox.entries()
        if e.key.endswith("/closed")
    }
    assert closes == {
        iid: "closed.completed",
        stopped: "closed.terminated",
        aborted: "closed.aborted",
    }


def test_work_item_entries(engine: Engine) -> None:
    engine.deploy(_manual().build())
    done = engine.start_process("main")
    [item] = engine.work_items(done)
    engine.complete_work_item(item.id)
    dropped = engine.start_process("main")
    [other] = engine.work_items(dropped)
    engine.terminate(dropped)
    found = [
        (e.kind, _plain(e.key), e.payload)
        for e in engine.outbox.entries()
        if e.kind.startswith("work_item.")
    ]
    payload = {
        "activity_id": "ask",
        "activity_instance_id": item.activity_instance_id,
        "performers": ("clerk",),
        "assignees": ("clerk",),
    }
    other_payload = {**payload, "activity_instance_id": other.activity_instance_id}
    assert found == [
        ("work_item.offered", f"{item.id}/offered", {"work_item_id": item.id, **payload}),
        ("work_item.completed", f"{item.id}/completed", {"work_item_id": item.id, **payload}),
        ("work_item.offered", f"{other.id}/offered", {"work_item_id": other.id, **other_payload}),
        (
            "work_item.cancelled",
            f"{other.id}/cancelled",
            {"work_item_id": other.id, **other_payload},
        ),
    ]


def _incident_entries(engine: Engine, iid: str) -> list[tuple[str, str | None]]:
    return [
        (e.key.rsplit("/", 1)[1], e.payload.get("resolution"))
        for e in engine.outbox.entries(instance_id=iid)
        if e.kind.startswith("incident.")
    ]


def test_incident_entries_say_how_each_was_resolved(engine: Engine, clock: VirtualClock) -> None:
    engine.applications.sleep = lambda _s: None
    engine.applications.register("lookup", _down)
    engine.deploy(_lookup().build())
    retried = engine.start_process("main")
    [incident] = engine.incidents(retried)
    engine.applications.register("lookup", _up)
    engine.retry_incident(incident.id)
    engine.applications.register("lookup", _down)
    skipped = engine.start_process("main")
    engine.skip_incident(engine.incidents(skipped)[0].id, {"name": "Bo"})
    aborted = engine.start_process("main")
    engine.abort_incident(engine.incidents(aborted)[0].id)
    terminated = engine.start_process("main")
    engine.terminate(terminated)
    assert _incident_entries(engine, retried) == [("opened", None), ("resolved", "retried")]
    assert _incident_entries(engine, skipped) == [("opened", None), ("resolved", "skipped")]
    assert _incident_entries(engine, aborted) == [("opened", None), ("resolved", "aborted")]
    assert _incident_entries(engine, terminated) == [
        ("opened", None),
        ("resolved", Resolution.INSTANCE_CLOSED.value),
    ]
    [opened] = [
        e for e in engine.outbox.entries(instance_id=retried) if e.kind == "incident.opened"
    ]
    assert _plain(opened.key) == f"{incident.id}/opened"
    assert opened.payload == {
        "incident_id": incident.id,
        "activity_id": "call",
        "activity_instance_id": incident.activity_instance_id,
        "operation": "run",
        "message": incident.message,
    }
    engine.deploy(_lookup(deadline=True).build())
    late = engine.start_process("main")
    clock.advance(timedelta(hours=1))  # the deadline closes the failed call
    assert engine.trace(late) == ["late"]
    assert _incident_entries(engine, late) == [
        ("opened", None),
        ("resolved", Resolution.ACTIVITY_CLOSED.value),
    ]


def test_the_repeatable_kinds_take_a_number_into_their_key() -> None:
    """``work_item.assigned`` and ``reminder.due`` are written by the worklist; their keys
    are made unique the same way as a suspension's."""
    from datetime import UTC, datetime

    from wfengine.runtime.instance import WorkItem
    from wfengine.runtime.outbox import work_item_entry
    from wfengine.runtime.states import WorkItemState

    at = datetime(2000, 1, 1, tzinfo=UTC)
    item = WorkItem(
        "wi-1", "pi-1", "pi-1:1", "ask", ("clerk",), ("ada",), WorkItemState.OFFERED, at
    )
    stamp = "@3fa9c2e1b0d4"
    assigned = work_item_entry(OutboxKind.WORK_ITEM_ASSIGNED, item, at, "ob-1", stamp=stamp)
    reminder = work_item_entry(OutboxKind.REMINDER_DUE, item, at, "ob-2", stamp=stamp, reminder=1)
    assert (assigned.key, assigned.kind) == (f"wi-1{stamp}/assigned/ob-1", "work_item.assigned")
    assert (reminder.key, reminder.payload["reminder"]) == (f"wi-1{stamp}/reminder/ob-2", 1)
    with pytest.raises(ValueError, match="needs a number"):
        work_item_entry(OutboxKind.REMINDER_DUE, item, at, stamp=stamp)


def test_one_set_of_handlers_serves_several_engines(engine: Engine) -> None:
    shared = OutboxHandlers()
    handler = Flaky()
    shared.subscribe(handler, kinds=[OutboxKind.INSTANCE_STATE_CHANGED])
    engine.outbox.handlers = shared
    iid = run(engine, _manual())
    engine.deliver_outbox()
    assert [_plain(r.key) for r in handler.delivered] == [f"{iid}/started"]
    assert Counter(e.status for e in engine.outbox.entries()) == {
        OutboxStatus.DELIVERED: 1,
        OutboxStatus.SKIPPED: 1,
    }
