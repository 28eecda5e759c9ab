"""The outbox policy must be an ``OutboxPolicy``, when the handlers are made and when it is
set later: ``engine.outbox.handlers.policy = 5`` was taken, and every delivery then failed
with a bare "'int' object has no attribute 'prune_every'"."""

from __future__ import annotations

import functools

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


def test_a_refused_partial_is_named_by_its_function_not_its_arguments() -> None:
    """Its arguments (a webhook URL with a token) do not belong in an error message."""

    async def post(url: str, record: object) -> None:
        return None

    with Engine() as engine, pytest.raises(TypeError) as refused:
        engine.outbox.subscribe(functools.partial(post, "https://hooks.example/T0K3N"))
    assert "<partial of <function" in str(refused.value) and "post>" in str(refused.value)
    assert "T0K3N" not in str(refused.value)
