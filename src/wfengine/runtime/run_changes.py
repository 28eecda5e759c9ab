"""Whether an asynchronous application's job must be read back before its call.

A run of due jobs (:meth:`~wfengine.runtime.job_commands.JobCommands.run_due_jobs`) claims
a batch; a job run early in it may cancel the activity a later job calls for (an EXCEPTION
transition, a boundary timer, a Terminate end), deleting that job, and once the claim's lease
has run out another claimant may have taken a job over. Such a job's application is not
called (:func:`~wfengine.runtime.invoke_jobs.still_held`), but reading every job back cost
a round trip per job on a SQL store, whose claim already read each job with its instance
(``SqlStore.claim_jobs``). So the run notes what its commands' commits cancelled and closed
(:class:`RunChanges`, nothing read: the engine has the steps), and a job is read back only
when one of those took it, or when the claim's lease has passed (:func:`read_back`).

What another engine (another process, another host) cancels meanwhile is not seen before the
call: the job's command, which re-reads the job after it, audits the answer as discarded.
"""

from __future__ import annotations

from datetime import datetime

from wfengine.runtime.invoke_jobs import still_held
from wfengine.runtime.jobs import Job
from wfengine.runtime.store import Step, Store


class RunChanges:
    """What the commands committed by this engine during a run of due jobs cancelled (the
    jobs of activities closed: their timers and asynchronous calls) and closed (instances,
    whose jobs all go with them). A run of due jobs nested in it (a virtual clock moved by
    an application, firing a boundary timer) adds to the same one."""

    __slots__ = ("instances", "jobs")

    def __init__(self) -> None:
        self.jobs: set[str] = set()
        self.instances: set[str] = set()

    def note(self, step: Step) -> None:
        """``step`` was committed."""
        if step.timers_cancelled:
            self.jobs.update(step.timers_cancelled)
        for inst in step.instances.values():
            if inst.state.is_closed:
                self.instances.add(inst.id)


def read_back(changes: RunChanges | None, job: Job, owner: str, now: datetime) -> bool:
    """Must ``job``, claimed by ``owner``, be read back before its call at ``now``? When the
    run's own commands cancelled it or closed its instance (``changes``), when its claim's
    lease has passed (another claimant may have taken it over), or when it is not known to
    be ``owner``'s (a job run outside a run of due jobs: ``changes`` None). Else nothing
    this engine did could have changed it, and its command still re-reads it after the call.
    """
    if changes is None or job.lock_owner != owner:
        return True  # (a memory store's claimed job is the stored one: a takeover shows)
    if job.id in changes.jobs or job.instance_id in changes.instances:
        return True
    until = job.lock_expires_at
    return until is None or now >= until


def still_ours(
    changes: RunChanges | None, store: Store, job: Job, owner: str, now: datetime
) -> bool:
    """Is ``job`` still there and ``owner``'s before its call at ``now``? Read back from
    ``store`` only when :func:`read_back` says so (else: yes, with no round trip)."""
    return not read_back(changes, job, owner, now) or still_held(store.job(job.id), owner)
