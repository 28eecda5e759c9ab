"""The supervised worker process's side of supervision, and the pipe between the two.

A worker process run by :class:`~wfengine.runtime.supervisor.Supervisor` (see that module for
why there is one) reports what its engines do with jobs as lines on a pipe
(:class:`EventReporter`, the engines' :attr:`~wfengine.runtime.engine.Engine.job_observer`),
and on the same pipe what it counted (:data:`TALLY`: the run's summary is the supervisor's,
:mod:`.worker_tally`),
takes its leases in the supervisor's name (:func:`lease_owner`) and ends with its supervisor
(:func:`bind_to_supervisor`).

Why a module of its own: this is all the worker process imports of supervision (it never runs
the supervisor's loop), and the pipe's format (:func:`encode_event`, :func:`decode_event`) is
written here and read back by the supervisor, so both ends of it stay in one place.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import socket
import sys
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from wfengine.errors import DataNotStorableError
from wfengine.runtime.call_watch import CallInProgress
from wfengine.runtime.jobs import Job
from wfengine.runtime.values import decode_value, encode_value
from wfengine.runtime.worker_tally import Tally

_log = logging.getLogger("wfengine.supervisor")

#: what an engine's job observer reports, in the order it happens to a job (``call``: the
#: running job begins an attempt of a synchronous application call, see
#: :mod:`wfengine.runtime.call_watch`; any number of them between its start and end)
EVENTS = ("claimed", "start", "call", "end")
#: the event of a worker process's counts (no owner, no job: a ``counts`` of
#: :meth:`Tally.to_dict <wfengine.runtime.worker_tally.Tally.to_dict>`), added to the run's
TALLY = "tally"
#: exit status after a second stop signal (the shell's 128 + SIGINT); also what a worker
#: process ends with when it finds its supervisor gone
EXIT_KILLED = 130
#: exit status of a worker process that could not reach the database as it started (sysexits'
#: EX_TEMPFAIL): a restarted one is started again later; the first ends ``wfengine worker``
#: with status 2, as any command given a database it cannot reach
EXIT_UNAVAILABLE = 75


# -- the pipe -----------------------------------------------------------------------------------


def encode_event(
    event: str, owner: str, job_ids: Sequence[str], call: CallInProgress | None = None
) -> bytes:
    """One event as the line the child writes (``call``: a ``call`` event's call; its inputs
    as stored values, or none when they are not storable: the supervisor audits them)."""
    data: dict[str, Any] = {"event": event, "owner": owner, "jobs": list(job_ids)}
    if call is not None:
        told = call.to_dict()
        try:
            told["inputs"] = encode_value(told["inputs"], "the inputs of a call")
        except DataNotStorableError:
            told["inputs"] = {}
        data["call"] = told
    return json.dumps(data).encode() + b"\n"


def decode_event(line: bytes) -> tuple[str, str, list[str]] | None:
    """An event line read back (None when it is not one)."""
    found = decode_line(line)
    return None if found is None else found[:3]


def encode_tally(tally: Tally) -> bytes:
    """A worker process's counts as the line it writes (:data:`TALLY`)."""
    data = {"event": TALLY, "owner": "", "jobs": [], "counts": tally.to_dict()}
    return json.dumps(data).encode() + b"\n"


def decode_line(
    line: bytes,
) -> tuple[str, str, list[str], CallInProgress | Tally | None] | None:
    """An event line read back with its call (a ``call`` event's) or its counts (a
    :data:`TALLY`'s; None for the others), or None when it is not an event (a ``call`` event
    must name one job and its call, a tally its counts)."""
    try:
        data = json.loads(line)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    if data.get("event") == TALLY:
        tally = Tally.from_dict(data.get("counts"))
        return None if tally is None else (TALLY, "", [], tally)
    event, owner, jobs = data.get("event"), data.get("owner"), data.get("jobs")
    if event not in EVENTS or not isinstance(owner, str) or not isinstance(jobs, list):
        return None
    if not all(isinstance(j, str) for j in jobs):
        return None
    if event != "call":
        return event, owner, jobs, None
    call = CallInProgress.from_dict(data.get("call"))
    if call is None or len(jobs) != 1:
        return None
    try:
        inputs = decode_value(dict(call.inputs))
    except (ValueError, TypeError, KeyError):
        inputs = {}
    return event, owner, jobs, replace(call, inputs=inputs)


# -- the child's side ---------------------------------------------------------------------------


class EventReporter:
    """The :attr:`~wfengine.runtime.engine.Engine.job_observer` of a supervised worker process:
    writes each event as one line on the pipe ``fd`` to the supervisor.

    It never raises into the engine (which calls it in the middle of running jobs): when the
    pipe breaks, the supervisor is gone, and ``on_lost`` is called once (the worker stops).
    Shared by all the worker's threads, hence the lock: lines never interleave.
    """

    def __init__(self, fd: int, on_lost: Callable[[], None]) -> None:
        self._out = os.fdopen(fd, "wb")
        self._lock = threading.Lock()
        self._on_lost = on_lost
        self.lost = False

    def __call__(self, event: str, owner: str, jobs: Sequence[Job]) -> None:
        call = jobs[0].payload if event == "call" and jobs else None
        line = encode_event(
            event, owner, [j.id for j in jobs], call if isinstance(call, CallInProgress) else None
        )
        self._write(line)

    def tally(self, tally: Tally) -> None:
        """Report counts this process added (the supervisor sums them for the summary)."""
        self._write(encode_tally(tally))

    def _write(self, line: bytes) -> None:
        with self._lock:
            if self.lost:
                return
            try:
                self._out.write(line)
                self._out.flush()
            except (OSError, ValueError):
                self.lost = True
            else:
                return
        _log.warning("the supervisor is gone: stopping")
        self._on_lost()

    def close(self) -> None:
        with self._lock, contextlib.suppress(OSError):
            self._out.close()


def lease_owner(supervisor_pid: int) -> str:
    """The lease owner name for an engine of a supervised worker: ``HOST:PID:RANDOM`` like
    :attr:`~wfengine.runtime.engine.Engine.worker_id`, with the supervisor's PID, so leases
    name the process an operator started (children come and go)."""
    return f"{socket.gethostname()}:{supervisor_pid}:{uuid.uuid4().hex[:8]}"


def bind_to_supervisor(supervisor_pid: int, on_gone: Callable[[], None]) -> None:
    """Make this (child) process end with its supervisor.

    On Linux the kernel SIGKILLs it when the supervisor dies (``PR_SET_PDEATHSIG``): a
    ``wfengine worker`` killed outright leaves no worker behind, exactly as before supervision
    (its leases expire and other workers take the jobs over). Elsewhere, and as a second line,
    a thread waits for the end of stdin (a pipe only the supervisor holds) and calls
    ``on_gone`` (a graceful stop). A supervisor already gone by now ends the process at once.
    """
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != supervisor_pid:
        os._exit(EXIT_KILLED)

    def watch() -> None:
        # the descriptor, not sys.stdin: a daemon thread blocked in a buffered read holds the
        # buffer's lock, and the interpreter aborts when it finds it held at exit
        with contextlib.suppress(OSError):
            while os.read(0, 4096):
                pass
        _log.warning("the supervisor is gone: stopping")
        on_gone()

    threading.Thread(target=watch, name="wfengine-supervisor-watch", daemon=True).start()
