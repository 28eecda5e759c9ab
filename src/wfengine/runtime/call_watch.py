"""Telling whoever follows a job which synchronous application call it is making.

Why: a job stopped from outside (a worker supervisor's job timeout, its worker process dying)
commits nothing of what it did, so the ``application.invoked`` record of a synchronous call it
was making is lost with it, and its incident could name only the job. An ``invoke`` job's
payload describes its call, so :meth:`~wfengine.runtime.engine.Engine.abandon_job` audits that
one; any other job (a deferred start's ``continue``, a timer whose step reaches a Tool
activity) makes its calls inside its command, where only the navigation knows them. So the job
runner installs a watcher (:func:`watching`) while a job runs, and :func:`~wfengine.runtime.
tools.run_tools` tells it each attempt as it begins (:class:`CallInProgress`); the runner
passes that on to the job observer (the supervisor), which hands the last one to
``abandon_job`` should it stop the job.

An ``invoke`` job tells its own asynchronous call too (:func:`in_progress`), as it begins and
once it has ended (``ended``): the job's time bounds the call and the command applying its
answer, and only a call stopped while still in progress is the call's failure (an
``ApplicationTimeoutError``); one stopped after its answer came loses nothing it gave.

A context variable, not an argument: the call is made deep inside navigation, which sees a
narrow context and no engine; the variable is per thread (each worker thread runs its own job).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class CallInProgress:
    """One attempt of an application call, as its ``application.invoked`` record holds it:
    ``inputs`` are as audited (secrets already hidden); ``ended``: it has returned or raised
    (told of an ``invoke`` job's own call only, see :func:`in_progress`)."""

    activity_instance_id: str
    activity_id: str
    application_id: str
    attempt: int
    key: str
    inputs: Mapping[str, Any]
    ended: bool = False

    def as_payload(self) -> dict[str, Any]:
        """The call as an ``invoke`` job's payload describes one (what
        :meth:`~wfengine.runtime.navigation.Navigator.job_failed` audits and names)."""
        return {
            "activity_instance_id": self.activity_instance_id,
            "activity_id": self.activity_id,
            "application_id": self.application_id,
            "inputs": dict(self.inputs),
            "sensitive": [],  # hidden already
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "activity_instance_id": self.activity_instance_id,
            "activity_id": self.activity_id,
            "application_id": self.application_id,
            "attempt": self.attempt,
            "key": self.key,
            "inputs": dict(self.inputs),
            "ended": self.ended,
        }

    @classmethod
    def from_dict(cls, data: Any) -> CallInProgress | None:
        """A call read back from :meth:`to_dict`'s form (None when it is not one)."""
        if not isinstance(data, Mapping):
            return None
        texts = ("activity_instance_id", "activity_id", "application_id", "key")
        if not all(isinstance(data.get(k), str) for k in texts):
            return None
        attempt, inputs = data.get("attempt"), data.get("inputs")
        if type(attempt) is not int or not isinstance(inputs, Mapping):
            return None
        return cls(
            data["activity_instance_id"],
            data["activity_id"],
            data["application_id"],
            attempt,
            data["key"],
            dict(inputs),
            data.get("ended") is True,  # (absent from a line an older worker wrote)
        )


#: what a call's beginning is told to (None: nobody follows this thread's job)
Watcher = Callable[[CallInProgress], None]
_watcher: ContextVar[Watcher | None] = ContextVar("wfengine_call_watcher", default=None)


#: the watcher of the job this thread runs, if any: the variable's own ``get`` (a C call, no
#: Python frame: every application call asks)
current: Callable[[], Watcher | None] = _watcher.get


@contextmanager
def watching(watcher: Watcher | None) -> Iterator[None]:
    """Tell ``watcher`` each synchronous call begun in this thread within the block."""
    token = _watcher.set(watcher)
    try:
        yield
    finally:
        _watcher.reset(token)


@contextmanager
def in_progress(call: CallInProgress) -> Iterator[None]:
    """Tell this thread's watcher, if any, ``call`` as the block begins and, however the block
    ends, that the call has ended: an ``invoke`` job's own asynchronous call, made outside any
    command, which :meth:`~wfengine.runtime.engine.Engine.abandon_job` fails only while it is
    in progress."""
    watcher = _watcher.get()
    if watcher is not None:
        watcher(call)
    try:
        yield
    finally:
        if watcher is not None:
            watcher(replace(call, ended=True))
