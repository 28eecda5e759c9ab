"""The :class:`~wfengine.runtime.store.Store`'s outbox methods, for every store alike.

A store keeps its outbox in a queue object of its own (the in-memory
:class:`~wfengine.runtime.outbox_memory.MemoryOutbox`, the SQL
:class:`~wfengine.runtime.sql.outbox_queue.OutboxQueue`); what the store protocol asks of the
outbox is the same delegation for both, so it is written once here and mixed in.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

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
