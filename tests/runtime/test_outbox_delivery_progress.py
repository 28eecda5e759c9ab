"""A handler's :func:`~wfengine.runtime.outbox_delivery.delivery_progress` is told to the
engine's job observer as the delivery's ``start`` again (the same job id), so a worker's
supervisor times the delivery from its last sign of progress, not its start; outside a watched
delivery it does nothing (:mod:`wfengine.runtime.outbox_watch`)."""

from __future__ import annotations

from collections.abc import Sequence

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.jobs import Job
from wfengine.runtime.outbox import OutboxKind, OutboxRecord
from wfengine.runtime.outbox_delivery import delivery_progress
from wfengine.runtime.outbox_watch import watched_delivery


def test_progress_outside_a_watched_delivery_does_nothing() -> None:
    delivery_progress()  # a handler called by the host itself, or any code: no error
    with Engine() as engine:  # a delivery no observer watches
        called: list[int] = []

        def handler(record: OutboxRecord) -> None:
            delivery_progress()
            called.append(record.id)

        engine.outbox.subscribe(handler, kinds=[OutboxKind.WORK_ITEM_OFFERED])
        pb = PackageBuilder("pkg")
        pb.process("desk").activity("answer", performer="clerk")
        engine.deploy(pb.build())
        engine.start_process("desk")
        engine.deliver_outbox()
        assert len(called) == 1


def test_progress_is_told_as_the_deliverys_start_again() -> None:
    told: list[tuple[str, list[str]]] = []

    def observe(event: str, owner: str, jobs: Sequence[Job]) -> None:
        told.append((event, [j.id for j in jobs]))

    def handler(record: OutboxRecord) -> None:
        delivery_progress()
        delivery_progress()

    with Engine() as engine:
        engine.outbox.subscribe(handler, kinds=[OutboxKind.WORK_ITEM_OFFERED])
        pb = PackageBuilder("pkg")
        pb.process("desk").activity("answer", performer="clerk")
        engine.deploy(pb.build())
        engine.start_process("desk")
        engine.job_observer = observe
        engine.deliver_outbox()
        [offered] = [r for r in engine.outbox.entries() if r.kind == OutboxKind.WORK_ITEM_OFFERED]
    ids = {i for _, jobs in told for i in jobs}
    [job_id] = [i for i in ids if (d := watched_delivery(i)) and d.entry_id == offered.id]
    events = [event for event, jobs in told if jobs == [job_id]]
    # its start, the handler's call (a sign of progress too), its two, then its end
    assert events == ["start", "start", "start", "start", "end"]
