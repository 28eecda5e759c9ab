"""The in-memory store's outbox: entries with their delivery state, in a dict.

Committing a step only appends its entries to :attr:`MemoryOutbox.new` (the hot path: one
``list.extend`` per command, as before there was delivery); they are numbered and given their
delivery state the first time anything looks at the outbox. Pending entries are kept apart
from settled ones, so a claim looks only at what may be due.

Reads from another thread work on the memory store (an operator's dashboard listing entries
while the engine's thread delivers): each method holds the outbox's lock, and a commit's
append needs none (:meth:`MemoryOutbox._absorb` takes the entries by count). Without it a
listing raised ``RuntimeError: dictionary changed size during iteration`` as a delivery
settled an entry, and two threads numbering one commit's entries delivered them twice.

Which entries a claim takes, and which of them it counts an attempt of, is decided for both
stores by :func:`~wfengine.runtime.outbox_claims.taken`: the SQL queue reads the same facts
from its rows.
"""

from __future__ import annotations

import functools
import threading
from collections import deque
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Concatenate, ParamSpec, TypeVar

from wfengine.runtime.memory_times import utc
from wfengine.runtime.outbox import OutboxEntry, OutboxRecord, OutboxStatus
from wfengine.runtime.outbox_claims import Candidate, Claim, taken
from wfengine.value_copies import owned

_PENDING = OutboxStatus.PENDING
_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(slots=True, eq=False)
class _Row:
    """One entry and its delivery state (the memory form of an ``outbox`` row)."""

    id: int
    entry: OutboxEntry
    created_at: datetime
    status: OutboxStatus = _PENDING
    attempts: int = 0
    next_attempt_at: datetime | None = None
    lock_owner: str | None = None
    lock_expires_at: datetime | None = None
    last_error: str | None = None
    settled_at: datetime | None = None

    def record(self) -> OutboxRecord:
        e = self.entry
        return OutboxRecord(
            self.id,
            e.key,
            e.kind,
            e.instance_id,
            _payload_copy(e.payload),
            self.created_at,
            self.status,
            self.attempts,
            self.next_attempt_at,
            self.last_error,
            self.settled_at,
        )

    def candidate(self) -> Candidate:
        owner, until = self.lock_owner, self.lock_expires_at
        claim = None if owner is None or until is None else (owner, until)
        return Candidate(self.id, claim, self.last_error is not None)

    def claimable(self, now: datetime) -> bool:
        due = self.next_attempt_at
        lease = self.lock_expires_at
        return due is not None and due <= now and (lease is None or lease <= now)

    def settle(self, status: OutboxStatus, now: datetime) -> None:
        self.status = status
        self.settled_at = utc(now)
        self.next_attempt_at = None
        self.lock_owner = self.lock_expires_at = None


#: the types of a payload's values handed on as they are: plain values, and the tuples of
#: text a work item's ``performers`` and ``assignees`` are (a payload holds no other tuples)
_SHARED = frozenset({str, int, float, bool, type(None), tuple})


def _payload_copy(payload: Any) -> Any:
    """``payload`` as a handler's own copy, nested lists and dicts too, as a SQL store's read
    gives it. Why: a shallow copy shared the lists, so a handler appending to its entry's
    ``escalated_to`` (normalising its copy) changed the stored entry, and what every later
    delivery of it said. Only values that could change are copied (``owned`` on the whole
    payload walked its tuples too, doubling what a claim costs per entry)."""
    if type(payload) is not dict:
        return owned(payload)
    copy = dict(payload)
    for name, value in copy.items():
        if type(value) not in _SHARED:
            copy[name] = owned(value)
    return copy


