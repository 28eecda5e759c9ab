"""A claimed batch whose deliverer dies: only the entry being delivered pays for it (memory,
SQLite and PostgreSQL: the ``engine`` fixture, on a virtual clock).

Why: a claim counted an attempt of every entry of its batch, so an entry that killed its
deliverer (``os._exit``, a segfault, the OOM killer) in a host delivering in-process got the
whole batch given up after ``max_attempts`` crashes, the other entries never handed to a
handler.

A process dying is played by a handler raising :class:`_Died` with the give-back an
interrupt gets switched off: what is stored afterwards is what a dead process leaves (the
batch leased, its attempts counted).
"""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest

from tests.runtime.outbox_tickets import entry_states, start_tickets
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxPolicy, OutboxRecord, OutboxStatus
from wfengine.runtime.outbox_delivery import Outbox

LEASE = timedelta(minutes=1)


class _Died(BaseException):
    """The delivering process died here (see the module notes)."""


def test_an_entry_killing_its_deliverer_is_given_up_alone(
    engine: Engine, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Outbox, "_give_back", lambda self, ids, owner: None, raising=False)
    engine.outbox.policy = OutboxPolicy(lease=LEASE, max_attempts=2)
    start_tickets(engine, 2)  # entries 1 to 4
    seen: list[tuple[int, int]] = []

    def handler(record: OutboxRecord) -> None:
        seen.append((record.id, record.attempts))
        if record.id == 1:
            raise _Died

    engine.outbox.subscribe(handler)
    for _ in range(3):  # each run a fresh deliverer, once the dead one's lease ran out
        with contextlib.suppress(_Died):
            engine.deliver_outbox()
        clock.advance(LEASE * 2)

    assert sorted(seen) == [(1, 1), (1, 2), (2, 1), (3, 1), (4, 1)]
    assert entry_states(engine) == {
        1: (OutboxStatus.FAILED, 3),  # two deliveries that never finished, then given up
        2: (OutboxStatus.DELIVERED, 1),
        3: (OutboxStatus.DELIVERED, 1),
        4: (OutboxStatus.DELIVERED, 1),
    }
    (failed,) = engine.outbox.entries(OutboxStatus.FAILED)
    assert failed.last_error is not None and "never finished" in failed.last_error


def test_a_later_entry_killing_its_deliverer_leaves_the_rest_their_attempts(
    engine: Engine, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The killer is neither the first of its batch nor of the next claim: the entries
    delivered before it are settled, those after it never began and count no crash."""
    monkeypatch.setattr(Outbox, "_give_back", lambda self, ids, owner: None, raising=False)
    engine.outbox.policy = OutboxPolicy(lease=LEASE, max_attempts=1)
    start_tickets(engine, 3)  # entries 1 to 6
    seen: list[int] = []

    def handler(record: OutboxRecord) -> None:
        seen.append(record.id)
        if record.id == 3:
            raise _Died

    engine.outbox.subscribe(handler)
    for _ in range(3):
        with contextlib.suppress(_Died):
            engine.deliver_outbox()
        clock.advance(LEASE * 2)

    assert seen == [1, 2, 3, 4, 5, 6]  # with max_attempts=1, 3 is not handed over again
    states = entry_states(engine)
    assert states.pop(3) == (OutboxStatus.FAILED, 2)
    assert states == {i: (OutboxStatus.DELIVERED, 1) for i in (1, 2, 4, 5, 6)}
