"""With a horizon, utilisation and queue figures cover start..horizon whatever ended the run,
the period throughput covers. Before, a run that ran out of work before the horizon closed its
people and queues at its last event: for the same work, the variant that ended on Thursday
16:30 showed 51% utilisation and the one the horizon stopped 40%."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.simulation.helpers import single_server
from tests.simulation.test_horizon_throughput_any_end import _week

from wfengine.simulation import compare

_HORIZON = datetime(2027, 1, 11, tzinfo=UTC)  # (start Monday 2027-01-04 + 7d)


def test_utilisation_and_queues_cover_the_horizons_period_whatever_ended_the_run() -> None:
    # B adds a case on Sunday 23:00 that cannot be served before the horizon; A runs out
    # of work on Thursday
    both = compare(
        (single_server(), _week([])), (single_server(), _week(["2027-01-10T23:00:00Z"])), seed=1
    )
    a, b = both.a.replications[0], both.b.replications[0]
    assert (a.stopped, b.stopped) == (None, "horizon")
    assert a.ended == b.ended == _HORIZON
    # the same work over the same open hours (Monday to Friday, 8 hours a day)
    assert a.groups["server"] == b.groups["server"]
    assert a.groups["server"].available_seconds == 5 * 8 * 3600
    # the queue series spans the whole week in both
    assert a.queues["serve"].series[-1][0] == b.queues["serve"].series[-1][0] == 7 * 86400
