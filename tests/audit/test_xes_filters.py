"""write_xes checks its filters as ``Engine.audit_events`` checks them, before it writes
anything: a time that is text or has no timezone failed with a bare TypeError after the XML
header was written, ``limit=`` with one out of a private class."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, VirtualClock, write_xes


@pytest.fixture
def engine() -> Iterator[Engine]:
    clock = VirtualClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    with Engine(clock=clock) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("x", "INTEGER")
        p.activity("a", script="x = 1")
        e.deploy(pb.build())
        e.start_process("p")
        yield e


@pytest.mark.parametrize(
    ("filters", "error", "match"),
    [
        ({"since": "2024-01-01"}, TypeError, r"^write_xes: since: a datetime with a timezone"),
        ({"until": datetime(2024, 1, 1)}, ValueError, r"^write_xes: until: a time with a timezone"),
        ({"limit": 5}, TypeError, r"^write_xes: no limit=: .*since and until"),
        ({"after": None}, TypeError, r"^write_xes: no after=: "),
        ({"activity": "a"}, TypeError, r"^write_xes: no filter 'activity' \(the filters: "),
        ({"kind": "activity.start"}, ValueError, r"^write_xes: 'activity\.start' is no kind"),
    ],
)
def test_write_xes_refuses_a_wrong_filter_before_writing(
    engine: Engine, filters: dict[str, Any], error: type[Exception], match: str
) -> None:
    out = io.BytesIO()
    with pytest.raises(error, match=match):
        write_xes(engine, out, **filters)
    assert out.getvalue() == b""


def _xes_activities(engine: Engine, **filters: Any) -> list[str]:
    out = io.BytesIO()
    write_xes(engine, out, **filters)
    root = etree.fromstring(out.getvalue())
    return [
        str(e.find("string[@key='lifecycle:transition']").get("value")) for e in root.iter("event")
    ]


def test_write_xes_reads_since_and_until_in_any_timezone(engine: Engine) -> None:
    """The instance ran at 09:00 UTC, 10:00 in Berlin (UTC+1 in January)."""
    from zoneinfo import ZoneInfo

    berlin = ZoneInfo("Europe/Berlin")
    at = datetime(2026, 1, 5, 10, tzinfo=berlin)
    assert _xes_activities(engine, since=at) == ["start", "complete"]
    assert _xes_activities(engine, since=at + timedelta(seconds=1)) == []
    assert _xes_activities(engine, until=at) == []
