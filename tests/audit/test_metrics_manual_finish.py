"""A tool activity with an Automatic start and a Manual finish starts when it is created (its
application runs, the ``activity.started`` event says so) and a person then confirms it
through a work item: waiting is 0 and processing runs to the confirmation's completion, on
every store. Before, starting the confirmation set the activity's ``running_at``, so the SQL
store counted the time before it as waiting (2 h waiting, 1 h processing) where the memory
store, reading the trail, gave 0 and 3 h."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import Engine, Organisation, PackageBuilder, VirtualClock
from wfengine.audit.exports import iter_events
from wfengine.audit.metrics import activity_metrics_of, process_metrics

START = datetime(2030, 1, 1, tzinfo=UTC)


@pytest.fixture(params=("memory", "sqlite"))
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    with Engine(clock=VirtualClock(START), db_url=url, directory=Organisation.from_data(ORG)) as e:
        e.applications.register("calc", lambda: {})
        pb = PackageBuilder("confirm")
        p = pb.process("confirm")
        p.application("calc")
        p.activity(
            "calc_and_confirm",
            tool="calc",
            performer="clerk",
            start_mode="Automatic",
            finish_mode="Manual",
        )
        p.activity("plain", performer="clerk", start_mode="Automatic", finish_mode="Manual")
        p.transition("calc_and_confirm", "plain")
        e.deploy(pb.build())
        yield e
        check_history(e)


def test_confirmation_start_is_not_the_activity_start(engine: Engine) -> None:
    clock = engine.clock
    assert isinstance(clock, VirtualClock)
    iid = engine.start_process("confirm")
    for _ in range(2):  # each offered at once, started 2 h later, completed 1 h after that
        (item,) = engine.work_items(iid)
        clock.advance(timedelta(hours=2))
        engine.claim_work_item(item.id, "alice")
        engine.start_work_item(item.id, "alice")
        clock.advance(timedelta(hours=1))
        engine.complete_work_item(item.id, user="alice")
    found = {
        a.activity_id: (a.waiting.mean, a.processing.mean)
        for a in process_metrics(engine, "confirm").activities
    }
    assert found == {"calc_and_confirm": (0.0, 3 * 3600.0), "plain": (2 * 3600.0, 3600.0)}
    reference = activity_metrics_of(iter_events(engine, process_id="confirm"))
    assert list(process_metrics(engine, "confirm").activities) == reference
