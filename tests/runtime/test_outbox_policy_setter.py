"""``engine.outbox.policy = OutboxPolicy(...)``, as the README's outbox section writes it, sets
the delivery policy (that of ``engine.outbox.handlers``); it was a bare AttributeError (a
property without a setter). Anything but an ``OutboxPolicy`` is refused as on the handlers."""

from __future__ import annotations

import pytest

from wfengine import Engine, OutboxPolicy
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus


def _down(record: OutboxRecord) -> None:
    raise ConnectionError("mail server down")


def test_a_policy_set_on_the_engines_outbox_governs_delivery() -> None:
    pb = PackageBuilder("pkg")
    pb.process("main").activity("ask", performer="clerk")
    with Engine(clock=VirtualClock()) as engine:
        engine.outbox.policy = OutboxPolicy(max_attempts=1)
        assert engine.outbox.handlers.policy == OutboxPolicy(max_attempts=1)
        engine.outbox.subscribe(_down, kinds=["work_item.offered"])
        engine.deploy(pb.build())
        engine.start_process("main")
        engine.deliver_outbox()
        # one attempt was all the policy allowed: given up at once, not retried
        [failed] = engine.outbox.entries(OutboxStatus.FAILED)
        assert failed.attempts == 1


def test_a_policy_that_is_not_one_is_refused_on_the_engines_outbox() -> None:
    with Engine() as engine:
        with pytest.raises(TypeError, match=r"is an OutboxPolicy.*not 5 \(int\)"):
            engine.outbox.policy = 5  # type: ignore[assignment]
        assert engine.outbox.policy == OutboxPolicy()
