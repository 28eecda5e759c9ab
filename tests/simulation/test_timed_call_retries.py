"""An application the scenario gives a duration keeps all its retries: the simulated wait
before the call is no attempt of it. Before, the wait counted as one (the job's first run),
so retries=1 with a duration ended in an incident after one real call, reading "attempt 2
of 2"."""

from __future__ import annotations

import pytest

from wfengine.applications import ApplicationRegistry
from wfengine.definition.builder import PackageBuilder
from wfengine.definition.model import Package
from wfengine.simulation import Scenario, simulate


def _scored() -> Package:
    pb = PackageBuilder("svc")
    p = pb.process("svc")
    p.participant("clerk")
    p.data_field("score", "INTEGER", initial="0")
    p.application("svc", params=[("score", "OUT", "INTEGER")])
    p.activity("call", tool="svc", args=["score"])
    p.activity("answer", performer="clerk")
    p.sequence("call", "answer")
    return pb.build()


def _failing(retries: int, failures: int) -> tuple[ApplicationRegistry, list[int]]:
    """A registry whose ``svc`` fails ``failures`` times, then answers; and its calls."""
    registry = ApplicationRegistry(sleep=lambda _s: None)
    calls: list[int] = []

    @registry.register("svc", retries=retries)
    def svc() -> dict[str, int]:
        calls.append(1)
        if len(calls) <= failures:
            raise ConnectionError("service down")
        return {"score": 5}

    return registry, calls


def _scenario() -> Scenario:
    return Scenario.from_data(
        {
            "arrivals": {"at": ["2027-01-04T09:00:00Z"]},
            "activities": {"answer": "10m"},
            "applications": {"svc": {"duration": "2m"}},
            "resources": {"clerk": 1},
        }
    )


@pytest.mark.parametrize("retries", [1, 2])
def test_a_timed_call_makes_all_its_retries(retries: int) -> None:
    registry, calls = _failing(retries, failures=retries)
    report = simulate(_scored(), _scenario(), seed=1, applications=registry)
    run = report.replications[0]
    assert len(calls) == retries + 1
    assert run.incident_count == 0 and run.metrics.completed == 1


def test_a_timed_call_that_keeps_failing_counts_its_calls() -> None:
    registry, calls = _failing(1, failures=5)
    report = simulate(_scored(), _scenario(), seed=1, applications=registry)
    run = report.replications[0]
    assert len(calls) == 2
    assert run.incident_count == 1
    assert "(attempt 2 of 2)" in run.incidents[0][1]
