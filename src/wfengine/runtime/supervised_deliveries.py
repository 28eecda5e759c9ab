"""The supervisor's side of outbox deliveries (:mod:`~wfengine.runtime.supervisor`).

A worker process tells each outbox delivery it makes as a job of its own
(:mod:`~wfengine.runtime.outbox_watch`, for why). The supervisor follows them here, apart from
the :class:`~wfengine.runtime.job_book.JobBook`, because an entry is no job: its lease is the
outbox's, renewed here while the delivery runs (a frozen handler keeps its entry, so no other
worker takes it over only to freeze too), and a delivery the supervisor stops is recorded on the
entry, not made an incident:

* one that showed no progress for longer than the job timeout (timed from its start, or from
  the last sign of progress its worker told, :mod:`~wfengine.runtime.outbox_watch`), or whose
  process died under it, is one failed attempt: the entry waits for its next attempt after
  the back-off its worker's outbox policy gives that attempt, and after the last one it is
  given up (``failed``, for an operator to retry), logged on ``wfengine.outbox`` as a
  handler's failure is;
* one whose process was stopped for something else (a job timed out beside it, a stop that
  outlasted the grace period) is given back: due again at once, its attempt counted (as the
  claim counted it), as a job given back keeps its attempt.

Why a module of its own: the supervisor's module is near its size limit, and this part is
whole without the supervisor's loop (it is a mixin of the same kind as the lease renewals).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from wfengine.definition.event_texts import LAST_MOMENT
from wfengine.runtime.clock import due_after, later
from wfengine.runtime.outbox_watch import Delivery, watched_delivery
from wfengine.runtime.supervisor_leases import LeaseRenewals
from wfengine.runtime.worker_tally import Tally

_log = logging.getLogger("wfengine.supervisor")
#: where an entry's fate is logged, as the outbox logs a handler's failure
_outbox_log = logging.getLogger("wfengine.outbox")


@dataclass
class _Running:
    """A delivery a worker thread is making (one per lease owner: a thread delivers one
    entry at a time)."""

    delivery: Delivery
    #: when it started or last showed progress (monotonic time)
    since: float
    #: its entry's lease found lost (taken over): warned about, renewed no more
    lost: bool = False


class DeliveryWatch(LeaseRenewals):
    """The deliveries' part of :class:`~wfengine.runtime.supervisor.Supervisor` (a mixin: the
    attributes below are the supervisor's; ``_deliveries`` is set by its constructor)."""

    job_timeout: float
    timeout_name: str
    #: lease owner -> the delivery its thread is making
    _deliveries: dict[str, _Running]
    #: the run's counts, one by one (the supervisor's ``tally``)
    _tallies: list[Tally]

    def _note_delivery(self, event: str, owner: str, jobs: Sequence[str], now: float) -> bool:
        """Note the start or end of a delivery; False when the event is not a delivery's."""
        delivery = watched_delivery(jobs[0]) if len(jobs) == 1 else None
        if delivery is None:
            return False
        running = self._deliveries.get(owner)
        if event == "start" and running is not None and running.delivery == delivery:
            running.since = now  # a sign of progress: timed from here (outbox_watch)
        elif event == "start":
            self._deliveries[owner] = _Running(delivery, now)
        elif event == "end" and self._deliveries.pop(owner, None) is not None:
            self.book.finished += 1  # progress: a child that delivers is working
        return True

    def _late_deliveries(self, now: float) -> list[str]:
        """The owners whose delivery has shown no progress for longer than the job timeout
        (timed from its last sign, not its start: a slow handler telling a few hundred
        recipients one by one was stopped half-way, retried, telling the first ones again,
        and given up)."""
        return [o for o, r in self._deliveries.items() if now - r.since > self.job_timeout]

    def _late_what(self, owners: Collection[str]) -> str:
        """The deliveries of ``owners``, as the supervisor's log names them."""
        ids = [str(r.delivery.entry_id) for o, r in self._deliveries.items() if o in owners]
        return f"the delivery of outbox entr{'y' if len(ids) == 1 else 'ies'} {', '.join(ids)}"

    def _too_long(self) -> str:
        """Why a delivery the job timeout stopped failed (its entry's error)."""
        return (
            f"ran longer than {self.job_timeout:g} s ({self.timeout_name}) without a sign of "
            "progress; the worker process delivering it was stopped"
        )

    def _fail_deliveries(self, owners: Collection[str] | None, why: str) -> None:
        """Record the deliveries of ``owners`` (None: all) as failed attempts: ``why`` (what
        stopped them) is the entry's error, and the back-off applies."""
        for owner in list(self._deliveries) if owners is None else owners:
            running = self._deliveries.pop(owner, None)
            if running is not None:
                self._record(owner, running.delivery, f"the delivery {why}", failed=True)

    def _give_back_deliveries(self) -> None:
        """Make the entries of the deliveries left due again now (their process was stopped
        for something else than them)."""
        for owner, running in list(self._deliveries.items()):
            why = "the worker process delivering it was stopped before the delivery ended"
            self._record(owner, running.delivery, why, failed=False)
        self._deliveries.clear()

    def _record(self, owner: str, delivery: Delivery, error: str, *, failed: bool) -> None:
        """Settle ``delivery``'s entry, if it is still ``owner``'s (its process may have
        recorded it just before it ended, or another worker taken it over)."""
        store, now, entry = self.engine.store, self.engine.clock.now(), delivery.entry_id
        given_up = failed and delivery.retry_after is None
        retry_at = now
        if failed and delivery.retry_after is not None:
            retry_at = _retry_at(now, delivery.retry_after)
        try:
            held = store.renew_outbox([entry], owner, later(now, self.lease))  # still ours?
            if held is not None and entry not in held:
                _log.info("outbox entry %d was settled or taken over meanwhile: left", entry)
                return
            store.settle_outbox(
                entry, owner, now, error=error, retry_at=None if given_up else retry_at
            )
        except Exception:
            _log.exception("could not record outbox entry %d (%s)", entry, error)
            return
        if failed:  # (a failed attempt counts in the run's summary, as a worker's does)
            self._tallies.append(Tally(outbox=1))
        if given_up:
            _outbox_log.error(
                "outbox entry %d, attempt %d: %s; it is given up: retry it with "
                "engine.outbox.retry([%d]) once its handler works",
                *(entry, delivery.attempt, error, entry),
            )
        elif failed:
            _outbox_log.warning(
                "outbox entry %d, attempt %d: %s; next attempt at %s",
                *(entry, delivery.attempt, error, retry_at.isoformat()),
            )
        else:
            _outbox_log.warning("outbox entry %d: %s; due again now", entry, error)

    def _renew(self) -> None:
        """Renew the jobs' leases, then those of the entries being delivered (a frozen
        handler keeps its entry until the job timeout stops it)."""
        super()._renew()
        if self._gone is not None:
            return
        with self._state:
            asks = [(o, r.delivery) for o, r in self._deliveries.items() if not r.lost]
        for owner, delivery in asks:
            entry = delivery.entry_id
            until = later(self.engine.clock.now(), self.lease)
            try:
                held = self.engine.store.renew_outbox([entry], owner, until)
            except Exception as exc:  # the delivery's own settlement tells; keep renewing
                _log.warning("could not renew the lease of outbox entry %d: %s", entry, exc)
                continue
            if held is None or entry in held:
                continue
            with self._state:
                self._pump(0)  # a delivery that ended meanwhile is settled, not lost
                running = self._deliveries.get(owner)
                if running is not None and running.delivery == delivery and not running.lost:
                    running.lost = True
                    _log.warning("%s lost the lease of outbox entry %d", owner, entry)


def _retry_at(now: datetime, seconds: float) -> datetime:
    """When a stopped delivery's entry is tried again, ``seconds`` (its policy's back-off)
    from ``now``; a back-off past the last date waits there, as the in-process path and timers
    do (a ``max_retry`` of ``timedelta.max`` was a bare ``OverflowError`` here, which ended the
    supervisor's settling thread: the other stopped deliveries were left unrecorded)."""
    try:
        span = timedelta(seconds=seconds)
    except OverflowError:
        return LAST_MOMENT
    return due_after(now, span) or LAST_MOMENT
