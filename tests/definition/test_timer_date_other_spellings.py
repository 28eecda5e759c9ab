"""A timer's ``TimeDate`` written as a date in another order or with other separators
(``12/31/2030``, ``2030/12/31``, ``31.12.2030``) or with a year of five digits or more
(``10000-01-01T00:00:00Z``, ``02030-01-05``) is refused by name, saying to write
YYYY-MM-DD. Before, a slashed date validated clean and was read as a division, so every
instance stopped at the timer with an incident; one with a leading zero or a long year was
explained as Python's octal-literal error."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError


def _timer(at: str) -> Package:
    pb = PackageBuilder("pkg")
    p = pb.process("main")
    p.data_field("due", "DATETIME")
    p.activity("a").intermediate("e", at=at).activity("b").sequence("a", "e", "b")
    return pb.build()


def _errors(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    "at",
    [
        "12/31/2030",
        "2030/12/31",
        "05/01/2030",
        "31.12.2030",
        "2030/1/5 09:00",
        "10000-01-01T00:00:00Z",
        "02030-01-05",
    ],
)
def test_a_date_that_is_not_iso_8601_is_refused_saying_what_to_write(at: str) -> None:
    package = _timer(at)
    [finding] = _errors(package)
    assert (finding.code, finding.element_id) == ("expression-syntax", "e")
    assert "no ISO 8601 date" in finding.message and "YYYY-MM-DD" in finding.message
    assert "octal" not in finding.message
    with pytest.raises(DeployError, match="YYYY-MM-DD"):
        Engine().deploy(package)


@pytest.mark.parametrize(
    "at", ["2030-12-31", "2030-12-31T09:00:00Z", "3600", "1.5", "due", "datetime(2030, 1, 5)"]
)
def test_iso_dates_seconds_and_expressions_stay_clean(at: str) -> None:
    assert _errors(_timer(at)) == []
