"""A simulation runs the host's bound applications with every setting of their bindings, and
never waits in real time between a synchronous call's retries.

Before, the run copied each binding into a registry of its own setting by setting: it dropped
``outputs_optional`` (an application answering only some OUT parameters stopped every case
with an incident) and the registry's sleep was the real one, so a retry delay of an hour held
the run an hour of wall-clock time, although simulated time does not count the back-off.
"""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario

from wfengine.applications import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import simulate


def _rated() -> Package:
    pb = PackageBuilder("tools")
    p = pb.process("tools")
    p.data_field("score", "INTEGER", initial="0")
    p.data_field("note", "STRING", initial="'none'")
    p.application("rate", params=[("score", "OUT", "INTEGER"), ("note", "OUT", "STRING")])
    p.activity("rate_it", tool="rate", args=["score", "note"]).activity("high").activity("low")
    p.transition("rate_it", "high", condition="score > 500")
    p.transition("rate_it", "low", otherwise=True)
    return pb.build()


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The waits asked of any registry made without a sleep of its own (the default is the
    real ``time.sleep``): recorded, not slept, so a run that asks for one cannot hang."""
    asked: list[float] = []
    defaults = ApplicationRegistry.__init__.__kwdefaults__
    assert defaults is not None
    monkeypatch.setitem(defaults, "sleep", asked.append)
    return asked


def test_a_retry_an_hour_later_is_made_at_once(waits: list[float]) -> None:
    host_waits: list[float] = []
    registry = ApplicationRegistry(sleep=host_waits.append)
    calls: list[int] = []

    @registry.register("rate", retries=1, backoff=3600.0)
    def rate() -> dict[str, object]:
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionError("the rating service is restarting")
        return {"score": 900, "note": "ok"}

    report = simulate(_rated(), scenario(), instances=3, applications=registry)
    run = report.replications[0]
    assert run.incident_count == 0 and run.metrics.completed == 3
    assert report.activities["high"].count.mean == 3
    assert len(calls) == 4  # the first call failed and was retried
    assert waits == [] and host_waits == []  # no real wait, in the run's registry or the host's


def test_a_binding_whose_outputs_are_optional_stays_so(waits: list[float]) -> None:
    registry = ApplicationRegistry()
    registry.register("rate", lambda: {"score": 900}, outputs_optional=True)  # no note

    report = simulate(_rated(), scenario(), instances=3, applications=registry)
    run = report.replications[0]
    assert run.incident_count == 0 and run.metrics.completed == 3
    assert report.activities["high"].count.mean == 3
