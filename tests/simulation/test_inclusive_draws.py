"""An inclusive split's ways are drawn each with its own probability, independently, and a
case in which none came up is drawn again (the split takes at least one way): a way's share
of the cases is its probability over the chance that any comes up. Before, such a case took
one way drawn by weight, which matched neither: {a: 0.3, b: 0.3} took both together in 9%
of the cases (0.09 / 0.51 = 17.6% when drawn again) and a in 54.5% (58.8%)."""

from __future__ import annotations

from typing import Any

import pytest

from wfengine.simulation.simulator import Chooser, Streams


def test_a_case_where_no_way_came_up_is_drawn_again() -> None:
    chooser = Chooser({"split": [("ta", 0.3), ("tb", 0.3)]}, Streams(1, 0))
    instance: Any = None
    n = 20_000
    drawn = [chooser(instance, "split", ["ta", "tb"], False) for _ in range(n)]
    assert all(drawn)  # at least one way, every case
    any_way = 1 - 0.7 * 0.7
    both = sum(len(d) == 2 for d in drawn) / n
    a = sum("ta" in d for d in drawn) / n
    assert both == pytest.approx(0.3 * 0.3 / any_way, abs=0.015)
    assert a == pytest.approx(0.3 / any_way, abs=0.015)
