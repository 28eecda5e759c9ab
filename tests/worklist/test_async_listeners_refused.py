"""An ``async def`` outbox handler, or a notifier whose ``notify`` is ``async def``, is refused
when it is subscribed.

Delivery calls handlers and notifiers as plain functions: such a one only made a coroutine,
which never ran ("RuntimeWarning: coroutine ... was never awaited"), and the entry was marked
delivered, the notification lost without a word. A ``notify`` that returns a coroutine
(not itself ``async def``) fails the delivery naming the notifier, so the outbox retries it.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Coroutine
from typing import Any

import pytest

from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.runtime.outbox import OutboxRecord, OutboxStatus
from wfengine.worklist import notifiers as n
from wfengine.worklist.org_model import OrgUser

ORG = {"users": [{"id": "ann", "email": "ann@example.com", "roles": ["clerk"]}]}


def _engine() -> Engine:
    engine = Engine(clock=VirtualClock(), directory=Organisation.from_data(ORG))
    pb = PackageBuilder("pkg")
    pb.process("p").activity("quote", performer="clerk")
    engine.deploy(pb.build())
    return engine


async def _async_handler(record: OutboxRecord) -> None:
    return None


async def _async_handler_with(extra: str, record: OutboxRecord) -> None:
    return None


class _AsyncCall:
    async def __call__(self, record: OutboxRecord) -> None:
        return None


@pytest.mark.parametrize(
    "handler",
    [_async_handler, functools.partial(_async_handler_with, "x"), _AsyncCall()],
    ids=["async def", "partial of one", "async __call__"],
)
def test_an_async_handler_is_refused_at_subscribe(handler: Any) -> None:
    with _engine() as engine:
        with pytest.raises(TypeError, match="the handler is async def"):
            engine.outbox.subscribe(handler, ["work_item.offered"])
        assert not engine.outbox.handlers.subscribed()


class _AsyncNotifier:
    async def notify(self, notification: n.Notification, users: list[OrgUser]) -> None:
        return None


def test_a_notifier_with_async_notify_is_refused_at_subscribe() -> None:
    with _engine() as engine:
        with pytest.raises(TypeError, match=r"notifier _AsyncNotifier: its notify\(\) is async"):
            n.subscribe(engine.outbox.handlers, None, [_AsyncNotifier()])  # type: ignore[list-item]
        assert not engine.outbox.handlers.subscribed()


class _ReturnsCoroutine:
    """A plain ``notify`` handing back the coroutine of an async client."""

    async def _send(self) -> None:
        return None

    def notify(
        self, notification: n.Notification, users: list[OrgUser]
    ) -> Coroutine[Any, Any, None]:
        return self._send()


def test_a_notify_returning_a_coroutine_fails_the_delivery() -> None:
    with _engine() as engine:
        n.subscribe(engine.outbox.handlers, None, [_ReturnsCoroutine()])  # type: ignore[list-item]
        engine.start_process("p")
        with warnings.catch_warnings():
            warnings.simplefilter("error", RuntimeWarning)  # (no "never awaited")
            engine.deliver_outbox()
        [offered] = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        assert offered.status is OutboxStatus.PENDING  # was: delivered
        assert offered.last_error is not None
        assert "notify() returned a coroutine" in offered.last_error
