"""The outbox policy must be an ``OutboxPolicy``, when the handlers are made and when it is
set later: ``engine.outbox.handlers.policy = 5`` was taken, and every delivery then failed
with a bare "'int' object has no attribute 'prune_every'"."""

from __future__ import annotations

import pytest

from wfengine import Engine
from wfengine.runtime.outbox import OutboxHandlers, OutboxPolicy


def test_a_policy_that_is_not_one_is_refused_when_set() -> None:
    with Engine() as engine:
        with pytest.raises(TypeError, match=r"is an OutboxPolicy.*not 5 \(int\)"):
            engine.outbox.handlers.policy = 5  # type: ignore[assignment]
        engine.outbox.subscribe(lambda record: None)
        assert engine.deliver_outbox() == 0
        engine.outbox.handlers.policy = OutboxPolicy(max_attempts=3)
        assert engine.outbox.policy.max_attempts == 3


def test_a_policy_that_is_not_one_is_refused_when_made() -> None:
    with pytest.raises(TypeError, match=r"not \{'max_attempts': 3\} \(dict\)"):
        OutboxHandlers(policy={"max_attempts": 3})  # type: ignore[arg-type]
