"""Audit events out of the engine: paged reading (:func:`iter_events`) and writers for CSV,
JSON Lines and XES (IEEE 1849, the event-log format process-mining tools read: pm4py, ProM,
Celonis, Disco).

Every writer streams: events are read a page at a time (keyset paging, so a page costs an
index range however far into the trail it is) and written as they come, so an export of
millions of events holds one page in memory.

CSV and JSON Lines carry every event with the WfMC common header as columns (``instance_id``,
``seq``, ``at``, ``process_id``, ``kind``, ``activity_id``, ``activity_instance_id``,
``user``, ``work_item_id``) and its ``detail`` (a JSON text in CSV, an object in JSON Lines).
Their JSON is strict: a NaN or infinite float is the string ``"NaN"``, ``"Infinity"`` or
``"-Infinity"`` (see :func:`_json`); in XES it is the float ``NaN``, ``INF`` or ``-INF``, as
XML Schema spells them.

XES carries what process mining needs: one trace per instance (``concept:name`` the instance
id, ``wfengine:process`` its process), one event per life-cycle step of an activity
(``concept:name`` the activity id, ``concept:instance`` and ``wfengine:activity_instance`` its
activity instance, ``lifecycle:transition`` as :data:`XES_LIFECYCLE` maps the kinds, each
round of a Standard loop with a ``start`` and ``complete`` of its own, each instance of a
multi-instance activity an execution, not the container that spans them, a ``suspend`` and
``resume`` of each activity running when its instance was suspended
(:mod:`wfengine.audit.xes_pauses`), ``time:timestamp``, ``org:resource`` who did the work when
a person did, ``wfengine:cause`` and its companions on an ``ate_abort`` or ``pi_abort`` the
engine caused: :mod:`wfengine.audit.xes_causes`), and the values of the data fields marked
``wfengine:export`` = ``true`` as
trace attributes (typed: int, float, boolean, date for a DATETIME (a string, its ISO text, for
one UTC cannot hold: near year 1 or 9999 with an offset), else string, a DATE or TIME as its
ISO text, an integer beyond 64 bits as its digits; a field also marked ``wfengine:sensitive``
as ``***``, as the audit trail shows it), each keyed by its field id, or, an id that is no XML
name or has a colon, by ``wfengine:data:`` and the id
(:func:`~wfengine.audit.trace_data.xes_key`). Events of one trace must be contiguous in XES,
so the XES writer reads a page of instances at a time, each instance's trail whole
(:mod:`wfengine.audit.xes_traces`).

XML 1.0 cannot hold every character a string may: the C0 control characters other than tab,
line feed and carriage return (U+0000-U+0008, U+000B, U+000C, U+000E-U+001F), lone
surrogates (U+D800-U+DFFF) and U+FFFE, U+FFFF. A value pasted into a form may carry one (a
vertical tab, an escape), so the XES writer puts U+FFFD (the replacement character) in
their place rather than fail part-way through a log: see :func:`xml_text`.

UTF-8 cannot hold a lone surrogate either, which a string may carry (``json.loads`` of
``"\\ud83d"``, half an emoji a browser cut, gives one; the engine stores and hashes it). The
JSON of JSON Lines and of the CSV ``detail`` column writes it as its ``\\uXXXX`` escape,
which is valid JSON and reads back as the same string (lossless); the CSV's other columns
and the table, plain text, put U+FFFD in its place, as XES does (:func:`utf8_text`).
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, time
from typing import IO, TYPE_CHECKING, Any

from lxml import etree

from wfengine.audit.export_arguments import (
    Selected,
    check_binary,
    check_engine,
    check_events,
    check_text,
    checked_query,
)
from wfengine.audit.loop_rounds import LoopActivities, no_round_loops
from wfengine.audit.trace_data import TraceData, xes_key
from wfengine.audit.xes_causes import cause_attributes
from wfengine.audit.xes_pauses import XesPauses
from wfengine.audit.xes_rounds import XesRounds
from wfengine.audit.xes_traces import instance_traces
from wfengine.json_text import dumps
from wfengine.runtime.history import EventKind, state_entered
from wfengine.runtime.host_arguments import check_after, described, page_size
from wfengine.runtime.store import AuditEvent
from wfengine.runtime.work_item_events import (
    WorkItemAllocated,
    WorkItemDelegated,
    WorkItemEscalated,
    WorkItemReassigned,
    WorkItemReleased,
    WorkItemReturned,
)

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

#: events read per page
PAGE = 1000

#: the columns of the CSV export, in order (the JSON Lines objects have the same keys)
COLUMNS = (
    "instance_id",
    "seq",
    "at",
    "process_id",
    "kind",
    "activity_id",
    "activity_instance_id",
    "user",
    "work_item_id",
    "detail",
)

#: audit kind -> XES standard life-cycle transition (kinds not listed are left out of XES, but
#: an instance's ``instance.state`` suspending or resuming it: a ``suspend``/``resume`` of
#: each activity running then, see :mod:`wfengine.audit.xes_pauses`);
#: an activity aborted or terminated is ``ate_abort`` (the activity instance was aborted: a
#: boundary event interrupted it, an operator cancelled it, who is its ``org:resource``, work
#: was sent back), except when
#: its whole process instance was aborted or terminated (:data:`PI_ABORT`)
XES_LIFECYCLE = {
    "work_item.offered": "schedule",
    "work_item.allocated": "assign",
    "work_item.delegated": "reassign",
    "work_item.reassigned": "reassign",
    "work_item.returned": "reassign",
    "activity.started": "start",
    "activity.completed": "complete",
    "activity.terminated": "ate_abort",
    "activity.aborted": "ate_abort",
}

#: the transition of the activities an instance's own abort or termination closed: the
#: ``activity.aborted``/``activity.terminated`` events of the run just before the
#: ``instance.state`` event that closes it ``closed.aborted`` or ``closed.terminated`` (one
#: command writes them together, at one moment, each open work item's ``work_item.cancelled``
#: among them)
PI_ABORT = "pi_abort"
_ACTIVITY_ABORTS = frozenset({"activity.aborted", "activity.terminated"})
_INSTANCE_ABORTS = frozenset({"closed.aborted", "closed.terminated"})
#: what an instance's abort or termination writes before its ``instance.state``: each open
#: activity's closing, after its open work item's withdrawal
_CLOSING_KINDS = _ACTIVITY_ABORTS | {"work_item.cancelled"}

#: the transitions whose ``org:resource`` is who has the activity instance's work item (the
#: person seen last working it, or the one it was last handed to: :func:`_handed_to`) when the
#: event itself names nobody (the engine records the activity's start and completion after the
#: work-item event that names who started or completed the work, if anyone did)
_WORKED = frozenset({"start", "complete"})
#: the work-item events whose user takes or works the item: a claim (or the engine's
#: allocation, which names the holder), a start, a completion. Not the other events that name
#: someone on the activity: a refused operation's user, an operator's incident retry, who
#: added a multi-instance item, who sent the work back; crediting them gave a refused user
#: (or the operator) the holder's work, and ``user=`` selected it for them
_WORKING_KINDS = frozenset({"work_item.allocated", "work_item.started", "work_item.completed"})

#: what XML 1.0 cannot hold (its ``Char`` production's complement)
_NOT_XML = re.compile(r"[^\t\n\r\x20-\uD7FF\uE000-\uFFFD\U00010000-\U0010FFFF]")


def iter_events(
    engine: Engine,
    *,
    page: int = PAGE,
    after: AuditEvent | None = None,
    limit: int | None = None,
    **filters: Any,
) -> Iterator[AuditEvent]:
    """Every event ``engine.audit_events(after=after, limit=limit, **filters)`` selects, read
    ``page`` at a time: ``after`` (the last event an earlier export wrote) resumes after it,
    ``limit`` stops after that many events (None: every one).

    The arguments are checked now, not at the first event read: a writer given this
    iterator (``write_csv``) would otherwise have written its header before the error. A
    ``page`` must be a whole number of at least 1 (0 read nothing and then failed with an
    ``IndexError``)."""
    if not isinstance(page, int) or isinstance(page, bool):
        raise TypeError(f"iter_events: page is a whole number of events, not {described(page)}")
    if page < 1:
        raise ValueError(f"iter_events: page is at least 1 event per read ({page})")
    check_after(after, AuditEvent, "the last AuditEvent an earlier read gave")
    most = page_size(limit, "events")
    checked_query(filters, "iter_events")  # as audit_events checks them (names as write_xes)
    return _pages(engine, page, after, most, filters)


def _pages(
    engine: Engine,
    page: int,
    after: AuditEvent | None,
    most: int | None,
    filters: dict[str, Any],
) -> Iterator[AuditEvent]:
    """:func:`iter_events`' reads, its arguments checked."""
    while most is None or most > 0:
        size = page if most is None else min(page, most)
        found = engine.audit_events(after=after, limit=size, **filters)
        yield from found
        if len(found) < size:
            return
        if most is not None:
            most -= len(found)
        after = found[-1]


