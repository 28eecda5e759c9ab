"""Delivering the outbox: entries handed to the host's handlers after their commit.

``engine.outbox`` is an :class:`Outbox`. A host subscribes handlers (callables taking an
:class:`~wfengine.runtime.outbox.OutboxRecord`) and something delivers: ``wfengine worker``,
:meth:`Engine.run_due_jobs <wfengine.runtime.job_commands.JobCommands.run_due_jobs>` (the
in-process job runner) or the host itself with :meth:`Outbox.deliver` (``engine.deliver_outbox``)::

    engine.outbox.subscribe(notify, kinds=[OutboxKind.WORK_ITEM_OFFERED])
    ...
    engine.deliver_outbox()  # or engine.run_due_jobs(), or a worker

The guarantees:

* **After commit**: an entry exists only once its command committed, and delivery happens
  outside every command (never inside a unit of work, so a handler may call the engine).
* **At least once**, with :attr:`~wfengine.runtime.outbox.OutboxRecord.key` as the idempotency
  key. An entry is claimed with a lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL), so several
  workers do not deliver it at the same time (a batch's lease is renewed while slow handlers
  work through it, so its tail is not taken over meanwhile: :meth:`Outbox._deliver_batch`); it
  is marked delivered after every handler of its kind returned. A delivering process that
  dies between the calls and that mark, or a handler that outlives the lease, gets the entry
  delivered again: handlers must recognise a key they have seen. Such a death counts as an
  attempt of the entry being delivered only: the entries claimed with it that it never
  reached are taken by the next claim first, their attempts as they were, and it after them
  (:func:`~wfengine.runtime.outbox_memory.taken`); an exception that leaves the delivery (a
  ``KeyboardInterrupt`` out of a handler) gives the rest of the batch back at once. A
  handler that raises fails the delivery for all handlers of the entry: each is called again
  on the next attempt (a handler that fans out, such as the notifiers' dispatcher,
  :mod:`wfengine.worklist.notifiers`, calls again only what failed).
* **Retried with back-off, bounded**: :class:`~wfengine.runtime.outbox.OutboxPolicy` (1 s, 2 s,
  4 s ... at most an hour apart, 20 attempts: about eight hours). A failed entry waits for its
  next attempt without holding up the others; after the last it is marked ``failed``, logged
  on ``wfengine.outbox`` and kept until an operator retries it (:meth:`Outbox.retry`). A
  handler that fails for good (raises :class:`~wfengine.errors.PermanentApplicationError`: a
  mail server refusing the recipients, 5xx) does not wait for the attempts to run out: the
  entry's other handlers are called, then it is marked ``failed`` at once, logged the same way.
* **Bounded in a worker**: ``wfengine worker`` stops a delivery that shows no progress for
  longer than its ``--job-timeout`` (a handler blocked for ever) with its worker process, as
  it stops a job, and the entry counts one failed attempt (:mod:`~wfengine.runtime.
  outbox_watch`). Each handler's call is progress, and so is each :func:`delivery_progress` a
  handler calls (the notifiers call it per notifier and per text), so a slow handler telling
  many recipients one by one is not stopped; in-process nothing can stop a handler, so a
  host's handlers bound their own time.
* **No handler, no growth**: an entry of a kind no handler of the delivering engine takes is
  settled as ``skipped`` without a call (one claimed before its kind's last handler was
  unsubscribed too, at the end of the delivery's backlog). So every process that delivers for
  a database must subscribe the same handlers (as it binds the same applications): a worker
  without them skips what a worker with them would have delivered.
* **Whose delivery**: while its handlers run, :func:`delivering_engine` is the engine that
  delivers the entry, so a handler shared by several engines (an ``--apps`` module's, a
  worker's threads) reads what is current in the one at hand: the notifiers resolve their
  recipients through its directory, which ``wfengine org load`` may have replaced since they
  were subscribed.
* **Pruned**: delivered and skipped entries are deleted :attr:`~OutboxPolicy.retention` (7 days)
  after they were settled, by the delivering engines, at most :attr:`~OutboxPolicy.prune_every`
  later; failed ones stay until retried.
"""

