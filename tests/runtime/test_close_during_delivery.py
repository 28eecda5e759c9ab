"""``engine.close()`` from another thread while the outbox is delivered waits for the handler
in progress, and gives the rest of the batch back.

Why: ``close`` waited for commands and for runs of jobs, not for a delivery
(``deliver_outbox``, or ``run_due_jobs``' delivery after its jobs). It returned at once and
closed the store under the delivery: the handler that had run (a mail sent) could not be
recorded as delivered, so the entry was delivered again later, the delivering call raised
"it is closed ...: nothing was changed", and the entries no handler had been given stayed
leased for ``OutboxPolicy.lease`` (five minutes), so the next delivery delivered none. On the
memory store the handlers kept being called after ``close`` returned. Now ``close`` waits for
the handler in progress, which is recorded as delivered; the entries not yet handed to a
handler are given back at once (as a ``KeyboardInterrupt`` out of a handler gives them
back); the delivering call returns how many it delivered. Driven by events: the handler
returns once ``close`` has begun (the engine's virtual clock is told to forget it)."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from tests.runtime.closing_clock import ClosingClock
from wfengine import Engine, OutboxRecord, PackageBuilder, VirtualClock
from wfengine.runtime.outbox import OutboxKind, OutboxStatus

OFFERED = OutboxKind.WORK_ITEM_OFFERED.value


def _engine(store: str, tmp_path: Path, clock: VirtualClock) -> Engine:
    if store == "memory":
        return Engine(clock=clock)
    return Engine(db_url=f"sqlite:///{tmp_path / 'db.sqlite'}", clock=clock)


def _offered(engine: Engine) -> list[OutboxRecord]:
    return [r for r in engine.outbox.entries() if r.kind == OFFERED]


@pytest.mark.parametrize("store", ["memory", "sqlite"])
@pytest.mark.parametrize("how", ["deliver_outbox", "run_due_jobs"])
def test_close_waits_for_the_handler_in_progress_and_gives_the_rest_back(
    store: str, how: str, tmp_path: Path
) -> None:
    clock = ClosingClock()
    engine = _engine(store, tmp_path, clock)
    pb = PackageBuilder("desk")
    p = pb.process("ticket")
    p.start("s")
    p.activity("answer", performer="clerk")
    p.end("e")
    p.sequence("s", "answer", "e")
    engine.deploy(pb.build())
    for _ in range(3):
        engine.start_process("ticket")
    mailed: list[str] = []
    closer = threading.Thread(target=engine.close)

    def send_mail(entry: OutboxRecord) -> None:
        mailed.append(entry.key)
        if len(mailed) == 1:
            closer.start()  # the host shuts the engine down while a mail is being sent
            assert clock.closing.wait(timeout=30)  # (close has begun: the engine is closed)

    engine.outbox.subscribe(send_mail, [OFFERED])
    outcome: dict[str, object] = {}

    def deliver() -> None:
        try:
            outcome["returned"] = getattr(engine, how)()
        except Exception as exc:  # (what the test reports, not what it expects)
            outcome["raised"] = exc

    delivering = threading.Thread(target=deliver)
    delivering.start()
    delivering.join()
    closer.join()
    assert engine.closed
    assert len(mailed) == 1  # no handler was called once close() began
    reopened = engine if store == "memory" else _engine(store, tmp_path, clock)
    settled = [r for r in reopened.outbox.entries() if r.status is not OutboxStatus.PENDING]
    # the delivery that happened is counted (with the entries of kinds nobody takes, skipped),
    # not refused; run_due_jobs returns how many jobs it ran: none
    assert outcome == {"returned": len(settled) if how == "deliver_outbox" else 0}
    entries = _offered(reopened)
    assert [r.status for r in entries].count(OutboxStatus.DELIVERED) == 1
    delivered = next(r for r in entries if r.status is OutboxStatus.DELIVERED)
    assert delivered.key == mailed[0]
    # the rest was given back, not left leased: due now, and a new delivery delivers it
    assert reopened.outbox.due_at() == clock.now()
    if store == "sqlite":
        reopened.outbox.subscribe(send_mail, [OFFERED])
        assert reopened.deliver_outbox() == 2
        assert sorted(mailed) == sorted(r.key for r in entries)  # each mailed once
        reopened.close()
