"""A process valid "for ever", written ``ValidTo`` 9999-12-31: adding the day's end to the
last day the engine holds raised a bare ``OverflowError`` out of every deploy and start,
while validate found nothing wrong. The day ends where the engine's time does: no bound."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from wfengine import Engine, VirtualClock
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.runtime.deployment import deployed_version


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


@pytest.mark.parametrize("text", ["9999-12-31", "9999-12-31Z", "9999-12-31-05:00", "99991231"])
def test_valid_to_the_last_day_bounds_nothing(text: str) -> None:
    package = _package(text)
    (process,) = package.workflow_processes
    assert deployed_version(package, process, 1).valid_to is None


def test_valid_to_the_last_day_east_of_utc_ends_when_that_day_does() -> None:
    package = _package("9999-12-31+14:00")
    (process,) = package.workflow_processes
    assert deployed_version(package, process, 1).valid_to == datetime(9999, 12, 31, 10, tzinfo=UTC)


@pytest.mark.parametrize("db", [None, "sqlite"])
def test_a_process_valid_to_9999_12_31_deploys_and_starts(db: str | None, tmp_path: Path) -> None:
    package = _package("9999-12-31")
    assert [d for d in validate(package) if d.severity == "error"] == []
    clock = VirtualClock(datetime(2026, 1, 1, tzinfo=UTC))
    url = f"sqlite:///{tmp_path}/forever.db" if db else None
    engine = Engine(clock=clock, db_url=url) if url else Engine(clock=clock)
    try:
        engine.deploy(package)
        iid = engine.start_process("p", {})
        assert str(engine.instance(iid).state) == "open.running"
    finally:
        engine.close()
