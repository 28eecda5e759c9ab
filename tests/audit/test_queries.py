"""``Engine.audit_events``: the trail across instances, filtered and paged, the same on
every store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from tests.runtime.conftest import STORES, check_history, store_url
from tests.worklist.conftest import ORG
from wfengine import AuditEvent, Engine, Organisation, PackageBuilder, VirtualClock


@pytest.fixture(params=STORES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    url = store_url(request, request.param, tmp_path)
    clock = VirtualClock()
    with Engine(clock=clock, db_url=url, directory=Organisation.from_data(ORG)) as e:
        for process in ("order", "refund"):
            pb = PackageBuilder(process)
            p = pb.process(process)
            p.activity("enter", performer="clerk").activity("book", performer="accountant")
            p.transition("enter", "book")
            e.deploy(pb.build())
        for n in range(3):
            for process in ("order", "refund"):
                iid = e.start_process(process)
                (item,) = e.work_items(iid)
                e.complete_work_item(item.id, user="alice" if n % 2 else "bob")
                clock.advance(timedelta(minutes=10))
        yield e
        check_history(e)


def _everything(e: Engine) -> list[AuditEvent]:
    ids = [s.id for s in e.instance_summaries()]
    return sorted((x for i in ids for x in e.audit(i)), key=lambda x: (x.at, x.instance_id, x.seq))


def test_unfiltered_is_every_event_in_time_order(engine: Engine) -> None:
    everything = _everything(engine)
    assert engine.audit_events() == everything
    assert {x.process_id for x in everything} == {"order", "refund"}


def test_filters_select_what_they_say(engine: Engine) -> None:
    everything = _everything(engine)
    start = everything[0].at

    def expect(**filters: object) -> None:
        got = engine.audit_events(**filters)  # type: ignore[arg-type]
        assert got, filters
        assert got == [x for x in everything if _passes(x, filters, start)], filters

    expect(process_id="refund")
    expect(activity_id="enter")
    expect(user="alice")
    expect(kind="work_item.completed")
    expect(kind=["work_item.offered", "instance.created"])
    expect(instance_id=everything[-1].instance_id)
    expect(since=start + timedelta(minutes=10), until=start + timedelta(minutes=30))
    expect(process_id="order", user="bob", kind="work_item.completed")


def _passes(x: AuditEvent, filters: dict[str, object], start: object) -> bool:
    kinds = filters.get("kind")
    if isinstance(kinds, str):
        kinds = [kinds]
    return (
        filters.get("process_id", x.process_id) == x.process_id
        and filters.get("activity_id", x.activity_id) == x.activity_id
        and filters.get("user", x.user) == x.user
        and filters.get("instance_id", x.instance_id) == x.instance_id
        and (kinds is None or x.kind in kinds)  # type: ignore[operator]
        and ("since" not in filters or x.at >= filters["since"])  # type: ignore[operator]
        and ("until" not in filters or x.at < filters["until"])  # type: ignore[operator]
    )


def test_pages_join_up_to_the_whole(engine: Engine) -> None:
    everything = engine.audit_events()
    pages: list[AuditEvent] = []
    after = None
    while True:
        page = engine.audit_events(limit=7, after=after)
        pages.extend(page)
        if len(page) < 7:
            break
        after = page[-1]
    assert pages == everything


def test_events_name_who_acted_and_on_which_work_item(engine: Engine) -> None:
    done = engine.audit_events(kind="work_item.completed")
    assert {x.user for x in done} == {"alice", "bob"}
    assert all(x.work_item_id is not None for x in done)
