"""A handler whose service asked for quiet (an ApplicationError carrying ``retry_after``, as a
webhook's 429 with Retry-After makes) has its entry's next attempt wait that long, at most the
policy's ``max_retry``; before, the back-off's seconds were used whatever it asked."""

from __future__ import annotations

from datetime import timedelta

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.errors import ApplicationError
from wfengine.runtime.outbox import OutboxKind, OutboxPolicy, OutboxRecord


def _next_attempt_after(asked: timedelta | None, policy: OutboxPolicy) -> timedelta:
    """How long after a failed first attempt the entry is due again, its handler having
    raised an ApplicationError asking for ``asked``."""

    def handler(record: OutboxRecord) -> None:
        error = ApplicationError("busy")
        error.retry_after = asked
        raise error

    with Engine(clock=VirtualClock()) as engine:
        engine.outbox.policy = policy
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a")
        engine.deploy(pb.build())
        engine.outbox.subscribe(handler, [OutboxKind.INSTANCE_STATE_CHANGED])
        engine.start_process("p")
        engine.deliver_outbox()
        due = engine.outbox.due_at()
        assert due is not None
        return due - engine.clock.now()


@pytest.mark.parametrize(
    ("asked", "waited"),
    [
        (None, timedelta(seconds=1)),  # the back-off
        (timedelta(seconds=90), timedelta(seconds=90)),  # as asked
        (timedelta(milliseconds=10), timedelta(seconds=1)),  # never sooner than the back-off
        (timedelta(days=3), timedelta(minutes=20)),  # at most max_retry
    ],
)
def test_the_next_attempt_waits_as_asked(asked: timedelta | None, waited: timedelta) -> None:
    policy = OutboxPolicy(max_retry=timedelta(minutes=20))
    assert _next_attempt_after(asked, policy) == waited
