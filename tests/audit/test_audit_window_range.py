"""A window bound whose UTC reading falls outside Python's calendar (the first hours of the
year 1 east of UTC, the last of the year 9999 west of it) is refused with a ValueError naming
the argument, from the audit query and the metrics alike. Before, a bare ``OverflowError:
date value out of range`` named nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock
from wfengine.audit.metrics import process_metrics
from wfengine.runtime.audit_query import AuditQuery

EAST = timezone(timedelta(hours=1))
WEST = timezone(timedelta(hours=-5))


@pytest.mark.parametrize(
    ("name", "when"),
    [("since", datetime(1, 1, 1, tzinfo=EAST)), ("until", datetime(9999, 12, 31, 23, tzinfo=WEST))],
)
def test_a_bound_out_of_utc_range_is_refused_naming_it(name: str, when: datetime) -> None:
    with pytest.raises(ValueError, match=rf"^{name}: .* out of range"):
        AuditQuery(**{name: when})
    with Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))) as engine:
        pb = PackageBuilder("p")
        pb.process("p").activity("a")
        engine.deploy(pb.build())
        with pytest.raises(ValueError, match=rf"^{name}: "):
            process_metrics(engine, "p", **{name: when})
        with pytest.raises(ValueError, match=rf"^{name}: "):
            engine.audit_events(**{name: when})


def test_the_edges_in_range_still_work() -> None:
    query = AuditQuery(since=datetime(1, 1, 1, 1, tzinfo=EAST))
    assert query.since == datetime(1, 1, 1, tzinfo=UTC)
