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
EngineBase._commit`) and, before running the command again, writes the calls' records to
their instances' histories in a small unit of work of its own, each call followed by an
``application.discarded`` saying why its answer was not used. The attempts made count: the
run that makes such a call again (the command's next run, or its job's run after a resume)
numbers it on from them (:mod:`~wfengine.runtime.job_claims`). Only the rare path pays: a
commit that succeeds costs nothing more.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from wfengine.applications.events import EVENTS
from wfengine.errors import ConcurrencyError, NotFoundError, WorkflowError
from wfengine.runtime.history import ApplicationDiscarded, Change, change
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.store import Step, Store

_log = logging.getLogger("wfengine.engine")

_INVOKED = "application.invoked"


def lost_calls(step: Step) -> dict[str, list[Change]]:
    """The records of the synchronous application calls of ``step`` (not stored), by
    instance id, in the order they were made; none for a step that made no such call.

    An asynchronous call's records (its ``invoke`` job's, the invoked record naming the job)
    are left out: the job's command applies its answer again when it runs again (it is
    not called again), records and all."""
    found: dict[str, list[Change]] = {}
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


def record_lost_calls(
    store: Store, new_nav: Callable[[], Navigator], step: Step, *, tries: int
) -> dict[str, int]:
    """Write the application records of ``step``, whose commit lost a race, to their
    instances' histories, each call followed by ``application.discarded``: one unit of work
    on ``store`` (``new_nav`` makes its navigator), made up to ``tries`` times while it too
    loses races. A failure to store them is logged, not raised: the command goes on as it
    would have (it runs again on fresh state).

    Returns the attempts made of each call (its idempotency key -> its highest attempt
    number; empty for a step that made none), stored or not: they were made."""
    lost = lost_calls(step)
    if not lost:
        return {}
    made = _attempts(lost)
    for _ in range(tries):
        try:
            with store.unit():
                _record(store, new_nav(), lost)
            return made
        except ConcurrencyError:
            continue
        except WorkflowError as exc:
            _log.warning("application calls of a command that lost a race not audited: %s", exc)
            return made
    _log.warning(
        "application calls of a command that lost a race not audited: instances %s kept changing",
        ", ".join(sorted(lost)),
    )
    return made


def _attempts(lost: dict[str, list[Change]]) -> dict[str, int]:
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


def _record(store: Store, nav: Navigator, lost: dict[str, list[Change]]) -> None:
    for instance_id, records in lost.items():
        try:
            inst = store.instance(instance_id)
        except NotFoundError:  # created by the lost command: it never existed
            continue
        nav.touch(inst)
        reason = (
            "another engine changed process instance "
            f"{instance_id!r} while the call was made (it is {inst.state.value} now): the "
            "command that made the call lost the race and ran again on that state, without "
            "this answer"
        )
        calls: dict[str | None, tuple[str, str | None, str | None]] = {}
        for record in records:
            detail = record[4]
            if record[1] == _INVOKED and isinstance(detail, dict):
                calls.setdefault(detail.get("key"), (detail["application"], record[2], record[3]))
        inst.changes.extend(records)
        for key, (application, activity_instance_id, activity_id) in calls.items():
            discarded = ApplicationDiscarded(application, key, reason)
            inst.changes.append(change(nav.now, discarded, activity_instance_id, activity_id))
    if nav.step.instances:
        store.commit(nav.step)
