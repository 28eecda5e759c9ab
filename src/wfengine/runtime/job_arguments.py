"""Checks of what a host passes to ``run_due_jobs`` and ``fire_due_timers``: ``limit``,
``kinds``, ``instances`` and ``lease``, as every store takes them, and to ``release_jobs``
and ``renew_leases``.

Why: the stores read a wrong one differently (``limit=-1`` ran no job in memory and all of
them on SQLite, ``2.5`` three or two; ``kinds="continue"``, a string, ran all in memory and
none on SQLite; ``instances="pi-10"`` matched pi-1 too in memory, a substring), and a kind
misspelt ran nothing and said nothing. Like the other host argument checks
(:mod:`~wfengine.runtime.host_arguments`), a wrong type is a ``TypeError`` naming the command
and the argument, a wrong value a ``ValueError``.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from datetime import timedelta

from wfengine.runtime.host_arguments import check_user, described, page_size
from wfengine.runtime.id_arguments import check_id
from wfengine.runtime.jobs import JOB_CONTINUE, JOB_INVOKE, JOB_REMINDER, JOB_TIMER

#: the longest lease a claim may take (a job's: ``run_due_jobs``, ``renew_leases``, a
#: :class:`~wfengine.runtime.worker.Worker`; an outbox entry's: ``OutboxPolicy.lease``). Why a
#: bound: a lease's end is a time, and one past the last a ``datetime`` holds (9999-12-31)
#: failed every claim with a bare ``OverflowError``; a lease is renewed while its job runs,
#: so nothing needs more than minutes, and a hundred years keeps far from that end
MAX_LEASE = timedelta(days=36525)

#: the kinds of job every engine runs (a host may add its own to ``job_handlers``)
BUILT_IN_KINDS = frozenset({JOB_TIMER, JOB_CONTINUE, JOB_INVOKE, JOB_REMINDER})


def job_filters(
    limit: object, kinds: object, instances: object, handled: Iterable[str], lease: object
) -> tuple[int, tuple[str, ...] | None, tuple[str, ...] | None]:
    """``run_due_jobs``' ``limit``, ``kinds`` and ``instances`` checked, and its ``lease``
    (:func:`checked_lease`); ``handled``: the kinds the engine has handlers for, which with
    the built-in ones are the kinds known."""
    checked_lease(lease)
    if limit is None:
        raise TypeError("run_due_jobs: limit: a whole number of jobs, not None")
    try:
        size = page_size(limit, "jobs")
    except (TypeError, ValueError) as exc:
        raise type(exc)(f"run_due_jobs: {exc}") from None
    assert size is not None
    wanted = _names(kinds, "run_due_jobs", "kinds", "job kinds, such as ('timer',)")
    if wanted is not None:
        known = BUILT_IN_KINDS.union(handled)
        for kind in wanted:
            if kind not in known:
                runs = ", ".join(sorted(known))
                raise ValueError(f"run_due_jobs: kinds: no job kind {kind!r} (one of: {runs})")
    return size, wanted, instance_names(instances)


def instance_names(instances: object, command: str = "run_due_jobs") -> tuple[str, ...] | None:
    """``instances`` (of ``command``) as a tuple of instance ids; None: every instance."""
    return _names(instances, command, "instances", "instance ids, such as ('pi-1',)")


def _names(value: object, command: str, name: str, what: str) -> tuple[str, ...] | None:
    """``value``, ``command``'s ``name`` argument, as a tuple of names (None: all): a
    collection of strings (a plain string, a collection of its letters, is refused)."""
    if value is None:
        return None
    if isinstance(value, str) or not isinstance(value, Collection):
        raise TypeError(f"{command}: {name}: a collection of {what}, not {described(value)}")
    names = tuple(value)
    for item in names:
        if not isinstance(item, str):
            raise TypeError(f"{command}: {name}: {what}, not {described(item)} among them")
        check_id(item, name, what, command)  # one no store holds: a ValueError, on each alike
    return names


def job_id_names(value: object, command: str, name: str) -> tuple[str, ...]:
    """``value`` as a tuple of job ids: ``started="job-1"`` was tested as a substring
    (``"job-1" in "job-12"``), and ``job_ids="job-1"`` released (or renewed) letter by
    letter. A generator is taken too: the commands' signatures promise any iterable."""
    if isinstance(value, Iterator):
        value = tuple(value)
    return _names(value, command, name, "job ids, such as ('job-1',)") or ()


def renewal(job_ids: object, owner: object, lease: object) -> tuple[tuple[str, ...], str]:
    """``renew_leases``' ``job_ids`` and ``owner`` checked, and its ``lease``. Why: they
    went to the store as given, so ``"job-1"`` was renewed letter by letter (``[]``: every
    lease "lost"), a lease of zero or less stored as ended (another engine claimed the job
    being run) and ``lease=60`` a bare ``TypeError`` from the clock."""
    ids = job_id_names(job_ids, "renew_leases", "job_ids")
    checked_lease(lease, "renew_leases")
    return ids, check_user(owner, "owner", "renew_leases")


def checked_lease(lease: object, command: str = "run_due_jobs") -> None:
    """Refuse a lease that is no ``timedelta`` (``lease=60``) or not above zero before
    anything is claimed: a wrong type failed later, inside the claim, as a bare
    ``TypeError`` from adding it to a time, and a lease of zero or less was stored as one
    already ended, so a second engine claimed the job while the first ran it (its
    application called twice). One over :data:`MAX_LEASE` (``timedelta.max``: "never take it
    over") is refused too: its end passed the last date there is, a bare ``OverflowError``."""
    if not isinstance(lease, timedelta):
        raise TypeError(
            f"{command}(lease=...) takes a timedelta such as timedelta(seconds=60), not "
            f"{lease!r} ({type(lease).__name__})"
        )
    if lease <= timedelta(0):
        raise ValueError(
            f"{command}(lease=...) must be above zero, such as timedelta(seconds=60), not "
            f"{lease!r}: a lease that has ended lets another engine claim the job being run"
        )
    if lease > MAX_LEASE:
        raise ValueError(
            f"{command}(lease=...) is at most {MAX_LEASE.days} days (100 years), not {lease}: "
            "a lease is renewed while its job runs, so a minute or so serves"
        )
