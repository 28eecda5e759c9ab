"""A DATE initial value written as a date-time is a value of the wrong type
(``initial-value-type``, saying why), not an expression that "does not parse"
(``expression-syntax``); a midnight at an offset other than UTC's is refused as one with a
time of day is (which date it is depends on the zone), while a midnight in UTC is its date."""

from __future__ import annotations

from datetime import date

import pytest

from wfengine import Engine, PackageBuilder, validate
from wfengine.definition.model import Package
from wfengine.errors import DeployError


def _package(kind: str, initial: str) -> Package:
    b = PackageBuilder("p")
    b.participant("clerk")
    p = b.process("proc")
    p.data_field("d", kind, initial=initial)
    p.activity("a", performer="clerk")
    return b.build()


def _errors(package: Package) -> list[tuple[str, str]]:
    return [(d.code, d.message) for d in validate(package) if d.severity.name == "ERROR"]


def test_a_date_with_a_time_of_day_is_initial_value_type_saying_why() -> None:
    [(code, message)] = _errors(_package("DATE", "2024-01-01T10:00:00+00:00"))
    assert code == "initial-value-type"
    assert "is a DATETIME with a time of day, not a DATE" in message


@pytest.mark.parametrize("text", ["2024-01-01T00:00:00+01:00", "2024-01-01T00:00:00-05:00"])
def test_a_midnight_at_another_offset_is_refused(text: str) -> None:
    package = _package("DATE", text)
    [(code, message)] = _errors(package)
    assert code == "initial-value-type" and "which is another day in UTC" in message
    with pytest.raises(DeployError, match="initial-value-type"):
        Engine().deploy(package)


@pytest.mark.parametrize(
    "text", ["2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00", "2024-01-01T00:00:00Z"]
)
def test_a_midnight_in_utc_is_its_date(text: str) -> None:
    package = _package("DATE", text)
    assert _errors(package) == []
    engine = Engine()
    engine.deploy(package)
    assert engine.instance(engine.start_process("proc")).data["d"] == date(2024, 1, 1)


def test_a_thirteenth_month_for_a_datetime_is_initial_value_type() -> None:
    [(code, _message)] = _errors(_package("DATETIME", "2024-13-01T10:00:00"))
    assert code == "initial-value-type"
