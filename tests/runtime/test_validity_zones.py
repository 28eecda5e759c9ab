"""ValidFrom / ValidTo written as xs:date with a zone (``2030-12-31+02:00``, ``2030-12-31Z``)
are that whole day in that zone; Python's fromisoformat alone read the zone as a time of day
(``+02:00`` as 02:00 UTC), closing a process's last day at 02:00."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest

from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.runtime.deployment import deployed_version


def _deployed(
    valid_from: str | None = None, valid_to: str | None = None
) -> tuple[datetime | None, datetime | None]:
    pb = PackageBuilder("pkg")
    pb.process("p").activity("work", performer="clerk")
    package: Package = pb.build()
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_from": valid_from, "valid_to": valid_to})
    process = process.model_copy(update={"header": header})
    package = package.model_copy(update={"workflow_processes": (process,)})
    d = deployed_version(package, process, 1)
    return d.valid_from, d.valid_to


def _at(day: int, hour: int, offset_hours: int = 0) -> datetime:
    return datetime(2030, 12, day, hour, tzinfo=UTC) - timedelta(hours=offset_hours)


@pytest.mark.parametrize(
    ("text", "to_end"),
    [
        ("2030-12-31", _at(31, 0) + timedelta(days=1)),
        ("2030-12-31Z", _at(31, 0) + timedelta(days=1)),
        ("2030-12-31+02:00", _at(31, 0, 2) + timedelta(days=1)),  # 22:00 UTC
        ("2030-12-31-05:00", _at(31, 0, -5) + timedelta(days=1)),  # 05:00 UTC on 1 January
        ("20301231+0200", _at(31, 0, 2) + timedelta(days=1)),
    ],
)
def test_valid_to_a_date_with_a_zone_is_that_whole_day_in_that_zone(
    text: str, to_end: datetime
) -> None:
    _, valid_to = _deployed(valid_to=text)
    assert valid_to == to_end
    noon = datetime(2030, 12, 31, 12, tzinfo=UTC)
    assert valid_to is not None and valid_to > noon  # the day's noon is in


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("2030-12-31-05:00", _at(31, 5)),
        ("2030-12-31+11:00", _at(30, 13)),
        ("2030-12-31T08:00:00+02:00", _at(31, 6)),
        ("2030-12-31 08:00", _at(31, 8)),  # no zone: UTC
    ],
)
def test_valid_from_reads_its_zone(text: str, starts: datetime) -> None:
    valid_from, _ = _deployed(valid_from=text)
    assert valid_from == starts


def test_a_date_and_time_joined_by_anything_but_t_or_a_space_bounds_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING, logger="wfengine"):
        assert _deployed(valid_from="2030-12-31x08:00") == (None, None)
    assert "no ISO 8601 date or date-time" in caplog.text
