"""An integer past the float range (``10**400``: 1,329 bits, within the 4,096 bits instance
data holds) as an MI count, a deadline's seconds or a scenario's number. ``math.isfinite``
converts it to a float, so each raised a bare ``OverflowError``: ``start_process`` raised,
``validate`` logged a traceback and left its findings incomplete. Now it is judged as a
too-large finite number is: an incident naming the activity and the limit, the finding (none)
a too-large constant gets, a scenario error naming the place."""

from __future__ import annotations

import logging

import pytest

from wfengine import Engine, PackageBuilder, VirtualClock, deadline, multi_instance
from wfengine.definition.model import Package
from wfengine.definition.validation import validate
from wfengine.simulation.distributions import ScenarioError, probability
from wfengine.simulation.scenario import _rate

HUGE = 10**400


def _package(**activity: object) -> Package:
    b = PackageBuilder("pk")
    p = b.process("p")
    p.data_field("n", "INTEGER", initial="0")
    p.start("st")
    p.activity("a", **activity)  # type: ignore[arg-type]
    p.end("e")
    p.sequence("st", "a", "e")
    return b.build()


def _incidents(package: Package, n: int) -> list[str]:
    engine = Engine(clock=VirtualClock())
    engine.deploy(package)
    iid = engine.start_process("p", {"n": n})
    return [i.message for i in engine.incidents(iid)]


@pytest.mark.parametrize("n", [10**9, HUGE], ids=["1e9", "1e400"])
def test_a_huge_mi_count_is_the_incident_of_the_limit(n: int) -> None:
    (message,) = _incidents(_package(loop=multi_instance("n")), n)
    assert "activity 'a': the MI condition 'n' gave" in message
    assert "RuntimeLimits.max_mi_instances (10000) allows" in message


@pytest.mark.parametrize("n", [10**12, HUGE], ids=["1e12", "1e400"])
def test_a_huge_deadline_is_the_incident_of_a_too_long_wait(n: int) -> None:
    activity = {"performer": "r", "deadlines": [deadline("n", "x")]}
    (message,) = _incidents(_package(**activity), n)
    assert message.startswith("instance 'pi-1', process 'p', activity 'a', deadline 1 duration:")
    assert "seconds; expected 0 to 3153600000" in message


def test_a_huge_constant_mi_condition_validates_as_a_large_one(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        found = validate(_package(loop=multi_instance(str(HUGE))))
        large = validate(_package(loop=multi_instance("10**9")))
    assert caplog.records == []  # (a check that fails logs its traceback here)
    assert [d.code for d in found] == [d.code for d in large]
    assert "loop-count" not in [d.code for d in found]  # (the host's limit is not judged)


def test_a_huge_integer_in_a_scenario_is_refused_as_too_large() -> None:
    with pytest.raises(ScenarioError, match=r"^s\.yaml: p: an integer of 1,329 bits is too"):
        probability(HUGE, "s.yaml: p")
    with pytest.raises(ScenarioError, match=r"arrivals: an integer of 1,329 bits is too large"):
        _rate({"rate": HUGE, "per": "h"}, "arrivals")
