"""``audit_events`` rows read as the database holds them and decoded one by one, by both the
trail's reads (:mod:`~wfengine.runtime.sql.audit_reads`) and its verification
(:mod:`~wfengine.runtime.sql.audit_verify`).

Why: decoding the time and the JSON detail inside the fetch (SQLAlchemy on SQLite, the driver
on PostgreSQL) raises there on a row an edit left holding no time or no JSON, which ended the
whole read: one damaged row stopped ``wfengine audit`` (every format), ``status`` and
``Engine.audit`` with a traceback, and every other instance's events with it. Read raw and
decoded here, such a row is named with what is wrong with it (in the words ``audit verify``
uses for it) and the rest is read."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from wfengine.runtime.sql import schema as t
from wfengine.runtime.store import AuditEvent
from wfengine.runtime.values import decode_value

_log = logging.getLogger("wfengine.store")

#: what decoding a detail that is JSON but not what the engine writes raises (a tagged value
#: whose text is no value of its tag)
_UNDECODABLE = (ValueError, TypeError, KeyError, AttributeError, RecursionError)


def raw_columns(dialect: sa.Dialect) -> tuple[sa.ColumnElement[Any], ...]:
    """The ``audit_events`` columns to select for :func:`stored_values` and
    :func:`audit_event`: the time and the detail as the database holds them
    (:func:`raw_time`, :func:`raw_detail`), the time's text beside as ``at_text``."""
    a = t.audit_events
    at, at_text = raw_time(dialect)
    return (
        a.c.instance_id,
        a.c.seq,
        at.label("at"),
        at_text.label("at_text"),
        a.c.kind,
        a.c.activity_instance_id,
        a.c.activity_id,
        raw_detail(dialect).label("detail"),
        a.c.hash,
        a.c.process_id,
        a.c.user_id,
        a.c.work_item_id,
    )


def audit_event(
    row: sa.Row[Any], decode_time: Callable[[Any], datetime | None]
) -> AuditEvent | str:
    """The event a row of :func:`raw_columns` holds, or what makes it unreadable (as
    ``wfengine audit verify`` names it)."""
    found = stored_values(row, decode_time)
    if isinstance(found, str):
        return found
    at, stored = found
    try:
        detail = decode_value(stored)
    except _UNDECODABLE as exc:
        return f"its detail is not a value the engine writes: {clip(stored)} ({exc})"
    return AuditEvent(
        row.seq,
        at,
        row.instance_id,
        row.kind,
        row.activity_instance_id,
        row.activity_id,
        detail,
        row.process_id,
    )


def decoded_events(
    found: Iterable[sa.Row[Any]], decode_time: Callable[[Any], datetime | None]
) -> tuple[list[AuditEvent], list[tuple[object, object, str]]]:
    """The events of the rows ``found`` (:func:`raw_columns`), and (instance id, seq, why)
    of those that cannot be read (for :func:`log_skipped`)."""
    events: list[AuditEvent] = []
    skipped: list[tuple[object, object, str]] = []
    for row in found:
        event = audit_event(row, decode_time)
        if isinstance(event, str):
            skipped.append((row.instance_id, row.seq, event))
        else:
            events.append(event)
    return events, skipped


def log_skipped(skipped: Iterable[tuple[object, object, str]]) -> None:
    """Log the rows a read left out (:func:`decoded_events`), as a listing logs a
    ``process_instances`` row it leaves out."""
    for instance_id, seq, why in skipped:
        _log.warning(
            "skipped the audit_events row of instance %r with seq %r: it cannot be read as "
            "an event (%s); wfengine audit verify checks the trail",
            instance_id,
            seq,
            why,
        )


def stored_values(
    row: sa.Row[Any], decode_time: Callable[[Any], datetime | None]
) -> tuple[datetime, Any] | str:
    """``row``'s time and detail as the store's reads give them, or what makes it unreadable."""
    wrong = unusable_columns(row)
    if wrong is not None:
        return wrong
    try:
        at = decode_time(row.at)
    except (ValueError, TypeError, OverflowError):
        at = None
    if at is None:
        shown = row.at if row.at_text is None else row.at_text
        return f"its time {shown!r} is unreadable (not a time, or out of range)"
    stored = row.detail
    if isinstance(stored, (int, float)) and not isinstance(stored, bool):
        return at, stored  # SQLite's numeric affinity turned the JSON number's text into one
    try:
        if isinstance(stored, bytes):
            stored = stored.decode()  # SQLite keeps the bytes an edit wrote
        # as stored: the hash covers the stored form, decoded as the store's reads decode it
        return at, None if stored is None else json.loads(stored)
    except (ValueError, RecursionError):
        return f"its detail is not JSON: {clip(row.detail)}"


def raw_detail(dialect: sa.Dialect) -> sa.ColumnElement[Any]:
    """The ``detail`` column as the database holds it: decoding it as JSON inside the fetch
    (SQLAlchemy on SQLite, the driver on PostgreSQL) would raise there on a row an edit left
    not JSON, ending the whole check. A PostgreSQL json column holds only JSON, but its text
    is read too, so one decoder serves both."""
    detail = t.audit_events.c.detail
    if dialect.name == "sqlite":
        return sa.type_coerce(detail, sa.String)  # not CAST: that fails on bytes not UTF-8
    return sa.cast(detail, sa.Text)


#: the range of times Python holds, a day in from each end so that any zone converts
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)
_LATEST = datetime(9999, 12, 30, tzinfo=UTC)


def raw_time(dialect: sa.Dialect) -> tuple[sa.ColumnElement[Any], sa.ColumnElement[Any]]:
    """The ``at`` column as the fetch can always deliver it, and its text for a message when
    that is NULL. SQLite keeps it as text, which is read as text and decoded per row
    (:func:`time_decoder`); a PostgreSQL timestamp is always a time, but may be one Python
    has no value for (``infinity``, year 20000), which the driver would raise on inside the
    fetch: those are read as NULL, with the server's text of them beside."""
    at = t.audit_events.c.at
    if dialect.name == "sqlite":
        return sa.type_coerce(at, sa.String), sa.null()
    held = at.between(_EARLIEST, _LATEST)
    return sa.case((held, at), else_=sa.null()), sa.case(
        (held, sa.null()), else_=sa.cast(at, sa.Text)
    )


def time_decoder(dialect: sa.Dialect) -> Callable[[Any], datetime | None]:
    """How to turn what :func:`raw_time` fetched into the time the store's reads give."""
    if dialect.name != "sqlite":
        return lambda value: value  # decoded by the driver; None: out of Python's range
    at_type = t.audit_events.c.at.type
    decode = at_type.dialect_impl(dialect).result_processor(dialect, None)
    assert decode is not None
    return decode


def unusable_columns(row: sa.Row[Any]) -> str | None:
    """What makes ``row``'s plain columns unusable for the chain (SQLite keeps whatever an
    edit puts in a column: text in ``seq``, bytes anywhere), or None."""
    if not isinstance(row.seq, int) or isinstance(row.seq, bool):
        return f"its seq {row.seq!r} is not a number"
    for column in ("instance_id", "kind", "activity_instance_id", "activity_id", "hash"):
        value = getattr(row, column)
        if value is not None and not isinstance(value, str):
            return f"its {column} column holds {type(value).__name__} {value!r}, not text"
    return None


def clip(text: object, limit: int = 60) -> str:
    shown = repr(text)
    return shown if len(shown) <= limit else shown[: limit - 3] + "..."