from __future__ import annotations

import contextvars
import functools
import inspect
import logging
import weakref
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from typing import Protocol

from wfengine.definition.event_texts import LAST_MOMENT
from wfengine.errors import (
    EngineInUseError,
    PermanentApplicationError,
    asked_wait,
)
from wfengine.runtime.clock import Clock, due_after, later
from wfengine.runtime.engine_threads import (
    CommandThreads,
    firing_elsewhere,
    held_elsewhere,
    held_here,
)
from wfengine.runtime.host_arguments import check_user, described, page_size
from wfengine.runtime.id_arguments import check_id
from wfengine.runtime.outbox import (
    OutboxHandler,
    OutboxHandlers,
    OutboxPolicy,
    OutboxRecord,
    OutboxStatus,
)
from wfengine.runtime.outbox_watch import Delivery, Observer
from wfengine.runtime.store import Store
from wfengine.runtime.stored_text import storable_text

_log = logging.getLogger("wfengine.outbox")

#: the engine whose outbox is delivering, while its handlers are called (see the notes)
_delivering: contextvars.ContextVar[object | None] = contextvars.ContextVar(
    "wfengine_delivering_engine", default=None
)


#: what :func:`delivery_progress` calls while a delivery is watched (see the notes)
_progress: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "wfengine_delivery_progress", default=None
)


def delivery_progress() -> None:
    """Tell whoever watches the delivery in progress that it is still going: a worker's
    supervisor times a delivery from its last sign of progress, so a handler doing a long
    series of quick steps (a text per recipient) calls this at each step, and is not taken
    for one blocked for ever. A no-op outside a watched delivery, and in another thread than
    the one calling the handler (the watch is per delivering thread)."""
    tell = _progress.get()
    if tell is not None:
        tell()


def delivering_engine() -> object | None:
    """The engine delivering the entry a handler is called with; None outside a delivery
    (a handler called by the host itself). Typed ``object``: ``runtime`` names no engine
    type a handler may rely on beyond its public attributes (``engine.directory``)."""
    return _delivering.get()


class DeliveringEngine(CommandThreads, Protocol):
    """What an :class:`Outbox` needs of its engine (and which thread its command runs in:
    :mod:`~wfengine.runtime.engine_threads`)."""

    store: Store
    clock: Clock
    #: the lease owner the engine claims as (read at each delivery: a worker renames it)
    worker_id: str
    #: told each delivery as a job (see :mod:`~wfengine.runtime.outbox_watch`)
    job_observer: Observer | None

    @property
    def in_command(self) -> bool: ...

    #: set once ``close()`` began: a delivery hands no further entry to a handler
    _closed: bool

    def _refuse_closed(self) -> None: ...

    def _jobs_begin(self) -> None: ...

    def _jobs_end(self) -> None: ...

    def _reentry_error(self) -> EngineInUseError: ...


