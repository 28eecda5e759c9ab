"""The supervisor's lease renewals, in a thread of their own (:mod:`~wfengine.runtime.supervisor`).

The supervisor renews the leases of the jobs its child claimed, with its own engine on the
same database, so a frozen child keeps its jobs and no other worker takes one over only to
freeze too. A renewal waits for the jobs' rows, which another session can hold for as long as
it likes, so it runs off the supervisor's loop; it reads what the :class:`JobBook` holds under
the supervisor's state lock and never holds that lock while it waits for the database.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import TYPE_CHECKING

from wfengine.runtime.job_book import JobBook

if TYPE_CHECKING:
    from wfengine.runtime.engine import Engine

_log = logging.getLogger("wfengine.supervisor")


class LeaseRenewals:
    """The renewals' part of :class:`~wfengine.runtime.supervisor.Supervisor` (a mixin: the
    attributes below are the supervisor's)."""

    engine: Engine
    lease: timedelta
    book: JobBook
    #: (owner, job) of running jobs whose leases were lost: warned about, not renewed
    _lost: set[tuple[str, str]]
    _state: threading.RLock
    _renewals_end: threading.Event
    #: what became of the database's SQLite file: nothing to renew in a file that is gone
    _gone: str | None

    def _pump(self, wait: float) -> None:
        raise NotImplementedError

    def _renewing(self, every: float) -> None:
        """Renew the leases every ``every`` seconds until the supervisor ends, off the loop:
        a renewal waits for the jobs' rows, which another session can hold (the child's job
        behind an operator's open transaction, a locked SQLite file) for as long as it likes."""
        while not self._renewals_end.wait(every):
            try:
                self._renew()
            except Exception:  # (a bug: renewals carry on, the leases tell if they fail)
                _log.exception("renewing the leases failed")

    def _renew(self) -> None:
        if self._gone is not None:  # (the supervisor stops; renewals could only fail)
            return
        with self._state:  # what to renew; the database is not waited for with it held
            claimed = self.book.claimed()
            if self._lost:  # those that ended are forgotten
                self._lost &= {(owner, job) for owner, ids in claimed.items() for job in ids}
            asks = [
                (owner, [job for job in held if (owner, job) not in self._lost])
                for owner, held in claimed.items()
            ]
        for owner, ids in asks:
            if not ids:
                continue
            try:
                kept = self.engine.renew_leases(ids, owner=owner, lease=self.lease)
            except Exception as exc:  # a commit of the child tells; keep renewing
                _log.warning("could not renew the leases of %s: %s", owner, exc)
                continue
            missed = [job for job in ids if job not in kept]
            # a job the child committed is deleted with its commit, a moment before its "end"
            # event reaches the book: a row that is gone is not a lease lost, only one still
            # stored (another worker's now) is (read here, not with the state lock held)
            stored = [job for job in missed if _still_stored(self.engine, job)] if missed else []
            with self._state:
                self._pump(0)  # a job that ended meanwhile is gone, not lost
                self._note_lost(owner, ids, [job for job in ids if job not in stored])

    def _note_lost(self, owner: str, ids: list[str], kept: list[str]) -> None:
        lost = sorted(set(ids) & set(self.book.claimed().get(owner, ())) - set(kept))
        if lost:
            _log.warning("%s lost the leases of %s", owner, ", ".join(lost))
            running = {job for o, job, _ in self.book.running() if o == owner}
            for job in lost:  # renewed no more, nor given back at the end
                if job in running:  # followed still: its timeout stops it
                    self._lost.add((owner, job))
                else:
                    self.book.forget(owner, job)


def _still_stored(engine: Engine, job_id: str) -> bool:
    """Is the job still stored (so a renewal that missed it lost it to another worker)? A
    database that cannot say counts as yes: the warning says what it said before."""
    try:
        return engine.store.job(job_id) is not None
    except Exception:
        return True
