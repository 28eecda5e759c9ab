"""Noticing that ``wfengine run`` is going round a manual loop it can never leave.

The runner completes manual work items without changing any data unless ``--answers`` says
otherwise. A process that loops back through manual steps until someone changes a field (JaWE's
document approval sample: submit, review, update, submit, ...) therefore never ends; before
this guard the run only stopped after its last-resort limit of 100,000 completions, seconds
later and with a trace nobody can read.

The runner's next move depends only on what it sees, so once it is about to complete a work
item from exactly a state it already completed one from, everything in between will repeat
forever. The state is:

* the activity of the work item about to be completed (and its multi-instance index);
* the data of every open instance of the run's tree (the instance and its subflows, by process,
  since a subflow started again in the next round has a new id);
* the open work items of the tree, counted by activity;
* the ``--answers`` entries not used yet, per activity: a state whose activity still has an
  answer left never matches, since the answer is about to change what happens.

One case is told apart: the same *activity instance* offering a work item again is a Standard
loop going round, whose iteration count (and LoopMaximum) the engine keeps outside the data;
that is progress, not a repeat.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

#: a digest of the runner's position (see the module notes): a long run keeps one per
#: completion, so it must stay small whatever the size of the data
StateKey = tuple[str, str]


def state_key(
    activity_id: str,
    mi_index: int | None,
    open_activities: Iterable[str],
    tree_data: Iterable[tuple[str, Mapping[str, Any]]],
    answers_left: Mapping[str, int],
) -> StateKey:
    """The state the runner is in when it is about to complete a work item of
    ``activity_id`` (see the module notes): the activity id and a SHA-256 digest of the rest,
    equal for equal states."""
    data = sorted(
        (process_id, json.dumps(values, sort_keys=True, default=repr))
        for process_id, values in tree_data
    )
    rest = [
        mi_index,
        sorted(Counter(open_activities).items()),
        data,
        sorted((a, n) for a, n in answers_left.items() if n > 0),
    ]
    digest = hashlib.sha256(json.dumps(rest, default=repr).encode("utf-8")).hexdigest()
    return (activity_id, digest)


class RepeatGuard:
    """Remembers the state of every completion; says when one comes round again."""

    def __init__(self) -> None:
        #: state -> (position in :attr:`completed`, activity instance id) when last seen
        self._seen: dict[StateKey, tuple[int, str]] = {}
        #: activity ids of the completions so far, in order
        self.completed: list[str] = []

    def cycle(self, key: StateKey, activity_instance_id: str) -> list[str] | None:
        """Before a completion from state ``key``: the activities completed since the same
        state was last met (the repeating cycle, in order, each once), or None when the state
        is new or the same activity instance is looping (then the completion is recorded)."""
        seen = self._seen.get(key)
        if seen is not None and seen[1] != activity_instance_id:
            return list(dict.fromkeys(self.completed[seen[0] :]))
        self._seen[key] = (len(self.completed), activity_instance_id)
        self.completed.append(key[0])
        return None
