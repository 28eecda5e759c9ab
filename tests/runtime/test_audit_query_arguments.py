"""``engine.audit_events`` refuses a time that is not a ``datetime`` (``since="2024-01-01"``)
and a page size that is not a whole number with a ``TypeError`` naming the argument, instead
of a bare ``AttributeError: 'str' object has no attribute 'utcoffset'`` from inside the query
(or, for ``limit=True``, a page of one event)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from wfengine import Engine


@pytest.fixture
def engine() -> Engine:
    return Engine()


@pytest.mark.parametrize(
    ("argument", "given"),
    [("since", "2024-01-01"), ("until", date(2024, 1, 1)), ("since", 1704067200)],
)
def test_audit_events_refuses_a_time_that_is_not_a_datetime(
    engine: Engine, argument: str, given: Any
) -> None:
    with pytest.raises(TypeError, match=rf"^{argument}: a datetime with a timezone"):
        engine.audit_events(**{argument: given})
    since = datetime(2000, 1, 1, tzinfo=UTC)
    assert engine.audit_events(since=since, until=datetime.now(UTC)) == []


@pytest.mark.parametrize("given", ["10", 2.5, True])
def test_audit_events_refuses_a_limit_that_is_not_a_whole_number(
    engine: Engine, given: Any
) -> None:
    with pytest.raises(TypeError, match=r"^limit: a whole number of events"):
        engine.audit_events(limit=given)
