"""Where a case stands: the **detailed status** for the people inside (every activity with its
performer and times, the data, comments, attachments, open and overdue work, its timers and
the work queued for a worker, the history)
and the **brief status** for outside parties (a customer asking about their complaint), which
shows only what the definition declares public and nothing else.

What is public is declared with extended attributes:

* on an activity, ``wfengine:milestone`` = the label outsiders see once it has completed
  ("Complaint received", "Answer sent");
* on a data field (of the process or its package), ``wfengine:public`` = ``true`` (or ``yes``
  or ``1``, as every yes/no mark of a field is read: :mod:`wfengine.definition.checks.
  field_marks`; any other word is refused at deploy, ``field-mark``): its value
  is shown (as ``***`` when the field is also ``wfengine:sensitive``, as the audit trail and
  the XES export show it, or took a sensitive value from a calling process);
* on the process, ``wfengine:public-name`` = how outsiders call it (none: no name is shown).

The brief status's ``state`` is one of ``in progress``, ``completed`` or ``closed`` (for a
terminated or aborted instance): outsiders see no suspension, incident or internal state.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from wfengine.audit.event_values import text_keys, value_keys
from wfengine.definition.checks.field_marks import PUBLIC, marked
from wfengine.definition.model import BlockActivity, Package, WorkflowProcess
from wfengine.runtime.engine_check import check_engine
from wfengine.runtime.history import PAYLOADS
from wfengine.runtime.host_arguments import check_acting_user
from wfengine.runtime.id_arguments import check_instance_id
from wfengine.runtime.snapshots import (
    ActivityInstanceSnapshot,
    InstanceSnapshot,
    WorkItemSnapshot,
)
from wfengine.runtime.states import A_COMPLETED, ProcessState
from wfengine.runtime.store import AuditEvent

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.worklist.notes import Attachment, Comment

MILESTONE = "wfengine:milestone"
#: what a user who may read only some fields sees for the engine's free text about a failure
WITHHELD = "(withheld: this text can quote values of fields you may not read)"
PUBLIC_NAME = "wfengine:public-name"


@dataclass(frozen=True, slots=True)
class Milestone:
    """A public step the case has passed: its label and when."""

    label: str
    reached_at: datetime


@dataclass(frozen=True, slots=True)
class BriefStatus:
    """What an outsider may know of a case (see the module notes)."""

    instance_id: str
    process: str | None
    state: str
    started_at: datetime | None
    completed_at: datetime | None
    milestones: tuple[Milestone, ...]
    #: the public data fields and their values
    fields: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {
            "instance_id": self.instance_id,
            "process": self.process,
            "state": self.state,
            "started_at": _iso(self.started_at),
            "completed_at": _iso(self.completed_at),
            "milestones": [
                {"label": m.label, "reached_at": _iso(m.reached_at)} for m in self.milestones
            ],
            "fields": self.fields,
        }


@dataclass(frozen=True, slots=True)
class OpenWork:
    """An open work item with when it is due and whether it is overdue."""

    item: WorkItemSnapshot
    due: datetime | None
    overdue: bool


@dataclass(frozen=True, slots=True)
class PendingTimer:
    """Something the case waits for in time: a timer of the instance (``kind`` ``deadline``,
    ``timer_event``, ``boundary_event`` (a boundary timer or cycle's next firing) or
    ``event_subprocess_start``) or a work item's ``reminder`` or ``escalation``, of
    ``activity_id`` (None when its activity closed meanwhile) and, for the latter,
    ``work_item_id``; ``due`` None: held back behind an incident (parked) until it is
    retried."""

    kind: str
    activity_id: str | None
    work_item_id: str | None
    due: datetime | None


@dataclass(frozen=True, slots=True)
class QueuedJob:
    """Work of the case queued for a worker (:func:`queued_jobs`): a job of ``kind``
    ``continue`` (the automatic work a command left for workers, or a long run's next
    stretch), ``invoke`` (an asynchronous application call of ``activity_id``, or its retry)
    or a kind the host added; ``due`` None: parked behind an incident until it is retried."""

    kind: str
    job_id: str
    activity_id: str | None
    due: datetime | None


@dataclass(frozen=True, slots=True)
class DetailedStatus:
    """Everything the people inside see of a case."""

    instance: InstanceSnapshot
    activities: tuple[ActivityInstanceSnapshot, ...]
    open_work: tuple[OpenWork, ...]
    comments: tuple[Comment, ...]
    attachments: tuple[Attachment, ...]
    history: tuple[AuditEvent, ...]
    #: what the case waits for in time, soonest first (:func:`pending_timers`)
    timers: tuple[PendingTimer, ...] = ()
    #: its work queued for a worker, in due order (:func:`queued_jobs`)
    queued: tuple[QueuedJob, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        inst = self.instance
        return {
            "instance_id": inst.id,
            "process_id": inst.process_id,
            "version": inst.version,
            "state": inst.state.value,
            "created_at": _iso(inst.created_at),
            "started_at": _iso(inst.started_at),
            "completed_at": _iso(inst.completed_at),
            "parent_instance_id": inst.parent_instance_id,
            "data": inst.data,
            "incidents": list(inst.incidents),
            "activities": [
                {
                    "id": a.id,
                    "activity_id": a.activity_id,
                    "state": a.state.value,
                    "performer": a.performer,
                    "started_at": _iso(a.started_at),
                    "completed_at": _iso(a.completed_at),
                    "work_item_id": a.work_item_id,
                    # the subflow instance it waits on, the incident it stopped on: what an
                    # operator follows to the cause of a case that does not move
                    "subflow_instance_id": a.subflow_instance_id,
                    "incident_id": a.incident_id,
                }
                for a in self.activities
            ],
            "open_work": [
                {
                    "id": w.item.id,
                    "activity_id": w.item.activity_id,
                    "state": w.item.state.value,
                    "holder": w.item.holder,
                    "offered_to": list(w.item.assignees),
                    "due": _iso(w.due),
                    "overdue": w.overdue,
                }
                for w in self.open_work
            ],
            "comments": [
                {
                    "id": c.id,
                    "work_item_id": c.work_item_id,
                    "author": c.author,
                    "text": c.text,
                    "created_at": _iso(c.created_at),
                }
                for c in self.comments
            ],
            "attachments": [
                {
                    "id": a.id,
                    "work_item_id": a.work_item_id,
                    "author": a.author,
                    "name": a.name,
                    "content_type": a.content_type,
                    "size": a.size,
                    "created_at": _iso(a.created_at),
                }
                for a in self.attachments
            ],
            "history": [
                {
                    "seq": e.seq,
                    "at": _iso(e.at),
                    "kind": e.kind,
                    "activity_id": e.activity_id,
                    "user": e.user,
                    "detail": e.detail,
                }
                for e in self.history
            ],
            "timers": [
                {
                    "kind": t.kind,
                    "activity_id": t.activity_id,
                    "work_item_id": t.work_item_id,
                    "due": _iso(t.due),
                }
                for t in self.timers
            ],
            "queued": [
                {
                    "kind": q.kind,
                    "job_id": q.job_id,
                    "activity_id": q.activity_id,
                    "due": _iso(q.due),
                }
                for q in self.queued
            ],
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _definition(engine: Engine, inst: InstanceSnapshot) -> tuple[Package, WorkflowProcess]:
    deployed = engine.deployed(inst.process_id, inst.version)
    return deployed.package, deployed.definition


def _activities(process: WorkflowProcess) -> Iterable[Any]:
    yield from process.activities
    for activity_set in process.activity_sets:
        yield from activity_set.activities


def public_declarations(
    package: Package, process: WorkflowProcess
) -> tuple[str | None, dict[str, str], frozenset[str]]:
    """(the process's public name, activity id -> milestone label, the public data fields)."""
    milestones = {}
    for activity in _activities(process):
        label = (activity.extended_attribute(MILESTONE) or "").strip()
        if label:
            milestones[activity.id] = label
    fields = frozenset(
        f.id
        for f in (*package.data_fields, *process.data_fields)
        if marked(f, PUBLIC)  # (true/yes/1, as wfengine:sensitive is read)
    )
    name = (process.extended_attribute(PUBLIC_NAME) or "").strip() or None
    return name, milestones, fields


_BRIEF_STATE = {
    ProcessState.COMPLETED: "completed",
    ProcessState.TERMINATED: "closed",
    ProcessState.ABORTED: "closed",
}


def brief_status(engine: Engine, instance_id: str) -> BriefStatus:
    """What an outsider may see of ``instance_id``: its public milestones reached, in order,
    and its public fields (see the module notes)."""
    check_instance_id(instance_id, "brief_status")
    check_engine(engine, "brief_status")
    inst = engine.instance(instance_id)
    package, process = _definition(engine, inst)
    name, labels, public = public_declarations(package, process)
    listing = engine.activity_instances(instance_id)  # in creation order
    withdrawn = _sent_back(engine, instance_id, process, listing) if labels else frozenset()
    # by completion time; ties (one command completes several) in creation order, which the
    # listing has (not by id: "pi-1:10" sorts before "pi-1:9" as text)
    reached = tuple(
        Milestone(labels[a.activity_id], a.completed_at)
        for a in sorted(listing, key=lambda a: a.completed_at or a.started_at)
        # a multi-instance activity's items (mi_index set) are not the milestone: the
        # activity, which completes when its multi-instance does, is
        if a.activity_id in labels
        and a.completed_at is not None
        and a.state is A_COMPLETED
        and a.mi_index is None
        and a.id not in withdrawn
    )
    return BriefStatus(
        instance_id=inst.id,
        process=name,
        state=_BRIEF_STATE.get(inst.state, "in progress"),
        started_at=inst.started_at,
        completed_at=inst.completed_at if inst.state.is_closed else None,
        milestones=reached,
        fields=_public_fields(engine, inst, public),
    )


def _sent_back(
    engine: Engine,
    instance_id: str,
    process: WorkflowProcess,
    listing: Sequence[ActivityInstanceSnapshot],
) -> frozenset[str]:
    """The activity instances whose completion work sent back has undone: for each
    ``work_item.sent_back``, the last run of the activity it went back to and every run
    after it up to the sender, in the sender's scope (or a block run inside it). Why: the
    case went back there to be redone, so an outsider saw a milestone ("Checked") while the
    check was being redone, and then saw it twice once it was; the redone run is the one
    reached. A loop that runs an activity again undoes nothing: each turn is reached.

    Runs are told apart by the definition's activity sets (completed runs keep no scope);
    two runs of one activity set at the same time (a block in two parallel branches) are
    not told apart."""
    events = engine.audit_events(instance_id=instance_id, kind="work_item.sent_back")
    if not events:
        return frozenset()
    position = {a.id: i for i, a in enumerate(listing)}
    home, parents = _set_tree(process)
    withdrawn: set[str] = set()
    for event in events:
        sender = position.get(event.activity_instance_id or "")
        target = event.detail.get("to") if isinstance(event.detail, dict) else None
        if sender is None or target not in home:
            continue
        first = next(
            (
                i
                for i in range(sender - 1, -1, -1)
                if listing[i].activity_id == target and listing[i].mi_parent_id is None
            ),
            None,
        )
        if first is None:
            continue
        scope = home[target]
        withdrawn.update(
            a.id
            for a in listing[first:sender]
            if _within(home.get(a.activity_id), scope, parents, set())
        )
    return frozenset(withdrawn)


def _set_tree(
    process: WorkflowProcess,
) -> tuple[dict[str, str | None], dict[str | None, set[str | None]]]:
    """(activity id -> the activity set it is in, None at the top level; activity set ->
    the sets whose block activities run it)."""
    home: dict[str, str | None] = {a.id: None for a in process.activities}
    for activity_set in process.activity_sets:
        home.update((a.id, activity_set.id) for a in activity_set.activities)
    parents: dict[str | None, set[str | None]] = {}
    for activity in _activities(process):
        if isinstance(activity.body, BlockActivity):
            parents.setdefault(activity.body.activity_set_id, set()).add(home.get(activity.id))
    return home, parents


def _within(
    where: str | None,
    scope: str | None,
    parents: dict[str | None, set[str | None]],
    seen: set[str | None],
) -> bool:
    """Whether an activity in set ``where`` runs in ``scope`` or in a block run inside it."""
    if where == scope:
        return True
    if where is None or where in seen:
        return False
    seen.add(where)
    return any(_within(p, scope, parents, seen) for p in parents.get(where, ()))


#: what the brief status shows for a public field that is also sensitive (as the trail does)
MASKED = "***"


def _public_fields(
    engine: Engine, inst: InstanceSnapshot, public: frozenset[str]
) -> dict[str, Any]:
    """The values of ``inst``'s public fields, a sensitive one's masked. Why: a field marked
    both ``wfengine:public`` and ``wfengine:sensitive`` was shown in clear to outsiders
    while the audit trail and the XES export for analysts masked it; sensitive wins."""
    shown = {k: v for k, v in inst.data.items() if k in public}
    if not shown:
        return shown
    sensitive = engine.store.instance(inst.id).sensitive_fields
    return {k: MASKED if k in sensitive else v for k, v in shown.items()}


def detailed_status(engine: Engine, instance_id: str, user: str | None = None) -> DetailedStatus:
    """Everything the people inside see of ``instance_id``. With ``user``, what that user's
    WAPI session may read of it (:mod:`wfengine.worklist.instance_access`, the one rule): an
    administrator or its creator (for a subflow instance, its root caller's) all of it; a
    user its work items concern the data those items may read (``wfengine:reads``),
    sensitive fields masked, and the comments and attachments read as them; anyone else is
    refused (``NotAuthorizedError``, recorded in its audit trail). Without ``user``, the
    host's own code reads it all. A ``user`` that is not a user id is refused before
    anything is read (``check_acting_user``: ``""`` a ``ValueError``, a number or a list a
    ``TypeError``): ``5`` or ``""`` was recorded in the audit trail as a refused reader, and
    ``["boss"]`` failed as a ``DirectoryError`` blaming the directory."""
    from wfengine.worklist.instance_access import WHOLE, InstanceAccess, shown
    from wfengine.worklist.notes import notes_for
    from wfengine.worklist.worklists import entries, may_see

    check_instance_id(instance_id, "detailed_status")
    check_acting_user(user, "detailed_status")
    check_engine(engine, "detailed_status")
    # (the user's access first: one the organisation does not know learns nothing of the id)
    reading = (
        None
        if user is None
        else InstanceAccess(engine, user).read(instance_id, "see the status of")
    )
    inst = engine.instance(instance_id)
    reader = user
    readable: frozenset[str] | None = None  # the fields a partial reading shows
    if reading is not None:  # (the status said more, or less, than the user's session did)
        inst = shown(engine, inst, reading)
        reader = None if reading is WHOLE else user  # all of it: its notes as the host's
        if reading is not WHOLE:
            readable = frozenset(inst.data)
    notes = notes_for(engine)
    comments = notes.comments(reader, instance_id)
    attachments = notes.attachments(reader, instance_id)
    now = engine.clock.now()
    history = engine.audit(instance_id)
    items = engine.work_items(instance_id)
    if readable is not None:
        assert user is not None
        history = [_masked_event(e, readable) for e in history]
        items = [item for item in items if may_see(engine, item, user)]
    # due: the earliest deadline, passed or to come (an asynchronous one that fired and left
    # the work open still counts), so overdue is a deadline that has passed
    open_work = [
        OpenWork(e.item, e.due, e.due is not None and e.due <= now) for e in entries(engine, items)
    ]
    return DetailedStatus(
        instance=inst,
        activities=tuple(engine.activity_instances(instance_id)),
        open_work=tuple(open_work),
        comments=tuple(comments),
        attachments=tuple(attachments),
        history=tuple(history),
        timers=tuple(pending_timers(engine, instance_id, items)),
        queued=tuple(queued_jobs(engine, instance_id)),
    )


def pending_timers(
    engine: Engine, instance_id: str, items: Sequence[WorkItemSnapshot]
) -> list[PendingTimer]:
    """What ``instance_id`` waits for in time, soonest first (parked ones last): its timers
    (``engine.timers``, which names their kind and activity) and the reminder and escalation
    jobs of ``items`` (its open work the reader may see), read from the store's jobs as
    ``engine.jobs`` reads them (their payload names the item and which of the two it is).
    Why: a case waiting on a timer showed only ``open.running``; when it moves on was in
    ``run --json`` alone."""
    from wfengine.runtime.jobs import JOB_REMINDER, PARKED

    def when(due: datetime) -> datetime | None:
        return None if due >= PARKED else due

    found = [
        PendingTimer(t.kind, t.activity_id, None, when(t.due)) for t in engine.timers(instance_id)
    ]
    activity_of = {w.id: w.activity_id for w in items}
    for job in engine.store.jobs(instance_id):
        item = job.payload.get("work_item") if isinstance(job.payload, dict) else None
        if job.kind != JOB_REMINDER or item not in activity_of:
            continue
        kind = "escalation" if job.payload.get("what") == "escalate" else "reminder"
        found.append(PendingTimer(kind, activity_of[item], item, when(job.due)))
    return sorted(found, key=lambda t: (t.due is None, t.due or PARKED))


def queued_jobs(engine: Engine, instance_id: str) -> list[QueuedJob]:
    """The jobs of ``instance_id`` a worker runs that are not timers or reminders (which
    :func:`pending_timers` lists), in due order (parked ones last). Why: a command of the CLI
    (``instance cancel``, ``workitem complete``, ``instance resume``...) leaves the automatic
    work that follows to workers (``instance.deferred``); until one ran, the status listed
    nothing open and nothing waiting, and a case whose next step only needs a worker read as
    stuck."""
    from wfengine.runtime.jobs import JOB_REMINDER, JOB_TIMER, PARKED

    found = []
    for job in engine.store.jobs(instance_id):
        if job.kind in (JOB_TIMER, JOB_REMINDER):
            continue
        activity = job.payload.get("activity_id") if isinstance(job.payload, dict) else None
        due = None if job.due >= PARKED else job.due
        found.append(
            QueuedJob(job.kind, job.id, activity if isinstance(activity, str) else None, due)
        )
    return sorted(found, key=lambda q: (q.due is None, q.due or PARKED))


def _masked_event(event: AuditEvent, readable: frozenset[str]) -> AuditEvent:
    """``event`` as a user who may read only the fields ``readable`` sees it: the values
    of other fields (and of the applications' parameters, which come from and go to fields)
    as ``***``, the mark a sensitive value has in the trail. Why: the status masked the
    instance's data to what the user's work items read, but its history still held every
    value a completion or a script wrote. Masked, not dropped: the events and the field
    names are what happened, which the user may see; the values are not."""
    event = _withheld_text(event)
    detail = event.detail
    if not isinstance(detail, dict):
        return event
    field_values, parameter_values = value_keys()  # (read off the catalogue's payloads)
    fields, parameters = field_values.get(event.kind), parameter_values.get(event.kind)
    if fields is None and parameters is None:
        return event
    found = dict(detail)
    for key in fields or ():
        values = found if key == "" else found.get(key)
        if isinstance(values, dict):
            masked = {k: v if k in readable else MASKED for k, v in values.items()}
            if key == "":
                found = masked
            else:
                found[key] = masked
    for key in parameters or ():
        values = found.get(key)
        if isinstance(values, dict):
            found[key] = dict.fromkeys(values, MASKED)
        elif key in found and values is not None:
            found[key] = MASKED
    return event._replace(detail=found)


def _withheld_text(event: AuditEvent) -> AuditEvent:
    """``event`` with the engine's free text about a failure (:func:`text_keys`: an
    incident's message, an application's error...) replaced by :data:`WITHHELD`, for a user
    who may read only some fields. Why: such text quotes values ("expected INTEGER, got str
    '98000 EUR gross'") of fields the user may not read, and no rule finds a value inside
    free text; withheld whole, with the event's other keys (its incident id, its
    application, its attempt) kept, and a text that says so rather than a silent gap. The
    payload's own ``of``/``detail`` rewrite it in the stored shape; a detail that does not
    read as its payload (stored by an older version) loses its text keys as they stand."""
    names = text_keys().get(event.kind)
    if not names or event.detail is None:
        return event
    try:
        payload = PAYLOADS[event.kind].of(event.detail)
        changes = {name: WITHHELD for name in names}
        detail = dataclasses.replace(payload, **changes).detail()  # type: ignore[type-var]
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        if isinstance(event.detail, dict):
            detail = {k: WITHHELD if k in names else v for k, v in event.detail.items()}
        else:
            detail = WITHHELD
    return event._replace(detail=detail)
