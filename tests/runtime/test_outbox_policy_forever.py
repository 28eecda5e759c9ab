"""An outbox policy keeping delivered entries for ever, or pruning never, delivers; a lease
past the dates there are is refused when the policy is made.

Why: ``OutboxPolicy(retention=timedelta.max)`` ("keep them") or ``prune_every=timedelta.max``
was accepted, then every ``deliver_outbox()`` raised a bare ``OverflowError`` (``now -
retention``, ``now + prune_every``), a worker died of it, and the entries stayed pending; a
huge ``lease`` did the same at each claim.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.errors import ApplicationError
from wfengine.runtime.engine import Engine
from wfengine.runtime.job_arguments import MAX_LEASE
from wfengine.runtime.memory_store import MemoryStore
from wfengine.runtime.outbox import OutboxHandlers, OutboxPolicy, OutboxRecord, OutboxStatus
from wfengine.runtime.worker import Worker


def _offering(policy: OutboxPolicy, store: MemoryStore | None = None) -> tuple[Engine, list[str]]:
    """An engine with one work item offered (an outbox entry), its handler noting keys."""
    seen: list[str] = []
    handlers = OutboxHandlers(policy=policy)

    def note(record: OutboxRecord) -> None:
        seen.append(record.key)

    handlers.subscribe(note, ["work_item.offered"])
    engine = Engine(store=store or MemoryStore(), outbox_handlers=handlers)
    pb = PackageBuilder("desk")
    pb.process("t").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    engine.start_process("t")
    return engine, seen


@pytest.mark.parametrize(
    "policy",
    [OutboxPolicy(retention=timedelta.max), OutboxPolicy(prune_every=timedelta.max)],
    ids=["retention", "prune_every"],
)
def test_a_policy_that_never_prunes_delivers(policy: OutboxPolicy) -> None:
    engine, seen = _offering(policy)
    engine.deliver_outbox()
    engine.start_process("t")
    engine.deliver_outbox()  # (the second delivery looks whether a prune is due)
    assert len(seen) == 2
    assert len(engine.outbox.entries(OutboxStatus.DELIVERED)) == 2


def test_a_retention_for_ever_prunes_nothing() -> None:
    engine, _ = _offering(OutboxPolicy(retention=timedelta.max))
    engine.deliver_outbox()
    assert engine.outbox.prune() == 0
    assert engine.outbox.entries(OutboxStatus.DELIVERED) != []


def test_a_worker_delivers_under_a_retention_for_ever() -> None:
    store = MemoryStore()
    host, seen = _offering(OutboxPolicy(retention=timedelta.max), store)
    handlers = host.outbox.handlers
    worker = Worker(lambda: Engine(store=store, outbox_handlers=handlers), until_idle=True)
    worker.run()
    assert len(seen) == 1 and host.outbox.entries(OutboxStatus.PENDING) == []


@pytest.mark.parametrize("lease", [timedelta.max, MAX_LEASE + timedelta(days=1)])
def test_an_outbox_lease_past_the_bound_is_refused_by_name(lease: timedelta) -> None:
    with pytest.raises(ValueError, match=r"OutboxPolicy\(lease=...\) is at most 36525 days"):
        OutboxPolicy(lease=lease)


def test_the_longest_outbox_lease_allowed_delivers() -> None:
    engine, seen = _offering(OutboxPolicy(lease=MAX_LEASE))
    engine.deliver_outbox()
    assert len(seen) == 1


@pytest.mark.parametrize(
    "policy",
    [
        OutboxPolicy(max_retry=timedelta.max),
        OutboxPolicy(first_retry=timedelta.max, max_retry=timedelta.max),
        OutboxPolicy(first_retry=timedelta(days=36_500), max_retry=timedelta.max, max_attempts=60),
    ],
    ids=["no-cap", "first-retry-max", "doubling-past-the-range"],
)
def test_a_back_off_past_the_dates_there_are_waits_to_the_end_of_time(
    policy: OutboxPolicy,
) -> None:
    """A back-off (or a handler's Retry-After, up to max_retry) past the last date left the
    entry pending, due now, and every delivery a bare OverflowError; it waits, as timers do."""
    seen: list[str] = []
    handlers = OutboxHandlers(policy=policy)

    def refuse(record: OutboxRecord) -> None:
        seen.append(record.key)
        error = ApplicationError("receiver asks for quiet")
        error.retry_after = timedelta.max
        raise error

    handlers.subscribe(refuse, ["work_item.offered"])
    engine = Engine(outbox_handlers=handlers)
    pb = PackageBuilder("desk")
    pb.process("t").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    engine.start_process("t")
    for attempt in range(1, 40):
        assert policy.retry_after(attempt) <= policy.max_retry
    engine.deliver_outbox()
    engine.deliver_outbox()  # (not due again: the handler is not called twice)
    assert len(seen) == 1
    [entry] = engine.outbox.entries(OutboxStatus.PENDING)
    assert entry.next_attempt_at is not None and entry.next_attempt_at.year == 9999
