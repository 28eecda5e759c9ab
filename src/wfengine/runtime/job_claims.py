"""How many times the job this thread runs was claimed before: the synchronous application
calls it makes count those runs' attempts.

Why: a job whose host was killed (or stopped) mid-call commits nothing, so the
``application.invoked`` records of the attempts it made are lost with it; the engine that
takes the job after its lease ran out gave each call a fresh retry budget (retries=2 and a kill
in attempt 2: five calls, numbered from 1 again). The store counts a job's claims (a claim
given back unrun is not counted), so each earlier claim stands for at least one attempt of
the call the run was making: a call inside such a job numbers its attempts from the claim
count. ``invoke`` jobs are left out: their claims are their own call's attempts
(:class:`~wfengine.runtime.tools.InvokeJobHandler`), not those of the calls after it.

A context variable, as :mod:`~wfengine.runtime.call_watch` is: the call is made deep inside
navigation, which sees no job.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from wfengine.runtime.jobs import JOB_INVOKE, Job

_earlier: ContextVar[int] = ContextVar("wfengine_earlier_claims", default=0)

#: the earlier claims of the job this thread runs (0 outside a job): the variable's own ``get``
earlier: Callable[[], int] = _earlier.get


@contextmanager
def claimed(job: Job) -> Iterator[None]:
    """Within the block, synchronous calls count ``job``'s earlier claims as attempts made."""
    token = _earlier.set(0 if job.kind == JOB_INVOKE else max(job.attempts - 1, 0))
    try:
        yield
    finally:
        _earlier.reset(token)
