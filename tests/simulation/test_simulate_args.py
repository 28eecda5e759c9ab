"""``simulate``'s arguments are checked as the scenario's keys are: ``instances=-1`` used to
run no case and report nothing wrong."""

from __future__ import annotations

import pytest
from tests.simulation.helpers import scenario, single_server

from wfengine.simulation import simulate


@pytest.mark.parametrize("instances", [-1, 2.5, True])
def test_a_count_of_cases_that_is_not_one_is_refused(instances: object) -> None:
    with pytest.raises(ValueError, match=r"instances: a whole number >= 0, not"):
        simulate(single_server(), scenario(), instances=instances)  # type: ignore[arg-type]