def _locked(
    method: Callable[Concatenate[MemoryOutbox, _P], _R],
) -> Callable[Concatenate[MemoryOutbox, _P], _R]:
    """``method`` run holding the outbox's lock (see the module notes)."""

    @functools.wraps(method)
    def run(self: MemoryOutbox, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with self._lock:
            return method(self, *args, **kwargs)

    return run


class MemoryOutbox:
    """The outbox part of :class:`~wfengine.runtime.memory_store.MemoryStore` (see the
    :class:`~wfengine.runtime.store.Store` protocol for what each method promises)."""

    def __init__(self) -> None:
        #: entries committed and not yet numbered (the store's commit appends here)
        self.new: list[OutboxEntry] = []
        self._rows: dict[int, _Row] = {}
        #: the pending rows, in id order
        self._pending: dict[int, _Row] = {}
        #: delivered and skipped rows in the order they settled (what prune deletes, oldest
        #: first, without scanning the rest)
        self._kept: deque[_Row] = deque()
        self._last_id = 0
        self._lock = threading.Lock()

    def _absorb(self) -> None:
        """Number the newly committed entries; each is due when its change happened.

        Why by count, not by swapping the list: a commit in another thread may be appending to
        the list it fetched; ``del new[:n]`` takes exactly the ``n`` entries read, and what is
        appended meanwhile waits for the next look."""
        new = self.new
        count = len(new)
        if not count:
            return
        fresh = new[:count]
        del new[:count]
        for entry in fresh:
            self._last_id += 1
            # (in UTC, as the memory store's records and the SQL stores' rows: a clock in a
            # zone stamped 09:00+02:00 here beside 07:00 UTC on SQL and in the trail)
            at = utc(entry.at) if entry.at is not None else datetime.now(UTC)
            row = _Row(self._last_id, entry, at, next_attempt_at=at)
            self._rows[row.id] = self._pending[row.id] = row

    @_locked
    def claim(
        self,
        owner: str,
        now: datetime,
        lease_until: datetime,
        limit: int,
        kinds: Collection[str] | None,
    ) -> list[OutboxRecord]:
        self._absorb()
        due: list[_Row] = []
        for row in self._pending.values():
            if len(due) >= limit:
                break
            if row.claimable(now) and (kinds is None or row.entry.kind in kinds):
                due.append(row)
        if any(r.lock_owner is not None for r in due):  # (see taken: after a crash only)
            chosen, unstarted = taken([r.candidate() for r in due], self._mates)
        else:
            chosen, unstarted = [r.id for r in due], set()
        claimed: list[OutboxRecord] = []
        for entry_id in chosen:
            row = self._rows[entry_id]
            row.lock_owner = owner
            row.lock_expires_at = utc(lease_until)
            if entry_id not in unstarted or not row.attempts:
                row.attempts += 1
            claimed.append(row.record())
        return claimed

    def _mates(self, claims: set[Claim]) -> list[Candidate]:
        """The pending entries ``claims`` hold (see :func:`taken`)."""
        found = (r.candidate() for r in self._pending.values() if r.lock_owner is not None)
        return [c for c in found if c.claim in claims]

    @_locked
    def renew(self, entry_ids: Collection[int], owner: str, lease_until: datetime) -> set[int]:
        """Extend ``owner``'s lease of the entries ``entry_ids`` still its own (pending and
        leased to it, even if the lease ran out and nobody claimed them since: as the SQL
        queue); returns their ids. Why: a batch is claimed under one lease and delivered
        entry after entry; without this the in-memory deliverer stopped when its first lease
        ran out and left the rest of its batch to the next claim."""
        until = utc(lease_until)
        held: set[int] = set()
        for entry_id in entry_ids:
            row = self._pending.get(entry_id)
            if row is not None and row.lock_owner == owner:
                row.lock_expires_at = until
                held.add(entry_id)
        return held

    @_locked
    def skip(self, now: datetime, keep: Collection[str]) -> int:
        self._absorb()
        skipped = [
            r for r in self._pending.values() if r.claimable(now) and r.entry.kind not in keep
        ]
        for row in skipped:
            row.settle(OutboxStatus.SKIPPED, now)
            del self._pending[row.id]
            self._kept.append(row)
        return len(skipped)

    @_locked
    def settle(
        self,
        entry_id: int,
        owner: str,
        now: datetime,
        error: str | None,
        retry_at: datetime | None,
    ) -> None:
        row = self._rows.get(entry_id)
        if row is None:
            return
        if error is None:
            row.settle(OutboxStatus.DELIVERED, now)
            self._pending.pop(entry_id, None)
            self._kept.append(row)
            return
        if row.lock_owner != owner:
            return  # taken over: the claimant that holds it now records its own attempt
        row.last_error = error
        if retry_at is None:
            row.settle(OutboxStatus.FAILED, now)
            self._pending.pop(entry_id, None)
        else:
            row.next_attempt_at = utc(retry_at)
            row.lock_owner = row.lock_expires_at = None

    @_locked
    def prune(self, before: datetime) -> int:
        kept, rows = self._kept, self._rows
        gone = 0
        # delivered and skipped rows never change again, and settle in time order
        while kept and (settled := kept[0].settled_at) is not None and settled < before:
            row = kept.popleft()
            if rows.pop(row.id, None) is not None:
                gone += 1
        return gone

    @_locked
    def entries(
        self, status: OutboxStatus | None, instance_id: str | None, limit: int | None
    ) -> list[OutboxRecord]:
        self._absorb()
        found = [
            r.record()
            for r in self._rows.values()
            if (status is None or r.status is status)
            and (instance_id is None or r.entry.instance_id == instance_id)
        ]
        return found if limit is None else found[:limit]

    @_locked
    def retry(self, entry_ids: Collection[int] | None, now: datetime) -> int:
        self._absorb()
        chosen = (
            self._rows.values()
            if entry_ids is None
            else (self._rows[i] for i in entry_ids if i in self._rows)
        )
        again = [r for r in chosen if r.status is OutboxStatus.FAILED]
        for row in again:
            row.status = _PENDING
            row.attempts = 0
            row.next_attempt_at = utc(now)
            row.settled_at = None
            self._pending[row.id] = row
        if again:  # keep the pending rows in id order
            self._pending = dict(sorted(self._pending.items()))
        return len(again)

    @_locked
    def next_at(self, leased: bool) -> datetime | None:
        self._absorb()
        times = [
            r.next_attempt_at
            if leased or r.lock_expires_at is None
            else max(r.next_attempt_at, r.lock_expires_at)
            for r in self._pending.values()
            if r.next_attempt_at is not None
        ]
        return min(times, default=None)
