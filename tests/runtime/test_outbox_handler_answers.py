"""What a handler's failure or answer tells: a failing ``functools.partial`` is named by its
function only (its arguments, a webhook URL with a token, were stored in the entry's error and
logged), and a plain handler that returns a coroutine (it did nothing yet) fails the delivery,
to be retried, instead of marking the entry delivered."""

from __future__ import annotations

import functools
import warnings
from typing import Any

from wfengine import Engine, PackageBuilder
from wfengine.runtime.outbox import OutboxRecord


def _engine() -> Engine:
    engine = Engine()
    pb = PackageBuilder("desk")
    pb.process("ticket").activity("answer", performer="clerk")
    engine.deploy(pb.build())
    return engine


def _post(url: str, record: OutboxRecord) -> None:
    raise ConnectionError("dashboard down")


def test_a_failing_partial_is_named_without_its_arguments() -> None:
    with _engine() as engine:
        secret = "https://hooks.example/x?token=s3cr3t"
        engine.outbox.subscribe(functools.partial(_post, secret), ["work_item.offered"])
        engine.start_process("ticket")
        engine.deliver_outbox()
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        assert entry.last_error is not None and "partial of _post" in entry.last_error
        assert "s3cr3t" not in entry.last_error


def test_a_handler_returning_a_coroutine_does_not_deliver() -> None:
    async def later(record: OutboxRecord) -> None:
        raise AssertionError("never awaited")

    def handler(record: OutboxRecord) -> Any:
        return later(record)

    with _engine() as engine, warnings.catch_warnings():
        warnings.simplefilter("error")  # (a coroutine never awaited would warn)
        engine.outbox.subscribe(handler, ["work_item.offered"])
        engine.start_process("ticket")
        engine.deliver_outbox()
        (entry,) = [e for e in engine.outbox.entries() if e.kind == "work_item.offered"]
        assert entry.status == "pending" and entry.attempts == 1
        assert entry.last_error is not None and "returned a coroutine" in entry.last_error
