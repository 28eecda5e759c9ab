"""The hint for a date-time at 24:00 suggests only text that is read. Before, it copied the
zone as written into the text it told the writer to use, so ``2030-01-01T24:00:00 UTC`` was
told to write ``2030-01-02T00:00:00UTC`` and ``...T24:00:00+25:00`` to write
``2030-01-02T00:00:00+25:00``, both refused again. A zone that is read is still copied; one
that is not is named with what is wrong with it, and the suggestion is in UTC."""

from __future__ import annotations

import re

import pytest

from wfengine import PackageBuilder, validate
from wfengine.definition.iso_moments import iso_datetime
from wfengine.definition.model import Package

#: a date-time suggested in a hint
_SUGGESTED = re.compile(r"\d{4}-\d{2}-\d{2}T[^\s),]*")


def _waiting_until(at: str) -> Package:
    pb = PackageBuilder("pk")
    pb.participant("clerk")
    p = pb.process("q")
    p.start("s").intermediate("t", at=at).activity("work", performer="clerk").end("e")
    p.sequence("s", "t", "work", "e")
    return pb.build()


def _hint(at: str) -> str:
    """The hint of the finding, after the quoted text it is about."""
    [finding] = [d for d in validate(_waiting_until(at)) if d.code == "expression-syntax"]
    _, found, hint = finding.message.partition("24:00, the end of a day")
    assert found, finding.message
    return hint


@pytest.mark.parametrize(
    ("at", "why"),
    [
        ("2030-01-01T24:00:00 UTC", "its zone ('UTC') is not ISO 8601"),
        ("2030-01-01T24:00:00+25:00", "its UTC offset (+25:00) is out of range"),
        ("2030-01-01T24:00:00+02:61", "its UTC offset (+02:61) is out of range"),
        ("2030-01-01T24:00:00 +02:00", "its zone ('+02:00') is not ISO 8601"),
    ],
)
def test_a_zone_that_is_not_read_is_named_not_copied(at: str, why: str) -> None:
    hint = _hint(at)
    assert "next day's 00:00 (2030-01-02T00:00:00Z in UTC)" in hint
    assert why in hint
    suggested = _SUGGESTED.findall(hint)
    assert suggested == ["2030-01-02T00:00:00Z"]
    iso_datetime(suggested[0])  # (what it suggests is read)


@pytest.mark.parametrize(
    ("at", "suggested"),
    [
        ("2030-01-01T24:00:00Z", "2030-01-02T00:00:00Z"),
        ("2030-01-01T24:00:00z", "2030-01-02T00:00:00Z"),
        ("2030-01-01T24:00", "2030-01-02T00:00:00Z"),
        ("2030-01-01T24:00:00+02:00", "2030-01-02T00:00:00+02:00"),
        ("2030-01-01T24:00:00-0500", "2030-01-02T00:00:00-0500"),
    ],
)
def test_a_zone_that_is_read_is_kept_in_the_suggestion(at: str, suggested: str) -> None:
    hint = _hint(at)
    assert hint.endswith(f"the next day's 00:00: {suggested}")
    assert _SUGGESTED.findall(hint) == [suggested]
    iso_datetime(suggested)
