"""Which activity instances of a trail are Standard loops, and which of those ran no round,
for the memory store's metrics (:func:`wfengine.audit.metrics.process_metrics`) and XES
(:func:`wfengine.audit.exports.write_xes`).

Why the definition is read: a tested-first (while) loop whose condition is false at once
records ``activity.started`` (an automatic one) and ``activity.completed``, as a plain
activity that ran does, so the trail alone cannot tell that it did no work; only knowing the
activity is a Standard loop can (:func:`~wfengine.runtime.activity_durations.no_round`). The
SQL store's figures know it from the rows they measure
(:func:`wfengine.runtime.sql.metrics_loops.loop_rounds`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from wfengine.errors import DeployError, NotFoundError
from wfengine.runtime.activity_durations import COMPLETED_KIND, no_round
from wfengine.runtime.activity_holders import holders
from wfengine.runtime.store import AuditEvent

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine


class LoopActivities:
    """``(process instance, activity id) -> bool``: whether the activity is a Standard loop
    in the definition version the instance runs (any holder of an Id activity sets repeat);
    each instance's version and each version's loops are read once. An instance or version
    that cannot be read (gone, or no longer compiling) has none: its figures stay as the
    trail alone gives them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._versions: dict[str, tuple[str, int] | None] = {}
        self._loops: dict[tuple[str, int], frozenset[str]] = {}

    def know(self, instance_id: str, process_id: str, version: int) -> None:
        """Note the version ``instance_id`` runs, from a listing already read (XES lists
        every instance it writes), so that it is not read again one instance at a time."""
        self._versions[instance_id] = (process_id, version)

    def __call__(self, instance_id: str, activity_id: str) -> bool:
        key = self._version(instance_id)
        if key is None:
            return False
        found = self._loops.get(key)
        if found is None:
            found = self._loops[key] = self._read(key)
        return activity_id in found

    def _version(self, instance_id: str) -> tuple[str, int] | None:
        if instance_id not in self._versions:
            try:  # (the row's columns: loading the instance compiles its version, which
                # for a version that no longer compiles raised and stopped the whole export)
                inst = self.engine.instance_summary(instance_id)
            except NotFoundError:
                self._versions[instance_id] = None
            else:
                self._versions[instance_id] = (inst.process_id, inst.version)
        return self._versions[instance_id]

    def _read(self, key: tuple[str, int]) -> frozenset[str]:
        try:
            compiled = self.engine.deployed(*key).compiled
        except (DeployError, NotFoundError):
            return frozenset()
        return frozenset(
            activity_id
            for activity_id in compiled.activity_graph
            if any(a.loop is not None and not a.loop.multi for a in holders(compiled, activity_id))
        )


def no_round_loops(events: Iterable[AuditEvent], looped: LoopActivities) -> set[str]:
    """The activity instances of ``events`` (one process instance's) that are Standard loops
    which completed without running a round: XES writes nothing of them, as the metrics
    count them nowhere."""
    kinds: dict[str, list[str]] = {}
    found: set[str] = set()
    for event in events:
        ai, act = event.activity_instance_id, event.activity_id
        if ai is None or act is None:
            continue
        seen = kinds.setdefault(ai, [])
        seen.append(event.kind)
        if event.kind == COMPLETED_KIND and no_round(seen) and looped(event.instance_id, act):
            found.add(ai)
    return found
