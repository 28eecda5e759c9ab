"""``engine.outbox.entries(status)`` takes a status as an ``OutboxStatus`` or as its value, as
the other listings take states: ``"pending"`` lists the pending entries on every store (the
SQL store raised a bare AttributeError, the memory store listed nothing), and a value that is
no status is refused by name."""

from __future__ import annotations

import pytest

from wfengine import Engine, OutboxStatus, PackageBuilder


def test_a_status_given_by_its_value_lists_the_same_entries(engine: Engine) -> None:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("desk").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    engine.start_process("desk")
    pending = engine.outbox.entries(OutboxStatus.PENDING)
    assert pending
    assert engine.outbox.entries("pending") == pending
    assert engine.outbox.entries("delivered") == []
    with pytest.raises(ValueError, match=r"no outbox status 'sent'.*pending"):
        engine.outbox.entries("sent")