class Outbox:
    """An engine's outbox: its subscriptions (:attr:`handlers`, shareable between engines),
    delivery, and what an operator does with entries (see the module notes)."""

    def __init__(self, engine: DeliveringEngine, handlers: OutboxHandlers) -> None:
        # a weak reference: the engine holds its outbox, and a cycle between the two would
        # keep every dropped engine (and all the instances it holds in memory) alive until the
        # cyclic garbage collector runs, which then costs a run in progress dearly
        self._engine_ref = weakref.ref(engine)
        self.handlers = handlers
        self._next_prune: datetime | None = None
        #: entries this outbox settled or rescheduled (what :meth:`deliver` returns, summed),
        #: each counted before its delivery's end is told to the job observer, so a supervised
        #: worker reports every entry as its delivery ends (:mod:`.worker_tally`)
        self.settled = 0

    @property
    def _engine(self) -> DeliveringEngine:
        engine = self._engine_ref()
        if engine is None:
            raise RuntimeError("the engine of this outbox is gone")
        return engine

    @property
    def policy(self) -> OutboxPolicy:
        """The delivery policy: that of :attr:`handlers` (shared with every engine that
        shares them)."""
        return self.handlers.policy

    @policy.setter
    def policy(self, policy: OutboxPolicy) -> None:
        # ``engine.outbox.policy = OutboxPolicy(...)`` (as the README writes it) was a bare
        # AttributeError (a property without a setter): it sets the handlers' policy, which
        # refuses anything but an OutboxPolicy (TypeError naming what it got)
        self.handlers.policy = policy

    def subscribe(
        self, handler: OutboxHandler, kinds: Iterable[str] | None = None
    ) -> OutboxHandler:
        """Deliver the entries of ``kinds`` (every kind when None) to ``handler`` too; returns
        ``handler`` (usable as a decorator). See :meth:`OutboxHandlers.subscribe`."""
        return self.handlers.subscribe(handler, kinds)

    def unsubscribe(self, handler: OutboxHandler) -> None:
        self.handlers.unsubscribe(handler)

    # -- delivery ----------------------------------------------------------------------------

    def deliver(
        self,
        *,
        limit: int | None = None,
        owner: str | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> int:
        """Deliver the entries due now (at most ``limit`` handed to handlers); returns how many
        were settled or rescheduled (delivered, skipped, failed, or due again after a back-off).
        Entries of kinds no handler takes are skipped besides, whatever a ``limit`` above 0:
        skipping them is one statement, and the limit bounds the handlers' work (a limit of 0
        delivers and skips nothing).

        ``owner`` names the claimant in the leases (default: the engine's ``worker_id``);
        ``should_stop`` is asked before each claim of a batch (:attr:`OutboxPolicy.batch`
        entries; a stop waits for the batch claimed). Raises
        :class:`~wfengine.errors.StoreUnavailableError` when the database keeps failing,
        :class:`RuntimeError` when called inside a command (delivery is after commit), and
        :class:`~wfengine.errors.EngineInUseError` while another thread's command holds the
        engine (an engine serves one thread at a time; nothing is claimed). While a virtual
        clock moved in another thread fires this engine's timers there, nothing is delivered
        (0): the engine's own thread delivers once the clock's thread is through.
        """
        size = delivery_limit(limit, "outbox.deliver")
        engine = self._engine
        engine._refuse_closed()
        if held_here(engine):
            raise RuntimeError("the outbox is delivered after a command commits, not inside one")
        if held_elsewhere(engine):
            if firing_elsewhere(engine):
                return 0
            raise engine._reentry_error()
        owner = check_user(owner or engine.worker_id, "owner", "deliver")
        # close() in another thread waits for this delivery as for a run of jobs: the handler
        # in progress finishes and its delivery is recorded, the rest of the batch is given
        # back (closed under it, the store refused that record: the entry was delivered twice)
        engine._jobs_begin()
        try:
            store, clock, policy = engine.store, engine.clock, self.policy
            self._prune_if_due(clock.now())
            done = handed = 0  # (settled in all; handed to handlers, what ``limit`` bounds)
            due = store.next_outbox_at()
            if due is None or due > clock.now():
                return done
            # a backlog is claimed batch after batch; the earliest due time and the skipping of
            # kinds nobody handles are asked for when the backlog is through (entries committed
            # meanwhile, by handlers too, are delivered by the same call), not per batch: both
            # read every due entry, so per batch a backlog of P entries cost P * P / batch
            first = True
            while size is None or handed < size:
                if (should_stop is not None and should_stop()) or engine._closed:
                    break
                now = clock.now()
                handled = self.handlers.handled_kinds()
                skipped = 0 if handled is None or not first else store.skip_outbox(now, handled)
                first = False
                done += skipped
                self.settled += skipped
                batch = policy.batch if size is None else min(policy.batch, size - handed)
                claimed: list[OutboxRecord] = []
                if batch > 0 and (handled is None or handled):
                    claimed = store.claim_outbox(
                        owner, now, later(now, policy.lease), batch, handled
                    )
                delivered = self._deliver_batch(claimed, owner, later(now, policy.lease))
                done += delivered
                handed += delivered
                if not skipped and not claimed:
                    break  # what looked due was taken by another claimant meanwhile
                if len(claimed) < batch:  # the backlog is through: anything committed meanwhile?
                    due = store.next_outbox_at()
                    if due is None or due > clock.now():
                        break
                    first = True
            return done
        finally:
            engine._jobs_end()

    def _deliver_batch(self, claimed: list[OutboxRecord], owner: str, held_until: datetime) -> int:
        """Deliver a claimed batch entry after entry (a stop waits for the batch); returns how
        many were settled or rescheduled.

        The batch was claimed under one lease. Once a third of it has passed (slow handlers:
        a mail server taking seconds a mail), the rest's lease is renewed before the next
        entry, and an entry no longer ours (another claimant took it over after the lease ran
        out) is left to that claimant, never delivered a second time. Quick handlers get
        through the batch before that and cost no renewal at all. A store that cannot renew
        (``Store.renew_outbox`` None: both of wfengine's renew) keeps its first lease: what is
        left when it runs out is left for the next claim.

        Entries whose delivery failed before go last (in id order, as the rest): one whose
        handler hangs, stopped each time by a worker's supervisor, otherwise went first in
        every batch claimed with it, and the entries claimed with it were never delivered,
        each claim counting one more attempt of theirs until they were given up.

        ``close()`` begun in another thread stops the batch before its next entry: the rest is
        given back at once (:meth:`_give_back`), as when a handler's exception ends it."""
        claimed = sorted(claimed, key=lambda r: r.last_error is not None)
        engine = self._engine
        store, clock, lease = engine.store, engine.clock, self.policy.lease
        renew_at = later(clock.now(), lease / 3)
        ours: set[int] | None = None  # None: every entry of the batch
        done = index = 0
        try:
            for index, record in enumerate(claimed):
                if engine._closed:  # close() waits for us: the rest is given back unhanded
                    self._give_back(
                        [r.id for r in claimed[index:] if ours is None or r.id in ours], owner
                    )
                    break
                now = clock.now()
                if index and now >= renew_at:
                    rest = [r.id for r in claimed[index:]]
                    renewed = store.renew_outbox(rest, owner, later(now, lease))
                    if renewed is None and now < held_until:
                        renew_at = held_until  # look again when the first lease runs out
                    else:
                        ours = set() if renewed is None else renewed
                        held_until = later(now, lease)
                        renew_at = later(now, lease / 3)
                        if lost := [i for i in rest if i not in ours]:
                            _log.warning(
                                "the lease of outbox entries %s ran out while %s delivered "
                                "the entries claimed with them; they are left to the next "
                                "claim",
                                ", ".join(map(str, lost)),
                                owner,
                            )
                        if not ours:
                            break
                if ours is not None and record.id not in ours:
                    continue
                if self._deliver_one(record, owner):
                    done += 1
        except BaseException:
            self._give_back([r.id for r in claimed[index:] if ours is None or r.id in ours], owner)
            raise
        return done

    def _give_back(self, entry_ids: list[int], owner: str) -> None:
        """End ``owner``'s lease of ``entry_ids`` now, so the next claim, by this process or
        any other, takes them at once (a ``KeyboardInterrupt`` or ``SystemExit`` out of a
        handler left the rest of the batch leased for :attr:`OutboxPolicy.lease`: the next
        ``deliver_outbox()`` delivered nothing). Each keeps its claim's attempt, and the next
        claim counts none again for those never begun (see
        :func:`~wfengine.runtime.outbox_memory.taken`); the one being delivered counts its
        attempt. Done as the exception that interrupted the batch propagates: a store that
        fails here (the cause of the exception, maybe) leaves them to their lease."""
        if not entry_ids:
            return
        try:
            self._engine.store.renew_outbox(entry_ids, owner, self._engine.clock.now())
        except Exception as exc:  # (the exception on its way out is what the caller needs)
            _log.warning(
                "outbox entries %s stay leased to %s until their lease runs out: %s",
                ", ".join(map(str, entry_ids)),
                owner,
                exc,
            )

    def _deliver_one(self, record: OutboxRecord, owner: str) -> bool:
        """Deliver ``record``, told to the engine's job observer as a job of its own
        (:mod:`~wfengine.runtime.outbox_watch`: a worker's supervisor stops a delivery that
        runs too long, a handler blocked for ever, as it stops a job); False when it was
        given back instead (see :meth:`_hand_over`)."""
        engine, policy = self._engine, self.policy
        if record.attempts > policy.max_attempts:
            error = (
                f"gave up after {record.attempts - 1} deliveries that never finished (the "
                "delivering process died or was stopped each time)"
            )
            engine.store.settle_outbox(record.id, owner, engine.clock.now(), error=error)
            _log.error("outbox entry %d (%s %s): %s", record.id, record.kind, record.key, error)
            return self._counted(True)
        observe = engine.job_observer
        if observe is None:
            return self._counted(self._hand_over(record, owner))
        watched = [Delivery.of(record, policy).job(record, engine.clock.now())]
        observe("start", owner, watched)
        # progress is told as the delivery's start again: whoever times it from its start
        # (the supervisor) times it from its last sign of progress (outbox_watch)
        progress = _progress.set(functools.partial(observe, "start", owner, watched))
        try:
            return self._counted(self._hand_over(record, owner))
        finally:
            _progress.reset(progress)
            observe("end", owner, watched)

    def _counted(self, settled: bool) -> bool:
        """``settled`` (a delivery's outcome), counted in :attr:`settled` when it is."""
        if settled:
            self.settled += 1
        return settled

    def _hand_over(self, record: OutboxRecord, owner: str) -> bool:
        """Call ``record``'s handlers and record how it went; False when no handler takes
        its kind any more (unsubscribed since the claim, by a handler of the batch or another
        thread): it is given back, not marked delivered without a call, and the skipping of
        kinds no handler takes settles it as ``skipped``, at the end of this delivery's
        backlog, unless a handler of its kind is subscribed again by then."""
        store, clock = self._engine.store, self._engine.clock
        handlers = self.handlers.handlers(record.kind)
        if not handlers:
            self._give_back([record.id], owner)
            return False
        refused: list[str] = []  # the handlers that failed for good
        delivering = _delivering.set(self._engine)
        try:
            for handler in handlers:
                delivery_progress()  # (the handlers before it returned: it is going)
                try:
                    if inspect.iscoroutine(answer := handler(record)):
                        # (async handlers are refused at subscribe; a plain one returning a
                        # coroutine did nothing yet, so the entry is not delivered)
                        answer.close()
                        raise TypeError("it returned a coroutine (handlers are plain functions)")
                except PermanentApplicationError as exc:
                    # retrying cannot help it; the others still get the entry now, since
                    # the entry will not be attempted again unless an operator retries it
                    refused.append(f"{_name(handler)}: {type(exc).__name__}: {exc}")
                except Exception as exc:
                    failed = f"{_name(handler)}: {type(exc).__name__}: {exc}"
                    self._failed(record, owner, "; ".join((*refused, failed)), asked_wait(exc))
                    return True
        finally:
            _delivering.reset(delivering)
        if refused:
            self._refused(record, owner, "; ".join(refused))
            return True
        store.settle_outbox(record.id, owner, clock.now())
        _log.debug("delivered outbox entry %d (%s %s)", record.id, record.kind, record.key)
        return True

    def _failed(
        self, record: OutboxRecord, owner: str, error: str, asked: timedelta | None = None
    ) -> None:
        """Record a failed attempt of ``record``: due again after the policy's back-off, or
        after the wait the failing handler's service ``asked`` for (an HTTP ``Retry-After``,
        :attr:`~wfengine.errors.ApplicationError.retry_after`) when longer, at most the
        policy's ``max_retry``; given up once its attempts have run out."""
        # (escaped for the log too: a handler's error holding a lone surrogate broke the log
        # handlers that write UTF-8, as it would a store)
        error = storable_text(error)
        store, now, policy = self._engine.store, self._engine.clock.now(), self.policy
        if record.attempts >= policy.max_attempts:
            store.settle_outbox(record.id, owner, now, error=error)
            _log.error(
                "outbox entry %d (%s %s) failed %d times and is given up: %s; retry it with "
                "engine.outbox.retry([%d]) once its handler works",
                record.id,
                record.kind,
                record.key,
                record.attempts,
                error,
                record.id,
            )
            return
        wait = policy.retry_after(record.attempts)
        if asked is not None:  # (a receiver asking for quiet was posted to every few seconds)
            wait = max(wait, min(asked, policy.max_retry))
        retry_at = due_after(now, wait) or LAST_MOMENT  # (past the last date: then, as timers)
        store.settle_outbox(record.id, owner, now, error=error, retry_at=retry_at)
        _log.warning(
            "outbox entry %d (%s %s), attempt %d of %d, failed: %s; next attempt at %s",
            record.id,
            record.kind,
            record.key,
            record.attempts,
            policy.max_attempts,
            error,
            retry_at.isoformat(),
        )

    def _refused(self, record: OutboxRecord, owner: str, error: str) -> None:
        """Give ``record`` up at once: a handler failed for good (a
        :class:`~wfengine.errors.PermanentApplicationError`, such as a mail server's 5xx
        refusal), which the attempts left could only repeat. Recorded and logged as the last
        attempt's failure is, for an operator to retry once the cause is fixed."""
        error = storable_text(error)
        store, now = self._engine.store, self._engine.clock.now()
        store.settle_outbox(record.id, owner, now, error=error)
        _log.error(
            "outbox entry %d (%s %s) failed for good at attempt %d and is given up: %s; retry "
            "it with engine.outbox.retry([%d]) once its cause is fixed",
            record.id,
            record.kind,
            record.key,
            record.attempts,
            error,
            record.id,
        )

    def _prune_if_due(self, now: datetime) -> None:
        if self._next_prune is not None and now < self._next_prune:
            return
        # (a prune_every past the last date, timedelta.max: never again, as timers clamp)
        self._next_prune = due_after(now, self.policy.prune_every) or LAST_MOMENT
        pruned = self.prune()
        if pruned:
            _log.info("pruned %d delivered outbox entries", pruned)

    # -- operators -----------------------------------------------------------------------------

    def prune(self) -> int:
        """Delete the delivered and skipped entries settled longer than the retention period
        ago (delivering does this by itself every ``prune_every``); returns how many. A
        retention reaching back before the first date there is (``timedelta.max``: keep them
        for ever) prunes none: it was a bare ``OverflowError`` out of every delivery."""
        try:
            before = self._engine.clock.now().astimezone(UTC) - self.policy.retention
        except OverflowError:
            return 0
        return self._engine.store.prune_outbox(before)

    def entries(
        self,
        status: OutboxStatus | str | None = None,
        *,
        instance_id: str | None = None,
        limit: int | None = None,
    ) -> list[OutboxRecord]:
        """The stored entries (of one status, of one instance), oldest first. ``status`` is an
        :class:`OutboxStatus` or its value (``"pending"``), as the other listings take states."""
        wanted = None if status is None else _status(status)
        if instance_id is not None:  # (a list: [] in memory, a driver error on SQLite)
            check_id(instance_id, "instance_id", "process instance id", "outbox.entries")
        size = delivery_limit(limit, "outbox.entries")  # (the stores read -1, 2.5 differently)
        return self._engine.store.outbox_entries(wanted, instance_id=instance_id, limit=size)

    def retry(self, entry_ids: Iterable[int] | None = None) -> int:
        """Make failed entries (these, or all) pending again, due now, with a fresh count of
        attempts; returns how many. ``entry_ids``: the entries' ids (:attr:`OutboxRecord.id`)
        in a list, a tuple or any iterable of whole numbers (see :func:`_entry_ids`)."""
        ids = None if entry_ids is None else _entry_ids(entry_ids)
        return self._engine.store.retry_outbox(ids, self._engine.clock.now())

    def due_at(self, *, leased: bool = False) -> datetime | None:
        """When the next pending entry may be claimed (None: nothing pending); ``leased``:
        when the next is due, even if a claimant holds it."""
        return self._engine.store.next_outbox_at(leased=leased)


def delivery_limit(limit: object, command: str) -> int | None:
    """``limit``, how many entries ``command`` delivers at most, checked as
    ``run_due_jobs(limit=)`` is (:func:`~wfengine.runtime.host_arguments.page_size`): None (no
    limit) or a whole number not below zero. Why: ``-1`` delivered nothing and said nothing,
    ``1.5`` delivered two entries in memory and one on SQLite (the batch sizes the two
    stores made of it), and ``"abc"`` was a bare comparison ``TypeError`` naming neither."""
    try:
        return page_size(limit, "outbox entries")
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"{command}: {exc}") from None


