"""An activity multi-instance in one version of a process and a Standard loop in another is
measured by each version's own kind of row, on every store alike: v1's instances are each a
piece of work (its container none), v2's rounds each one. Before, the SQL stores read every
row of the activity as a loop's rounds once any version made it a loop: v1's container
counted as a round spanning its instances (SQLite: 5 pieces of work, mean 600 s; memory: 4,
300 s)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from wfengine import Engine, PackageBuilder, VirtualClock, multi_instance, standard_loop
from wfengine.audit.metrics import activity_metrics_of, process_metrics
from wfengine.definition.model import MultiInstanceLoop, Package, StandardLoop

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(START), db_url=url) as e:
        yield e
        check_history(e)


def _package(loop: StandardLoop | MultiInstanceLoop | None) -> Package:
    pb = PackageBuilder("pk")
    p = pb.process("p")
    p.data_field("k", "INTEGER", initial="0")
    p.data_field("n", "INTEGER", initial="2")
    p.activity("R", performer="clerk", loop=loop)
    p.activity("after")
    p.transition("R", "after")
    return pb.build()


def _work_through(engine: Engine) -> None:
    """Start an instance and do each piece of work of R: waiting 10 min, taking 5 min."""
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("p")
    while items := engine.work_items(iid):
        clock.advance(timedelta(minutes=10))
        engine.claim_work_item(items[0].id, "clerk")
        engine.start_work_item(items[0].id, "clerk")
        clock.advance(timedelta(minutes=5))
        engine.complete_work_item(items[0].id)


def _figures(engine: Engine) -> tuple[int, float]:
    """R's count and mean processing time, checked against the figures of its events."""
    (r,) = [a for a in process_metrics(engine, "p").activities if a.activity_id == "R"]
    (ref,) = [
        a for a in activity_metrics_of(engine.audit_events(process_id="p")) if a.activity_id == "R"
    ]
    assert (r.count, r.waiting, r.processing) == (ref.count, ref.waiting, ref.processing)
    assert r.processing is not None and r.waiting is not None
    return r.count, r.processing.mean


@pytest.mark.parametrize("first", ["multi-instance", "loop"])
def test_multi_instance_in_one_version_and_a_loop_in_another(engine: Engine, first: str) -> None:
    kinds: dict[str, StandardLoop | MultiInstanceLoop] = {
        "multi-instance": multi_instance("n"),
        "loop": standard_loop("k < 2", counter="k"),
    }
    order = [first, *(k for k in kinds if k != first)]
    for kind in order:  # each version: two pieces of work of R
        engine.deploy(_package(kinds[kind]))
        _work_through(engine)
    assert _figures(engine) == (4, 300.0)


def test_a_loop_in_one_version_and_a_plain_activity_in_another(engine: Engine) -> None:
    engine.deploy(_package(standard_loop("k < 2", counter="k")))
    _work_through(engine)
    engine.deploy(_package(None))
    _work_through(engine)
    assert _figures(engine) == (3, 300.0)
