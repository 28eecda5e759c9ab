"""An outbox delivery as an engine's job observer is told of it: a job of its own.

Why: an outbox handler is the host's code, and one blocked for ever (a socket read without a
timeout) held its worker thread for ever, while the supervisor of ``wfengine worker``
(:mod:`wfengine.runtime.supervisor`) followed only jobs: timers and asynchronous calls stopped,
``--job-timeout`` did nothing, and once the entry's lease ran out the next worker froze on it
too. So :class:`~wfengine.runtime.outbox_delivery.Outbox` tells the engine's
:attr:`~wfengine.runtime.engine.Engine.job_observer` each delivery it makes as a job
(kind :data:`DELIVERY`, ``start`` before the first handler, ``end`` once the delivery's result
is recorded), through the same events and pipe as jobs, and the supervisor stops one that runs
too long as it stops a job.

Too long is counted from the delivery's last sign of progress, not its start: a handler that is
slow but progressing (a text per recipient, a second each, to a few hundred) was stopped
half-way, retried, telling its first recipients again, and given up. Each handler's call is a
sign of progress, and so is each
:func:`~wfengine.runtime.outbox_delivery.delivery_progress` a handler calls; the observer is
told one as the delivery's ``start`` again (the same job id), so whoever times a delivery from
its start times it from its last sign of progress, and the pipe to the supervisor carries no
new kind of event. A handler blocked for ever shows none, and is stopped as before.

The job's id (:attr:`Delivery.job_id`) carries what the supervisor needs to record such a
delivery as one failed attempt: the entry, which attempt it is, and the back-off its failure
gets (none after the last attempt: it is given up). The worker process works that out from its
outbox policy, which only it knows (an ``--apps`` module sets it; the supervisor never loads
one). The id has spaces, which no id the engine makes has, so it is never taken for a job's.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from wfengine.runtime.jobs import Job
from wfengine.runtime.outbox import OutboxPolicy, OutboxRecord

#: the kind of the job a delivery is told as
DELIVERY = "outbox"
#: what an engine's job observer is (``Engine.job_observer``: event, owner, jobs)
Observer = Callable[[str, str, Sequence[Job]], None]

_ID = re.compile(r"outbox entry (\d+) attempt (\d+) retry (never|\d+\.\d{6})")


@dataclass(frozen=True, slots=True)
class Delivery:
    """One attempt at delivering an outbox entry, as the job observer is told of it."""

    entry_id: int
    #: which attempt it is (``OutboxRecord.attempts``: the claim counted it)
    attempt: int
    #: seconds until the next attempt when this one fails; None: it is the last one (a
    #: failure gives the entry up)
    retry_after: float | None

    @classmethod
    def of(cls, record: OutboxRecord, policy: OutboxPolicy) -> Delivery:
        """The delivery of ``record`` under ``policy`` (as ``Outbox._failed`` reads it)."""
        last = record.attempts >= policy.max_attempts
        retry = None if last else policy.retry_after(record.attempts).total_seconds()
        return cls(record.id, record.attempts, retry)

    @property
    def job_id(self) -> str:
        retry = "never" if self.retry_after is None else f"{self.retry_after:.6f}"
        return f"outbox entry {self.entry_id} attempt {self.attempt} retry {retry}"

    def job(self, record: OutboxRecord, now: datetime) -> Job:
        """The job the observer is told (only its id travels to a supervisor)."""
        return Job(id=self.job_id, kind=DELIVERY, instance_id=record.instance_id, due=now)


def watched_delivery(job_id: str) -> Delivery | None:
    """The delivery a job id reported to a supervisor stands for; None for a job's id."""
    found = _ID.fullmatch(job_id)
    if found is None:
        return None
    entry, attempt, retry = found.groups()
    return Delivery(int(entry), int(attempt), None if retry == "never" else float(retry))
