"""Delivering an outbox backlog costs the same per entry however long the backlog: the
queries that read every due entry (the earliest due time, skipping the kinds nobody handles)
run once a call, not once per batch. Counted in store calls, on every store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wfengine import Engine, OutboxPolicy, PackageBuilder


def test_a_backlog_is_claimed_batch_after_batch_without_rereading_every_due_entry(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The earliest due time and the skipping of unhandled kinds read every due entry: asked
    per batch, a backlog of P entries cost P * P / batch. They are asked when the backlog is
    through (and once at the start), however many batches it takes."""
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    pb.process("desk").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    for _ in range(30):
        engine.start_process("desk")
    engine.outbox.handlers.policy = OutboxPolicy(batch=4)
    delivered: list[str] = []
    engine.outbox.subscribe(lambda record: delivered.append(record.kind), ["work_item.offered"])
    asked = {"next_outbox_at": 0, "skip_outbox": 0, "claim_outbox": 0}
    store: Any = engine.store
    for name in asked:
        monkeypatch.setattr(store, name, _counted(asked, name, getattr(store, name)))
    engine.outbox.deliver()
    assert delivered == ["work_item.offered"] * 30
    assert asked["claim_outbox"] == 8  # 30 in batches of 4: the last one short
    assert asked["next_outbox_at"] == 2 and asked["skip_outbox"] == 1, asked
    assert engine.outbox.entries("pending") == []


def _counted(asked: dict[str, int], name: str, real: Callable[..., Any]) -> Callable[..., Any]:
    def counted(*args: Any) -> Any:
        asked[name] += 1
        return real(*args)

    return counted
