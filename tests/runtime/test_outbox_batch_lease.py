"""A batch of outbox entries claimed under one lease and delivered by slow handlers.

A deliverer claims up to :attr:`OutboxPolicy.batch` entries at once and calls the handlers
entry after entry. When they are slow (a mail server taking seconds a mail), the batch's tail
used to outlast the lease: a second deliverer claimed it and both delivered it, though no
deliverer died and no handler outlived the lease. Time passes by the virtual clock, advanced by
the handler itself (one slow delivery = half a lease).
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxHandlers, OutboxPolicy, OutboxRecord

LEASE = timedelta(minutes=1)
OFFERED = "work_item.offered"


def _package() -> PackageBuilder:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("p")
    p.start("s")
    p.activity("work", performer="clerk")
    p.end("e")
    p.sequence("s", "work", "e")
    return b


@pytest.fixture
def engines(
    request: pytest.FixtureRequest, store_kind: str, clock: VirtualClock, tmp_path: Path
) -> Iterator[tuple[Engine, Engine]]:
    """Two deliverers of one store (engines of their own, as two workers are)."""
    url = store_url(request, store_kind, tmp_path)
    first = Engine(clock=clock, db_url=url)
    second = Engine(clock=clock, db_url=url) if url else Engine(clock=clock, store=first.store)
    try:
        yield first, second
    finally:
        second.close()
        first.close()


def test_a_slow_batch_is_delivered_once_though_it_outlasts_its_first_lease(
    engines: tuple[Engine, Engine], clock: VirtualClock
) -> None:
    first, second = engines
    first.deploy(_package().build())
    for _ in range(5):
        first.start_process("p")
    deliveries: Counter[str] = Counter()
    by_whom: list[tuple[str, str]] = []
    taken_meanwhile: list[int] = []

    def deliverer(name: str) -> OutboxHandlers:
        handlers = OutboxHandlers(policy=OutboxPolicy(lease=LEASE))

        def slow(entry: OutboxRecord) -> None:
            deliveries[entry.key] += 1
            by_whom.append((name, entry.key))
            clock.advance(LEASE / 2)
            if name == "first" and len(by_whom) == 3:
                # the first batch's lease as claimed has run out: the second deliverer
                # looks for due entries while the first is still at the batch
                taken_meanwhile.append(second.deliver_outbox())

        handlers.subscribe(slow, [OFFERED])
        return handlers

    first.outbox.handlers = deliverer("first")
    second.outbox.handlers = deliverer("second")
    first.deliver_outbox()
    second.deliver_outbox()
    assert taken_meanwhile == [0]
    assert len(deliveries) == 5
    assert all(count == 1 for count in deliveries.values()), deliveries
    assert {name for name, _ in by_whom} == {"first"}


def test_a_quick_batch_costs_no_renewal(
    engines: tuple[Engine, Engine],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Handlers that take no time get through the batch well within the lease: nothing is
    renewed, nothing is left behind, nothing is logged."""
    first, _ = engines
    first.deploy(_package().build())
    for _ in range(5):
        first.start_process("p")
    seen: list[str] = []
    first.outbox.subscribe(lambda entry: seen.append(entry.key), [OFFERED])
    renewals: list[object] = []
    monkeypatch.setattr(first.store, "renew_outbox", lambda *args: renewals.append(args))
    with caplog.at_level(logging.WARNING, "wfengine.outbox"):
        first.deliver_outbox()
    assert len(seen) == 5 and renewals == [] and caplog.records == []
