"""What the checks look up in a process, indexed once per validation.

Checks run per scope (the top level and each activity set), and several need to know about the
process's other activity sets or all of its activities: which sets start on an event, the set
a block runs, the start a block names for a set, every activity Id. Collecting those anew for
every scope made validation (and so deploy) grow with the square of the number of activity
sets: 2,000 sets took ~14 s. :meth:`Context.process_index
<wfengine.definition.checks.context.Context.process_index>` builds one :class:`ProcessIndex`
per process, when a check first asks, and every scope looks it up.
"""

from __future__ import annotations

from collections.abc import Mapping

import networkx as nx

from wfengine.definition.graph import MAX_BLOCK_DEPTH
from wfengine.definition.model import Activity, ActivitySet, BlockActivity, WorkflowProcess


class ProcessIndex:
    """A process's activity sets and activities, by Id."""

    def __init__(self, process: WorkflowProcess) -> None:
        #: the Ids of the sets with ``TriggeredByEvent="true"``: event sub-processes
        self.triggered: frozenset[str] = frozenset(
            s.id
            for s in process.activity_sets
            if dict(s.extra_attrs).get("TriggeredByEvent", "false") == "true"
        )
        #: every activity of the process and its sets by Id (the last one where an Id repeats)
        self.activities: Mapping[str, Activity] = {
            a.id: a
            for a in (
                *process.activities,
                *(x for s in process.activity_sets for x in s.activities),
            )
        }
        sets: dict[str, ActivitySet] = {}
        starts: dict[str, list[str | None]] = {}
        #: which set runs which: an edge from a set Id to each set Id its blocks name
        self._runs: nx.DiGraph[str] = nx.DiGraph()
        for s in process.activity_sets:
            sets.setdefault(s.id, s)
            self._runs.add_node(s.id)
        for a in process.activities:
            if isinstance(a.body, BlockActivity):
                starts.setdefault(a.body.activity_set_id, []).append(a.body.start_activity_id)
        for s in process.activity_sets:
            for a in s.activities:
                if isinstance(a.body, BlockActivity):  # (one naming no set too: a level deeper)
                    self._runs.add_edge(s.id, a.body.activity_set_id)
        #: activity sets by Id, the first one where an Id repeats (``duplicate-id`` says so)
        self.sets: Mapping[str, ActivitySet] = sets
        #: set Id -> the StartActivityId each block of the process's top level running it names
        self.block_starts: Mapping[str, tuple[str | None, ...]] = {
            k: tuple(v) for k, v in starts.items()
        }
        self._component: dict[str, int] | None = None
        self._nesting: dict[str, int] = {}

    def nesting(self, start: str) -> int:
        """How deep activity sets nest from set ``start`` (1: its blocks run no set), counted
        level by level up to one past :data:`MAX_BLOCK_DEPTH`, a set that runs itself once
        (``block-recursion`` reports that)."""
        if start not in self._nesting:
            depth, level, seen = 0, [start], set()
            while level and depth <= MAX_BLOCK_DEPTH:
                depth += 1
                seen.update(level)
                level = [
                    inner
                    for set_id in level
                    if set_id in self._runs
                    for inner in self._runs.successors(set_id)
                    if inner not in seen
                ]
            self._nesting[start] = depth
        return self._nesting[start]

    def runs(self, start: str, wanted: str) -> bool:
        """Does set ``start`` run set ``wanted`` (itself or through its blocks), where a block
        of ``wanted`` runs ``start``: then both are in one strongly connected component of the
        sets' graph, which is numbered once."""
        if start == wanted:
            return True
        if self._component is None:
            self._component = {
                node: number
                for number, members in enumerate(nx.strongly_connected_components(self._runs))
                for node in members
            }
        number = self._component.get(start)
        return number is not None and number == self._component.get(wanted)
