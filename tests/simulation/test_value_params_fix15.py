"""Bad parameters of data-value generators are refused, naming the key."""

import pytest

from wfengine.simulation.distributions import value
from wfengine.simulation.scenario import ScenarioError


def test_a_uniform_value_with_min_above_max_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"data\.amount\.uniform: needs min <= max"):
        value({"uniform": [5000, 10]}, "data.amount")


def test_a_normal_value_with_negative_sd_is_refused() -> None:
    with pytest.raises(ScenarioError, match=r"data\.amount\.normal: sd .* is not negative"):
        value({"normal": {"mean": 100, "sd": -20}}, "data.amount")


def test_good_value_parameters_still_draw() -> None:
    import random

    r = random.Random(1)
    assert 10 <= value({"uniform": [10, 10]}, "d")(r) <= 10
    assert value({"normal": {"mean": 5, "sd": 0}}, "d")(r) == 5
