"""deliver_outbox(limit=) and outbox.deliver(limit=) check the limit as run_due_jobs does:
-1 delivered nothing and said nothing, 1.5 delivered two entries in memory and one on SQLite,
and "abc" was a bare comparison TypeError naming neither the command nor the argument."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.runtime.clock import VirtualClock
from wfengine.runtime.engine import Engine
from wfengine.runtime.outbox import OutboxRecord


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = None if request.param == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    with Engine(clock=VirtualClock(), db_url=url) as e:
        pb = PackageBuilder("desk")
        pb.process("ticket").activity("answer", performer="clerk")
        e.deploy(pb.build())
        yield e


def _three_offers(engine: Engine) -> list[str]:
    """Subscribe a handler to every kind of entry and start three instances."""
    got: list[str] = []

    def seen(record: OutboxRecord) -> None:
        got.append(record.key)

    engine.outbox.subscribe(seen)  # (every kind: none is skipped, each delivery is a call)
    for _ in range(3):
        engine.start_process("ticket")
    return got


@pytest.mark.parametrize(
    ("limit", "error", "says"),
    [
        (-1, ValueError, "deliver_outbox: limit: not negative (-1)"),
        (1.5, TypeError, "deliver_outbox: limit: a whole number of outbox entries, not float"),
        ("abc", TypeError, "deliver_outbox: limit: a whole number of outbox entries, not str"),
        (True, TypeError, "not bool True"),
    ],
)
def test_deliver_outbox_refuses_a_limit_the_stores_would_read_differently(
    engine: Engine, limit: object, error: type[Exception], says: str
) -> None:
    got = _three_offers(engine)
    with pytest.raises(error) as caught:
        engine.deliver_outbox(limit=limit)  # type: ignore[arg-type]
    assert says in str(caught.value)
    with pytest.raises(error, match=r"^outbox\.deliver: limit: "):
        engine.outbox.deliver(limit=limit)  # type: ignore[arg-type]
    assert got == []  # nothing was delivered
    assert engine.deliver_outbox() == len(got) > 3


def test_deliver_outbox_delivers_at_most_a_whole_limit_on_every_store(engine: Engine) -> None:
    got = _three_offers(engine)
    assert engine.deliver_outbox(limit=0) == 0
    assert engine.deliver_outbox(limit=1) == 1 and len(got) == 1
    assert engine.deliver_outbox(limit=2) == 2 and len(got) == 3
    assert engine.deliver_outbox(limit=None) == len(got) - 3 > 0


def test_the_limit_bounds_what_handlers_get_and_unhandled_kinds_are_skipped_besides(
    engine: Engine,
) -> None:
    """Entries of a kind no handler takes are skipped whatever the limit (one statement); the
    limit counts the entries handed to handlers. Before, the skipped entries used up the
    limit: ``limit=1`` skipped three and handed none to the handler."""
    got: list[str] = []
    engine.outbox.subscribe(lambda record: got.append(record.kind), kinds=["work_item.offered"])
    for _ in range(3):
        engine.start_process("ticket")
    settled = engine.deliver_outbox(limit=1)
    assert got == ["work_item.offered"]
    assert settled == 1 + 3  # the one handed over, and the three instance.state entries skipped
    assert engine.deliver_outbox(limit=5) == 2
    assert got == ["work_item.offered"] * 3
