"""A subclass of datetime, date, time, timedelta or Decimal given as data (a pandas
``Timestamp`` is a datetime) was kept as given by the memory store, while SQLite and
PostgreSQL give back the plain type: the same program saw other methods and another ``str``
on each. Every store holds the plain value now, its fields, zone and fold kept."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.value_copies import owned

ZONE = timezone(timedelta(hours=2))


class Stamp(datetime):
    def __str__(self) -> str:
        return "not the moment"


class Day(date):
    pass


class Clock(time):
    pass


class Span(timedelta):
    pass


class Money(Decimal):
    def __str__(self) -> str:
        return "0"


GIVEN = {
    "at": Stamp(2024, 10, 27, 2, 30, 0, 7, ZONE, fold=1),
    "day": Day(2024, 1, 2),
    "ref": Clock(1, 2, 3, 4, ZONE, fold=1),
    "span": Span(days=-1, seconds=5, microseconds=6),
    "money": Money("1.50"),
    "nested": [Day(2024, 1, 3), {"m": Money("-0")}],
}


def _engine(store: str, tmp_path: Path) -> Engine:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("at", "DATETIME")
    p.data_field("day", "DATE")
    for name in ("ref", "span", "money", "nested"):
        p.data_field(name, "REFERENCE")
    p.start("s0").activity("a", performer="clerk").end("e0").sequence("s0", "a", "e0")
    url = None if store == "memory" else f"sqlite:///{tmp_path / 'wf.db'}"
    engine = Engine(db_url=url, clock=VirtualClock())
    engine.deploy(b.build())
    return engine


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_every_store_holds_the_plain_values(store: str, tmp_path: Path) -> None:
    engine = _engine(store, tmp_path)
    try:
        iid = engine.start_process("proc", GIVEN)
        held = engine.store.instance(iid).data
    finally:
        engine.close()
    assert type(held["at"]) is datetime and held["at"] == GIVEN["at"]
    assert held["at"].fold == 1 and held["at"].tzinfo == ZONE and held["at"].microsecond == 7
    assert type(held["day"]) is date and held["day"] == date(2024, 1, 2)
    assert type(held["span"]) is timedelta and held["span"] == GIVEN["span"]
    assert type(held["money"]) is Decimal and str(held["money"]) == "1.50"
    assert type(held["nested"][0]) is date and type(held["nested"][1]["m"]) is Decimal
    assert str(held["nested"][1]["m"]) == "-0"


def test_a_time_keeps_its_zone_and_fold() -> None:
    # (a store keeps a TIME's text; the copy itself is checked here, as a memory store keeps it)
    plain = owned(GIVEN["ref"])
    assert type(plain) is time and plain == GIVEN["ref"]
    assert (plain.fold, plain.tzinfo, plain.microsecond) == (1, ZONE, 4)
