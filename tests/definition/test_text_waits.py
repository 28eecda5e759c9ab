"""A deadline or timer written as a constant text (``'PT1H'``, quoted as tools that write
expressions quote it) is refused at validation (``expression-syntax``), saying to write it
without the quotes. Before, it validated clean and deployed, then every instance stopped with
an incident: "deadline gave 'PT1H'; expected seconds, a timedelta, a datetime or a date"."""

from __future__ import annotations

import pytest

from wfengine import Engine, PackageBuilder
from wfengine.definition.diagnostics import Diagnostic, Severity
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.errors import DeployError


def _deadline(duration: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("a", performer="clerk", deadlines=[(duration, "Late")]).activity("late")
    p.activity("done").sequence("a", "done").transition("a", "late", exception="Late")
    return pb.build()


def _intermediate(**timer: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("a", performer="clerk").intermediate("t", **timer).activity("b", performer="clerk")
    p.sequence("a", "t", "b")
    return pb.build()


def _boundary(cycle: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("main")
    p.activity("work", performer="clerk").activity("late").activity("done")
    p.intermediate("t", attached_to="work", timer=cycle, interrupting=False)
    p.sequence("work", "done").transition("t", "late")
    return pb.build()


def _errors(package: Package) -> list[Diagnostic]:
    return [d for d in validate(package) if d.severity is Severity.ERROR]


@pytest.mark.parametrize(
    ("package", "element", "write"),
    [
        (_deadline("'PT1H'"), "a", "write PT1H without the quotes"),
        (_deadline('"3600"'), "a", "write 3600 without the quotes"),
        (_deadline("'PT' + '1H'"), "a", "write PT1H without the quotes"),
        (_deadline("'an hour'"), "a", "write the duration without quotes (PT1H"),
        (_intermediate(timer="'PT1H'"), "t", "write PT1H without the quotes"),
        (_intermediate(timer="'R/PT1H'"), "t", "write R/PT1H without the quotes"),
        (_boundary("R/'PT1H'"), "t", "write PT1H without the quotes"),
        (_intermediate(at="'2030-01-05T09:00:00Z'"), "t", "write 2030-01-05T09:00:00Z without"),
        (_intermediate(at="'next monday'"), "t", "write the date-time without quotes"),
    ],
)
def test_a_wait_written_as_a_text_is_an_error_saying_what_to_write(
    package: Package, element: str, write: str
) -> None:
    [finding] = _errors(package)
    assert (finding.code, finding.element_id) == ("expression-syntax", element)
    assert "a text: the engine reads a wait from" in finding.message
    assert write in finding.message
    with pytest.raises(DeployError, match="expression-syntax"):
        Engine().deploy(package)


@pytest.mark.parametrize(
    "package",
    [
        _deadline("PT1H"),
        _deadline("3600"),
        _intermediate(timer="PT1H"),
        _intermediate(at="2030-01-05T09:00:00Z"),
        _boundary("R/PT1H"),
    ],
)
def test_the_same_waits_written_bare_stay_clean(package: Package) -> None:
    assert _errors(package) == []
