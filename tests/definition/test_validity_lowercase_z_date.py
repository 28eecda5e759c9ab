"""A lowercase ``z`` after a date alone in ValidFrom / ValidTo (``2020-01-01z``) is read as
``Z``, as wfengine always read it. Why pinned: reading it as no bound (so as to treat it as a
date-time's lowercase ``z`` is treated) made a version an earlier wfengine had stored with such
a ``ValidTo``, and had retired, start instances again after the upgrade."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from wfengine import Engine, IllegalStateError, VirtualClock
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.definition.validation import validate


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


@pytest.mark.parametrize("text", ["2020-01-01z", "20200101z"])
def test_a_date_with_a_lowercase_z_still_bounds_starts(text: str) -> None:
    assert [d for d in validate(_package(text)) if d.code.startswith("validity")] == []
    with Engine(clock=VirtualClock(datetime(2030, 1, 1, tzinfo=UTC))) as engine:
        engine.deploy(_package(text))
        with pytest.raises(IllegalStateError, match=r"validity period is over"):
            engine.start_process("p")
    with Engine(clock=VirtualClock(datetime(2020, 1, 1, 12, tzinfo=UTC))) as engine:
        engine.deploy(_package(text))
        assert engine.start_process("p")
