"""A lowercase ``z`` zone in ValidFrom / ValidTo is read alike after a date alone and after
a date-time: refused with the hint to write an upper-case Z, in validation and by the engine.
Why: ``2030-12-31z`` was taken as that day in UTC (and bounded starts) while
``2030-12-31T10:00:00z`` was refused and bounded nothing; a timer's TimeDate refuses the
lowercase ``z`` too."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from wfengine import Engine, IllegalStateError, VirtualClock
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.definition.validity import UnreadBound, read_bound

_HINT = r"\(write its zone as an upper-case Z, or \+00:00\)"


def _package(valid_to: str) -> Package:
    pb = PackageBuilder("pkg")
    pb.participant("clerk")
    p = pb.process("p")
    p.start("s").activity("work", performer="clerk").end("e")
    p.sequence("s", "work", "e")
    package = pb.build()
    (process,) = package.workflow_processes
    header = process.header.model_copy(update={"valid_to": valid_to})
    process = process.model_copy(update={"header": header})
    return package.model_copy(update={"workflow_processes": (process,)})


_LOWER = ["2020-01-01z", "20200101z", "2020-01-01T10:00:00z", "2020-01-01 10:00:00z"]


@pytest.mark.parametrize("text", _LOWER)
def test_validation_warns_of_a_lowercase_z_alike_with_the_hint(text: str) -> None:
    [finding] = [d for d in validate(_package(text)) if d.code.startswith("validity")]
    assert finding.code == "validity-unread"
    assert str(finding.severity) == "warning"
    assert f"its ValidTo {text!r} is no ISO 8601" in finding.message
    assert "write its zone as an upper-case Z, or +00:00" in finding.message


@pytest.mark.parametrize("text", _LOWER)
def test_the_engine_reads_a_lowercase_z_alike(text: str, caplog: pytest.LogCaptureFixture) -> None:
    with (
        caplog.at_level(logging.WARNING, logger="wfengine.deploy"),
        Engine(clock=VirtualClock(datetime(2030, 6, 1, tzinfo=UTC))) as engine,
    ):
        engine.deploy(_package(text))
        engine.start_process("p", {})  # the unread ValidTo (long past) limits nothing
    assert any(
        "ValidTo" in r.getMessage() and "upper-case Z" in r.getMessage() for r in caplog.records
    )


@pytest.mark.parametrize("text", ["2020-01-01Z", "2020-01-01T10:00:00Z"])
def test_an_upper_case_z_still_bounds(text: str) -> None:
    with Engine(clock=VirtualClock(datetime(2030, 6, 1, tzinfo=UTC))) as engine:
        engine.deploy(_package(text))
        with pytest.raises(IllegalStateError, match=r"ValidTo"):
            engine.start_process("p", {})
    assert not [d for d in validate(_package(text)) if d.code.startswith("validity")]


def test_the_refusal_names_the_text_and_the_hint() -> None:
    for text in _LOWER:
        with pytest.raises(UnreadBound, match=rf"'{text}' is no ISO 8601 .*{_HINT}"):
            read_bound(text, end=True)
