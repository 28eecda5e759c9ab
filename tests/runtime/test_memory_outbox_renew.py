"""The in-memory store renews a claimed outbox batch's lease as the SQL stores do: slow
handlers deliver the whole batch under one claim. It could not: its deliverer stopped when the
first lease ran out and claimed the rest again, each such entry counting a second attempt
(and a handler's retry budget, ``OutboxPolicy.max_attempts``, used up by no failure)."""

from __future__ import annotations

from datetime import timedelta

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.outbox import OutboxHandlers, OutboxPolicy, OutboxRecord, OutboxStatus

LEASE = timedelta(minutes=1)
OFFERED = "work_item.offered"


def _package() -> PackageBuilder:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("p")
    p.start("s").activity("work", performer="clerk").end("e").sequence("s", "work", "e")
    return b


def test_a_slow_batch_is_delivered_under_one_claim() -> None:
    clock = VirtualClock()
    with Engine(clock=clock) as e:
        e.deploy(_package().build())
        for _ in range(5):
            e.start_process("p")
        seen: list[str] = []

        def slow(entry: OutboxRecord) -> None:
            seen.append(entry.key)
            clock.advance(LEASE / 2)

        e.outbox.handlers = OutboxHandlers(policy=OutboxPolicy(lease=LEASE))
        e.outbox.handlers.subscribe(slow, [OFFERED])
        e.deliver_outbox()
        assert len(seen) == len(set(seen)) == 5
        delivered = [r for r in e.outbox.entries(OutboxStatus.DELIVERED) if r.kind == OFFERED]
        assert [r.attempts for r in delivered] == [1] * 5


def test_renewing_keeps_only_the_entries_still_the_owners() -> None:
    clock = VirtualClock()
    store = MemoryStore()
    with Engine(clock=clock, store=store) as e:
        e.deploy(_package().build())
        for _ in range(3):
            e.start_process("p")
        now = clock.now()
        claimed = store.claim_outbox("a", now, now + LEASE, 10, [OFFERED])
        ids = [r.id for r in claimed]
        assert len(ids) == 3
        assert store.renew_outbox(ids, "b", now + 3 * LEASE) == set()  # not b's
        store.settle_outbox(ids[0], "a", now)  # delivered
        assert store.renew_outbox(ids, "a", now + 3 * LEASE) == set(ids[1:])
        # past the first lease, within the renewed one: nobody else can claim them
        later = now + 2 * LEASE
        assert store.claim_outbox("b", later, later + LEASE, 10, [OFFERED]) == []
        # and a lease that ran out unclaimed is still renewable by its owner (as on SQL)
        latest = now + 4 * LEASE
        assert store.renew_outbox(ids, "a", latest + LEASE) == set(ids[1:])
        assert store.renew_outbox([], "a", latest) == set()
