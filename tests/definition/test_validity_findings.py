"""A process's validity period as validation reads it: a ValidFrom not before its ValidTo
(no instance can ever start) validated clean and every start was refused without saying
why; a ValidTo the engine cannot read (``2030-12-31T24:00:00``, a lowercase ``z``) limited
nothing, which only a log line said. Both are warnings now, and the refusal names the
empty period."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfengine import Engine, IllegalStateError, VirtualClock
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.definition.validation import validate


def _package(valid_from: str | None, valid_to: str | None) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    package = pb.build()
    (process,) = package.workflow_processes
    update = {"valid_from": valid_from, "valid_to": valid_to}
    header = process.header.model_copy(update=update)
    process = process.model_copy(update={"header": header})
    return package.model_copy(update={"workflow_processes": (process,)})


def _codes(package: Package) -> list[tuple[str, str]]:
    return [(d.code, str(d.severity)) for d in validate(package) if d.code.startswith("validity")]


@pytest.mark.parametrize(
    ("valid_from", "valid_to"),
    [("2031-01-01", "2030-01-01"), ("2030-06-01T12:00:00Z", "2030-06-01T12:00:00+00:00")],
)
def test_a_period_no_instance_can_start_in_is_a_warning(valid_from: str, valid_to: str) -> None:
    package = _package(valid_from, valid_to)
    assert _codes(package) == [("validity-empty", "warning")]
    [finding] = [d for d in validate(package) if d.code == "validity-empty"]
    assert repr(valid_from) in finding.message and repr(valid_to) in finding.message


def test_a_period_of_one_day_is_not_empty() -> None:
    assert _codes(_package("2030-01-01", "2030-01-01")) == []


@pytest.mark.parametrize("text", ["2030-12-31T24:00:00Z", "2030-12-31T10:00:00z", "soon"])
@pytest.mark.parametrize("name", ["valid_from", "valid_to"])
def test_a_bound_the_engine_cannot_read_is_a_warning(name: str, text: str) -> None:
    package = _package(**{"valid_from": None, "valid_to": None, name: text})
    assert _codes(package) == [("validity-unread", "warning")]


def test_bounds_the_engine_reads_are_no_finding() -> None:
    assert _codes(_package("2030-01-01T08:00:00+0100", "9999-12-31")) == []


@pytest.mark.parametrize(
    "now", [datetime(2029, 6, 1, tzinfo=UTC), datetime(2030, 6, 1, tzinfo=UTC)]
)
def test_a_start_refused_by_an_empty_period_says_it_is_empty(now: datetime) -> None:
    engine = Engine(clock=VirtualClock(now))
    try:
        engine.deploy(_package("2031-01-01", "2030-01-01"))
        with pytest.raises(IllegalStateError, match="an empty period, its ValidFrom not before"):
            engine.start_process("p", {})
    finally:
        engine.close()
