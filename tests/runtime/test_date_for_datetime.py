"""A DATETIME field or formal parameter takes a date as its midnight UTC, as it takes the
date's text (``2024-01-02``): a date object given from outside, or a DATE field's value
passed to a DATETIME formal of a subflow, is no longer refused."""

from __future__ import annotations

from datetime import UTC, date, datetime

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.applications.coercion import coerce
from wfengine.definition.model import BasicTypeKind

MIDNIGHT = datetime(2024, 1, 2, tzinfo=UTC)


def test_coerce_takes_a_date_as_midnight_utc() -> None:
    assert coerce(date(2024, 1, 2), BasicTypeKind.DATETIME) == MIDNIGHT
    assert coerce("2024-01-02", BasicTypeKind.DATETIME) == MIDNIGHT
    assert coerce([date(2024, 1, 2)], BasicTypeKind.DATETIME, True) == [MIDNIGHT]


def test_start_process_takes_a_date_for_a_datetime_field() -> None:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("due", "DATETIME")
    p.start("s0")
    p.activity("a", performer="clerk")
    p.end("e0")
    p.sequence("s0", "a", "e0")
    e = Engine(clock=VirtualClock())
    e.deploy(b.build())
    iid = e.start_process("proc", {"due": date(2024, 1, 2)})
    assert e.instance(iid).data["due"] == MIDNIGHT


def test_a_date_field_passed_to_a_datetime_formal_starts_the_subflow() -> None:
    b = PackageBuilder("p")
    b.participant("clerk")
    c = b.process("child", params=[("when", "IN", "DATETIME")])
    c.start("cs")
    c.activity("cw", performer="clerk")
    c.end("ce")
    c.sequence("cs", "cw", "ce")
    p = b.process("parent")
    p.data_field("day", "DATE")
    p.start("s0")
    p.subflow("call", process="child", args=["day"])
    p.end("e0")
    p.sequence("s0", "call", "e0")
    e = Engine(clock=VirtualClock())
    e.deploy(b.build())
    e.start_process("parent", {"day": "2024-01-02"})
    assert e.incidents() == []
    [item] = e.work_items()
    assert e.instance(item.instance_id).data["when"] == MIDNIGHT
