"""The simulator against queueing theory: M/M/1 and M/M/3 at utilisation 0.8.

A single activity, Poisson arrivals, exponential service, one (three) people: the mean time a
work item waits to be taken must match the formula over enough cases. At utilisation 0.8 the
sample mean converges slowly (long busy periods make the waits strongly correlated): with
40,000 cases (two replications of 20,000) the sampling error is about 6%, one standard
deviation, so ``CI=true`` allows 12%, about two of them; at the fixed seed the simulated means
are 0.05% (M/M/1) and 0.6% (M/M/3) below the formula. The check is sharp against a wrong
simulator all the same: a service time 10% too long would double the wait at this load.
(100,000 cases took a tenth of the suite's time and were no sharper against such errors.)
The default, quick profile runs 20,000 and allows 15%. The waiting time is read from the
report, that is from the audit trail's metrics, as a user would read it. The exact check at
the end replays every case through the queue's recursion.
"""

from __future__ import annotations

import math
import os

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.simulation import simulate

STRICT = os.environ.get("CI") == "true"
#: cases per replication, replications, allowed relative error
CASES, REPLICATIONS, TOLERANCE = (20_000, 2, 0.12) if STRICT else (10_000, 2, 0.15)


def erlang_c(servers: int, load: float) -> float:
    """Probability that a case has to wait (Erlang C), ``load`` = arrival rate x mean
    service time."""
    rho = load / servers
    top = load**servers / math.factorial(servers) / (1 - rho)
    bottom = sum(load**k / math.factorial(k) for k in range(servers)) + top
    return top / bottom


def mean_wait(servers: int, rate_per_minute: float, service_minutes: float) -> float:
    """Mean wait in queue of M/M/c, in seconds."""
    load = rate_per_minute * service_minutes
    mu = 1 / service_minutes
    return erlang_c(servers, load) / (servers * mu - rate_per_minute) * 60


def _simulated_wait(servers: int, rate: str) -> float:
    report = simulate(
        single_server(),
        scenario(
            arrivals={"poisson": rate},
            activities={"serve": {"duration": {"exponential": "1m"}}},
            resources={"server": servers},
        ),
        instances=CASES,
        replications=REPLICATIONS,
        seed=1,  # the default seed of simulate() and the command
        jobs=2,  # CI's two cores (the report is the same with one)
    )
    waiting = report.activities["serve"].waiting
    assert report.completed.mean == CASES
    assert waiting.mean is not None
    return waiting.mean


def test_erlang_c_formula_matches_the_known_m_m_1_case() -> None:
    # M/M/1: Wq = rho / (mu - lambda) = 0.8 / (1 - 0.8) = 4 minutes
    assert mean_wait(1, 0.8, 1.0) == pytest.approx(240.0)


def test_m_m_1_at_utilisation_0_8_waits_as_theory_says() -> None:
    expected = mean_wait(1, 0.8, 1.0)
    assert _simulated_wait(1, "0.8/min") == pytest.approx(expected, rel=TOLERANCE)


def test_m_m_3_at_utilisation_0_8_waits_as_erlang_c_says() -> None:
    expected = mean_wait(3, 2.4, 1.0)
    assert _simulated_wait(3, "2.4/min") == pytest.approx(expected, rel=TOLERANCE)


@pytest.mark.parametrize("servers", [1, 3])
def test_each_case_waits_exactly_what_the_fifo_recursion_says(servers: int) -> None:
    """An exact check beside the statistical one: replay each case's arrival and service time
    (read from the trail) through the FIFO multi-server recursion (Kiefer-Wolfowitz; Lindley's
    for one server); every case's wait must be what the trail says, to the microsecond."""
    import heapq

    from wfengine.audit.exports import iter_events
    from wfengine.simulation.binding import bind
    from wfengine.simulation.simulator import Run

    bound = bind(
        scenario(
            arrivals={"poisson": f"{0.8 * servers}/min"},
            activities={"serve": {"duration": {"exponential": "1m"}}},
            resources={"server": servers},
        ),
        single_server(),
    )
    outcome = Run(bound, seed=3, replication=0, instances=3000).run()
    arrived, started, completed = {}, {}, {}
    for event in iter_events(outcome.engine):
        if event.kind == "activity.created":
            arrived[event.instance_id] = event.at
        elif event.kind == "work_item.started":
            started[event.instance_id] = event.at
        elif event.kind == "activity.completed":
            completed[event.instance_id] = event.at
    cases = sorted(arrived, key=lambda i: (arrived[i], int(i.split("-")[1])))
    assert len(cases) == len(completed) == 3000
    free = [arrived[cases[0]]] * servers  # when each server is free next
    waited_somewhere = 0
    for case in cases:
        earliest = heapq.heappop(free)
        begins = max(arrived[case], earliest)
        assert started[case] == begins, case
        waited_somewhere += begins > arrived[case]
        heapq.heappush(free, begins + (completed[case] - started[case]))
    assert waited_somewhere > 1000  # a real queue, not an idle desk
