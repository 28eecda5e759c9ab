"""The jobs a worker supervisor makes incidents of (:mod:`~wfengine.runtime.supervisor`): one
it stopped for running too long, one whose worker process died under it.

Why a module of its own: making such a job an incident is database work with its own rules
(only if the dead process still held it; the call it was making audited as begun when it
began) and its own report (the ERROR saying why, the WARNING a worker process writes for an
incident its job opens, :func:`~.worker_tally.log_opened`, and the count in the run's summary,
:class:`~.worker_tally.Tally`), apart from the supervisor's loop; and the supervisor's module is
at its size limit. A mixin, as the lease renewals and deliveries are.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import TYPE_CHECKING

from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.stopped_runs import Begun, audit_stopped_run, interrupted_by_stop
from wfengine.runtime.worker_tally import Tally, log_opened

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

_log = logging.getLogger("wfengine.supervisor")


class StoppedJobs:
    """The incidents' part of :class:`~wfengine.runtime.supervisor.Supervisor` (a mixin: the
    attributes below are the supervisor's)."""

    engine: Engine
    #: (owner, job) -> the calls the running job began, in order, each with when (monotonic
    #: time): all of them are audited when the job is stopped (:mod:`.stopped_runs`)
    _calls: dict[tuple[str, str], list[tuple[CallInProgress, float]]]
    #: what the worker processes reported, and the supervisor's own incidents, one by one
    #: (appended from the supervisor's threads: no lock needed to add or to sum)
    _tallies: list[Tally]

    def _note_call(self, owner: str, job_id: str, call: CallInProgress, now: float) -> None:
        """The running job began ``call`` (``now``, monotonic), or (``ended``) its last call,
        an ``invoke`` job's own, has ended: it keeps when it began (the audit dates it then)."""
        calls = self._calls.setdefault((owner, job_id), [])
        if call.ended and calls and calls[-1][0].key == call.key:
            calls[-1] = (call, calls[-1][1])
        else:
            calls.append((call, now))

    def _dated(self, calls: list[tuple[CallInProgress, float]]) -> list[Begun]:
        """``calls`` with when each began on the engine's clock."""
        now, mono = self.engine.clock.now(), time.monotonic()
        return [(c, now - timedelta(seconds=max(0.0, mono - at))) for c, at in calls]

    def _audit_given_back(self, running: list[tuple[str, str]], why: str) -> None:
        """Audit the calls each of the ``running`` jobs (owner, job) began in a run that is
        given back unfinished (the worker process was killed), the last as interrupted."""
        for owner, job_id in running:
            calls = self._calls.pop((owner, job_id), None)
            if not calls:
                continue
            try:
                last = interrupted_by_stop(job_id, why)
                audit_stopped_run(self.engine, job_id, owner, self._dated(calls), why, last=last)
            except Exception:
                _log.exception("could not audit the calls of job %s (%s)", job_id, why)

    def _abandon(self, owner: str, job_id: str, reason: str, since: float | None) -> None:
        """Make the job an incident, if it is still the dead child's (it may have been
        committed just before the end, or, with leases lost, taken over by another worker);
        ``since``: when it started running (monotonic time), when the book knows. The
        synchronous call it was making, if it told one, is audited as begun when it began."""
        call: CallInProgress | None = None
        noted = self._calls.pop((owner, job_id), None)
        if noted:
            call, since = noted[-1]
        started = None
        if since is not None:  # (the audit dates the stopped call then, not now)
            ago = timedelta(seconds=max(0.0, time.monotonic() - since))
            started = self.engine.clock.now() - ago
        try:
            job = self.engine.store.job(job_id)
            if job is None:
                _log.info("job %s was carried out after all", job_id)
                return
            if job.lock_owner != owner:
                _log.warning("job %s is held by %s now: left to it", job_id, job.lock_owner)
                return
            before = self.engine.clock.now()
            if noted and len(noted) > 1:  # the calls before it, ended: audited first
                audit_stopped_run(self.engine, job_id, owner, self._dated(noted), reason, last=None)
            self.engine.abandon_job(job_id, reason, started_at=started, call=call)
        except Exception:
            _log.exception("could not make job %s an incident (%s)", job_id, reason)
            return
        _log.error(
            "job %s (%s of instance %s) %s: now failed (an incident, or its exception route)",
            job_id,
            job.kind,
            job.instance_id,
            reason,
        )
        opened = log_opened(job_id, self.engine.store, job.instance_id, before)
        if opened:
            self._tallies.append(Tally(incidents=opened))
