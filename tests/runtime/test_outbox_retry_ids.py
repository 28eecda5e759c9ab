"""``engine.outbox.retry(ids)`` takes the entries' ids as a collection of whole numbers, and
refuses anything else the same way on every store.

Why: ``retry("12")`` retried entries 1 and 2 on SQLite (the string's letters, which SQLite
compares to an integer id as numbers) and none in memory, and ``retry(12)`` was a bare
``TypeError`` from inside the store; an id no entry can have (past a 64-bit integer) was an
``OverflowError`` on SQLite only.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxPolicy, OutboxRecord, OutboxStatus


def _failed_entries(engine: Engine, count: int) -> list[int]:
    """``count`` failed entries (one offer each, their one attempt failed); their ids."""
    engine.outbox.handlers.policy = OutboxPolicy(max_attempts=1)

    def down(record: OutboxRecord) -> None:
        raise ConnectionError("mail server down")

    engine.outbox.subscribe(down)  # (every kind: the ids run 1, 2, 3 ...)
    pb = PackageBuilder("pkg")
    pb.process("main").activity("ask", performer="clerk")
    engine.deploy(pb.build())
    for _ in range(count):
        engine.start_process("main")
    engine.deliver_outbox()
    return [r.id for r in engine.outbox.entries(OutboxStatus.FAILED)]


def _pending(engine: Engine) -> list[int]:
    return [r.id for r in engine.outbox.entries(OutboxStatus.PENDING)]


@pytest.mark.parametrize(
    ("given", "named"),
    [
        ("12", "str '12'"),
        (b"12", "bytes b'12'"),
        (12, "int 12"),
        (["12"], "str '12'"),
        ([1.0], "float 1.0"),
        ([True], "bool True"),
        ([None], "NoneType None"),
    ],
)
def test_ids_given_the_wrong_way_are_refused_naming_them(
    engine: Engine, given: object, named: str
) -> None:
    ids = _failed_entries(engine, 12)
    assert 1 in ids and 2 in ids and 12 in ids
    with pytest.raises(TypeError, match=r"outbox\.retry") as raised:
        engine.outbox.retry(given)  # type: ignore[arg-type]
    assert named in str(raised.value)
    assert "[12]" in str(raised.value)  # how to write it
    assert _pending(engine) == []  # nothing retried


def _generated(ids: list[int]) -> Iterable[int]:
    return (i for i in ids)


@pytest.mark.parametrize("shape", [list, tuple, set, _generated])
def test_ids_in_any_collection_retry_those_entries(engine: Engine, shape: object) -> None:
    ids = _failed_entries(engine, 3)
    assert callable(shape)
    assert engine.outbox.retry(shape([ids[0], ids[2]])) == 2
    assert _pending(engine) == [ids[0], ids[2]]


def test_ids_no_entry_has_retry_nothing(engine: Engine) -> None:
    ids = _failed_entries(engine, 2)
    assert engine.outbox.retry([2**63, -(2**64), 10_000]) == 0
    assert engine.outbox.retry([]) == 0
    assert _pending(engine) == []
    assert engine.outbox.retry() == len(ids)
