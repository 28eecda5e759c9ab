"""Which due outbox entries a claim takes, and which of them it counts an attempt of: one
rule for the memory store (:mod:`~wfengine.runtime.outbox_memory`) and the SQL queue
(:mod:`~wfengine.runtime.sql.outbox_queue`), each reading the same facts from what it keeps.
Why a module of its own: the SQL queue imported it from the memory store's module."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import NamedTuple

#: a claim that took entries: its lease's owner and end (one claim leases its batch together,
#: and renews what is left of it together)
Claim = tuple[str, datetime]


class Candidate(NamedTuple):
    """A due entry a claim may take, as :func:`taken` weighs it."""

    id: int
    #: the claim holding it when that claim's lease ran out, never settled (its deliverer
    #: died, was interrupted, or gave it back); None when it is free
    claim: Claim | None
    #: its last delivery failed: a batch delivers such entries after the others
    #: (:meth:`~wfengine.runtime.outbox_delivery.Outbox._deliver_batch`)
    failed: bool


def taken(
    candidates: Sequence[Candidate],
    mates: Callable[[set[Claim]], Iterable[Candidate]],
) -> tuple[list[int], set[int]]:
    """Which of ``candidates`` (due, in id order) a claim takes, and which of those it does
    not count an attempt of; ``mates(claims)``: the pending entries those claims still hold.

    Why: a claim leases a batch and counts an attempt of each entry, and its deliverer hands
    them over one after the other, settling each. When the deliverer dies (``os._exit``, a
    segfault, the OOM killer) or is interrupted, the entry it was delivering is the first of
    its claim's unsettled entries in delivery order (failed ones last, then by id); the
    others never reached a handler. Counted again, each crash used up an attempt of every
    entry of the batch, and after ``max_attempts`` crashes of one entry the whole batch was
    given up, its other entries never handed to a handler. Now their claim is not counted
    again (their earlier one takes its place), and the one that was being delivered, which
    counts, waits for the next claim while those are taken: an entry that kills its
    deliverer every time no longer takes the entries claimed with it along (each crash is
    counted against it alone, and it ends failed after ``max_attempts``).

    Decided when the entries are taken over, from what is stored: no write when a delivery
    begins (a statement per entry on the hot path). A claim's batch whose lease was renewed while
    one entry was being delivered under a supervisor (``wfengine worker``), which renews
    that entry alone, and whose process then died, counts the first of the rest once more
    (the supervisor settles the one it was delivering): one attempt too many, never one
    crash too few."""
    if all(c.claim is None for c in candidates):
        return [c.id for c in candidates], set()  # (every claim but one after a crash)
    claims = {c.claim for c in candidates if c.claim is not None}
    first: dict[Claim, int] = {}
    for mate in sorted((*mates(claims), *candidates), key=lambda m: (m.failed, m.id)):
        if mate.claim is not None:
            first.setdefault(mate.claim, mate.id)
    unstarted = {c.id for c in candidates if c.claim is not None and first[c.claim] != c.id}
    waiting = {c.claim for c in candidates if c.id in unstarted}  # its mates are taken now
    chosen = [c.id for c in candidates if c.claim not in waiting or c.id in unstarted]
    return chosen, unstarted
