"""The audit trail's hash chain: each stored event carries the hash of itself and the event
before it in its instance, and the instance row keeps the hash of its last event (the head),
so an edited, removed, reordered or inserted row is found by recomputing the chain
(:func:`verify_chain`; ``wfengine audit verify``).

An event's hash is SHA-256 over the previous event's hash and the event's stored fields in a
fixed text form (its detail as canonical JSON: sorted keys, no spaces), so it depends only on
what the row holds, never on how a database hands values back. The first event of an
instance (or the first written once the chain came in) chains from the empty string. Rows
written before the chain existed have no hash: a trail may begin with such rows (reported as
unchained, not as tampered), but a row without a hash after one with a hash is a break.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from wfengine.runtime.json_one_shot import one_shot

#: the hash an instance's first event chains from
GENESIS = ""


def event_hash(
    previous: str,
    instance_id: str,
    seq: int,
    at: datetime,
    kind: str,
    activity_instance_id: str | None,
    activity_id: str | None,
    detail: Any,
) -> str:
    """The hash of one event, chained to ``previous`` (the hash of the event before it)."""
    return link_hash(
        previous,
        instance_id,
        seq,
        hashed_time(at),
        kind,
        activity_instance_id,
        activity_id,
        detail_text(detail),
    )


def hashed_time(at: datetime) -> str:
    """An event's time as the chain hashes it (UTC, ISO 8601 with microseconds)."""
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    return at.isoformat(timespec="microseconds")


def detail_text(detail: Any) -> str:
    """A stored detail as the chain hashes it: canonical JSON (sorted keys, no spaces)."""
    return "null" if detail is None else _canonical_text(detail)


def link_hash(
    previous: str,
    instance_id: str,
    seq: int,
    at: str,
    kind: str,
    activity_instance_id: str | None,
    activity_id: str | None,
    detail: str,
) -> str:
    """:func:`event_hash` of an event whose time and detail are already in their hashed text
    (:func:`hashed_time`, :func:`detail_text`): a commit of many events made at one moment
    renders the time once."""
    text = "\x1f".join(
        (
            previous,
            instance_id,
            str(seq),
            at,
            kind,
            activity_instance_id or "",
            activity_id or "",
            detail,
        )
    )
    # surrogatepass: a lone surrogate in a string is a value Python holds, and is hashed too
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


#: the one encoder of details (json.dumps with options builds a new one per call)
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)
#: its text, by its C encoder called directly: a commit hashes a detail per event
_canonical_text = one_shot(_CANONICAL)


@dataclass(frozen=True, slots=True)
class StoredEvent:
    """An audit row as the database holds it (what the chain is computed over)."""

    instance_id: str
    seq: int
    at: datetime
    kind: str
    activity_instance_id: str | None
    activity_id: str | None
    detail: Any
    hash: str | None


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first thing wrong with one instance's trail: ``seq`` names the first bad event
    (None when the rows are sound but the head or count kept on the instance disagree)."""

    instance_id: str
    seq: int | None
    reason: str

    def __str__(self) -> str:
        at = f"event {self.seq}" if self.seq is not None else "its head"
        return f"instance {self.instance_id!r}, {at}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ChainReport:
    """What :func:`verify_chain` found over a set of instances."""

    instances: int
    events: int
    #: events written before the chain existed (no hash), left unchecked
    unchained: int
    breaks: tuple[ChainBreak, ...]

    @property
    def ok(self) -> bool:
        return not self.breaks


def verify_instance(
    instance_id: str, events: Iterable[StoredEvent], count: int, head: str | None
) -> tuple[int, int, ChainBreak | None]:
    """Check one instance's events (in ``seq`` order as stored) against the ``count`` and
    ``head`` its row keeps; returns (events seen, unchained events, the first break)."""
    previous = GENESIS
    seen = unchained = 0
    chained = False

    def broken(seq: int | None, reason: str) -> tuple[int, int, ChainBreak]:
        return seen, unchained, ChainBreak(instance_id, seq, reason)

    for expected_seq, event in enumerate(events, 1):
        seen += 1
        if event.seq != expected_seq:
            what = "missing" if event.seq > expected_seq else "out of order or repeated"
            return broken(event.seq, f"expected event {expected_seq} here: a row is {what}")
        if event.hash is None:
            if chained:
                return broken(event.seq, "has no hash after hashed events (inserted)")
            unchained += 1
            continue
        computed = event_hash(
            previous,  # the first hashed event (after any unchained ones) from GENESIS
            event.instance_id,
            event.seq,
            event.at,
            event.kind,
            event.activity_instance_id,
            event.activity_id,
            event.detail,
        )
        chained = True
        if computed != event.hash:
            return broken(event.seq, "does not match its hash (edited, or an earlier row was)")
        previous = event.hash
    if seen != count:
        return broken(
            None,
            f"the instance records {count} events, the trail holds {seen} (rows removed or "
            "added at the end)",
        )
    if head is not None and not chained and seen:
        return broken(
            None, "the instance keeps a head but no event carries a hash (hashes removed)"
        )
    if chained and head != previous:
        return broken(None, "the last event's hash is not the head the instance keeps")
    return seen, unchained, None
