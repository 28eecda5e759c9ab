"""A DATETIME correlation key is matched by its instant, not by its offset: an instance
started with the key in Europe/Paris is found by a message that names the same instant in
UTC (a datetime, or ISO text read by the key field's type), on every store; rows an older
wfengine stored under the value's own zone are still found."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from wfengine import Engine, NotFoundError, PackageBuilder, ProcessState, VirtualClock
from wfengine.runtime.sql.store import SqlStore
from wfengine.runtime.values import correlation_forms, correlation_value, encode_value

PARIS = datetime(2024, 6, 1, 14, 0, tzinfo=ZoneInfo("Europe/Paris"))


def _booking() -> PackageBuilder:
    pb = PackageBuilder("pkg")
    p = pb.process("main").extended_attribute("wfengine:correlation", "booked_at")
    p.data_field("booked_at", "DATETIME")
    p.start("s").intermediate("w", message="go").end("e").sequence("s", "w", "e")
    return pb


@pytest.mark.parametrize(
    "sent",
    [
        datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
        "2024-06-01T12:00:00Z",
        "2024-06-01T14:00:00+02:00",
        datetime(2024, 6, 1, 8, 0, tzinfo=ZoneInfo("America/New_York")),
    ],
)
def test_the_same_instant_in_another_zone_finds_the_instance(engine: Engine, sent: Any) -> None:
    engine.deploy(_booking().build())
    started = engine.start_process("main", {"booked_at": PARIS})
    assert engine.send_message("go", {}, correlation={"booked_at": sent}, keep=False)
    assert engine.instance(started).state is ProcessState.COMPLETED


def test_another_instant_is_not_found(engine: Engine) -> None:
    engine.deploy(_booking().build())
    engine.start_process("main", {"booked_at": PARIS})
    with pytest.raises(NotFoundError):  # 14:00 UTC is 16:00 in Paris
        engine.send_message("go", correlation={"booked_at": "2024-06-01T14:00:00Z"})


def test_an_instant_next_to_the_ends_of_the_calendar_has_a_form() -> None:
    # (the instant lies outside what a datetime holds: converting it to UTC overflows)
    early = datetime(1, 1, 1, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    late = datetime(9999, 12, 31, 23, 30, tzinfo=timezone(timedelta(hours=-1)))
    assert "0000-12-31T23:30:00+00:00" in correlation_value(early)
    assert "10000-01-01T00:30:00+00:00" in correlation_value(late)
    same = datetime(1, 1, 1, 1, 30, tzinfo=timezone(timedelta(hours=2)))
    assert correlation_value(early) == correlation_value(same)


def test_a_naive_datetime_is_not_the_aware_one() -> None:
    naive = datetime(2024, 6, 1, 12, 0)
    assert correlation_value(naive) != correlation_value(naive.replace(tzinfo=UTC))


def test_a_row_stored_in_the_old_form_is_still_found(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    with Engine(store=SqlStore(url), clock=VirtualClock()) as engine:
        engine.deploy(_booking().build())
        started = engine.start_process("main", {"booked_at": PARIS})
    old = json.dumps(encode_value(PARIS, "x"), sort_keys=True, separators=(",", ":"))
    assert correlation_forms(PARIS) == (correlation_value(PARIS), old)
    db = sa.create_engine(url)
    with db.begin() as c:  # as an older wfengine wrote it: the value in its own zone
        c.execute(sa.text("UPDATE correlation_keys SET value = :v"), {"v": old})
    db.dispose()
    with Engine(store=SqlStore(url), clock=VirtualClock()) as engine:
        assert engine.send_message("go", {}, correlation={"booked_at": PARIS}, keep=False)
        assert engine.instance(started).state is ProcessState.COMPLETED
