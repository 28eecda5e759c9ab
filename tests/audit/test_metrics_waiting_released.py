"""Work a person started and gave back (released, on offer again) waits for someone to
start it again, and shows as ``waiting_now`` (waited since the release) and in the
bottlenecks, on every store alike. Before, the activity instance ran on (it had started), so
nothing listed the work while it sat unheld: alice started at 09:00, released at 10:00, and
at 20:00 ``waiting_now`` was empty."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, standard_loop
from wfengine.audit.metrics import process_metrics

START = datetime(2030, 1, 1, 8, tzinfo=UTC)
H = timedelta(hours=1)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(START), db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("rel")
        p.activity("enter", performer="clerk")
        q = pb.process("again")
        q.data_field("n", "INTEGER", initial="0")
        q.activity("round", performer="clerk", writes=["n"], loop=standard_loop("n < 2"))
        e.deploy(pb.build())
        yield e
        check_history(e)


def _released_after_an_hour(engine: Engine, item_id: str) -> None:
    """alice starts ``item_id`` an hour on, and releases it an hour later."""
    engine.clock.advance(H)  # type: ignore[attr-defined]
    engine.claim_work_item(item_id, "alice")
    engine.start_work_item(item_id, "alice")
    engine.clock.advance(H)  # type: ignore[attr-defined]
    engine.release_work_item(item_id, "alice")


def test_started_work_released_back_to_offer_waits_now(engine: Engine) -> None:
    iid = engine.start_process("rel")
    (item,) = engine.work_items(iid)
    _released_after_an_hour(engine, item.id)
    engine.clock.advance(10 * H)  # type: ignore[attr-defined]
    m = process_metrics(engine, "rel")
    (waiting,) = m.waiting_now
    assert (waiting.activity_id, waiting.count) == ("enter", 1)
    assert waiting.waiting.mean == (10 * H).total_seconds()  # since the release
    assert m.bottlenecks == ("enter",)
    engine.claim_work_item(item.id, "bob")
    assert [w.count for w in process_metrics(engine, "rel").waiting_now] == [1]  # unstarted
    engine.start_work_item(item.id, "bob")
    assert process_metrics(engine, "rel").waiting_now == ()


def test_a_loops_released_round_waits_now(engine: Engine) -> None:
    iid = engine.start_process("again")
    (first,) = engine.work_items(iid)
    engine.complete_work_item(first.id, {"n": 1}, user="alice")
    (item,) = [w for w in engine.work_items(iid) if w.state.is_open]
    _released_after_an_hour(engine, item.id)
    engine.clock.advance(3 * H)  # type: ignore[attr-defined]
    (waiting,) = process_metrics(engine, "again").waiting_now
    assert (waiting.activity_id, waiting.count) == ("round", 1)
    assert waiting.waiting.mean == (3 * H).total_seconds()
