"""The synchronous application calls of a command that lost a race: audited all the same.

Why: a synchronous call runs inside its command, and its ``application.invoked`` /
``returned`` / ``failed`` records are changes of the command's step. When another engine
changed the same instance first (an operator terminated or suspended it while the call was in
flight), the commit raises :class:`~wfengine.errors.ConcurrencyError` and the command runs
again on fresh state: the step, and with it the record of a call that did happen (its side
effects too), was dropped. The audit trail must show every invocation (WfMC: the audit is
where an operator finds what an application was asked to do), as an asynchronous call's
answer that comes too late is kept as ``application.discarded``.

So the engine keeps the step whose commit lost (:meth:`~wfengine.runtime.engine_base.
EngineBase._commit`) and takes its calls' records (:func:`lost_calls`), each call to be
followed by an ``application.discarded`` saying why its answer was not used. They go into the
commit of the command's next run, for each instance that run changes (:func:`carry`): one
transaction, one row version. Not a unit of work of their own before that run: writing the
instance bumped its row version, so every other engine's command in flight on it lost its race
too and wrote its own records, a storm (8 engines completing 8 parts of one instance: twice
the calls, and commands failing after 11 lost races). Only the records of an instance the
next run leaves alone (or of a command that ends without committing) are written on their own,
after it (:func:`record_lost_calls`). The attempts made count: the run that makes such a call
again (the command's next run, or its job's run after a resume) numbers it on from them
(:mod:`~wfengine.runtime.job_claims`). Only the rare path pays: a commit that succeeds costs
nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from wfengine.applications.events import EVENTS, ApplicationInvoked
from wfengine.errors import ConcurrencyError, NotFoundError, WorkflowError
from wfengine.runtime.history import ApplicationDiscarded, Change, change
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.store import Step, Store

_log = logging.getLogger("wfengine.engine")

_INVOKED = ApplicationInvoked.KIND

#: the records of a lost run's calls, by instance id
Lost = dict[str, list[Change]]


@dataclass(frozen=True, slots=True)
class LostRun:
    """The records of one lost run's calls on one instance, and the state the engine that
    won the race left the instance in (None when it could not be read): noted as the race
    was lost, as the discarded records name it. Not the state when they are written: the
    command's own next run has moved the instance on by then (completed it, say)."""

    records: list[Change]
    state: str | None


#: those of each lost run of a command, not stored yet, by instance id
Unaudited = dict[str, list[LostRun]]


def lost_calls(step: Step) -> Lost:
    """The records of the synchronous application calls of ``step`` (not stored), by
    instance id, in the order they were made; none for a step that made no such call.

    An asynchronous call's records (its ``invoke`` job's, the invoked record naming the job)
    are left out: the job's command applies its answer again when it runs again (it is
    not called again), records and all."""
    found: Lost = {}
    for inst in step.instances.values():
        records: list[Change] = []
        synchronous: dict[str | None, bool] = {}  # activity instance -> its call's kind
        for record in inst.changes:
            if record[1] not in EVENTS:
                continue
            if record[1] == _INVOKED:
                detail = record[4]
                synchronous[record[2]] = isinstance(detail, dict) and detail.get("job") is None
            if synchronous.get(record[2], False):
                records.append(record)
        if records:
            found[inst.id] = records
    return found


def note_lost(store: Store, found: Lost, unaudited: Unaudited) -> None:
    """Add the records ``found`` of a run that lost its race to ``unaudited``, each
    instance's with the state the winner left it in (read now, in a unit of its own, before
    the command runs again on it)."""
    for instance_id, records in found.items():
        try:
            with store.unit():
                state: str | None = store.instance(instance_id).state.value
        except WorkflowError:  # gone (created by the lost run), or the store failed
            state = None
        unaudited.setdefault(instance_id, []).append(LostRun(records, state))


def attempts(lost: Lost) -> dict[str, int]:
    """Each call's idempotency key -> the highest attempt its invoked records number."""
    made: dict[str, int] = {}
    for records in lost.values():
        for record in records:
            detail = record[4]
            if record[1] != _INVOKED or not isinstance(detail, dict):
                continue
            key, attempt = detail.get("key"), detail.get("attempt")
            if isinstance(key, str) and isinstance(attempt, int):
                made[key] = max(made.get(key, 0), attempt)
    return made


def carry(nav: Navigator, lost: Unaudited, done: dict[str, int] | None) -> dict[str, int]:
    """Put the records in ``lost`` of each instance ``nav``'s step changes (but those in
    ``done``, carried by an earlier commit of the same run) first among its changes, each
    call followed by ``application.discarded``: they commit with the step. Returns how many
    were put first, by instance id (:func:`take_back` undoes it)."""
    carried: dict[str, int] = {}
    for instance_id, inst in nav.step.instances.items():
        records = lost.get(instance_id)
        if records and (done is None or instance_id not in done):
            audited = _audited(instance_id, records, nav.now)
            inst.changes[:0] = audited
            carried[instance_id] = len(audited)
    return carried


def take_back(step: Step, carried: dict[str, int]) -> None:
    """Take the records :func:`carry` put into ``step`` out again (its commit lost a race:
    they wait for the next run's, and are not the lost step's own calls)."""
    for instance_id, count in carried.items():
        del step.instances[instance_id].changes[:count]


def record_lost_calls(
    store: Store, new_nav: Callable[[], Navigator], lost: Unaudited, *, tries: int
) -> None:
    """Write the records in ``lost`` to their instances' histories, each call followed by
    ``application.discarded``: one unit of work on ``store`` (``new_nav`` makes its
    navigator), made up to ``tries`` times while it too loses races. For the instances the
    command's runs after the lost one did not commit a change to. A failure to store them is
    logged, not raised: the command has ended as it would have."""
    for _ in range(tries):
        try:
            with store.unit():
                _record(store, new_nav(), lost)
            return
        except ConcurrencyError:
            continue
        except WorkflowError as exc:
            _log.warning("application calls of a command that lost a race not audited: %s", exc)
            return
    _log.warning(
        "application calls of a command that lost a race not audited: instances %s kept changing",
        ", ".join(sorted(lost)),
    )


def _audited(instance_id: str, runs: list[LostRun], now: datetime) -> list[Change]:
    """The records of each lost run in ``runs``, each call's followed by
    ``application.discarded`` saying why (and the state the other engine left)."""
    audited: list[Change] = []
    for run in runs:
        # ("it is ... now": as the race was lost; the words tests and readers look for)
        left = "" if run.state is None else f" (it is {run.state} now, as that engine left it)"
        reason = (
            f"another engine changed process instance {instance_id!r} while the call was "
            f"made{left}: the command that made the call lost the race and ran again on "
            "that state, without this answer"
        )
        records = run.records
        calls: dict[str | None, tuple[str, str | None, str | None]] = {}
        for record in records:
            detail = record[4]
            if record[1] == _INVOKED and isinstance(detail, dict):
                key = detail.get("key")
                calls.setdefault(key, (detail["application"], record[2], record[3]))
        audited.extend(records)
        for key, (application, activity_instance_id, activity_id) in calls.items():
            discarded = ApplicationDiscarded(application, key, reason)
            audited.append(change(now, discarded, activity_instance_id, activity_id))
    return audited


def _record(store: Store, nav: Navigator, lost: Unaudited) -> None:
    for instance_id, records in lost.items():
        try:
            inst = store.instance(instance_id)
        except NotFoundError:  # created by the lost command: it never existed
            continue
        nav.touch(inst)
        inst.changes.extend(_audited(instance_id, records, nav.now))
    if nav.step.instances:
        store.commit(nav.step)
