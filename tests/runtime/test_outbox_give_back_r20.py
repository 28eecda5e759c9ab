"""Entries a delivery claimed and will not hand over are given back, not left leased or marked
delivered (memory, SQLite and PostgreSQL: the ``engine`` fixture, on a virtual clock).

Why: a ``KeyboardInterrupt`` or ``SystemExit`` out of a handler left the rest of the batch
leased for ``OutboxPolicy.lease`` (5 minutes), so the next ``deliver_outbox()`` delivered
nothing; entries of a kind whose last handler was unsubscribed during a batch (by a handler
of it) were marked delivered though no handler was called.
"""

from __future__ import annotations

import pytest

from tests.runtime.outbox_tickets import entry_states, start_tickets
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus


@pytest.mark.parametrize("interrupt", [KeyboardInterrupt, SystemExit])
def test_an_interrupted_batch_is_given_back_at_once(
    engine: Engine, interrupt: type[BaseException]
) -> None:
    start_tickets(engine, 3)  # entries 1 to 6
    seen: list[int] = []

    def handler(record: OutboxRecord) -> None:
        seen.append(record.id)
        if len(seen) == 1:
            raise interrupt

    engine.outbox.subscribe(handler)
    with pytest.raises(interrupt):
        engine.deliver_outbox()
    assert engine.outbox.due_at() == engine.clock.now()  # not in OutboxPolicy.lease

    assert engine.deliver_outbox() == 6  # the same clock: no lease had to run out
    assert seen == [1, 2, 3, 4, 5, 6, 1]
    states = entry_states(engine)
    assert states.pop(1) == (OutboxStatus.DELIVERED, 2)  # interrupted, then delivered
    assert states == {i: (OutboxStatus.DELIVERED, 1) for i in range(2, 7)}


def test_a_kind_unsubscribed_during_a_batch_is_skipped_not_delivered(engine: Engine) -> None:
    start_tickets(engine, 3)  # offered: entries 2, 4, 6
    seen: list[int] = []

    def once(record: OutboxRecord) -> None:
        seen.append(record.id)
        engine.outbox.unsubscribe(once)  # a host shutting its bus connection down

    engine.outbox.subscribe(once, ["work_item.offered"])
    assert engine.deliver_outbox() == 6
    assert seen == [2]
    status = {r.id: r.status for r in engine.outbox.entries()}
    assert status[2] is OutboxStatus.DELIVERED
    assert status[4] is status[6] is OutboxStatus.SKIPPED
