"""What a ``wfengine worker`` run did, counted across its worker processes, and the incidents
its jobs open, as its log tells them.

Why a module of its own: the run's summary (``worker stopped after N job(s) and M outbox
entries; K incident(s) opened``, the log's last line, which scripts read) is written once, by the
supervisor (:mod:`.supervisor`), the one process living for the whole run; the worker
processes it runs one after another (a job past the job timeout, a process killed) each count
their share and report it on the pipe they already report their jobs on
(:mod:`.supervised_child`). Each worker process counted for itself and logged its own summary
before: after a restart the last line counted the last process only, and a process killed
after the stop's grace period logged none. Both ends of that count are here, with the WARNING
an incident gets, which the supervisor writes in the same words for the incidents it opens
itself (a job it stopped, a job whose process died).

A worker process reports each job and each outbox delivery as it ends (:class:`ReportedTally`:
the engine counts them before their end is told), so a process killed in the middle of one has
told every job it committed and every entry it settled before; only the entries it skipped (no
handler takes their kind: no delivery, no event) after its last event are not counted.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from wfengine.errors import WorkflowError
from wfengine.one_line import one_line

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine
    from wfengine.runtime.engine_base import JobObserver
    from wfengine.runtime.jobs import Job
    from wfengine.runtime.store import Store

#: the worker's log: a worker process's incidents and the supervisor's read alike
_log = logging.getLogger("wfengine.worker")


@dataclass(frozen=True)
class Tally:
    """Jobs run (committed, or failed into an incident in the worker process), outbox entries
    settled, incidents opened: a worker process's report, or a whole run's sum."""

    jobs: int = 0
    outbox: int = 0
    incidents: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.jobs + other.jobs, self.outbox + other.outbox, self.incidents + other.incidents
        )

    def __bool__(self) -> bool:
        return bool(self.jobs or self.outbox or self.incidents)

    def summary(self) -> str:
        """The run's last log line (README quotes it: keep it exact)."""
        return (
            f"worker stopped after {self.jobs} job(s) and {self.outbox} outbox "
            f"entr{'y' if self.outbox == 1 else 'ies'}; {self.incidents} incident(s) opened"
        )

    def to_dict(self) -> dict[str, int]:
        return {"jobs": self.jobs, "outbox": self.outbox, "incidents": self.incidents}

    @classmethod
    def from_dict(cls, data: object) -> Tally | None:
        """A tally read back from the pipe; None when ``data`` is not one (three counts, each
        a whole number not below 0)."""
        if not isinstance(data, Mapping) or set(data) != {"jobs", "outbox", "incidents"}:
            return None
        counts = [data["jobs"], data["outbox"], data["incidents"]]
        if not all(type(n) is int and n >= 0 for n in counts):
            return None
        return cls(*counts)


def log_opened(job_id: str, store: Store, instance_id: str, since: datetime) -> int:
    """Log a WARNING for each open incident of ``instance_id`` created at ``since`` or later
    (those job ``job_id`` opened, since it began); how many. Why: a job failing into an
    incident left the worker's log silent (the job "ran"), and an operator watching it learnt
    of the incident only from ``wfengine incidents``. A database that cannot be read counts
    none (the job's own error, or the supervisor's, says what went wrong).

    Each id and the message are written as ``wfengine incidents`` writes them, control
    characters escaped (:func:`~wfengine.one_line.one_line`): an activity id comes from the
    definition, and one holding a line break wrote a log line of its author's choosing (a
    fake "worker stopped"), one holding CR or a C1 CSI rewrote the operator's screen."""
    try:
        found = store.open_incidents(instance_id)
    except WorkflowError:
        return 0
    opened = [incident for incident in found if incident.created_at >= since]
    for incident in opened:
        _log.warning(
            "job %s opened incident %s on instance %s, activity %s: %s",
            one_line(job_id),
            one_line(incident.id),
            one_line(incident.instance_id),
            one_line(incident.activity_id or "(none)"),
            one_line(incident.message),
        )
    return len(opened)


class ReportedTally:
    """A supervised worker process's counts, each reported (``report``, the pipe) as a job or
    delivery ends, and the incidents its jobs open logged as they end.

    Shared by the process's threads (one observer per engine), hence the lock: what is
    reported is never reported twice.
    """

    def __init__(self, report: Callable[[Tally], None]) -> None:
        self._report = report
        self._lock = threading.Lock()
        self._jobs = self._outbox = 0
        #: incidents opened, as logged (and reported)
        self.incidents = 0

    def observer(self, engine: Engine, reporter: JobObserver) -> JobObserver:
        """``reporter`` (the supervisor's), then what ``engine`` counted since its last event:
        the jobs it ran (:attr:`~wfengine.runtime.engine.Engine.jobs_ran`) and the outbox
        entries it settled (:attr:`Outbox.settled <wfengine.runtime.outbox_delivery.Outbox.
        settled>`), both counted before a job's or delivery's end is told, and, as a job ends,
        the incidents of its instance opened since it started (each logged)."""
        started: dict[str, datetime] = {}
        told = [engine.jobs_ran, engine.outbox.settled]  # the engine's counts reported so far

        def observe(event: str, owner: str, jobs: Sequence[Job]) -> None:
            reporter(event, owner, jobs)
            opened = 0
            for job in jobs:
                if event == "start":
                    started.setdefault(job.id, engine.clock.now())
                elif event == "end" and (since := started.pop(job.id, None)) is not None:
                    opened += log_opened(job.id, engine.store, job.instance_id, since)
            counts = [engine.jobs_ran, engine.outbox.settled]
            ran, settled = counts[0] - told[0], counts[1] - told[1]
            told[:] = counts
            self._tell(ran, settled, opened)  # (at any event: entries skipped since count)

        return observe

    def finish(self, ran: int, settled: int) -> None:
        """Report what is left once the worker stopped: ``ran`` jobs and ``settled`` outbox
        entries in all (its ``Worker``'s counts), less what was reported already (nothing,
        unless an engine counted something no event followed)."""
        with self._lock:
            ran, settled = max(0, ran - self._jobs), max(0, settled - self._outbox)
        self._tell(ran, settled, 0)

    def _tell(self, ran: int, settled: int, opened: int) -> None:
        with self._lock:
            tally = Tally(ran, settled, opened)
            if not tally:
                return
            self._jobs += tally.jobs
            self._outbox += tally.outbox
            self.incidents += tally.incidents
            self._report(tally)
