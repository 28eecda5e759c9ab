"""How many times the job this thread runs was claimed before: the synchronous application
calls it makes count those runs' attempts.

Why: a job whose host was killed (or stopped) mid-call commits nothing, so the
``application.invoked`` records of the attempts it made are lost with it; the engine that
takes the job after its lease ran out gave each call a fresh retry budget (retries=2 and a kill
in attempt 2: five calls, numbered from 1 again). The store counts a job's claims (a claim
given back unrun is not counted, nor the claim of a job a dead claimant never started: of the
jobs one claim took, the first still stored was running, the others keep their count when
the next claims take them over, before that one,
:func:`~wfengine.runtime.sql.job_queue.unstarted_of_dead_claims`), so each
earlier claim stands for a run that made the job's first synchronous call if it made any
(and perhaps the calls after it: nobody knows how far it got, unless a supervisor that stopped
it recorded its calls, :mod:`~wfengine.runtime.stopped_runs`): a call inside such a job numbers
its attempts from the claim count: the run's first synchronous call only (:func:`take`).
``invoke`` jobs are left out: their claims are their own call's attempts
(:class:`~wfengine.runtime.tools.InvokeJobHandler`), not those of the calls after it.

A command that lost a race after making synchronous calls (another engine changed its instance
during a call) runs again: those calls were made too (audited by :mod:`~wfengine.runtime.
lost_calls`), so within the command's next runs each counts the attempts its lost runs made
(:func:`running_again`, :func:`count_lost`), in a job or not, and a job that gives up its run
after that (its instance was suspended meanwhile) keeps its claim counted
(:func:`lost_race_calls`): its run after resume numbers the call on. The per-call counts
die with that command, so the run after resume reads them back from the instance's audit
trail, where the lost run's calls were recorded (:func:`made_before`): each call it makes
again numbers on from its own attempts, not only the first (a job calling c0, c1, c2,
suspended during c1: after resume c0 was attempt 2, c1 and c2 attempt 1 again, with a fresh
retry budget). A job claimed for the first time (nearly every job) reads nothing.

A context variable, as :mod:`~wfengine.runtime.call_watch` is: the call is made deep inside
navigation, which sees no job.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from wfengine.applications.events import ApplicationInvoked
from wfengine.runtime.audit_query import AuditQuery
from wfengine.runtime.jobs import JOB_INVOKE, Job
from wfengine.runtime.store import Store

#: the job this thread runs, taken before: ``[its earlier claims, the key of the call they
#: count against (None until its first synchronous call)]``; None outside such a job. A
#: command run again after a lost race has a third item: ``{call key: attempts its lost runs
#: made}`` (:func:`running_again`)
_claims: ContextVar[list[Any] | None] = ContextVar("wfengine_earlier_claims", default=None)

#: the job this thread runs, taken before: the attempts its earlier runs made of each call,
#: as the audit trails record them (:class:`Trails`); None otherwise
_before: ContextVar[Trails | None] = ContextVar("wfengine_made_before", default=None)

#: None outside a job taken before (the variable's own ``get``: a caller on the hot path asks
#: it first and calls :func:`take` only when it is not None)
pending = _claims.get


@dataclass(slots=True)
class Unrecorded:
    """The attempts of one call that earlier runs of the running job made and its instance's
    trail does not record (a host killed mid-call committed nothing):
    :func:`~wfengine.runtime.lost_attempts.unrecorded` audits them. ``key``: the call's
    idempotency key (None until a synchronous job's first call names it: :func:`take`);
    ``recorded``: the attempts the trail records, by key, until then."""

    job_id: str
    key: str | None
    attempts: list[int]
    recorded: Mapping[str, set[int]] = field(default_factory=dict)
    #: the key is the run's first synchronous call (not an ``invoke`` job's own): the lost
    #: runs made it if they made any call, and perhaps the calls after it too
    first_of_run: bool = False


#: the running job's :class:`Unrecorded` attempts; None outside a job taken before
_unrecorded: ContextVar[Unrecorded | None] = ContextVar("wfengine_unrecorded", default=None)

#: (the variable's own ``get``, for the navigator's hot path: None nearly always)
unrecorded = _unrecorded.get


def take(key: str) -> int:
    """The attempts already made of the synchronous call ``key`` (its idempotency key)
    about to be made: the job's earlier claims for the first such call of the run, and for
    that same call made again (a command run again after losing a race); 0 for every other
    call, and outside a job taken before.

    Why: the claims stand for runs that made the job's first synchronous call if they made
    any (how far each got is not known: :func:`~wfengine.runtime.lost_attempts.lost_with_host`
    audits them so), the first one the run makes again (nothing it did committed); counted
    for every call of the job, a
    later activity's call, never made before, lost as many of its retries (a job through A
    then B, killed in A: B got 2 calls of its 3 and an incident "attempt 3 of 3"). Per call:
    one ``get``, and outside a job taken again nothing more."""
    found = _claims.get()
    if found is None:
        return 0
    if found[1] is None:
        found[1] = key
        lost = _unrecorded.get()
        if lost is not None and lost.key is None:  # the call the earlier claims count against
            lost.key = key
            lost.first_of_run = True
            seen = lost.recorded.get(key, set())
            lost.attempts = [n for n in range(1, int(found[0]) + 1) if n not in seen]
    made = int(found[0]) if found[1] == key else 0
    if len(found) > 2:  # (a command run again after a lost race: running_again)
        made = max(made, found[2].get(key, 0))
    before = _before.get()
    return made if before is None else max(made, before.highest(key))


@contextmanager
def running_again() -> Iterator[None]:
    """Within the block (the runs of a command after its first lost a race), the synchronous
    calls that lost runs made (:func:`count_lost`) count as attempts made (:func:`take`).

    Why: such a call was made (its side effects happened) though its run's commit lost; made
    again by the next run, or by the job's run after a resume, it was numbered attempt 1 again
    with a fresh retry budget, as a killed job's call was before its claims counted. The
    block is entered on that rare path only: a command that commits at once pays nothing."""
    found = _claims.get()
    token = _claims.set([0, None, {}] if found is None else [found[0], found[1], {}])
    try:
        yield
    finally:
        _claims.reset(token)


def count_lost(made: Mapping[str, int]) -> None:
    """A run of the running command lost a race after making the synchronous calls ``made``
    (idempotency key -> the highest attempt it made of it): its next runs number them on
    from there. Only within :func:`running_again` (elsewhere no run comes after)."""
    found = _claims.get()
    if found is None or len(found) < 3:
        return
    counted: dict[str, int] = found[2]
    for key, attempts in made.items():
        counted[key] = max(counted.get(key, 0), attempts)


def lost_race_calls() -> bool:
    """Did a run of the running command lose a race after making a synchronous call? A job
    that is then given back unrun (its instance suspended meanwhile) keeps its claim counted,
    so its run after resume counts that call as an attempt made."""
    found = _claims.get()
    return found is not None and len(found) > 2 and bool(found[2])


@contextmanager
def claimed(job: Job, store: Store) -> Iterator[None]:
    """Within the block, the run's first synchronous call counts ``job``'s earlier claims as
    attempts made, and each call the attempts earlier runs of ``job`` recorded in ``store``
    (:func:`take`, :func:`made_before`)."""
    invoke = job.kind == JOB_INVOKE
    count = 0 if invoke else max(job.attempts - 1, 0)
    token = _claims.set([count, None] if count else None)
    lost: Unrecorded | None = None
    made: Trails | None = None
    if count:
        made = Trails(store, job)
        lost = Unrecorded(job.id, None, [], made)
    else:
        if invoke and job.attempts > 1 and job.key:  # its own call's earlier attempts
            seen = _recorded(store, job, job.key).get(job.key, set())
            missing = [n for n in range(1, job.attempts) if n not in seen]
            lost = Unrecorded(job.id, job.key, missing) if missing else None
    before = _before.set(made)
    unrecorded_token = _unrecorded.set(lost)
    try:
        yield
    finally:
        _unrecorded.reset(unrecorded_token)
        _before.reset(before)
        _claims.reset(token)


def made_before(store: Store, job: Job) -> dict[str, int]:
    """Each synchronous call of ``job``'s earlier runs that its instance's audit trail
    records (its idempotency key, which begins with the instance's id and the job's: see
    :func:`~wfengine.runtime.tools.run_tools`) -> the highest attempt recorded of it.

    Why the trail: a run that lost its race to a suspension recorded its calls there
    (:mod:`~wfengine.runtime.lost_calls`), and the job was given back; a run that committed
    ended the job, so only runs that did not commit left records under its keys. One read,
    only for a job claimed before (a killed host's, or one given back so)."""
    return _highest(_recorded(store, job, None))


def _highest(recorded: Mapping[str, set[int]]) -> dict[str, int]:
    """Each call ``recorded`` holds attempts of -> the highest of them."""
    return {k: max(v) for k, v in recorded.items() if v}


class Trails(Mapping[str, set[int]]):
    """The attempts the audit trails record of each synchronous call of ``job``'s earlier
    runs (call key -> attempts), read per instance as a call of it is asked about.

    Why per instance: one job's command may call applications of other stored instances (a
    ``continue`` job completes a child, and its caller's next Tool runs in the same
    command); a stopped run's calls are recorded in the trail of the instance each call's key
    names (:mod:`~wfengine.runtime.stopped_runs`). Read from the job's own instance alone,
    the caller's call was made again as attempt 1 under the same key. The job's instance is
    read at once, another only when the run makes a call of it (a job claimed before only)."""

    def __init__(self, store: Store, job: Job) -> None:
        self._store = store
        self._job = job
        self._read: dict[str, dict[str, set[int]]] = {}
        self._of(job.instance_id)

    def _of(self, instance_id: str) -> dict[str, set[int]]:
        found = self._read.get(instance_id)
        if found is None:
            found = self._read[instance_id] = _recorded(self._store, self._job, None, instance_id)
        return found

    def __getitem__(self, key: str) -> set[int]:
        found = self._of(key.partition(":")[0])
        return found[key]

    def __iter__(self) -> Iterator[str]:
        return (k for found in self._read.values() for k in found)

    def __len__(self) -> int:
        return sum(len(found) for found in self._read.values())

    def highest(self, key: str) -> int:
        """The highest attempt recorded of call ``key``; 0 for none."""
        attempts = self.get(key)
        return max(attempts) if attempts else 0


def _recorded(
    store: Store, job: Job, key: str | None, instance_id: str | None = None
) -> dict[str, set[int]]:
    """The attempts the trail of ``instance_id`` (``job``'s instance by default) records
    (``application.invoked``) of each call: the call ``key``, or (None) the synchronous calls
    of ``job``'s runs (their keys begin with the instance's id and the job's)."""
    instance_id = job.instance_id if instance_id is None else instance_id
    prefix = f"{instance_id}:{job.id}."
    query = AuditQuery(instance_id=instance_id, kinds=(ApplicationInvoked.KIND,))
    found: dict[str, set[int]] = {}
    for event in store.audit_events(query):
        detail = event.detail
        if not isinstance(detail, dict):
            continue
        called, attempt = detail.get("key"), detail.get("attempt")
        if not isinstance(called, str) or not isinstance(attempt, int):
            continue
        if called == key if key is not None else called.startswith(prefix):
            found.setdefault(called, set()).add(attempt)
    return found
