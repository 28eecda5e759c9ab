"""The Wire keeps the forms of the UTC times it converted lately (``Wire.time``): each time
still gets its own form, however many it has seen, and a time of another zone, or one
that is no aware datetime, is converted (or refused) every time as before."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from wfengine.runtime.sql.dialects import dialect_for
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.sql.wire import _TIMES_KEPT, Wire

T0 = datetime(2027, 1, 4, 9, 30, 15, 123456, tzinfo=UTC)


@pytest.fixture
def wire(tmp_path: Path) -> Wire:
    store = SqlStore(f"sqlite:///{tmp_path / 'times.db'}")
    dialect = dialect_for(store.sa_engine.url)
    assert dialect is not None
    made = Wire(dialect, store.sa_engine.dialect)
    store.close()
    return made


def _text(when: datetime) -> str:
    """SQLite's text of ``when`` (what SQLAlchemy writes for a naive UTC DATETIME)."""
    return when.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def test_each_time_gets_its_own_form_past_the_times_kept(wire: Wire) -> None:
    times = [T0 + timedelta(microseconds=n) for n in range(3 * _TIMES_KEPT)]
    for _ in range(2):  # (the second round meets times seen and times forgotten)
        for when in [*times, *reversed(times)]:
            assert wire.time(when) == _text(when)
    assert wire.time(None) is None


def test_times_of_other_zones_and_naive_times_are_converted_each_time(wire: Wire) -> None:
    assert wire.time(T0) == _text(T0)
    paris = T0.astimezone(timezone(timedelta(hours=1)))  # equal to T0: the same form
    assert wire.time(paris) == _text(T0)
    with pytest.raises(ValueError, match="naive datetime"):  # equal-looking, still refused
        wire.time(T0.replace(tzinfo=None))
    # one wall time the clocks go back over, twice: equal as times, two instants
    berlin = ZoneInfo("Europe/Berlin")
    first = datetime(2027, 10, 31, 2, 30, tzinfo=berlin)
    second = first.replace(fold=1)
    assert first == second
    assert wire.time(first) == _text(first) != wire.time(second) == _text(second)