def _entry_ids(given: object) -> list[int]:
    """``given``, the ids :meth:`Outbox.retry` was asked for, as a list of whole numbers.
    Why: ``retry("12")`` retried entries 1 and 2 on SQLite (sorted() took the string's
    letters, and SQLite compares text to a number as that number) and none in memory, and
    ``retry(12)`` was a bare ``TypeError`` from inside the store: the stores read anything
    but a collection of ints differently, so both are given only that."""
    if isinstance(given, str | bytes | bytearray) or not isinstance(given, Iterable):
        raise TypeError(
            "outbox.retry takes the ids of the entries to retry in a list, such as "
            f"engine.outbox.retry([12]) (or none: every failed entry), not {described(given)}"
        )
    ids = list(given)
    for item in ids:
        if isinstance(item, bool) or not isinstance(item, int):
            raise TypeError(
                "outbox.retry: an entry id is a whole number (an OutboxRecord's id, such as "
                f"[12]), not {described(item)} among {described(ids)}"
            )
    return ids


def _status(status: OutboxStatus | str) -> OutboxStatus:
    """``status`` as an :class:`OutboxStatus`; a value that is none is refused by name (the
    stores compare it as given: one raised an AttributeError, the other matched nothing)."""
    try:
        return OutboxStatus(status)
    except ValueError:
        known = ", ".join(s.value for s in OutboxStatus)
        raise ValueError(f"no outbox status {status!r} (one of: {known})") from None


def _name(handler: OutboxHandler | None) -> str:
    """A handler as messages name it: a function's name, an object's own ``repr``, else its
    class (not ``<... object at 0x...>``, which says nothing to an operator)."""
    if isinstance(handler, functools.partial):  # (never its arguments: a URL with a token)
        return f"partial of {_name(handler.func)}"
    name = getattr(handler, "__qualname__", None)
    if name:
        return str(name)
    kind = type(handler)
    if next(k for k in kind.__mro__ if "__repr__" in vars(k)) is object:  # the default repr
        return kind.__qualname__
    return repr(handler)
