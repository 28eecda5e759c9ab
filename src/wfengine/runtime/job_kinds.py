"""What each kind of job does when run (the handlers a new engine starts with), and what a
job observer is told of a job's synchronous calls.

Kept apart from :mod:`~wfengine.runtime.job_commands`, which claims and runs the jobs: these
are the per-kind steps it calls inside a job's command.
"""

from __future__ import annotations

from dataclasses import replace

from wfengine.runtime import call_watch, run_budget
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.engine_base import JobHandler, JobObserver
from wfengine.runtime.instance import ProcessInstance
from wfengine.runtime.jobs import JOB_CONTINUE, JOB_INVOKE, JOB_REMINDER, JOB_TIMER, Job, job_timer
from wfengine.runtime.navigation import Navigator
from wfengine.runtime.tools import InvokeJobHandler


def call_reporter(observe: JobObserver, owner: str, job: Job) -> call_watch.Watcher:
    """What tells ``observe`` each synchronous call ``job`` makes as it begins: a ``call``
    event whose one job is ``job`` with the call (:class:`CallInProgress`) as its payload."""

    def report(call: CallInProgress) -> None:
        observe("call", owner, [replace(job, payload=call)])

    return report


def as_call(job: Job, call: CallInProgress, inst: ProcessInstance) -> Job:
    """``job``, stopped while making ``call``, as the ``invoke`` job that call would be
    (what :meth:`Navigator.job_failed` audits, and the activity, application and attempt
    the incident names); its id is the job's, which stays parked as it is. An activity
    instance the job's own command created was never stored: the records name the
    activity only."""
    payload = call.as_payload()
    if call.activity_instance_id not in inst.activities:
        payload["activity_instance_id"] = None
    return replace(job, kind=JOB_INVOKE, payload=payload, key=call.key, attempts=call.attempt)


def _fire_timer_job(nav: Navigator, job: Job, inst: ProcessInstance) -> None:
    nav.fire_timer(job_timer(job))


def _continue_job(nav: Navigator, job: Job, inst: ProcessInstance) -> None:
    if isinstance(job.payload, dict):  # a stretch of a long run: the steps it ran so far
        nav.spent = int(job.payload.get("steps", 0))
        nav.created = int(job.payload.get("created", 0))
        run_budget.charge(int(job.payload.get("work", 0)))
    nav.run_parked(inst)


def _reminder_job(nav: Navigator, job: Job, inst: ProcessInstance) -> None:
    nav.remind(job)


def default_job_handlers() -> dict[str, JobHandler]:
    """What running each kind of job does, for a new engine."""
    return {
        JOB_TIMER: _fire_timer_job,
        JOB_CONTINUE: _continue_job,
        JOB_INVOKE: InvokeJobHandler(),
        JOB_REMINDER: _reminder_job,
    }
