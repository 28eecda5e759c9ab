"""``simulate --compare --plot``: the queue chart gives each activity one colour across both
variants (the line's style tells the variant). Before, colours went by rank within each
variant: solid C0 was A's approve and dashed C0 was B's ship (QA F_sim 3)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tests.simulation.helpers import scenario, steps

from wfengine.definition.model import Package
from wfengine.simulation import compare
from wfengine.simulation.plots import _queues


def _shop() -> Package:
    return steps("shop", "order", ("check", "clerk"), ("approve", "boss"), ("ship", "clerk"))


class _Axes:
    """Records the lines drawn: (activity, variant) -> (colour, style)."""

    def __init__(self) -> None:
        self.lines: dict[tuple[str, str], tuple[str, str]] = {}

    def step(self, xs: Any, ys: Any, style: str, *, where: str, color: str, label: str) -> None:
        activity, _, variant = label.partition(" (")
        self.lines[(activity, variant[0])] = (color, style)

    def set_xlabel(self, *_: Any) -> None: ...

    def set_ylabel(self, *_: Any) -> None: ...

    def get_legend_handles_labels(self) -> tuple[list[Any], list[Any]]:
        return [], []


def test_each_activity_keeps_its_colour_across_the_variants() -> None:
    durations = {"check": "6m", "approve": "15m", "ship": "8m"}
    a = scenario(arrivals={"every": "10m"}, activities=durations, resources={"boss": 1})
    b = scenario(arrivals={"every": "10m"}, activities=durations, resources={"boss": 2})
    result = compare((_shop(), a), (_shop(), b), instances=30, seed=1)
    axes = _Axes()
    _queues([result.a, result.b], axes)
    colours: dict[str, set[str]] = defaultdict(set)
    for (activity, variant), (colour, style) in axes.lines.items():
        colours[activity].add(colour)
        assert style == ("-" if variant == "A" else "--")
    # both variants drew the three activities, in another order of their queues
    assert {v for _, v in axes.lines} == {"A", "B"} and len(axes.lines) == 6
    assert all(len(c) == 1 for c in colours.values()), dict(colours)
    assert len({next(iter(c)) for c in colours.values()}) == len(colours)
