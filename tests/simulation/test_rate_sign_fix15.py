"""A Poisson rate that is not above zero is refused as a rate, not as a probability."""

import pytest

from wfengine.simulation.scenario import ScenarioError, _rate


@pytest.mark.parametrize("arg", [{"rate": -2, "per": "h"}, {"rate": 0, "per": "h"}, "0/h"])
def test_a_rate_not_above_zero_is_refused_as_a_rate(arg: object) -> None:
    with pytest.raises(ScenarioError, match=r"arrivals\.poisson: a rate is above zero"):
        _rate(arg, "s.yaml: arrivals.poisson")


def test_a_rate_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"'lots' is not a number"):
        _rate({"rate": "lots", "per": "h"}, "s.yaml: arrivals.poisson")
