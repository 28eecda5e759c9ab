"""One broadcast's view of the deployed versions: what it reads of them is read once.

Why: a signal broadcast looks through every stored version of every deployed process twice,
for the instances waiting for the signal (:func:`~wfengine.runtime.navigation.events.
signal_waiters`) and for the processes a Signal start event of it starts. Asking the store,
not a per-engine index, is what sees a version another engine sharing the database deployed
since; the versions of all processes are one read (``Store.deployed_versions``: it was a
query per process on a SQL store, 400 with 400 processes, some 130 ms a broadcast). Reading
through this view, the second look costs set lookups
(:attr:`~wfengine.runtime.deployment.DeployedProcess.signal_start_names`), and both looks
see the same versions.
"""

from __future__ import annotations

from collections.abc import Collection

from wfengine.errors import DeployError
from wfengine.runtime.deployment import DeployedProcess
from wfengine.runtime.snapshots import InstanceSummary
from wfengine.runtime.store import Store

#: not read yet (a version may be read as None: not stored)
_UNREAD = object()


class DeploymentReads:
    """``store``'s deployments as read once (for one command's look through them); other
    reads go to the store. A version that no longer compiles raises its ``DeployError``
    each time it is asked for, as the store does (it is not kept). What it returns is its
    own (not to be changed by the caller)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._versions: dict[str, list[int]] | None = None
        self._deployed: dict[tuple[str, int], DeployedProcess | None] = {}

    def deployed_versions(self) -> dict[str, list[int]]:
        if self._versions is None:
            self._versions = self._store.deployed_versions()
        return self._versions

    def deployed_process_ids(self) -> list[str]:
        return list(self.deployed_versions())

    def versions(self, process_id: str) -> list[int]:
        return self.deployed_versions().get(process_id, [])

    def deployment(self, process_id: str, version: int | None = None) -> DeployedProcess | None:
        if version is None:  # (the latest: not looked through, asked of the store)
            return self._store.deployment(process_id)
        key = (process_id, version)
        found = self._deployed.get(key, _UNREAD)
        if found is _UNREAD:
            found = self._deployed[key] = self._store.deployment(process_id, version)
        return found  # type: ignore[return-value]

    def signal_started(self, name: str) -> list[str]:
        """The ids of the processes, in :meth:`deployed_process_ids` order, with a stored
        version that signal ``name`` starts (a Signal start event of that name at its top
        level); versions that no longer compile are passed over (they run nowhere)."""
        found: list[str] = []
        deployed = self._deployed  # (what the first look read)
        for process_id, versions in self.deployed_versions().items():
            for version in versions:
                d = deployed.get((process_id, version), _UNREAD)
                if d is _UNREAD:
                    try:
                        d = self.deployment(process_id, version)
                    except DeployError:
                        continue
                if isinstance(d, DeployedProcess) and name in d.signal_start_names:
                    found.append(process_id)
                    break
        return found

    def open_at(self, process_id: str, activity_ids: Collection[str]) -> list[str]:
        return self._store.open_at(process_id, activity_ids)

    def instance_summary(self, instance_id: str) -> InstanceSummary:
        return self._store.instance_summary(instance_id)


__all__ = ["DeploymentReads"]
