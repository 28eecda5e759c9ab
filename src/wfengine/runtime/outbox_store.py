"""The :class:`~wfengine.runtime.store.Store`'s outbox methods, for every store alike.

A store keeps its outbox in a queue object of its own (the in-memory
:class:`~wfengine.runtime.outbox_memory.MemoryOutbox`, the SQL
:class:`~wfengine.runtime.sql.outbox_queue.OutboxQueue`); what the store protocol asks of the
outbox is the same delegation for both, so it is written once here and mixed in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol, runtime_checkable

from wfengine.runtime.outbox import OutboxRecord, OutboxStatus


class OutboxBackend(Protocol):
    """A store's outbox queue: what :class:`StoreOutbox` hands each call to."""

    def claim(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Collection[str] | None,
    ) -> list[OutboxRecord]: ...

    def skip(self, now: datetime, keep: Collection[str]) -> int: ...

    def settle(
        self,
        entry_id: int,
        owner: str,
        now: datetime,
        error: str | None,
        retry_at: datetime | None,
    ) -> None: ...

    def prune(self, before: datetime) -> int: ...

    def entries(
        self, status: OutboxStatus | None, instance_id: str | None, limit: int | None
    ) -> list[OutboxRecord]: ...

    def retry(self, entry_ids: Collection[int] | None, now: datetime) -> int: ...

    def next_at(self, leased: bool) -> datetime | None: ...


@runtime_checkable
class RenewingBackend(Protocol):
    """A queue that can extend the leases of a claimed batch (the SQL one and the memory
    store's, ``outbox_memory.MemoryOutbox``); a queue without it leaves the deliverer to its
    first lease (:meth:`StoreOutbox.renew_outbox`)."""

    def renew(self, entry_ids: Collection[int], owner: str, lease_until: datetime) -> set[int]: ...


class StoreOutbox:
    """The outbox part of the store protocol (documented there), given to ``_outbox``."""

    _outbox: OutboxBackend

    def claim_outbox(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Collection[str] | None = None,
    ) -> list[OutboxRecord]:
        return self._outbox.claim(owner, now, lease_until, limit, kinds)

    def renew_outbox(
        self, entry_ids: Collection[int], owner: str, lease_until: datetime
    ) -> set[int] | None:
        """Extend ``owner``'s lease of the pending entries ``entry_ids`` to ``lease_until``;
        returns the ids it still held (an entry another claimant took over once the lease ran
        out, or that was settled meanwhile, is not among them), or None when this store's queue
        cannot renew (the deliverer then trusts its first lease until it runs out).

        Why: a batch is claimed under one lease and delivered entry after entry; with slow
        handlers its tail would outlast the lease and be delivered by a second claimant too."""
        if isinstance(self._outbox, RenewingBackend):
            return self._outbox.renew(entry_ids, owner, lease_until)
        return None

    def skip_outbox(self, now: datetime, keep: Collection[str]) -> int:
        return self._outbox.skip(now, keep)

    def settle_outbox(
        self,
        entry_id: int,
        owner: str,
        now: datetime,
        *,
        error: str | None = None,
        retry_at: datetime | None = None,
    ) -> None:
        self._outbox.settle(entry_id, owner, now, error, retry_at)

    def prune_outbox(self, before: datetime) -> int:
        return self._outbox.prune(before)

    def outbox_entries(
        self,
        status: OutboxStatus | None = None,
        *,
        instance_id: str | None = None,
        limit: int | None = None,
    ) -> list[OutboxRecord]:
        return self._outbox.entries(status, instance_id, limit)

    def retry_outbox(self, entry_ids: Collection[int] | None, now: datetime) -> int:
        return self._outbox.retry(entry_ids, now)

    def next_outbox_at(self, *, leased: bool = False) -> datetime | None:
        return self._outbox.next_at(leased)
