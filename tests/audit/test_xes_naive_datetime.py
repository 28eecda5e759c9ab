"""A naive DATETIME value in instance data is UTC in XES, as everywhere else in the engine:
the XES writer read it as the machine's local time and shifted it by the machine's zone."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from lxml import etree

from wfengine import Engine, PackageBuilder, VirtualClock, write_xes


@pytest.fixture
def far_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The machine's zone five hours west of UTC (where ``astimezone`` on a naive value
    shows the shift), restored afterwards."""
    if not hasattr(time, "tzset"):
        pytest.skip("the process's zone cannot be changed on this platform")
    monkeypatch.setenv("TZ", "EST+05")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("far_zone")
def test_a_naive_datetime_is_written_as_utc() -> None:
    with Engine(clock=VirtualClock()) as e:
        pb = PackageBuilder("pkg")
        p = pb.process("p")
        p.data_field("when", "REFERENCE", extended={"wfengine:export": "true"})
        p.activity("a")
        e.deploy(pb.build())
        e.start_process("p", {"when": datetime(2024, 1, 1, 12, 0)})
        out = io.BytesIO()
        write_xes(e, out)
    (trace,) = etree.fromstring(out.getvalue()).iter("trace")
    (when,) = [a for a in trace if a.get("key") == "when"]
    assert (when.tag, when.get("value")) == ("date", "2024-01-01T12:00:00.000000+00:00")