def event_row(event: AuditEvent) -> dict[str, Any]:
    """One event as a flat record (the CSV row, the JSON Lines object)."""
    return {
        "instance_id": event.instance_id,
        "seq": event.seq,
        "at": _iso(event.at),
        "process_id": event.process_id,
        "kind": event.kind,
        "activity_id": event.activity_id,
        "activity_instance_id": event.activity_instance_id,
        "user": event.user,
        "work_item_id": event.work_item_id,
        "detail": event.detail,
    }


def _iso(at: datetime) -> str:
    """``at`` in UTC as ISO text. A naive value (a host's ``datetime(2024, 1, 1, 12)`` in
    instance data) is UTC, as everywhere else in the engine: ``astimezone`` would read it as
    the machine's local time and shift it by the machine's zone."""
    aware = at.replace(tzinfo=UTC) if at.tzinfo is None else at
    return aware.astimezone(UTC).isoformat(timespec="microseconds")


def _json(value: Any) -> str:
    """``value`` as strict JSON text, as every ``--json`` of the command line spells it
    (:func:`wfengine.json_text.dumps`: a NaN or infinite float as ``"NaN"``, ``"Infinity"``
    or ``"-Infinity"``), non-ASCII text as it is, except a lone surrogate, which UTF-8 cannot
    hold: that is its ``\\uXXXX`` escape (it can only stand inside a JSON string)."""
    text = dumps(value, ensure_ascii=False)
    return _SURROGATE.sub(_escaped, text) if _SURROGATE.search(text) else text


