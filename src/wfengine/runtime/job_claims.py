"""How many times the job this thread runs was claimed before: the synchronous application
calls it makes count those runs' attempts.

Why: a job whose host was killed (or stopped) mid-call commits nothing, so the
``application.invoked`` records of the attempts it made are lost with it; the engine that
takes the job after its lease ran out gave each call a fresh retry budget (retries=2 and a kill
in attempt 2: five calls, numbered from 1 again). The store counts a job's claims (a claim
given back unrun is not counted), so each earlier claim stands for at least one attempt of
the call the run was making: a call inside such a job numbers its attempts from the claim
count: the run's first synchronous call only (:func:`take`). ``invoke`` jobs are left out:
their claims are their own call's attempts (:class:`~wfengine.runtime.tools.InvokeJobHandler`),
not those of the calls after it.

A context variable, as :mod:`~wfengine.runtime.call_watch` is: the call is made deep inside
navigation, which sees no job.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from wfengine.runtime.jobs import JOB_INVOKE, Job

#: the job this thread runs, taken before: ``[its earlier claims, the key of the call they
#: count against (None until its first synchronous call)]``; None outside such a job
_claims: ContextVar[list[Any] | None] = ContextVar("wfengine_earlier_claims", default=None)

#: None outside a job taken before (the variable's own ``get``: a caller on the hot path asks
#: it first and calls :func:`take` only when it is not None)
pending = _claims.get


def earlier() -> int:
    """The earlier claims of the job this thread runs (0 outside a job)."""
    found = _claims.get()
    return 0 if found is None else int(found[0])


def take(key: str) -> int:
    """The attempts already made of the synchronous call ``key`` (its idempotency key)
    about to be made: the job's earlier claims for the first such call of the run, and for
    that same call made again (a command run again after losing a race); 0 for every other
    call, and outside a job taken before.

    Why: the claims stand for attempts of the call the lost run was making, the first one
    the run makes again (nothing it did committed); counted for every call of the job, a
    later activity's call, never made before, lost as many of its retries (a job through A
    then B, killed in A: B got 2 calls of its 3 and an incident "attempt 3 of 3"). Per call:
    one ``get``, and outside a job taken again nothing more."""
    found = _claims.get()
    if found is None:
        return 0
    if found[1] is None:
        found[1] = key
    return int(found[0]) if found[1] == key else 0


@contextmanager
def claimed(job: Job) -> Iterator[None]:
    """Within the block, the run's first synchronous call counts ``job``'s earlier claims as
    attempts made (:func:`take`)."""
    count = 0 if job.kind == JOB_INVOKE else max(job.attempts - 1, 0)
    token = _claims.set([count, None] if count else None)
    try:
        yield
    finally:
        _claims.reset(token)
