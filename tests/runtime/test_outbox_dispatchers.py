"""Several dispatchers on one database (threads, each with its own engine, as a worker's are)
deliver every outbox entry once: claims are leases taken with ``FOR UPDATE SKIP LOCKED`` on
PostgreSQL and under the write lock on SQLite (the ``db_url`` fixture runs both)."""

from __future__ import annotations

import threading
from collections import Counter

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxHandlers, OutboxPolicy, OutboxRecord, OutboxStatus

INSTANCES = 60
DISPATCHERS = 4


def test_concurrent_dispatchers_deliver_each_entry_once(db_url: str) -> None:
    with Engine(db_url=db_url) as engine:
        pb = PackageBuilder("pkg")
        pb.process("auto").activity("a")
        engine.deploy(pb.build())
        for _ in range(INSTANCES):
            engine.start_process("auto")  # two entries each: started, closed
    delivered: Counter[str] = Counter()
    by: Counter[str] = Counter()
    lock = threading.Lock()

    def handler(record: OutboxRecord) -> None:
        with lock:
            delivered[record.key] += 1
            by[threading.current_thread().name] += 1

    # one set of subscriptions for every engine; small batches, so the dispatchers take turns
    handlers = OutboxHandlers(policy=OutboxPolicy(batch=3))
    handlers.subscribe(handler)
    errors: list[BaseException] = []
    ready = threading.Barrier(DISPATCHERS)

    def dispatcher(n: int) -> None:
        try:
            with Engine(db_url=db_url, outbox_handlers=handlers) as mine:
                mine.worker_id = f"dispatcher-{n}"
                ready.wait()
                while mine.deliver_outbox():
                    pass
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=dispatcher, args=(n,)) for n in range(DISPATCHERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(t.is_alive() for t in threads)
    assert errors == []
    assert len(delivered) == 2 * INSTANCES
    assert set(delivered.values()) == {1}, [k for k, n in delivered.items() if n > 1]
    assert sum(by.values()) == 2 * INSTANCES
    with Engine(db_url=db_url) as engine:
        stored = engine.outbox.entries()
        assert Counter(e.status for e in stored) == {OutboxStatus.DELIVERED: 2 * INSTANCES}
        assert {e.attempts for e in stored} == {1}