def _escaped(found: re.Match[str]) -> str:
    return f"\\u{ord(found.group()):04x}"


#: what UTF-8 cannot encode: a surrogate (in a Python string it is a lone one)
_SURROGATE = re.compile("[\ud800-\udfff]")


def utf8_text(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD, so a plain-text output (a CSV
    column, the ``audit`` table) can be written as UTF-8 (see the module notes)."""
    return _SURROGATE.sub("\ufffd", text)


def write_csv(events: Iterable[AuditEvent], out: IO[str]) -> int:
    """Write ``events`` as CSV with a header row; returns how many were written. The
    engine instead of events, or a file that takes no text, is a ``TypeError`` before the
    header is written."""
    check_events(events, "write_csv")
    check_text(out, "write_csv")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for event in events:
        row = event_row(event)
        row["detail"] = _json(row["detail"])
        writer.writerow(["" if row[c] is None else _csv_cell(row[c]) for c in COLUMNS])
        n += 1
    return n


def _csv_cell(value: object) -> object:
    return utf8_text(value) if isinstance(value, str) else value


def write_jsonl(events: Iterable[AuditEvent], out: IO[str]) -> int:
    """Write ``events`` as JSON Lines (one object per line); returns how many. The engine
    instead of events, or a file that takes no text, is a ``TypeError`` before writing."""
    check_events(events, "write_jsonl")
    check_text(out, "write_jsonl")
    n = 0
    for event in events:
        out.write(_json(event_row(event)) + "\n")
        n += 1
    return n


def xml_text(text: str) -> str:
    """``text`` with each character XML 1.0 cannot hold (see the module notes) replaced by
    U+FFFD, so a stray control character in a value costs that character, not the log."""
    return _NOT_XML.sub("\ufffd", text)


def _attribute(parent: etree._Element, tag: str, key: str, value: str) -> None:
    etree.SubElement(parent, tag, key=xml_text(key), value=xml_text(value))


def write_xes(
    engine: Engine,
    out: IO[bytes],
    *,
    process_id: str | None = None,
    progress: Callable[[list[str]], Iterable[str]] | None = None,
    **filters: Any,
) -> int:
    """Write the trail as an XES log (one trace per instance, in instance order); returns the
    number of XES events written. ``out`` takes bytes (open a file with ``"wb"``); a text
    file is refused with a ``TypeError`` before anything is read. ``filters`` are those of
    ``Engine.audit_events``: with ``process_id`` they select the events the CSV and JSON
    Lines exports of the same filters select (an ``instance_id`` of another process: no
    trace); ``progress`` wraps the list of instance ids as they are written (a progress bar).
    ``limit`` and ``after``, which page the listing, are refused (a ``TypeError`` before
    anything is written): a log holds whole traces, so choose instances and times instead.

    A filter selects events; it does not change them. Each trace is built from all of its
    instance's events (read a page at a time, one instance held in memory), so an event's
    ``lifecycle:transition`` and ``org:resource`` are the same whatever the filters, and the
    filters then choose which of the trace's XES events are written: ``activity_id``,
    ``kind`` (the audit kind the XES event comes from), ``since`` and ``until`` as in the
    listing, and ``user`` the XES events whose ``org:resource`` is that user (the activity
    starts and completions they worked, which the trail records without a user)."""
    check_engine(engine, out)
    check_binary(out, "write_xes")
    # every filter checked as the listing checks it, before the XML header
    keep = Selected({**filters, "process_id": process_id})
    written = 0
    looped = LoopActivities(engine)
    found = _instances(engine, process_id, keep.query.instance_id, looped)
    if keep.query.since is not None or keep.query.until is not None:
        window = (keep.query.since, keep.query.until)
        found = _touched(engine, found, process_id, keep.query.instance_id, window)
    instance_ids: Iterable[str] = found if progress is None else progress(found)
    with etree.xmlfile(out, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element("log", {"xes.version": "1.0", "xes.features": "nested-attributes"}):
            for name, prefix, uri in (
                ("Concept", "concept", "http://www.xes-standard.org/concept.xesext"),
                ("Lifecycle", "lifecycle", "http://www.xes-standard.org/lifecycle.xesext"),
                ("Time", "time", "http://www.xes-standard.org/time.xesext"),
                ("Organizational", "org", "http://www.xes-standard.org/org.xesext"),
            ):
                xf.write(etree.Element("extension", name=name, prefix=prefix, uri=uri))
            for scope, keys in (
                ("trace", ("concept:name",)),
                ("event", ("concept:name", "lifecycle:transition")),
            ):
                glob = etree.Element("global", scope=scope)
                for key in keys:
                    _attribute(glob, "string", key, "UNKNOWN")
                xf.write(glob)
            read = instance_traces(engine, instance_ids, process_id, TraceData(engine))
            for iid, process, batch, data in read:
                idle = no_round_loops(batch, looped)
                trace, n = _trace(iid, process, batch, data, keep, idle)
                if n:
                    xf.write(trace)
                    written += n
    return written


def _instances(
    engine: Engine, process_id: str | None, instance_id: str | None, looped: LoopActivities
) -> list[str]:
    """The instances to write, in order; the version each runs noted in ``looped``."""
    if instance_id is not None:
        return [instance_id]
    found = engine.instance_summaries(process_id=process_id)
    for s in found:
        looped.know(s.id, s.process_id, s.version)
    return [s.id for s in found]


def _touched(
    engine: Engine,
    instance_ids: list[str],
    process_id: str | None,
    instance_id: str | None,
    window: tuple[datetime | None, datetime | None],
) -> list[str]:
    """Those of ``instance_ids`` with an event in the window ``[since, until)``, in order.

    Why: every XES event is dated by the audit event it comes from (a pause by its
    ``instance.state``), so an instance with no event in the window writes no trace; reading
    each instance's whole trail to find that out made a day's log of a year's database read
    the year (20,000 instances: a minute). The window's events are read once instead (an
    index range), and only the instances they name are read whole. With one ``instance_id``
    only its events of the window are read (not every instance's, to keep one)."""
    since, until = window
    within = iter_events(
        engine, process_id=process_id, instance_id=instance_id, since=since, until=until
    )
    seen = {e.instance_id for e in within}
    return [iid for iid in instance_ids if iid in seen]


def _typed(parent: etree._Element, key: str, value: Any) -> None:
    """``value`` as the XES attribute of its type."""
    if isinstance(value, bool):
        _attribute(parent, "boolean", key, "true" if value else "false")
    elif isinstance(value, int) and _LONG[0] <= value <= _LONG[1]:
        _attribute(parent, "int", key, str(value))
    elif isinstance(value, float):
        _attribute(parent, "float", key, _xsd_double(value))
    elif isinstance(value, datetime):
        kind, text = _xes_date(value)
        _attribute(parent, kind, key, text)
    elif isinstance(value, date | time):  # a DATE or TIME field: no instant, its ISO text
        _attribute(parent, "string", key, value.isoformat())
    else:
        _attribute(parent, "string", key, value if isinstance(value, str) else _json(value))


def _xes_date(value: datetime) -> tuple[str, str]:
    """``value`` as (XES type, text): a ``date`` in UTC as the trail's times are, or, when
    UTC cannot hold it (an offset moves a time near year 1 or 9999 past the calendar's edge,
    which every store keeps), a ``string``, its ISO text with its own offset: the value as
    stored rather than an ``OverflowError`` that lost the whole log."""
    try:
        return "date", _iso(value)
    except OverflowError:
        return "string", value.isoformat()


#: what XES's ``int`` (``xs:long``) holds; a larger integer (the engine keeps up to 4,096
#: bits) is written as a string, its digits, as an ``int`` it made the log invalid XES
_LONG = (-(2**63), 2**63 - 1)


def _xsd_double(value: float) -> str:
    """``value`` as XML Schema spells a double (XES's float): ``NaN``, ``INF`` and ``-INF``
    where Python writes ``nan`` and ``inf``, which XML Schema readers refuse."""
    if math.isfinite(value):
        return repr(value)
    return "NaN" if math.isnan(value) else "INF" if value > 0 else "-INF"


def _trace(
    instance_id: str,
    process_id: str | None,
    events: list[AuditEvent],
    data: dict[str, Any] | None = None,
    keep: Callable[[AuditEvent, str | None], bool] | None = None,
    idle: set[str] | None = None,
) -> tuple[etree._Element, int]:
    """``events`` as a trace; ``idle``: activity instances that did no work (a while loop
    whose condition was false at once), which it leaves out, as the metrics do."""
    trace = etree.Element("trace")
    _attribute(trace, "string", "concept:name", instance_id)
    if process_id is not None:
        _attribute(trace, "string", "wfengine:process", process_id)
    for field_id, value in sorted((data or {}).items()):
        _typed(trace, xes_key(field_id), value)
    #: activity instance -> who has its current work item: the person last seen working it
    #: (:data:`_WORKING_KINDS`), or the one it was last handed to
    people: dict[str, str] = {}
    by_instance = _closed_by_instance(events)
    skipped = _mi_containers(events) | (idle or set())
    rounds = XesRounds(events)
    pauses = XesPauses()
    n = 0
    for i, event in enumerate(events):
        user, ai = event.user, event.activity_instance_id
        if ai is not None and ai in skipped:
            continue  # a multi-instance container (its instances are the executions), idle
        if user is None and event.kind == "work_item.allocated":
            # the engine gave the item (a rule, work sent back): nobody acted; it names the holder
            user = WorkItemAllocated.of(event.detail).holder
        if ai is not None:
            handed, holder = _handed_to(event)
            if handed:
                if holder is None:
                    people.pop(ai, None)
                else:
                    people[ai] = holder
            elif user is not None and event.kind in _WORKING_KINDS:
                people[ai] = user
        for paused, transition in pauses.pauses(event):
            if keep is None or keep(paused, user):
                _event(trace, paused, transition, user)
                n += 1
        transitions = rounds.transitions(event, i)
        if transitions is None:
            found = XES_LIFECYCLE.get(event.kind)
            transitions = () if found is None else (found,)
        if not transitions or event.activity_id is None:
            continue
        if i in by_instance:
            transitions = (PI_ABORT,)
        elif _WORKED.intersection(transitions) and ai is not None:
            user = user or people.get(ai)
        pauses.note(event, transitions)  # (before the filters: the trace is the whole one)
        if keep is not None and not keep(event, user):
            continue
        for transition in transitions:
            _event(trace, event, transition, user)
            n += 1
    return trace, n


def _event(trace: etree._Element, event: AuditEvent, transition: str, user: str | None) -> None:
    """Add the XES event ``transition`` of ``event``'s activity to ``trace``."""
    assert event.activity_id is not None
    xes_event = etree.SubElement(trace, "event")
    _attribute(xes_event, "string", "concept:name", event.activity_id)
    _attribute(xes_event, "string", "lifecycle:transition", transition)
    _attribute(xes_event, "date", "time:timestamp", _iso(event.at))
    if user is not None:
        _attribute(xes_event, "string", "org:resource", user)
    if event.activity_instance_id is not None:
        # the Concept extension's key for it too: what tools pair start and complete by
        for key in ("concept:instance", "wfengine:activity_instance"):
            _attribute(xes_event, "string", key, event.activity_instance_id)
    for key, value in cause_attributes(event):  # why the engine aborted it
        _attribute(xes_event, "string", key, value)


def _handed_to(event: AuditEvent) -> tuple[bool, str | None]:
    """Whether ``event`` gave its work item to someone other than who acted, and to whom
    (None: nobody holds it, it is on offer). A reassignment, a delegation, a return to the
    owner, a release and an escalation name who acted, but the work is the holder's from
    then on: a later start or completion that names nobody (the host's code) is theirs, as
    the users' figures of ``stats`` credit the item's holder."""
    kind = event.kind
    if kind == "work_item.offered":
        return True, None  # a new item (a loop's next round, work sent back)
    if kind in _HANDING_KINDS:
        payload = event.payload
        if isinstance(
            payload, WorkItemReassigned | WorkItemDelegated | WorkItemReturned | WorkItemReleased
        ):
            return True, payload.to
        if isinstance(payload, WorkItemEscalated):  # taken from its holder: on offer again
            return payload.taken_from is not None, None
    return False, None


_HANDING_KINDS = frozenset(
    {
        "work_item.reassigned",
        "work_item.delegated",
        "work_item.returned",
        "work_item.released",
        "work_item.escalated",
    }
)


def _mi_containers(events: list[AuditEvent]) -> set[str]:
    """The activity instances of ``events`` that are multi-instance containers (each records
    an ``mi.started`` as it starts its instances). XES leaves their life cycles out: the
    instances are the activity's executions, the container only spans them (3 copies were 4
    starts and 4 completes, 0 copies one execution, and an instance's abort gave the container
    a ``pi_abort`` of its own), as :mod:`wfengine.audit.metrics` counts them."""
    return {
        e.activity_instance_id
        for e in events
        if e.kind == EventKind.MI_STARTED and e.activity_instance_id is not None
    }


def _closed_by_instance(events: list[AuditEvent]) -> set[int]:
    """The positions in ``events`` of the activity closings an abort or termination of the
    whole instance made (see :data:`PI_ABORT`)."""
    found: set[int] = set()
    for i, event in enumerate(events):
        if event.kind != "instance.state" or state_entered(event.detail) not in _INSTANCE_ABORTS:
            continue
        # the closing command's run of events just before: its activities' closings, each
        # after the withdrawal of its work item (which XES leaves out), all at its moment
        before = i - 1
        while (
            before >= 0 and events[before].at == event.at and events[before].kind in _CLOSING_KINDS
        ):
            if events[before].kind in _ACTIVITY_ABORTS:
                found.add(before)
            before -= 1
    return found
