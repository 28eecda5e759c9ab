"""``write_xes`` with ``since``/``until`` reads whole only the instances with an event in the
window: it read every instance's trail to find that most had none there, so a day's log of a
year's database (20,000 instances) took as long as the whole year's. The log is the same."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, VirtualClock, write_xes

_START = datetime(2026, 1, 5, 9, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite"])
def engine(request: pytest.FixtureRequest, tmp_path: Any) -> Iterator[Engine]:
    clock = VirtualClock(_START)
    url = {"memory": None, "sqlite": f"sqlite:///{tmp_path / 'w.db'}"}[request.param]
    with Engine(clock=clock, db_url=url) if url else Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.participant("clerk")
        p.activity("a", performer="clerk")
        e.deploy(pb.build())
        for day in range(4):  # one a day; the third is completed on the fourth day
            e.start_process("p")
            if day == 3:
                [item] = e.work_items("pi-3")
                e.complete_work_item(item.id)
            clock.advance(timedelta(days=1))
        yield e


def _traces(engine: Engine, **filters: Any) -> list[tuple[str, list[str]]]:
    out = io.BytesIO()
    write_xes(engine, out, **filters)
    return [
        (
            _value(t, "string[@key='concept:name']"),
            [_value(e, "date") for e in t.iter("event")],
        )
        for t in etree.fromstring(out.getvalue()).iter("trace")
    ]


def _value(element: etree._Element, path: str) -> str:
    found = element.find(path)
    assert found is not None
    return str(found.get("value"))


def test_a_window_reads_whole_only_the_instances_it_touches(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str | None] = []
    plain, whole = engine.audit_events, engine.store.audit_trails

    def audit_events(**filters: Any) -> Any:
        asked.append(filters.get("instance_id"))
        return plain(**filters)

    def audit_trails(instance_ids: Any) -> Any:  # whole trails, a page of instances at once
        asked.extend(instance_ids)
        return whole(instance_ids)

    monkeypatch.setattr(engine, "audit_events", audit_events)
    monkeypatch.setattr(engine.store, "audit_trails", audit_trails)
    day4 = _START + timedelta(days=3)
    traces = _traces(engine, since=day4, until=day4 + timedelta(days=1))
    # the fourth instance started that day; the third was completed then (its events of
    # that day only, its trace read whole to tell its life cycle)
    assert [name for name, _ in traces] == ["pi-3", "pi-4"]
    assert all(at.startswith("2026-01-08") for _, ats in traces for at in ats)
    assert sorted(i for i in asked if i is not None) == ["pi-3", "pi-4"]


def test_the_log_of_a_window_is_what_it_was(engine: Engine) -> None:
    day2 = _START + timedelta(days=1)
    whole = _traces(engine)
    window = _traces(engine, since=day2, until=day2 + timedelta(days=1))
    assert window == [
        (name, [at for at in ats if at.startswith("2026-01-06")])
        for name, ats in whole
        if any(at.startswith("2026-01-06") for at in ats)
    ]
    assert [name for name, _ in window] == ["pi-2"]
    assert _traces(engine, since=_START + timedelta(days=9)) == []


def test_one_instance_in_a_window_reads_only_its_own_events(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--instance ID --since T`` read every instance's events of the window to keep one."""
    handed: list[str] = []
    plain = engine.store.audit_events

    def audit_events(query: Any) -> Any:
        found = plain(query)
        handed.extend(e.instance_id for e in found)
        return found

    monkeypatch.setattr(engine.store, "audit_events", audit_events)
    traces = _traces(engine, instance_id="pi-2", since=_START)
    assert [name for name, _ in traces] == ["pi-2"]
    assert set(handed) == {"pi-2"}
