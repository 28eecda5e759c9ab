"""``stats``/``process_metrics`` count an instance as started when it was started, not when it
was created, and time its cycle from that start, alike on every store: one created and never
started is open (work in progress) but not started; one started hours after its creation ran
only from then."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import store_url
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock, process_metrics

ORG = {"users": [{"id": "alice", "roles": ["clerk"]}]}


@pytest.mark.parametrize("store", ["memory", "sqlite", "postgres"])
def test_started_and_cycle_time_run_from_the_start(
    store: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = store_url(request, store, tmp_path)
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        pb = PackageBuilder("pkg")
        pb.process("p").activity("a", performer="clerk")
        e.deploy(pb.build())
        created = clock.now()
        e.create_instance("p")  # never started
        later = e.create_instance("p")
        clock.advance(timedelta(hours=5))
        e.start(later)
        clock.advance(timedelta(hours=1))
        (item,) = e.work_items(later)
        e.complete_work_item(item.id, user="alice")
        everything = process_metrics(e, "p")
        # a window that holds the start but not the creations
        window = process_metrics(
            e, "p", since=created + timedelta(hours=4), until=created + timedelta(hours=7)
        )
        before_start = process_metrics(e, "p", until=created + timedelta(hours=4))
    assert (everything.started, everything.completed, everything.work_in_progress) == (1, 1, 1)
    assert everything.cycle_time.mean == 3600.0
    assert (window.started, window.completed, window.cycle_time.mean) == (1, 1, 3600.0)
    assert before_start.started == 0
    # no window: the span is from the first start to the last completion, one hour
    assert everything.throughput_per_day == 24.0
