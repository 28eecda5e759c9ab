"""A desk of tickets whose outbox entries the outbox tests deliver: each instance started
writes two (the instance started, the work item offered)."""

from __future__ import annotations

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxStatus


def start_tickets(engine: Engine, instances: int) -> None:
    """Deploy the desk and start ``instances`` tickets."""
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    for _ in range(instances):
        engine.start_process("ticket")


def entry_states(engine: Engine) -> dict[int, tuple[OutboxStatus, int]]:
    """Each outbox entry's status and attempts, by id."""
    return {r.id: (r.status, r.attempts) for r in engine.outbox.entries()}
