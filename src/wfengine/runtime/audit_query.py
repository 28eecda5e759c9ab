"""Which audit events a query asks for (:class:`AuditQuery`), and the order every store gives
them in: by time, then instance, then ``seq`` (the keyset a page continues after).

The SQL store answers with one indexed statement (``ix_audit_events_at`` and the
``(process_id | user_id, at)`` indexes; a kind is filtered on the rows these find, see
migration 0015); the memory store filters in Python with :meth:`AuditQuery.matches`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Protocol

from wfengine.runtime.host_arguments import described, page_size


class AuditEvent(Protocol):
    """What a query looks at of an event (:class:`wfengine.runtime.store.AuditEvent` has it;
    a protocol here, so the store module can import this one)."""

    @property
    def seq(self) -> int: ...
    @property
    def at(self) -> datetime: ...
    @property
    def instance_id(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def activity_id(self) -> str | None: ...
    @property
    def process_id(self) -> str | None: ...
    @property
    def user(self) -> str | None: ...


#: where a page ended: (at, instance_id, seq) of its last event
AuditKey = tuple[datetime, str, int]


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """Filters (all optional, combined with AND) and a keyset page."""

    instance_id: str | None = None
    process_id: str | None = None
    activity_id: str | None = None
    #: the user who acted (``detail["user"]``: work-item operations, refusals)
    user: str | None = None
    #: event kinds (``work_item.completed``...); empty: every kind
    kinds: tuple[str, ...] = ()
    #: events at or after ``since`` and before ``until``
    since: datetime | None = None
    until: datetime | None = None
    #: continue after this event (the :func:`key` of the last one of the previous page)
    after: AuditKey | None = None
    limit: int | None = None

    def __post_init__(self) -> None:
        """Refuse what would select the wrong events quietly: a negative page (it dropped
        the last event in memory and returned all of them on SQLite), or a time with no
        timezone (it raised a raw TypeError in memory and SQLAlchemy's error on SQLite);
        and, with a ``TypeError`` naming the argument, what is no page size or time at all
        (``since="2024-01-01"`` raised a bare ``AttributeError`` from deep inside); and,
        with a ``ValueError`` naming it, a time whose UTC reading Python cannot hold (the
        first hours of the year 1 in a zone east of UTC raised a bare ``OverflowError``)."""
        object.__setattr__(self, "limit", page_size(self.limit, "events"))
        for name in ("since", "until"):
            when = getattr(self, name)
            if when is None:
                continue
            if not isinstance(when, datetime):
                raise TypeError(
                    f"{name}: a datetime with a timezone, such as "
                    f"datetime.fromisoformat('2024-01-01T00:00+00:00'), not {described(when)}"
                )
            if when.utcoffset() is None:
                raise ValueError(f"{name}: a time with a timezone, not {when.isoformat()}")
            # in UTC: an event time in the same zone would compare by wall-clock reading
            try:
                in_utc = when.astimezone(UTC)
            except OverflowError:  # was a bare "date value out of range", naming nothing
                raise ValueError(
                    f"{name}: {when.isoformat()} is out of range: in UTC it falls before "
                    f"the year 1 or after the year 9999"
                ) from None
            object.__setattr__(self, name, in_utc)

    def matches(self, event: AuditEvent) -> bool:
        """Whether ``event`` passes the filters (the page bounds aside)."""
        return (
            (self.instance_id is None or event.instance_id == self.instance_id)
            and (self.process_id is None or event.process_id == self.process_id)
            and (self.activity_id is None or event.activity_id == self.activity_id)
            and (self.user is None or event.user == self.user)
            and (not self.kinds or event.kind in self.kinds)
            and (self.since is None or event.at >= self.since)
            and (self.until is None or event.at < self.until)
            and (self.after is None or key(event) > self.after)
        )


def key(event: AuditEvent) -> AuditKey:
    """The order of events across instances, and the keyset a page continues after.

    The time in UTC: two times of one zone such as ``Europe/Berlin`` compare by their
    wall-clock readings, which put an event after a summer-time change before one made
    earlier (the stores give UTC; an event built elsewhere may not)."""
    at = event.at
    return (at if at.tzinfo is UTC else at.astimezone(UTC), event.instance_id, event.seq)
