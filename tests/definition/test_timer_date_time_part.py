"""A timer ``TimeDate`` whose date is well written but whose time of day or zone is not
(``2030-01-01T24:00:00Z``, ``T25:00``, `` UTC``, a lowercase ``z``, ``+25:00``) was told to
"write the month and day with two digits", which it had: the message now names the time or
zone part, and says what to write (24:00 is the next day's 00:00). A ValidTo so written
is told the same in its ``validity-unread`` finding."""

from __future__ import annotations

import pytest

from wfengine import PackageBuilder, validate
from wfengine.definition.model import Package


def _waiting_until(at: str) -> Package:
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("q")
    p.start("s").intermediate("t", at=at).activity("work", performer="clerk").end("e")
    p.sequence("s", "t", "work", "e")
    return pb.build()


@pytest.mark.parametrize(
    ("at", "why"),
    [
        (
            "2030-01-01T24:00:00Z",
            "24:00, the end of a day, is written as the next day's 00:00: 2030-01-02T00:00:00Z",
        ),
        ("2030-01-01T24:00:00+02:00", "the next day's 00:00: 2030-01-02T00:00:00+02:00"),
        ("9999-12-31T24:00:00Z", "the last day the engine holds: write 9999-12-31T23:59:59"),
        ("2030-01-01T25:00:00Z", "its hour (25) is above 23"),
        ("2030-01-01T10:61:00Z", "its minute (61) is above 59"),
        ("2030-01-01T23:59:60Z", "a leap second (:60) is not read"),
        ("2030-01-01T10:00:00 UTC", "its zone ('UTC') is not ISO 8601: write Z for UTC"),
        ("2030-01-01T10:00:00z", "write its zone as an upper-case Z"),
        ("2030-01-01T10:00:00+25:00", "its UTC offset (+25:00) is out of range"),
        ("2030-01-01T9:00:00Z", "with two digits: 09:00:00"),
    ],
)
def test_a_timer_date_with_a_bad_time_part_is_told_what_is_wrong_with_it(at: str, why: str) -> None:
    [finding] = [d for d in validate(_waiting_until(at)) if d.code == "expression-syntax"]
    assert why in finding.message
    assert "month and day" not in finding.message


def test_a_timer_date_with_a_one_digit_month_is_still_told_to_write_two() -> None:
    [finding] = validate(_waiting_until("2030-1-5T10:00:00Z"))
    assert "write the month and day with two digits: 2030-01-05" in finding.message


def test_a_valid_to_with_a_bad_time_part_says_what_to_write() -> None:
    package = _waiting_until("2030-01-05T09:00:00Z")
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_to": "2030-12-31T24:00:00"})
    process = process.model_copy(update={"header": header})
    package = package.model_copy(update={"workflow_processes": (process,)})
    [finding] = [d for d in validate(package) if d.code == "validity-unread"]
    assert "the next day's 00:00: 2031-01-01T00:00:00Z" in finding.message
