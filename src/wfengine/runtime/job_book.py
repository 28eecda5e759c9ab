"""What a supervised worker process holds, as the supervisor knows it from the pipe.

Why a module of its own: :class:`JobBook` is plain bookkeeping over the events
(:mod:`wfengine.runtime.supervised_child`), with no process, signal or database in it, so it
is tested and read apart from the :class:`~wfengine.runtime.supervisor.Supervisor` that acts on
it (renewing, abandoning and giving back the jobs it lists).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class _Held:
    """One lease owner's jobs: claimed and not ended, and the one running since when."""

    claimed: set[str] = field(default_factory=set)
    running: str | None = None
    since: float = 0.0


class JobBook:
    """The jobs of a worker process, per lease owner (one per worker thread), as its events
    told: claimed and not ended, and the one running with when it started (monotonic time).

    Events come in order per owner (one thread reports them), so the book is exact up to the
    events still in the pipe; the supervisor reads those before it acts on a dead child.
    """

    def __init__(self) -> None:
        self._owners: dict[str, _Held] = {}
        #: jobs that started and ended: progress, which tells a crashing child from a working one
        self.finished = 0

    def note(self, event: str, owner: str, job_ids: Sequence[str], now: float) -> None:
        held = self._owners.setdefault(owner, _Held())
        if event == "claimed":
            held.claimed.update(job_ids)
        elif event == "start":
            held.claimed.update(job_ids)
            held.running, held.since = (job_ids[0] if job_ids else None), now
        elif event == "end":
            held.claimed.difference_update(job_ids)
            if held.running is not None and held.running in job_ids:
                held.running = None
                self.finished += 1
        if not held.claimed and held.running is None:
            del self._owners[owner]

    def forget(self, owner: str, job_id: str) -> None:
        """Drop a job the supervisor dealt with itself (made it an incident)."""
        held = self._owners.get(owner)
        if held is None:
            return
        held.claimed.discard(job_id)
        if held.running == job_id:
            held.running = None
        if not held.claimed and held.running is None:
            del self._owners[owner]

    def claimed(self) -> dict[str, list[str]]:
        """Owner -> ids of the jobs it holds (running or not)."""
        return {o: sorted(h.claimed) for o, h in self._owners.items() if h.claimed}

    def running(self) -> list[tuple[str, str, float]]:
        """(owner, job id, started at) of every running job."""
        return [(o, h.running, h.since) for o, h in self._owners.items() if h.running]

    def overdue(self, now: float, timeout: float) -> list[tuple[str, str]]:
        """(owner, job id) of the jobs running for longer than ``timeout`` seconds."""
        return [(o, job) for o, job, since in self.running() if now - since > timeout]

    def clear(self) -> None:
        self._owners.clear()
