"""The random draws of one simulation run: its named streams (see ``simulator``'s module
notes, "Random streams") and the split chooser that draws the ways the scenario gives
probabilities.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

from wfengine.runtime.instance import ProcessInstance


class Streams:
    """Named random streams of one replication (see the module notes)."""

    def __init__(self, seed: int, replication: int) -> None:
        self._prefix = f"wfengine-simulation/{seed}/{replication}/"
        self._streams: dict[str, random.Random] = {}

    def __call__(self, name: str) -> random.Random:
        found = self._streams.get(name)
        if found is None:
            found = self._streams[name] = random.Random(self._prefix + name)
        return found


#: how often an inclusive split's ways are drawn again when none came up, before one is drawn
#: by weight (only probabilities so small that none comes up in that many tries get there)
REDRAWS = 10_000


class Chooser:
    """``engine.split_chooser``: the ways of the splits the scenario gives probabilities."""

    def __init__(self, branches: Mapping[str, Sequence[tuple[str, float]]], streams: Streams):
        self._branches = branches
        self._streams = streams
        #: ways drawn so far (a run stops on endless timers only if a round drew none)
        self.draws = 0

    def __call__(
        self, instance: ProcessInstance, activity_id: str, ways: Sequence[str], exclusive: bool
    ) -> list[str] | None:
        spec = self._branches.get(activity_id)
        if spec is None:
            return None
        rng = self._streams(f"branch:{activity_id}")
        ids = [w for w, _ in spec if w in ways]
        weights = [p for w, p in spec if w in ways]
        if not ids or not any(weights):
            return None
        self.draws += 1
        if exclusive:
            return [rng.choices(ids, weights)[0]]
        # each way by its own probability; an inclusive split takes at least one, so a case
        # in which none came up is drawn again (conditional on one: a way's share is its
        # probability over the chance that any comes up). Before, one way was then drawn by
        # weight: {a: 0.3, b: 0.3} took a in 54% of the cases, not the 30% it says
        for _ in range(REDRAWS):
            chosen = [w for w, p in zip(ids, weights, strict=True) if rng.random() < p]
            if chosen:
                return chosen
        return [rng.choices(ids, weights)[0]]  # (probabilities so small none comes up)
