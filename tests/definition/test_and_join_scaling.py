"""The and-join checks take time linear in a process's size: a long chain of Parallel
diamonds once made ``and-join-loop-entry`` walk the dominator chain back to the start for
every way into every join (20,000 activities: 1 s of checking became 15 s, on every validate
and deploy)."""

from __future__ import annotations

import networkx as nx
import pytest

from wfengine import PackageBuilder, validate
from wfengine.definition.model import Package


def _diamonds(count: int, *, loop_back: bool = False) -> Package:
    """``count`` Parallel diamonds in a row: s{i} forks a{i} and b{i}, which j{i} joins; with
    ``loop_back`` the last join also feeds the first split, and the first split is a
    Parallel join too (a loop entry that never fires)."""
    pb = PackageBuilder("big")
    p = pb.process("main")
    p.activity("st")
    previous = "st"
    for i in range(count):
        p.route(f"s{i}", gateway="Parallel").activity(f"a{i}").activity(f"b{i}")
        p.route(f"j{i}", gateway="Parallel")
        p.transition(previous, f"s{i}")
        p.transition(f"s{i}", f"a{i}").transition(f"s{i}", f"b{i}")
        p.transition(f"a{i}", f"j{i}").transition(f"b{i}", f"j{i}")
        previous = f"j{i}"
    if loop_back:
        p.transition(previous, "s0", condition="false")
    return pb.build()


class _CountingDominators(dict[str, str]):
    """The immediate dominators, counting how often the check looks one up."""

    looked_up = 0

    def __getitem__(self, key: str) -> str:
        _CountingDominators.looked_up += 1
        return super().__getitem__(key)

    def __contains__(self, key: object) -> bool:
        _CountingDominators.looked_up += 1
        return super().__contains__(key)

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        _CountingDominators.looked_up += 1
        return super().get(key, default)


@pytest.mark.parametrize("loop_back", [False, True])
def test_the_and_join_check_looks_up_dominators_a_bounded_number_of_times_per_activity(
    monkeypatch: pytest.MonkeyPatch, loop_back: bool
) -> None:
    real = nx.immediate_dominators

    def counting(graph: nx.MultiDiGraph[str], start: str) -> dict[str, str]:
        return _CountingDominators(real(graph, start))

    monkeypatch.setattr(nx, "immediate_dominators", counting)  # (validate: only and_join)
    _CountingDominators.looked_up = 0
    count = 300
    found = [d for d in validate(_diamonds(count, loop_back=loop_back)) if "and-join" in d.code]
    activities = 4 * count + 1
    # a walk to the start per way in made ~count**2 (here ~360,000) look-ups; now a few each
    assert _CountingDominators.looked_up <= 4 * activities, _CountingDominators.looked_up
    if loop_back:  # the findings are unchanged: s0 waits for the way back from j299
        assert [(d.code, d.element_id) for d in found] == [("and-join-loop-entry", "s0")]
        assert "'j299'" in found[0].message
    else:
        assert found == []
