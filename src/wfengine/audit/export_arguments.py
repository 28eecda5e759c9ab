"""Checks of what a host passes to the export writers (:mod:`wfengine.audit.exports`), made
before anything is read or written, and the XES writer's event filter.

Why: a mistake met part-way through an export left a file holding a header and a bare
``TypeError`` from deep inside that named neither the argument nor the writer:
``write_csv(engine, f)`` (called as ``write_xes`` is) failed with "'Engine' object is not
iterable" after the CSV header, a binary file with "a bytes-like object is required",
``write_xes(engine, f, since="2024-01-01")`` after the XML header, and ``limit=5`` out of a
private class; ``write_xes(engine, f, activity_id=["a"])`` wrote an empty log. Each is now
refused first, naming the writer and the argument; the filters by the engine's own checks
(:func:`checked_query`), so the writers refuse what ``Engine.audit_events`` refuses.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from typing import Any

from wfengine.runtime.audit_kinds import audit_kinds
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.host_arguments import described
from wfengine.runtime.queries import check_audit_filters
from wfengine.runtime.store import AuditEvent

#: the filters :func:`~wfengine.audit.exports.write_xes` applies to a trace's XES events
#: (``process_id`` and ``instance_id`` choose the traces)
XES_FILTERS = ("activity_id", "user", "kind", "since", "until")
#: the filters of the listing (``Engine.audit_events``) by name, as ``write_xes`` names them:
#: the instances', then the events'
FILTERS = ("process_id", "instance_id", *XES_FILTERS)


def check_filter_names(filters: Mapping[str, object], caller: str) -> None:
    """Refuse a keyword that is no filter (``instance=`` for ``instance_id=``) with a
    ``TypeError`` naming ``caller``, the name, and the filters there are: ``write_xes``'s
    words, which ``iter_events`` gives too (its misspelt filter named
    ``Queries.audit_events()``, which the caller never called)."""
    unknown = sorted(set(filters) - set(FILTERS))
    if unknown:
        raise TypeError(f"{caller}: no filter {unknown[0]!r} (the filters: {', '.join(FILTERS)})")


#: the filters ``Engine.audit_events`` takes as one id each (or None)
_ID_FILTERS = ("instance_id", "process_id", "activity_id", "user")


def checked_query(filters: Mapping[str, Any], caller: str) -> AuditQuery:
    """The query ``Engine.audit_events`` makes of the listing's ``filters``, each checked
    there and then by the engine's own checks (:func:`~wfengine.runtime.queries.
    check_audit_filters`, :func:`~wfengine.runtime.audit_kinds.audit_kinds`, and
    :class:`~wfengine.runtime.audit_query.AuditQuery` for the times), each refusal naming
    ``caller``.

    Why one place: ``write_xes`` matched its own copy of the query and never checked an id
    filter (``activity_id=["submit"]``, ``user=5`` wrote an empty log, ``instance_id=5``
    failed after the XML header), and ``iter_events``, which reads lazily, left the times to
    its first read, after ``write_csv`` had written its header. The writers and the reader
    call this before they write or read anything, so they refuse what the listing refuses."""
    check_filter_names(filters, caller)
    check_audit_filters(caller, **{name: filters.get(name) for name in _ID_FILTERS})
    kinds = audit_kinds(filters.get("kind"), caller)
    try:
        return AuditQuery(
            instance_id=filters.get("instance_id"),
            process_id=filters.get("process_id"),
            activity_id=filters.get("activity_id"),
            user=filters.get("user"),
            kinds=kinds,
            since=filters.get("since"),
            until=filters.get("until"),
        )
    except (TypeError, ValueError) as exc:  # (a time: its words name the argument)
        raise type(exc)(f"{caller}: {exc}") from None


#: what pages the listing (``Engine.audit_events``, ``iter_events``), which XES cannot be
_PAGING = ("after", "limit", "page")


def check_binary(out: object, writer: str) -> None:
    """Refuse a text-mode ``out`` before anything is read or written: lxml's writer buffers,
    so a text file would otherwise take nothing for a small log (the count returned, the file
    empty) and fail part-way through a larger one with a bare lxml ``TypeError``. Probing with
    an empty write also catches text writers that are no ``io.TextIOBase``; a path (which lxml
    opens itself) has no ``write`` and is left to lxml."""
    write = getattr(out, "write", None)
    if write is None:
        return
    text = isinstance(out, io.TextIOBase)
    if not text:
        try:
            write(b"")
        except TypeError:
            text = True
    if text:
        raise TypeError(
            f"{writer} writes bytes (UTF-8 XML), but the file{_name(out)} "
            f'({type(out).__name__}) takes text: open it in binary mode, with "wb"'
        )


def check_text(out: object, writer: str) -> None:
    """Refuse an ``out`` that takes no text (a file opened ``"wb"``, a ``BytesIO``, no file
    at all) before the header is written; an empty write probes writers that are no
    ``io`` class."""
    write = getattr(out, "write", None)
    binary = True
    if write is not None and not isinstance(out, io.RawIOBase | io.BufferedIOBase):
        try:
            write("")
            binary = False
        except TypeError:
            pass
    if binary:
        what = "no file" if write is None else "takes bytes"
        raise TypeError(
            f"{writer} writes text, but out{_name(out)} ({type(out).__name__}) is {what}: "
            'open the file in text mode, with "w", newline="" for CSV'
        )


def check_events(events: object, writer: str) -> None:
    """Refuse ``events`` that are no iterable of events, such as the engine itself (the XES
    writer takes the engine, CSV and JSON Lines take the events :func:`iter_events` reads)."""
    if isinstance(events, Iterable) and not isinstance(events, str | bytes | Mapping):
        return
    raise TypeError(
        f"{writer} takes the events to write, such as iter_events(engine, **filters): "
        f"{writer}(iter_events(engine), out), not {described(events)}"
    )


def _name(out: object) -> str:
    name = getattr(out, "name", None)
    return f" {name!r}" if isinstance(name, str) else ""


class Selected:
    """Which XES events of a trace the listing's filters select (every one without filters):
    an event's activity, audit kind and time, and its ``org:resource`` for ``user``.

    The filters are checked as ``Engine.audit_events`` checks them (:func:`checked_query`: an
    id filter that is not one id, a misspelt kind, a time that is text or has no timezone),
    before the XML header is written; ``process_id`` and ``instance_id``, which choose the
    traces, are held in :attr:`query` too, but a trace's events are not matched on them;
    ``limit`` and ``after``, which page the listing, are refused: an XES log holds whole
    traces, one instance after another, so it is chosen by instance and time instead."""

    __slots__ = ("query",)

    def __init__(self, filters: Mapping[str, Any]) -> None:
        paging = [k for k in _PAGING if k in filters]
        if paging:
            raise TypeError(
                f"write_xes: no {paging[0]}=: the XES log is written trace by trace, each "
                "holding all of its instance's events, so it is not paged as the event "
                "listing is; choose the instances with process_id or instance_id and the "
                "events with since and until"
            )
        self.query = checked_query(filters, "write_xes")

    def __call__(self, event: AuditEvent, resource: str | None) -> bool:
        q = self.query
        return (
            (q.activity_id is None or event.activity_id == q.activity_id)
            and (not q.kinds or event.kind in q.kinds)
            and (q.since is None or event.at >= q.since)
            and (q.until is None or event.at < q.until)
            and (q.user is None or resource == q.user)
        )


#: what :func:`~wfengine.audit.exports.write_xes` asks of its ``engine``: it reads the events
#: and the instances itself
_ENGINE_READS = ("audit_events", "instance_summaries", "instance", "deployed")


def check_engine(engine: object, out: object) -> None:
    """Refuse an ``engine`` that is none (a file, a list of events) with a ``TypeError`` that
    says what ``write_xes`` takes, and that the two are swapped when ``out`` is the engine."""
    if all(callable(getattr(engine, name, None)) for name in _ENGINE_READS):
        return
    swapped = " (the two are swapped)" if callable(getattr(out, "audit_events", None)) else ""
    raise TypeError(
        "write_xes takes the Engine first, then the binary file: write_xes(engine, out, "
        f"**filters){swapped}, not a {type(engine).__name__} first; it reads the events "
        "itself (write_csv and write_jsonl take the events: write_csv(iter_events(engine), out))"
    )
